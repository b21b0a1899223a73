"""Orders: cancelling and changing an order, as each brand allows it (OG/AA/AL-ORD-05)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from comptoir.notifications.models import OutboxMessage
from comptoir.orders.models import Order
from factories import PARIS, order, pass_challenge, shopper, staff, staff_move, stock_of

PARIS_TZ = ZoneInfo("Europe/Paris")
OG, AA, AL = "officine-generale", "audrey-alexandre", "alme"
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
NEW_ADDRESS = {**PARIS, "line1": "5 rue des Archives", "postal_code": "75003"}


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS_TZ)


def og_order(api, sku="OG-SHIRT-OXF-BLU-M"):
    camille = shopper(api, OG, now=MONDAY_10AM)
    placed = order(api, OG, [(sku, 1)], now=MONDAY_10AM, method="colissimo_expert", token=camille["token"],
                   email=camille["email"])
    assert placed.status == 201, placed
    return camille, placed


def aa_paid_order(api, sku="AA-WALLET-COG", now=MONDAY_10AM):
    placed = order(api, AA, [(sku, 1)], now=now, method="chrono_13")
    paid = pass_challenge(api, AA, placed, now=now + timedelta(minutes=1))
    assert (paid.status, paid["status"]) == (200, "confirmed"), paid
    return placed


def as_guest(placed) -> dict:
    return {"query": {"token": placed["access_token"]}}


def status_of(number: str) -> str:
    return Order.objects.get(number=number).status


# --- OG-ORD-05 ---------------------------------------------------------------------------------------

def test_OG_ORD_05_the_shopper_cannot_cancel_online_and_is_sent_to_customer_care(api):
    """"To modify or cancel an order, please contact Officine Générale's customer care as soon as possible\""""
    camille, placed = og_order(api)
    before = stock_of("OG-SHIRT-OXF-BLU-M")

    refused = api.post(f"/brands/{OG}/orders/{placed['number']}/cancel", token=camille["token"], now=MONDAY_10AM)

    assert (refused.status, refused["code"], refused["rule"]) == (409, "cancel_through_customer_care", "OG-ORD-05")
    assert "eshop@officinegenerale.com" in refused["message"]
    assert status_of(placed["number"]) == "awaiting_confirmation"
    assert stock_of("OG-SHIRT-OXF-BLU-M") == before


def test_OG_ORD_05_the_shopper_cannot_change_the_address_online(api):
    """"if you want to change the shipping address, please contact Officine Générale's customer service\""""
    camille, placed = og_order(api)

    refused = api.put(f"/brands/{OG}/orders/{placed['number']}/shipping-address", NEW_ADDRESS,
                      token=camille["token"], now=MONDAY_10AM)

    assert (refused.status, refused["code"]) == (409, "address_change_through_customer_care")
    assert Order.objects.get(number=placed["number"]).shipping_address["line1"] == "12 rue de Turenne"


def test_OG_ORD_05_customer_care_cancels_before_dispatch_and_voids_the_authorisation(api):
    """Customer care cancels on request until the parcel leaves: the pre-authorisation is voided, stock returns."""
    _, placed = og_order(api)
    before = stock_of("OG-SHIRT-OXF-BLU-M")
    team = staff(api, OG, now=MONDAY_10AM)
    staff_move(api, OG, team, placed["number"], "confirm", now=MONDAY_10AM)

    cancelled = staff_move(api, OG, team, placed["number"], "cancel", now=at(15), body={"reason": "Phone request"})

    assert cancelled.status == 200, cancelled
    assert cancelled["status"] == "cancelled"
    assert cancelled["payments"][0]["status"] == "voided"
    assert stock_of("OG-SHIRT-OXF-BLU-M") == before + 1
    assert OutboxMessage.objects.filter(template="order_cancelled", recipient=placed["email"]).count() == 1


def test_OG_ORD_05_customer_care_changes_the_address_after_confirmation(api):
    """"Once your order has been confirmed, if you want to change the shipping address, please contact ... customer service\""""
    camille, placed = og_order(api)
    team = staff(api, OG, now=MONDAY_10AM)
    staff_move(api, OG, team, placed["number"], "confirm", now=MONDAY_10AM)

    changed = api.put(f"/staff/brands/{OG}/orders/{placed['number']}/shipping-address", NEW_ADDRESS, token=team,
                      now=at(11))

    assert changed.status == 200, changed
    assert changed["status"] == "confirmed"
    assert changed["shipping_address"]["line1"] == "5 rue des Archives"
    seen = api.get(f"/brands/{OG}/orders/{placed['number']}", token=camille["token"], now=at(11))
    assert seen["shipping_address"]["postal_code"] == "75003"


def test_OG_ORD_05_nothing_changes_once_shipped(api):
    """Once "transferred to the carrier", neither a cancellation nor an address change is possible."""
    _, placed = og_order(api)
    team = staff(api, OG, now=MONDAY_10AM)
    for move in ("confirm", "ship"):
        staff_move(api, OG, team, placed["number"], move, now=MONDAY_10AM)
    stock_after_shipping = stock_of("OG-SHIRT-OXF-BLU-M")

    cancel = staff_move(api, OG, team, placed["number"], "cancel", now=at(15))
    address = api.put(f"/staff/brands/{OG}/orders/{placed['number']}/shipping-address", NEW_ADDRESS, token=team,
                      now=at(15))

    assert (cancel.status, cancel["code"]) == (409, "cancel_after_dispatch")
    assert (address.status, address["code"]) == (409, "change_after_dispatch")
    shipped = Order.objects.get(number=placed["number"])
    assert (shipped.status, shipped.shipping_address["line1"]) == ("shipped", "12 rue de Turenne")
    assert shipped.payments.get().status == "captured"
    assert stock_of("OG-SHIRT-OXF-BLU-M") == stock_after_shipping


# --- AA-ORD-05 ---------------------------------------------------------------------------------------

def test_AA_ORD_05_a_cancellation_before_noon_the_same_day_is_refunded(api):
    """"To cancel an order, please send an e-mail ... before noon on the day you placed your order\""""
    before = stock_of("AA-WALLET-COG")
    placed = aa_paid_order(api)

    cancelled = api.post(f"/brands/{AA}/orders/{placed['number']}/cancel", now=at(11, 30), **as_guest(placed))

    assert cancelled.status == 200, cancelled
    assert cancelled["status"] == "cancelled"
    assert cancelled["payments"][0]["status"] == "refunded"
    assert stock_of("AA-WALLET-COG") == before


def test_AA_ORD_05_after_noon_the_order_can_no_longer_be_cancelled(api):
    """"before noon on the day you placed your order\": at 12:05 it is too late."""
    before = stock_of("AA-WALLET-COG")
    placed = aa_paid_order(api)

    late = api.post(f"/brands/{AA}/orders/{placed['number']}/cancel", now=at(12, 5), **as_guest(placed))
    next_day = api.post(f"/brands/{AA}/orders/{placed['number']}/cancel", now=at(9, day=24), **as_guest(placed))

    assert (late.status, late["code"], late["rule"]) == (409, "cancel_deadline_passed", "AA-ORD-05")
    assert (next_day.status, next_day["code"]) == (409, "cancel_deadline_passed")
    kept = Order.objects.get(number=placed["number"])
    assert (kept.status, kept.payments.get().status) == ("confirmed", "captured")
    assert stock_of("AA-WALLET-COG") == before - 1


def test_AA_ORD_05_a_parcel_handed_to_chronopost_cannot_be_cancelled(api):
    """"if your package has already been transferred to Chronopost, you will not be able to cancel your order.\""""
    placed = aa_paid_order(api)
    staff_move(api, AA, staff(api, AA, now=MONDAY_10AM), placed["number"], "ship", now=at(10, 30))
    before = stock_of("AA-WALLET-COG")

    refused = api.post(f"/brands/{AA}/orders/{placed['number']}/cancel", now=at(11), **as_guest(placed))

    assert (refused.status, refused["code"]) == (409, "cancel_after_dispatch")
    assert status_of(placed["number"]) == "shipped"
    assert stock_of("AA-WALLET-COG") == before


def test_AA_ORD_05_items_cannot_be_modified_once_paid(api):
    """"You cannot modify an item once your order has been paid.\""""
    placed = aa_paid_order(api, sku="AA-TOTE-BLK-S")
    before = (stock_of("AA-TOTE-BLK-S"), stock_of("AA-TOTE-BLK-L"))

    refused = api.put(f"/brands/{AA}/orders/{placed['number']}/lines/{placed['lines'][0]['id']}/variant",
                      {"sku": "AA-TOTE-BLK-L"}, now=at(10, 5), **as_guest(placed))

    assert (refused.status, refused["code"], refused["rule"]) == (409, "items_cannot_change", "AA-ORD-05")
    assert Order.objects.get(number=placed["number"]).lines.get().sku == "AA-TOTE-BLK-S"
    assert (stock_of("AA-TOTE-BLK-S"), stock_of("AA-TOTE-BLK-L")) == before


# --- AL-ORD-05 ---------------------------------------------------------------------------------------

def test_AL_ORD_05_an_order_not_yet_dispatched_can_be_cancelled(api):
    """"As long as your order has not been dispatched, we can still cancel it\"; "Cancelled" is a visible status."""
    before = stock_of("AL-DRESS-BLK-S")
    placed = order(api, AL, [("AL-DRESS-BLK-S", 1)], now=MONDAY_10AM, method="colissimo_home")

    cancelled = api.post(f"/brands/{AL}/orders/{placed['number']}/cancel", now=at(16), lang="en", **as_guest(placed))

    assert cancelled.status == 200, cancelled
    assert (cancelled["status"], cancelled["status_label"]) == ("cancelled", "cancelled")
    assert cancelled["payments"][0]["status"] == "refunded"
    assert stock_of("AL-DRESS-BLK-S") == before
    seen = api.get(f"/brands/{AL}/orders/{placed['number']}", now=at(16), lang="fr", **as_guest(placed))
    assert (seen["status"], seen["status_label"]) == ("cancelled", "annulée")


def test_AL_ORD_05_a_size_change_moves_the_stock_and_keeps_the_price(api):
    """"we can still cancel it or modify it (size, color, delivery location).\""""
    placed = order(api, AL, [("AL-DRESS-BLK-S", 1)], now=MONDAY_10AM, method="colissimo_home")
    small, medium = stock_of("AL-DRESS-BLK-S"), stock_of("AL-DRESS-BLK-M")
    line = placed["lines"][0]

    changed = api.put(f"/brands/{AL}/orders/{placed['number']}/lines/{line['id']}/variant", {"sku": "AL-DRESS-BLK-M"},
                      now=at(11), **as_guest(placed))

    assert changed.status == 200, changed
    assert [(l["sku"], l["size"], l["unit_price_minor"], l["total_minor"]) for l in changed["lines"]] == [
        ("AL-DRESS-BLK-M", "M", 14900, 14900)]
    assert changed["total_minor"] == placed["total_minor"]
    assert (stock_of("AL-DRESS-BLK-S"), stock_of("AL-DRESS-BLK-M")) == (small + 1, medium - 1)


def test_AL_ORD_05_a_colour_change_is_a_change_of_variant(api):
    """"modify it (size, color, ...)\": the black dress becomes the cherry red one."""
    placed = order(api, AL, [("AL-DRESS-BLK-S", 1)], now=MONDAY_10AM, method="colissimo_home")

    changed = api.put(f"/brands/{AL}/orders/{placed['number']}/lines/{placed['lines'][0]['id']}/variant",
                      {"sku": "AL-DRESS-RED-S"}, now=at(11), **as_guest(placed))

    assert changed.status == 200, changed
    assert [(l["sku"], l["colour"]) for l in changed["lines"]] == [("AL-DRESS-RED-S", "Cherry red")]


def test_AL_ORD_05_a_change_to_an_unavailable_size_or_another_product_is_refused(api):
    """A size change needs the size in stock, and stays within the same item."""
    placed = order(api, AL, [("AL-DRESS-BLK-S", 1)], now=MONDAY_10AM, method="colissimo_home")
    path = f"/brands/{AL}/orders/{placed['number']}/lines/{placed['lines'][0]['id']}/variant"
    before = stock_of("AL-DRESS-BLK-S")

    coming_soon = api.put(path, {"sku": "AL-DRESS-BLK-L"}, now=at(11), **as_guest(placed))
    other_product = api.put(path, {"sku": "AL-TEE-WHT-M"}, now=at(11), **as_guest(placed))

    assert (coming_soon.status, coming_soon["code"]) == (409, "coming_soon")
    assert (other_product.status, other_product["code"]) == (422, "variant_of_another_product")
    assert Order.objects.get(number=placed["number"]).lines.get().sku == "AL-DRESS-BLK-S"
    assert stock_of("AL-DRESS-BLK-S") == before


def test_AL_ORD_05_the_delivery_address_can_change_before_dispatch(api):
    """"modify it (size, color, delivery location)\""""
    placed = order(api, AL, [("AL-DRESS-BLK-S", 1)], now=MONDAY_10AM, method="colissimo_home")

    changed = api.put(f"/brands/{AL}/orders/{placed['number']}/shipping-address", NEW_ADDRESS, now=at(11),
                      **as_guest(placed))

    assert changed.status == 200, changed
    assert changed["shipping_address"]["line1"] == "5 rue des Archives"


def test_AL_ORD_05_once_dispatched_nothing_can_change(api):
    """"As long as your order has not been dispatched\": after dispatch, cancel and changes are refused."""
    placed = order(api, AL, [("AL-DRESS-BLK-S", 1)], now=MONDAY_10AM, method="colissimo_home")
    staff_move(api, AL, staff(api, AL, now=MONDAY_10AM), placed["number"], "ship", now=at(15))
    small, medium = stock_of("AL-DRESS-BLK-S"), stock_of("AL-DRESS-BLK-M")
    base = f"/brands/{AL}/orders/{placed['number']}"

    cancel = api.post(f"{base}/cancel", now=at(16), **as_guest(placed))
    size = api.put(f"{base}/lines/{placed['lines'][0]['id']}/variant", {"sku": "AL-DRESS-BLK-M"}, now=at(16),
                   **as_guest(placed))
    address = api.put(f"{base}/shipping-address", NEW_ADDRESS, now=at(16), **as_guest(placed))

    assert [(r.status, r["code"]) for r in (cancel, size, address)] == [
        (409, "cancel_after_dispatch"), (409, "change_after_dispatch"), (409, "change_after_dispatch")]
    kept = Order.objects.get(number=placed["number"])
    assert (kept.status, kept.lines.get().sku, kept.shipping_address["line1"]) == (
        "shipped", "AL-DRESS-BLK-S", "12 rue de Turenne")
    assert kept.payments.get().status == "captured"
    assert (stock_of("AL-DRESS-BLK-S"), stock_of("AL-DRESS-BLK-M")) == (small, medium)
