"""Gift cards and credit notes: check a balance, staff issue a card, a credit note's year of validity
(AL-PAY-01, AL-RFD-01). The checkout spends cards through the same services."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from comptoir.core.errors import Conflict
from comptoir.giftcards.models import StoredValueCard
from comptoir.giftcards.services import redeem
from comptoir.notifications.models import OutboxMessage
from comptoir.notifications.services import render_email
from factories import shopper, staff

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
ALME = "alme"


def issue(api, token, *, kind="gift_card", amount_minor=5000, email="lea@example.com", language="en", key="issue-1",
          brand=ALME, now=MONDAY_10AM):
    return api.post(f"/staff/brands/{brand}/gift-cards",
                    {"kind": kind, "amount_minor": amount_minor, "recipient_email": email, "language": language},
                    token=token, key=key, now=now)


def emailed_code(recipient: str) -> str:
    """The code as the recipient reads it in the e-mail (the only place it exists)."""
    return OutboxMessage.objects.get(template="gift_card_issued", recipient=recipient).context["card"]["code"]


def test_AL_PAY_01_staff_issue_an_e_gift_card_whose_code_is_emailed_not_answered(api):
    token = staff(api, ALME, now=MONDAY_10AM)

    issued = issue(api, token, amount_minor=5000, email="Lea@Example.com")

    assert issued.status == 201, issued
    assert {k: issued[k] for k in ("kind", "initial_minor", "balance_minor", "currency", "recipient_email")} == {
        "kind": "gift_card", "initial_minor": 5000, "balance_minor": 5000, "currency": "EUR",
        "recipient_email": "lea@example.com"}
    code = emailed_code("lea@example.com")
    assert code not in str(issued.body)
    assert issued["last4"] == code.replace("-", "")[-4:]


def test_AL_PAY_01_a_staff_issue_sent_twice_with_one_key_issues_one_card(api):
    token = staff(api, ALME, now=MONDAY_10AM)

    first = issue(api, token, key="same")
    again = issue(api, token, key="same")

    assert (first.status, again.status) == (201, 200)
    assert first["id"] == again["id"]
    assert StoredValueCard.objects.filter(recipient_email="lea@example.com").count() == 1


def test_AL_PAY_01_only_staff_of_the_brand_issue_cards(api):
    camille = shopper(api, ALME, now=MONDAY_10AM)
    other_staff = staff(api, "officine-generale", now=MONDAY_10AM)

    assert issue(api, None).status == 401
    assert issue(api, camille["token"]).status == 401
    assert issue(api, other_staff).status == 403
    assert not StoredValueCard.objects.exists()


def test_AL_PAY_01_a_brand_that_takes_no_gift_cards_issues_none(api):
    token = staff(api, "officine-generale", now=MONDAY_10AM)

    refused = issue(api, token, brand="officine-generale")

    assert refused.status == 409
    assert (refused["code"], refused["rule"]) == ("stored_value_not_accepted", "AL-PAY-01")


def test_AL_PAY_01_a_shopper_checks_the_balance_of_a_card_however_the_code_is_typed(api):
    issue(api, staff(api, ALME, now=MONDAY_10AM), amount_minor=10000)
    code = emailed_code("lea@example.com")

    checked = api.get(f"/brands/{ALME}/gift-cards/{code.replace('-', '').lower()}", now=MONDAY_10AM)

    assert checked.status == 200, checked
    assert checked.body == {"kind": "gift_card", "balance_minor": 10000, "currency": "EUR",
                            "expires_at": "2027-11-23T23:00:00Z", "last4": code[-4:]}


def test_AL_PAY_01_an_unknown_code_answers_the_same_404_as_a_code_of_another_brand(api):
    issue(api, staff(api, ALME, now=MONDAY_10AM))
    code = emailed_code("lea@example.com")

    unknown = api.get(f"/brands/{ALME}/gift-cards/AAAA-BBBB-CCCC-DDDD", now=MONDAY_10AM, lang="fr")
    foreign = api.get(f"/brands/officine-generale/gift-cards/{code}", now=MONDAY_10AM, lang="fr")

    assert unknown.status == foreign.status == 404
    assert unknown.body == foreign.body == {
        "code": "gift_card_not_found", "rule": None,
        "message": "Nous ne reconnaissons pas ce code de carte cadeau ou d'avoir. Vérifiez-le puis réessayez."}


def _spend_credit_note(code_card: StoredValueCard, *, amount_minor: int, now: datetime) -> int:
    with transaction.atomic():
        return redeem(code_card, amount_minor=amount_minor, order=None, idempotency_key=f"spend-{now.isoformat()}",
                      now=now)


def test_AL_RFD_01_a_credit_note_is_valid_one_year_after_issue_day_364_yes_day_366_no(api):
    """"The credit note is valid for 1 year from the date of issue, and can be used in instalments.\""""
    issue(api, staff(api, ALME, now=MONDAY_10AM), kind="credit_note", amount_minor=8000, language="fr")
    card = StoredValueCard.objects.get(recipient_email="lea@example.com")
    day_364, day_366 = MONDAY_10AM + timedelta(days=364), MONDAY_10AM + timedelta(days=366)

    assert _spend_credit_note(card, amount_minor=3000, now=day_364) == 3000
    with pytest.raises(Conflict) as refusal:
        _spend_credit_note(card, amount_minor=1000, now=day_366)

    refused = refusal.value
    balance = api.get(f"/brands/{ALME}/gift-cards/{emailed_code('lea@example.com')}", now=day_366)
    assert balance["kind"] == "credit_note" and balance["balance_minor"] == 5000
    assert (refused.code, refused.rule) == ("gift_card_expired", "AL-PAY-01")
    assert refused.message("fr") == ("Cette carte cadeau ou cet avoir était valable jusqu'au 2027-11-23 "
                                     "et ne peut plus être utilisé.")
    assert StoredValueCard.objects.get(pk=card.pk).balance_minor == 5000


def test_AL_RFD_01_the_credit_note_email_gives_the_code_the_amount_and_how_to_use_it(api):
    issue(api, staff(api, ALME, now=MONDAY_10AM), kind="credit_note", amount_minor=8000, language="fr")

    message = OutboxMessage.objects.get(template="gift_card_issued", recipient="lea@example.com")
    rendered = render_email(message.template, message.language, message.context)

    assert rendered.subject == "Votre avoir Almé Paris de 80,00 €"
    assert message.context["card"]["code"] in rendered.text
    assert "Valable jusqu'au 23 novembre 2027." in rendered.text
    assert "« Code promo ou carte cadeau »" in rendered.text
