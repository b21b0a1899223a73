"""The "Discount code or gift card" field at checkout: discount codes, e-gift cards and credit
notes, alone or combined with a card (AL-PAY-01, AL-PAY-07, ALL-RFD-06)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from comptoir.brands.models import Brand
from comptoir.discounts.models import DiscountCode
from comptoir.giftcards import services as giftcards
from comptoir.giftcards.models import StoredValueCard
from comptoir.notifications.models import OutboxMessage
from factories import DECLINED_CARD, PARIS, VISA, cart, checkout, staff

PARIS_TZ = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
DRESS = "AL-DRESS-BLK-S"  # €149.00


@pytest.fixture
def welcome_code(api):
    """BIENVENUE10: 10 % off from €80, created by Almé's staff through the API."""
    team = staff(api, "alme", now=NOW)
    created = api.post("/staff/brands/alme/discount-codes", {
        "code": "BIENVENUE10", "kind": "percentage", "percentage_basis_points": 1000,
        "starts_at": (NOW - timedelta(days=1)).isoformat(), "minimum_purchase_minor": 8000, "usage_limit": 100,
    }, token=team, now=NOW, key="create-bienvenue10")
    assert created.status == 201, created
    return "BIENVENUE10"


def gift_card(amount_minor: int, kind: str = "gift_card") -> str:
    _, code = giftcards.issue_card(
        Brand.objects.get(slug="alme"), kind=kind, amount_minor=amount_minor, recipient_email="gift@example.com",
        language="en", source_order=None, idempotency_key=f"test-{kind}-{amount_minor}", now=NOW,
    )
    return code


def balance(code: str) -> int:
    return giftcards.find_card(Brand.objects.get(slug="alme"), code).balance_minor


def test_AL_PAY_07_a_discount_code_entered_at_checkout_is_deducted(api, welcome_code):
    """"Enter your discount code in the 'Discount code or gift card' field: the discount will be deducted.\""""
    placed = checkout(api, "alme", cart(api, "alme", [(DRESS, 1)], now=NOW), now=NOW, method="colissimo_home",
                      codes=[welcome_code])
    assert placed.status == 201, placed
    assert placed["subtotal_minor"] == 14900
    assert placed["discount_minor"] == 1490
    assert placed["total_minor"] == 14900 - 1490 + 590
    assert DiscountCode.objects.get(code=welcome_code).times_used == 1


def test_AL_PAY_07_codes_are_exact_case_sensitive_and_without_spaces(api, welcome_code):
    """"Make sure you've entered the code correctly, without spaces and respecting upper and lower case.\""""
    bag = cart(api, "alme", [(DRESS, 1)], now=NOW)
    for typed in ("bienvenue10", " BIENVENUE10", "BIENVENUE 10"):
        refused = checkout(api, "alme", bag, now=NOW, method="colissimo_home", codes=[typed])
        assert (refused.status, refused["code"], refused["rule"]) == (422, "unknown_code", "AL-PAY-07")
    assert "upper and lower case" in refused["message"]


def test_AL_PAY_07_a_refused_code_names_the_condition_that_failed(api, welcome_code):
    """"Check the conditions of validity (dates, items concerned, minimum purchase...)\""""
    tee_bag = cart(api, "alme", [("AL-TEE-WHT-S", 1)], now=NOW)
    refused = checkout(api, "alme", tee_bag, now=NOW, method="colissimo_home", codes=[welcome_code])
    assert (refused.status, refused["code"]) == (422, "discount_minimum_purchase")
    assert "€80.00" in refused["message"]
    french = api.post(f"/brands/alme/carts/{tee_bag}/checkout", {
        "shipping_address": PARIS, "shipping_method": "colissimo_home", "email": "a@example.com",
        "payment": {"method": "card", "card": VISA}, "codes": [welcome_code]}, now=NOW, key="fr-1", lang="fr")
    assert "80,00" in french["message"]
    assert DiscountCode.objects.get(code=welcome_code).times_used == 0


def test_AL_PAY_01_a_gift_card_pays_part_and_the_card_pays_the_rest(api):
    """"You can pay for your order ... by e-gift card": combined with a card, the card pays the rest."""
    code = gift_card(5000)
    placed = checkout(api, "alme", cart(api, "alme", [(DRESS, 1)], now=NOW), now=NOW, method="colissimo_home",
                      codes=[code])
    assert placed.status == 201, placed
    tenders = {(p["method"], p["amount_minor"], p["status"]) for p in placed["payments"]}
    assert tenders == {("gift_card", 5000, "captured"), ("card", 14900 + 590 - 5000, "captured")}
    assert placed["status"] == "confirmed"
    assert balance(code) == 0


def test_AL_PAY_01_a_gift_card_used_in_several_goes(api):
    """"The credit note ... can be used in instalments": what is left stays on the card."""
    code = gift_card(30000, kind="credit_note")
    first = checkout(api, "alme", cart(api, "alme", [(DRESS, 1)], now=NOW), now=NOW, method="colissimo_home",
                     codes=[code], card=None, payment_method=None)
    assert first.status == 201, first
    assert [(p["method"], p["amount_minor"]) for p in first["payments"]] == [("credit_note", 15490)]
    assert first["status"] == "confirmed"
    assert balance(code) == 30000 - 15490
    second = checkout(api, "alme", cart(api, "alme", [(DRESS, 1)], now=NOW), now=NOW, method="colissimo_home",
                      codes=[code])
    assert second.status == 201, second
    assert balance(code) == 0


def test_a_refused_card_gives_the_gift_card_and_the_discount_back(api, welcome_code):
    """Nothing is lost when the card part is refused: the gift card is credited back, the code reusable."""
    code = gift_card(5000)
    bag = cart(api, "alme", [(DRESS, 1)], now=NOW)
    refused = checkout(api, "alme", bag, now=NOW, method="colissimo_home", codes=[code, welcome_code],
                       card=DECLINED_CARD)
    assert (refused.status, refused["code"]) == (402, "card_declined")
    assert balance(code) == 5000
    assert DiscountCode.objects.get(code=welcome_code).times_used == 0
    retried = checkout(api, "alme", bag, now=NOW, method="colissimo_home", codes=[code, welcome_code])
    assert retried.status == 201, retried
    assert balance(code) == 0


def test_AL_PAY_07_only_one_discount_code_per_order(api, welcome_code):
    """One discount code per order; a second is refused by name."""
    team = staff(api, "alme", now=NOW)
    api.post("/staff/brands/alme/discount-codes", {
        "code": "HIVER15", "kind": "fixed_amount", "amount_minor": 1500, "starts_at": NOW.isoformat()},
        token=team, now=NOW, key="create-hiver15")
    refused = checkout(api, "alme", cart(api, "alme", [(DRESS, 1)], now=NOW), now=NOW, method="colissimo_home",
                       codes=[welcome_code, "HIVER15"])
    assert (refused.status, refused["code"]) == (422, "too_many_discount_codes")


def test_AL_PAY_01_buying_an_e_gift_card_emails_its_code(api):
    """"By e-gift card": buying one issues a card whose code arrives by e-mail; nothing is shipped."""
    placed = checkout(api, "alme", cart(api, "alme", [("AL-GIFT-50", 1)], now=NOW), now=NOW, method=None,
                      email="giver@example.com")
    assert placed.status == 201, placed
    assert placed["shipping_minor"] == 0 and placed["vat_minor"] == 0 and placed["total_minor"] == 5000
    assert placed["status"] == "delivered"
    card = StoredValueCard.objects.get(source_order__number=placed["number"])
    assert (card.kind, card.balance_minor, card.recipient_email) == ("gift_card", 5000, "giver@example.com")
    mail = OutboxMessage.objects.get(template="gift_card_issued", recipient="giver@example.com")
    assert mail.context  # the code travels only in the e-mail
