"""Pure gift card rules and codes: no database, time passed in (AL-PAY-01, AL-RFD-01)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from comptoir.giftcards import codes
from comptoir.giftcards.rules import amount_to_redeem, check_redeemable, expiry

PARIS = ZoneInfo("Europe/Paris")
ISSUED = datetime(2026, 11, 23, 16, 0, tzinfo=PARIS)
EXPIRES = expiry(issued_at=ISSUED, validity_days=365, tz=PARIS)


def check(now, *, balance_minor=5000, currency="EUR", order_currency="EUR"):
    return check_redeemable(kind="credit_note", balance_minor=balance_minor, currency=currency, expires_at=EXPIRES,
                            order_currency=order_currency, now=now)


def test_AL_RFD_01_valid_all_of_the_anniversary_day_and_not_a_second_longer():
    assert EXPIRES == datetime(2027, 11, 24, 0, 0, tzinfo=PARIS)
    assert check(datetime(2027, 11, 23, 23, 59, 59, tzinfo=PARIS))
    refused = check(EXPIRES)
    assert (refused.code, refused.rule, refused.params) == ("gift_card_expired", "AL-PAY-01",
                                                           {"valid_until": "2027-11-23"})


def test_AL_PAY_01_refusals_name_the_condition_that_failed():
    now = ISSUED + timedelta(days=1)
    assert check(now, balance_minor=0).code == "gift_card_empty"
    assert check(now, order_currency="CHF").code == "gift_card_wrong_currency"
    assert check(now).allowed


def test_a_card_pays_what_is_due_or_all_it_holds():
    assert amount_to_redeem(5000, 3000) == 3000
    assert amount_to_redeem(5000, 8000) == 5000
    assert amount_to_redeem(0, 8000) == 0


def test_codes_are_16_unambiguous_characters_in_four_groups_and_typed_any_way():
    code = codes.generate_code()
    raw = codes.normalise(code)
    assert len(raw) == 16 and set(raw) <= set(codes.ALPHABET) and not set("0O1IL") & set(raw)
    assert code == "-".join([raw[:4], raw[4:8], raw[8:12], raw[12:]])
    typed = f" {raw[:8].lower()} - {raw[8:]} "
    assert codes.hash_code(typed) == codes.hash_code(code)
    assert codes.generate_code() != code
