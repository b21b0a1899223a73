"""Orders: statuses, confirmation, cancellation and changes, as each brand's FAQ promises."""

from datetime import datetime
from zoneinfo import ZoneInfo

from comptoir.catalog.models import Variant
from comptoir.notifications.models import OutboxMessage
from factories import order, shopper, staff

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
MONDAY_2PM = datetime(2026, 11, 23, 14, 0, tzinfo=PARIS_TZ)


def stock(sku: str) -> int:
    return Variant.objects.get(sku=sku).stock


def test_OG_ORD_02_confirmation_asks_the_bank_for_a_preauthorisation(api):
    """"When your order is being confirmed, we ask your bank for a preauthorisation.\""""
    camille = shopper(api, "officine-generale", now=MONDAY_10AM)
    placed = order(api, "officine-generale", [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM,
                   method="colissimo_expert", token=camille["token"])
    assert placed.status == 201, placed
    assert placed["status"] == "awaiting_confirmation"
    assert placed["payments"][0]["status"] == "card_registered"

    team = staff(api, "officine-generale", now=MONDAY_10AM)
    confirmed = api.post(f"/staff/brands/officine-generale/orders/{placed['number']}/confirm", token=team,
                         now=MONDAY_10AM)
    assert confirmed.status == 200, confirmed
    assert confirmed["status"] == "confirmed"
    assert confirmed["payments"][0]["status"] == "authorised"
    assert confirmed["dispatch_due_on"] == "2026-11-23"


# The helpers below come after the first example so that it stays untouched.
from datetime import timedelta  # noqa: E402

from comptoir.orders.models import Order  # noqa: E402
from factories import (  # noqa: E402
    GENEVA, LATER_REFUSED_CARD, OSLO, ZURICH, pass_challenge, staff_move, stock_of,
)

OG = "officine-generale"
AA = "audrey-alexandre"
AL = "alme"


def paris(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS_TZ)


def og_order(api, *, now, sku="OG-SHIRT-OXF-BLU-M", card=None, **kw):
    camille = shopper(api, OG, now=now)
    extra = {"card": card} if card else {}
    placed = order(api, OG, [(sku, 1)], now=now, method=kw.pop("method", "colissimo_expert"),
                   token=camille["token"], email=camille["email"], **extra, **kw)
    assert placed.status == 201, placed
    return placed


def aa_paid_order(api, *, now, sku="AA-WALLET-BLK"):
    placed = order(api, AA, [(sku, 1)], now=now, method="chrono_13")
    paid = pass_challenge(api, AA, placed, now=now + timedelta(minutes=1))
    assert paid.status == 200, paid
    return placed, paid


def outbox(template: str, recipient: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=template, recipient=recipient))


# --- OG-ORD-01 / OG-ORD-02 ---------------------------------------------------------------------------

def test_OG_ORD_01_an_order_goes_through_its_statuses_in_order(api):
    """"waiting for confirmation", "confirmed", "being prepared", "shipped\""""
    placed = og_order(api, now=MONDAY_10AM)
    team = staff(api, OG, now=MONDAY_10AM)
    assert (placed["status"], placed["status_label"]) == ("awaiting_confirmation", "waiting for confirmation")

    steps = [staff_move(api, OG, team, placed["number"], move, now=MONDAY_10AM + timedelta(minutes=n))
             for n, move in enumerate(("confirm", "prepare", "ship"), start=1)]

    assert [(s.status, s["status"], s["status_label"]) for s in steps] == [
        (200, "confirmed", "confirmed"), (200, "preparing", "being prepared"), (200, "shipped", "shipped"),
    ]


def test_OG_ORD_01_the_shopper_reads_the_status_in_french(api):
    """"En attente de confirmation\", then "En cours de préparation\", as "my orders" shows it."""
    placed = og_order(api, now=MONDAY_10AM)
    team = staff(api, OG, now=MONDAY_10AM)
    path = f"/brands/{OG}/orders/{placed['number']}"

    waiting = api.get(path, query={"token": placed["access_token"]}, now=MONDAY_10AM, lang="fr")
    staff_move(api, OG, team, placed["number"], "confirm", now=MONDAY_10AM)
    staff_move(api, OG, team, placed["number"], "prepare", now=MONDAY_10AM)
    preparing = api.get(path, query={"token": placed["access_token"]}, now=MONDAY_10AM, lang="fr")

    assert waiting["status_label"] == "en attente de confirmation"
    assert preparing["status_label"] == "en cours de préparation"


def test_OG_ORD_01_an_order_cannot_skip_a_status(api):
    """The statuses follow each other: an order waiting for confirmation cannot be prepared."""
    placed = og_order(api, now=MONDAY_10AM)
    team = staff(api, OG, now=MONDAY_10AM)

    skipped = staff_move(api, OG, team, placed["number"], "prepare", now=MONDAY_10AM)

    assert (skipped.status, skipped["code"]) == (409, "illegal_transition")
    assert Order.objects.get(number=placed["number"]).status == "awaiting_confirmation"


def test_OG_ORD_02_a_refused_preauthorisation_refuses_the_order(api):
    """"If it is not granted, we are obliged to refuse your order and it will not be processed any further.\""""
    before = stock_of("OG-SHIRT-OXF-BLU-M")
    placed = og_order(api, now=MONDAY_10AM, card=LATER_REFUSED_CARD)
    assert placed["payments"][0]["status"] == "card_registered"
    assert stock_of("OG-SHIRT-OXF-BLU-M") == before - 1
    team = staff(api, OG, now=MONDAY_10AM)

    refused = staff_move(api, OG, team, placed["number"], "confirm", now=MONDAY_2PM)

    assert refused.status == 200, refused
    assert (refused["status"], refused["status_label"]) == ("refused", "refused")
    assert (refused["payments"][0]["status"], refused["payments"][0]["refusal_code"]) == ("refused", "card_declined")
    assert stock_of("OG-SHIRT-OXF-BLU-M") == before
    assert len(outbox("order_refused", placed["email"])) == 1
    assert outbox("order_confirmed", placed["email"]) == []


def test_OG_ORD_02_a_refused_order_goes_no_further(api):
    """"... and it will not be processed any further.\""""
    placed = og_order(api, now=MONDAY_10AM, card=LATER_REFUSED_CARD)
    team = staff(api, OG, now=MONDAY_10AM)
    staff_move(api, OG, team, placed["number"], "confirm", now=MONDAY_2PM)

    moves = [staff_move(api, OG, team, placed["number"], move, now=MONDAY_2PM)
             for move in ("confirm", "prepare", "ship", "cancel")]

    assert [(m.status, m["code"]) for m in moves] == [(409, "illegal_transition")] * 3 + [
        (409, "cancel_after_dispatch")]
    assert Order.objects.get(number=placed["number"]).status == "refused"


# --- OG-ORD-03 / AA-ORD-03 / AL-ORD-03 on real orders -----------------------------------------------

def og_dispatch_date(api, *, placed_at, confirmed_at) -> str:
    placed = og_order(api, now=placed_at)
    team = staff(api, OG, now=placed_at)
    confirmed = staff_move(api, OG, team, placed["number"], "confirm", now=confirmed_at)
    assert confirmed.status == 200, confirmed
    return confirmed["dispatch_due_on"]


def test_OG_ORD_03_confirmed_before_noon_ships_the_same_day(api):
    """"All orders that we confirm before 12am, Monday through Friday, will be ... shipped the same day.\""""
    assert og_dispatch_date(api, placed_at=paris(23, 9), confirmed_at=paris(23, 11, 59)) == "2026-11-23"


def test_OG_ORD_03_confirmed_at_noon_or_after_ships_the_next_working_day(api):
    """"Orders we confirm after 12am will be processed and shipped the next working day.\""""
    assert og_dispatch_date(api, placed_at=paris(23, 9), confirmed_at=paris(23, 12)) == "2026-11-24"
    assert og_dispatch_date(api, placed_at=paris(27, 9), confirmed_at=paris(27, 15)) == "2026-11-30"


def test_OG_ORD_03_confirmed_on_saturday_ships_monday(api):
    """"Orders place on Saturdays, Sundays or public holidays will be ... shipped the next working day.\""""
    assert og_dispatch_date(api, placed_at=paris(28, 9), confirmed_at=paris(28, 10)) == "2026-11-30"


def test_OG_ORD_03_confirmed_on_a_public_holiday_ships_the_next_working_day(api):
    """"... or public holidays\": 11 November (Armistice) 2026 is a Wednesday."""
    assert og_dispatch_date(api, placed_at=paris(11, 9), confirmed_at=paris(11, 10)) == "2026-11-12"


def test_OG_ORD_03_the_date_counts_from_confirmation_not_placement(api):
    """"All orders that we confirm before 12am\": an order placed Monday afternoon, confirmed Tuesday at 1 pm."""
    placed = og_order(api, now=MONDAY_2PM)
    assert placed["dispatch_due_on"] == "2026-11-24"
    team = staff(api, OG, now=MONDAY_2PM)

    confirmed = staff_move(api, OG, team, placed["number"], "confirm", now=paris(24, 13))

    assert confirmed["dispatch_due_on"] == "2026-11-25"


def aa_promise(api, placed_at) -> tuple[str, str]:
    _, paid = aa_paid_order(api, now=placed_at)
    assert paid["delivery_earliest_on"] == paid["delivery_latest_on"]
    return paid["dispatch_due_on"], paid["delivery_latest_on"]


def test_AA_ORD_03_ordered_before_noon_on_a_business_day_arrives_next_working_day(api):
    """"If you place your order before noon on a business day, you will receive your package the next working day by 1PM\""""
    assert aa_promise(api, paris(23, 10)) == ("2026-11-23", "2026-11-24")
    assert aa_promise(api, paris(27, 11)) == ("2026-11-27", "2026-11-30")


def test_AA_ORD_03_ordered_after_noon_or_on_saturday_takes_one_more_working_day(api):
    """"Your order will be in process for 1 (one) working day if you placed your order before noon.\""""
    assert aa_promise(api, paris(23, 14)) == ("2026-11-24", "2026-11-25")
    assert aa_promise(api, paris(28, 10)) == ("2026-11-30", "2026-12-01")


def test_AL_ORD_03_orders_ship_within_24_working_hours(api):
    """"We ship orders within 24 hours, working days\""""
    monday = order(api, AL, [("AL-TEE-WHT-M", 1)], now=MONDAY_2PM, method="colissimo_home")
    friday = order(api, AL, [("AL-TEE-WHT-M", 1)], now=paris(27, 15), method="colissimo_home")
    saturday = order(api, AL, [("AL-TEE-WHT-M", 1)], now=paris(28, 10), method="colissimo_home")

    assert monday["dispatch_due_on"] == "2026-11-24"
    assert friday["dispatch_due_on"] == "2026-11-30"
    assert saturday["dispatch_due_on"] == "2026-11-30"


def test_AL_ORD_03_preorder_and_in_stock_lines_ship_on_different_dates(api):
    """"except for pre-order items for which the shipping date is stipulated on the product sheets\""""
    placed = order(api, AL, [("AL-TEE-WHT-M", 1), ("AL-FLORA-BLU-S", 1)], now=MONDAY_2PM, method="colissimo_home")

    assert placed.status == 201, placed
    assert {line["sku"]: line["ships_on"] for line in placed["lines"]} == {
        "AL-TEE-WHT-M": "2026-11-24", "AL-FLORA-BLU-S": "2027-01-15",
    }
    assert placed["dispatch_due_on"] == "2026-11-24"


def test_AL_ORD_03_an_order_mixing_dates_ships_in_several_parcels(api):
    """"we will ship the order in several instalments.\""""
    placed = order(api, AL, [("AL-TEE-WHT-M", 1), ("AL-FLORA-BLU-S", 1)], now=MONDAY_2PM, method="colissimo_home")
    lines = {line["sku"]: line["id"] for line in placed["lines"]}
    team = staff(api, AL, now=MONDAY_2PM)

    first = staff_move(api, AL, team, placed["number"], "ship", now=paris(24, 10),
                       body={"tracking_number": "6A111", "line_ids": [lines["AL-TEE-WHT-M"]]})
    january_15 = datetime(2027, 1, 15, 10, 0, tzinfo=PARIS_TZ)
    second = staff_move(api, AL, staff(api, AL, now=january_15), placed["number"], "ship", now=january_15,
                        body={"tracking_number": "6A222"})

    assert (first.status, first["status"]) == (200, "partially_shipped")
    assert (second.status, second["status"]) == (200, "shipped")
    assert [s["tracking_number"] for s in second["shipments"]] == ["6A111", "6A222"]


# --- ALL-ORD-04 --------------------------------------------------------------------------------------

def test_ALL_ORD_04_alme_queues_the_confirmation_e_mail_once_paid(api):
    """"A confirmation e-mail is sent once the order is confirmed / paid.\""""
    placed = order(api, AL, [("AL-TEE-WHT-M", 1)], now=MONDAY_10AM, method="colissimo_home", email="lea@example.com")

    mails = outbox("order_confirmed", "lea@example.com")

    assert len(mails) == 1
    assert (mails[0].brand_slug, mails[0].context["order"]["number"]) == (AL, placed["number"])


def test_ALL_ORD_04_audrey_alexandre_confirms_by_e_mail_only_after_3d_secure(api):
    """"You will receive a confirmation e-mail once your payment has been completed.\""""
    placed = order(api, AA, [("AA-WALLET-BLK", 1)], now=MONDAY_10AM, method="chrono_13", email="ines@example.com")
    assert outbox("order_confirmed", "ines@example.com") == []

    pass_challenge(api, AA, placed, now=MONDAY_10AM + timedelta(minutes=1))

    assert [m.context["order"]["number"] for m in outbox("order_confirmed", "ines@example.com")] == [placed["number"]]


def test_ALL_ORD_04_officine_generale_confirms_by_e_mail_when_staff_confirm(api):
    """The confirmation e-mail goes once OG has confirmed the order, not at placement."""
    placed = og_order(api, now=MONDAY_10AM)
    assert outbox("order_confirmed", placed["email"]) == []
    assert len(outbox("order_received", placed["email"])) == 1

    staff_move(api, OG, staff(api, OG, now=MONDAY_10AM), placed["number"], "confirm", now=MONDAY_10AM)

    assert len(outbox("order_confirmed", placed["email"])) == 1


def test_ALL_ORD_04_my_orders_lists_every_order_with_its_status_and_no_one_elses(api):
    """"You can see every order and its status in "my orders".\""""
    lea = shopper(api, AL, now=MONDAY_10AM, first_name="Lea")
    zoe = shopper(api, AL, now=MONDAY_10AM, first_name="Zoe")
    first = order(api, AL, [("AL-TEE-WHT-M", 1)], now=MONDAY_10AM, method="colissimo_home", token=lea["token"])
    second = order(api, AL, [("AL-JEAN-BLU-38", 1)], now=MONDAY_2PM, method="colissimo_home", token=lea["token"])
    theirs = order(api, AL, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM, method="colissimo_home", token=zoe["token"])
    api.post(f"/brands/{AL}/orders/{first['number']}/cancel", token=lea["token"], now=MONDAY_2PM)

    mine = api.get(f"/brands/{AL}/orders", token=lea["token"], now=MONDAY_2PM, lang="en")

    assert mine["count"] == 2
    assert [(o["number"], o["status"], o["status_label"]) for o in mine["results"]] == [
        (second["number"], "confirmed", "confirmed"), (first["number"], "cancelled", "cancelled"),
    ]
    peek = api.get(f"/brands/{AL}/orders/{theirs['number']}", token=lea["token"], now=MONDAY_2PM)
    assert (peek.status, peek["code"]) == (404, "not_found")
    assert api.get(f"/brands/{AL}/orders", now=MONDAY_2PM).status == 401


# --- OG-ORD-07 / AL-ORD-07 ---------------------------------------------------------------------------

def test_OG_ORD_07_prices_shown_for_switzerland_and_norway_exclude_vat(api):
    """"All our shipments to countries outside the European Union (including Switzerland and Norway) are shipped net of VAT.\""""
    def shirt(country):
        page = api.get(f"/brands/{OG}/products", query={"country": country, "limit": 100}, now=MONDAY_10AM)
        return next(p for p in page["results"] if p["slug"] == "gaspard-oxford-shirt")

    assert (shirt("CH")["price_minor"], shirt("CH")["prices_include_vat"]) == (15417, False)
    assert (shirt("NO")["price_minor"], shirt("NO")["prices_include_vat"]) == (15417, False)
    assert (shirt("FR")["price_minor"], shirt("FR")["prices_include_vat"]) == (18500, True)
    assert shirt("DE")["price_minor"] == 18500


def test_OG_ORD_07_an_order_to_switzerland_is_net_of_vat(api):
    """"... shipped net of VAT.\" 185.00 incl. VAT is 154.17, shipping 25.00 is 20.83."""
    placed = og_order(api, now=MONDAY_10AM, address=GENEVA, method="so_colissimo_international")

    assert [line["unit_price_minor"] for line in placed["lines"]] == [15417]
    assert (placed["subtotal_minor"], placed["shipping_minor"], placed["total_minor"]) == (15417, 2083, 17500)
    assert (placed["vat_minor"], placed["prices_include_vat"]) == (0, False)


def test_OG_ORD_07_an_order_to_norway_is_net_of_vat(api):
    """"(including Switzerland and Norway)\""""
    placed = og_order(api, now=MONDAY_10AM, address=OSLO, method="ups_express_saver")

    assert (placed["subtotal_minor"], placed["shipping_minor"], placed["total_minor"]) == (15417, 2917, 18334)
    assert (placed["vat_minor"], placed["prices_include_vat"]) == (0, False)


def test_OG_ORD_07_a_french_order_includes_vat(api):
    """Inside the EU prices include VAT: 185.00 + 8.00 shipping, of which VAT 193.00 − 160.83."""
    placed = og_order(api, now=MONDAY_10AM)

    assert (placed["total_minor"], placed["prices_include_vat"]) == (19300, True)
    assert placed["vat_minor"] == 19300 - round(19300 / 1.2) == 3217


def test_AL_ORD_07_an_order_abroad_is_net_of_vat_and_duties_are_paid_on_delivery(api):
    """"customs clearance fees must be paid when the package is collected from customs\" (art. 293 A CGI)."""
    placed = order(api, AL, [("AL-TEE-WHT-M", 1)], now=MONDAY_10AM, method="colissimo_home", address=ZURICH,
                   email="nora@example.ch")

    assert placed.status == 201, placed
    assert (placed["total_minor"], placed["vat_minor"], placed["prices_include_vat"]) == (3750 + 1658, 0, False)
    [mail] = outbox("order_confirmed", "nora@example.ch")
    assert mail.context["order"]["tax_note"] == "net of VAT; import duties and taxes are payable on delivery"


def test_AL_ORD_07_the_duties_note_is_in_french_for_a_french_speaker(api):
    """"les frais de dédouanement sont à régler\" au retrait du colis (art. 293 A CGI)."""
    order(api, AL, [("AL-TEE-WHT-M", 1)], now=MONDAY_10AM, method="colissimo_home", address=ZURICH,
          email="noemie@example.ch", language="fr")

    [mail] = outbox("order_confirmed", "noemie@example.ch")
    assert mail.context["order"]["tax_note"] == "hors TVA ; droits et taxes d'importation à régler à la livraison"


def test_AL_ORD_07_a_french_order_shows_vat_included(api):
    """In France prices include VAT: the e-mail says so, with no duties."""
    order(api, AL, [("AL-TEE-WHT-M", 1)], now=MONDAY_10AM, method="colissimo_home", email="paul@example.fr")

    [mail] = outbox("order_confirmed", "paul@example.fr")
    assert mail.context["order"]["tax_note"] == "incl. VAT €8.48"
