"""Pure payout rules: IBAN check digits, the date a transfer is recorded as sent, its age."""

from datetime import date

import pytest

from comptoir.payouts.rules import age_in_days, check_iban, check_sent_on, normalise_iban


@pytest.mark.parametrize("text", ["FR76 3000 6000 0112 3456 7890 189", "de89 3704 0044 0532 0130 00",
                                  "GB82WEST12345698765432"])
def test_a_well_formed_iban_is_accepted_whatever_its_spacing_and_case(text):
    assert check_iban(normalise_iban(text)).allowed


@pytest.mark.parametrize("text", ["FR76 3000 6000 0112 3456 7890 180", "FR76", "7630006000011234567890189XX",
                                  "FR76 3000 6000 0112 3456 7890 18é", ""])
def test_a_wrong_iban_is_refused_with_its_code(text):
    decision = check_iban(normalise_iban(text))
    assert (decision.allowed, decision.code) == (False, "iban_invalid")


def test_a_transfer_is_sent_between_the_day_it_was_asked_for_and_today():
    opened, today = date(2026, 11, 20), date(2026, 11, 25)
    assert check_sent_on(date(2026, 11, 20), opened_on=opened, today=today).allowed
    assert check_sent_on(date(2026, 11, 25), opened_on=opened, today=today).allowed
    assert check_sent_on(date(2026, 11, 26), opened_on=opened, today=today).code == "payout_sent_on_in_future"
    assert check_sent_on(date(2026, 11, 19), opened_on=opened, today=today).code == "payout_sent_on_before_opened"


def test_age_counts_whole_days_in_the_brand_calendar():
    assert age_in_days(date(2026, 11, 20), date(2026, 11, 25)) == 5
    assert age_in_days(date(2026, 11, 25), date(2026, 11, 25)) == 0
