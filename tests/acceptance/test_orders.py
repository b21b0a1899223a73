"""Orders: statuses, confirmation, cancellation and changes, as each brand's FAQ promises."""

from datetime import datetime
from zoneinfo import ZoneInfo

from comptoir.catalog.models import Variant
from comptoir.notifications.models import OutboxMessage
from factories import PARIS, checkout, cart, order, shopper, staff

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
