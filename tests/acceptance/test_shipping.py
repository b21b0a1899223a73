"""Shipping and delivery: methods per country, delivery windows, store pick-up, post-office boxes,
addresses, tracking and split parcels, as each brand's FAQ promises (rules.md, "Shipping and delivery")."""

from datetime import datetime
from zoneinfo import ZoneInfo

from comptoir.catalog.models import Variant
from comptoir.notifications.models import OutboxMessage
from comptoir.orders.models import Order
from factories import PARIS, VISA, cart, order, shopper, staff

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
MONDAY_1359 = datetime(2026, 11, 23, 13, 59, tzinfo=PARIS_TZ)
MONDAY_2PM = datetime(2026, 11, 23, 14, 0, tzinfo=PARIS_TZ)
THURSDAY_10AM = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS_TZ)
TUESDAY_9AM = datetime(2026, 11, 24, 9, 0, tzinfo=PARIS_TZ)

OG, AA, AL = "officine-generale", "audrey-alexandre", "alme"
LONDON = {**PARIS, "line1": "10 Downing Street", "postal_code": "SW1A 2AA", "city": "London", "country": "GB"}
BERLIN = {**PARIS, "line1": "Unter den Linden 1", "postal_code": "10117", "city": "Berlin", "country": "DE"}


def stock(sku: str) -> int:
    return Variant.objects.get(sku=sku).stock


def methods(api, brand: str, country: str, now=MONDAY_10AM) -> list[str]:
    reply = api.get(f"/brands/{brand}/shipping-methods", query={"country": country}, now=now)
    assert reply.status == 200, reply
    return [m["method"] for m in reply.body]


def estimate(api, brand: str, method: str, country: str, at: datetime):
    return api.get(f"/brands/{brand}/delivery-estimate",
                   query={"method": method, "country": country, "at": at.isoformat()}, now=at)


def outbox(template: str, number: str) -> list[OutboxMessage]:
    return [m for m in OutboxMessage.objects.filter(template=template) if m.context["order"]["number"] == number]


# --- OG-SHP-01 ----------------------------------------------------------------------------------

def test_OG_SHP_01_france_offers_colissimo_expert_so_colissimo_ups_express_and_the_paris_store(api):
    """"For France and Monaco ... Colissimo Expert (home), So Colissimo (relay or post office), UPS Express,
    pick-up in the Paris store.\""""
    assert methods(api, OG, "FR") == ["colissimo_expert", "so_colissimo", "ups_express", "pickup_paris"]
    assert methods(api, OG, "MC") == ["colissimo_expert", "so_colissimo", "ups_express", "pickup_paris"]


def test_OG_SHP_01_rest_of_the_world_offers_so_colissimo_ups_express_saver_and_the_london_store(api):
    """"Rest of the world: So Colissimo, UPS Express Saver, pick-up in the London store.\""""
    assert methods(api, OG, "GB") == ["so_colissimo_international", "ups_express_saver", "pickup_london"]
    assert methods(api, OG, "US") == ["so_colissimo_international", "ups_express_saver", "pickup_london"]


def test_OG_SHP_01_a_france_only_method_is_refused_for_another_country(api):
    """"For France and Monaco, Officine Générale vous propose quatre modes de livraison": Colissimo Expert
    does not serve the United Kingdom; the refusal says so and takes nothing."""
    camille = shopper(api, OG, now=MONDAY_10AM)
    before = stock("OG-SHIRT-OXF-BLU-M")

    refused = order(api, OG, [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM, method="colissimo_expert",
                    address=LONDON, token=camille["token"])

    assert refused.status == 422, refused
    assert refused["code"] == "method_not_available_for_country"
    assert refused["rule"] == "OG-SHP-01"
    assert refused["message"]
    assert stock("OG-SHIRT-OXF-BLU-M") == before
    assert not Order.objects.filter(email=camille["email"]).exists()


# --- OG-SHP-02 ----------------------------------------------------------------------------------

def test_OG_SHP_02_colissimo_expert_delivers_monday_to_friday_8am_to_6pm(api):
    """"Delivery by Colissimo Expert runs from Monday to Friday between 8am and 6pm." An order on a
    Thursday morning ships that day and arrives Friday or, skipping the weekend, Monday."""
    reply = estimate(api, OG, "colissimo_expert", "FR", THURSDAY_10AM)

    assert reply.status == 200, reply
    assert reply["delivery_from_local_time"] == "08:00:00"
    assert reply["delivery_until_local_time"] == "18:00:00"
    assert reply["dispatch_on"] == "2026-11-26"
    assert reply["delivery_earliest"] == "2026-11-27"  # Friday
    assert reply["delivery_latest"] == "2026-11-30"  # Monday, not Saturday
    assert reply["timezone"] == "Europe/Paris"


# --- OG-SHP-03 ----------------------------------------------------------------------------------

def test_OG_SHP_03_store_pickup_emails_when_the_order_is_ready_and_is_never_shipped(api):
    """"You will then receive an email to inform you when you order is ready for pick up.\""""
    camille = shopper(api, OG, now=MONDAY_10AM)
    team = staff(api, OG, now=MONDAY_10AM)
    placed = order(api, OG, [("OG-KNIT-NIL-NAV-M", 1)], now=MONDAY_10AM, method="pickup_paris",
                   token=camille["token"], email=camille["email"])
    assert placed.status == 201, placed
    number = placed["number"]
    assert api.post(f"/staff/brands/{OG}/orders/{number}/confirm", token=team, now=MONDAY_10AM).status == 200

    ready = api.post(f"/staff/brands/{OG}/orders/{number}/ready-for-pickup", token=team, now=TUESDAY_9AM)

    assert ready.status == 200, ready
    assert ready["status"] == "ready_for_pickup"
    [email] = outbox("pickup_ready", number)
    assert email.recipient == camille["email"]
    assert email.context["store"] == {"name": "Officine Générale Paris", "address": "6 rue du Dragon, 75006 Paris"}

    shipped = api.post(f"/staff/brands/{OG}/orders/{number}/ship", {"tracking_number": "6A123"}, token=team,
                       now=TUESDAY_9AM)
    assert shipped.status == 409, shipped
    assert shipped["code"] == "pickup_orders_are_not_shipped"
    assert shipped["rule"] == "OG-SHP-03"
    assert api.get(f"/brands/{OG}/orders/{number}", token=camille["token"], now=TUESDAY_9AM)["shipments"] == []


# --- OG-SHP-04 ----------------------------------------------------------------------------------

def test_OG_SHP_04_no_delivery_to_a_french_boite_postale(api):
    """"For security reasons, we are not able to ship to post office boxes": "BP 123" is refused and no
    stock is taken."""
    camille = shopper(api, OG, now=MONDAY_10AM)
    before = stock("OG-SHIRT-OXF-WHT-M")

    refused = order(api, OG, [("OG-SHIRT-OXF-WHT-M", 2)], now=MONDAY_10AM, method="colissimo_expert",
                    address={**PARIS, "line1": "BP 123"}, token=camille["token"])

    assert refused.status == 422, refused
    assert (refused["code"], refused["rule"]) == ("po_box_refused", "OG-SHP-04")
    assert stock("OG-SHIRT-OXF-WHT-M") == before
    assert not Order.objects.filter(email=camille["email"]).exists()


def test_OG_SHP_04_no_delivery_to_an_english_po_box_even_on_the_second_line(api):
    """"we are not able to ship to post office boxes": "PO Box 42" abroad, on line 2, is refused too."""
    camille = shopper(api, OG, now=MONDAY_10AM)
    before = stock("OG-SHIRT-OXF-WHT-M")

    refused = order(api, OG, [("OG-SHIRT-OXF-WHT-M", 1)], now=MONDAY_10AM, method="ups_express_saver",
                    address={**LONDON, "line2": "PO Box 42"}, token=camille["token"])

    assert refused.status == 422, refused
    assert refused["code"] == "po_box_refused"
    assert stock("OG-SHIRT-OXF-WHT-M") == before


def test_OG_SHP_04_almé_does_deliver_to_a_boite_postale(api):
    """The rule is OG's: Almé's seed is silent on post-office boxes, so its policy leaves
    refuse_po_boxes = false and "BP 123" is accepted."""
    placed = order(api, AL, [("AL-TEE-WHT-M", 1)], now=MONDAY_10AM, method="colissimo_home",
                   address={**PARIS, "line1": "BP 123"})

    assert placed.status == 201, placed
    assert placed["shipping_address"]["line1"] == "BP 123"


# --- OG-SHP-05 ----------------------------------------------------------------------------------

def test_OG_SHP_05_several_addresses_are_stored_and_billing_may_differ_from_shipping(api):
    """"You can save several delivery addresses" and the shipping and billing addresses can differ."""
    camille = shopper(api, OG, now=MONDAY_10AM)
    home = {**PARIS, "label": "Home"}
    office = {**PARIS, "label": "Office", "line1": "3 place Vendôme", "postal_code": "75001"}
    for address in (home, office):
        assert api.post(f"/brands/{OG}/me/addresses", address, token=camille["token"], now=MONDAY_10AM).status == 201
    stored = api.get(f"/brands/{OG}/me/addresses", token=camille["token"], now=MONDAY_10AM)
    assert [a["label"] for a in stored.body] == ["Home", "Office"]

    chosen = {k: v for k, v in stored.body[1].items() if k not in ("id", "label")}
    billing = {**PARIS, "line1": "1 avenue des Champs-Élysées", "postal_code": "75008"}
    cart_id = cart(api, OG, [("OG-CHINO-PAU-NAV-32", 1)], now=MONDAY_10AM, token=camille["token"])
    body = {"email": camille["email"], "shipping_address": chosen, "billing_address": billing,
            "shipping_method": "colissimo_expert", "payment": {"method": "card", "card": VISA}}
    placed = api.post(f"/brands/{OG}/carts/{cart_id}/checkout", body, token=camille["token"], now=MONDAY_10AM,
                      key="og-shp-05")

    assert placed.status == 201, placed
    assert placed["shipping_address"]["line1"] == "3 place Vendôme"
    assert placed["billing_address"]["line1"] == "1 avenue des Champs-Élysées"
    again = api.get(f"/brands/{OG}/orders/{placed['number']}", token=camille["token"], now=MONDAY_10AM)
    assert (again["shipping_address"]["postal_code"], again["billing_address"]["postal_code"]) == ("75001", "75008")


# --- ALL-SHP-06 ---------------------------------------------------------------------------------

def test_ALL_SHP_06_shipping_emails_the_tracking_number_and_link_and_my_orders_shows_them(api):
    """"As soon as your order is dispatched, you will receive an e-mail containing the tracking number and
    link"; "my orders" shows the same."""
    lea = shopper(api, AL, now=MONDAY_10AM, first_name="Lea")
    team = staff(api, AL, now=MONDAY_10AM)
    placed = order(api, AL, [("AL-JEAN-BLU-38", 1)], now=MONDAY_10AM, method="colissimo_home", token=lea["token"],
                   email=lea["email"])
    assert placed["status"] == "confirmed", placed
    number = placed["number"]

    shipped = api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "6A12345678901"},
                       token=team, now=TUESDAY_9AM)

    assert shipped.status == 200, shipped
    assert shipped["status"] == "shipped"
    [parcel] = shipped["shipments"]
    assert parcel["tracking_number"] == "6A12345678901"
    assert parcel["tracking_url"] == "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"
    [email] = outbox("order_shipped", number)
    assert email.recipient == lea["email"]
    assert email.context["shipment"]["tracking_number"] == "6A12345678901"
    assert email.context["shipment"]["tracking_url"] == parcel["tracking_url"]

    mine = api.get(f"/brands/{AL}/orders", token=lea["token"], now=TUESDAY_9AM)
    [listed] = [o for o in mine["results"] if o["number"] == number]
    assert listed["status"] == "shipped"
    assert listed["shipments"][0]["tracking_url"] == parcel["tracking_url"]


# --- AA-SHP-07 ----------------------------------------------------------------------------------

def test_AA_SHP_07_chrono_13_france_ships_monday_and_arrives_tuesday_before_1pm_against_signature(api):
    """"If you place your order before noon on a business day, you will receive your package the next working
    day by 1PM"; "with signature confirmation".\""""
    reply = estimate(api, AA, "chrono_13", "FR", MONDAY_10AM)

    assert reply.status == 200, reply
    assert reply["carrier"] == "Chronopost"
    assert reply["dispatch_on"] == "2026-11-23"
    assert (reply["delivery_earliest"], reply["delivery_latest"]) == ("2026-11-24", "2026-11-24")
    assert reply["delivery_from_local_time"] == "08:00:00"
    assert reply["delivery_until_local_time"] == "13:00:00"
    assert reply["signature_required"] is True


def test_AA_SHP_07_transit_is_1_day_to_europe_2_to_overseas_france_3_worldwide(api):
    """"Europe: 1 day; Overseas France: in 2 days; Worldwide: 3 days" (working days)."""
    arrivals = {}
    for country in ("DE", "RE", "US"):
        reply = estimate(api, AA, "chrono_13", country, MONDAY_10AM)
        assert reply.status == 200, reply
        assert reply["dispatch_on"] == "2026-11-23"
        arrivals[country] = (reply["zone"], reply["delivery_earliest"], reply["delivery_latest"])

    assert arrivals == {
        "DE": ("europe", "2026-11-24", "2026-11-24"),
        "RE": ("overseas_france", "2026-11-25", "2026-11-25"),
        "US": ("world", "2026-11-26", "2026-11-26"),
    }


def test_AA_SHP_07_an_order_after_noon_ships_the_next_working_day(api):
    """"before noon on a business day": at 2 pm on Monday the parcel leaves on Tuesday, arrives Wednesday."""
    reply = estimate(api, AA, "chrono_13", "FR", MONDAY_2PM)

    assert (reply["dispatch_on"], reply["delivery_earliest"]) == ("2026-11-24", "2026-11-25")


# --- AL-SHP-07 ----------------------------------------------------------------------------------

def test_AL_SHP_07_mondial_relay_serves_france_and_belgium_only(api):
    """"We deliver via Mondial Relay in France and Belgium"; "within 3 to 5 days from dispatch".\""""
    assert "mondial_relay" in methods(api, AL, "FR")
    assert "mondial_relay" in methods(api, AL, "BE")
    assert "mondial_relay" not in methods(api, AL, "DE")

    belgium = estimate(api, AL, "mondial_relay", "BE", MONDAY_10AM)
    assert belgium.status == 200, belgium
    assert (belgium["dispatch_on"], belgium["delivery_earliest"], belgium["delivery_latest"]) == (
        "2026-11-24", "2026-11-27", "2026-12-01")

    germany = estimate(api, AL, "mondial_relay", "DE", MONDAY_10AM)
    assert germany.status == 422, germany
    assert germany["code"] == "method_not_available_for_country"

    refused = order(api, AL, [("AL-TEE-BLK-M", 1)], now=MONDAY_10AM, method="mondial_relay", address=BERLIN)
    assert refused.status == 422, refused
    assert refused["code"] == "method_not_available_for_country"


def test_AL_SHP_07_chronopost_serves_france_only_with_a_2pm_cutoff_and_48_hours(api):
    """"Home delivery is via Chronopost within 48 hours if the order is placed before 2pm"; "Chronopost
    shipping is available in France.\""""
    assert "chronopost_home" in methods(api, AL, "FR")
    assert "chronopost_home" not in methods(api, AL, "BE")

    before = estimate(api, AL, "chronopost_home", "FR", MONDAY_1359)
    after = estimate(api, AL, "chronopost_home", "FR", MONDAY_2PM)

    assert (before["dispatch_on"], before["delivery_earliest"], before["delivery_latest"]) == (
        "2026-11-23", "2026-11-24", "2026-11-25")
    assert (after["dispatch_on"], after["delivery_earliest"], after["delivery_latest"]) == (
        "2026-11-24", "2026-11-25", "2026-11-26")


def test_AL_SHP_07_colissimo_delivers_2_to_3_days_after_dispatch_to_any_destination(api):
    """"Home delivery is via Colissimo within 2 to 3 days of dispatch"; "available to 220 destinations".
    Dispatch is within 24 working hours: Monday 10:00 -> Tuesday."""
    for country in ("FR", "DE", "JP"):
        reply = estimate(api, AL, "colissimo_home", country, MONDAY_10AM)
        assert reply.status == 200, reply
        assert (reply["dispatch_on"], reply["delivery_earliest"], reply["delivery_latest"]) == (
            "2026-11-24", "2026-11-26", "2026-11-27")


# --- AL-ORD-03 ----------------------------------------------------------------------------------

def test_AL_ORD_03_an_order_mixing_dates_ships_in_several_parcels(api):
    """"In the case of an order containing several pre-ordered items with different planned shipping dates,
    we will ship the order in several instalments": the in-stock line leaves first, the pre-order on its date."""
    team = staff(api, AL, now=MONDAY_10AM)
    placed = order(api, AL, [("AL-TEE-WHT-L", 1), ("AL-FLORA-BLU-M", 1)], now=MONDAY_10AM,
                   method="colissimo_home")
    assert placed.status == 201, placed
    number = placed["number"]
    ships_on = {line["sku"]: line["ships_on"] for line in placed["lines"]}
    assert ships_on == {"AL-TEE-WHT-L": "2026-11-24", "AL-FLORA-BLU-M": "2027-01-15"}
    line_id = {line["sku"]: line["id"] for line in placed["lines"]}

    first = api.post(f"/staff/brands/{AL}/orders/{number}/ship",
                     {"tracking_number": "6A0000000001", "line_ids": [line_id["AL-TEE-WHT-L"]]},
                     token=team, now=TUESDAY_9AM)
    assert first.status == 200, first
    assert first["status"] == "partially_shipped"
    assert {line["sku"]: line["shipped"] for line in first["lines"]} == {"AL-TEE-WHT-L": True,
                                                                         "AL-FLORA-BLU-M": False}

    later = datetime(2027, 1, 15, 9, 0, tzinfo=PARIS_TZ)
    rest = api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "6A0000000002"},
                    token=staff(api, AL, now=later), now=later)
    assert rest.status == 200, rest
    assert rest["status"] == "shipped"
    assert [s["tracking_number"] for s in rest["shipments"]] == ["6A0000000001", "6A0000000002"]
    assert all(line["shipped"] for line in rest["lines"])
    assert len(outbox("order_shipped", number)) == 2


def test_AL_ORD_03_a_line_shipped_twice_is_refused(api):
    """A parcel holds only lines not shipped yet: naming a shipped line again is an input error, nothing moves."""
    team = staff(api, AL, now=MONDAY_10AM)
    placed = order(api, AL, [("AL-TEE-WHT-L", 1), ("AL-FLORA-BLU-M", 1)], now=MONDAY_10AM,
                   method="colissimo_home")
    number = placed["number"]
    tee = next(line["id"] for line in placed["lines"] if line["sku"] == "AL-TEE-WHT-L")
    assert api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "A1", "line_ids": [tee]},
                    token=team, now=TUESDAY_9AM).status == 200

    again = api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "A2", "line_ids": [tee]},
                     token=team, now=TUESDAY_9AM)

    assert again.status == 422, again
    assert again["code"] == "line_not_in_order"
    after = api.get(f"/staff/brands/{AL}/orders/{number}", token=team, now=TUESDAY_9AM)
    assert after["status"] == "partially_shipped"
    assert len(after["shipments"]) == 1
