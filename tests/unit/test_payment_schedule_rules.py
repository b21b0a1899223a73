"""Pure rules of scheduled charges and bank statements: no database, explicit dates."""

from datetime import date, datetime, timedelta, timezone

import pytest

from comptoir.brands.presets import bundled_preset_folders, read_preset
from comptoir.payments.bank_statements import StatementError, find_order_number, parse_amount, read_statement
from comptoir.payments.rules import after_refusal, plan_charges, reduce_amounts
from comptoir.psp_sandbox.credit import assess_credit

NOW = datetime(2026, 12, 23, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def alme():
    return next(read_preset(f).policy for f in bundled_preset_folders() if f.name == "alme")


def test_AL_PAY_01_three_instalments_every_30_days_the_first_taking_the_odd_cents(alme):
    """AL-PAY-01 "By payment in 3 instalments"."""
    plan = plan_charges(alme, "instalments_3", 10001, date(2026, 11, 23))

    assert [(c.sequence, c.due_on, c.amount_minor) for c in plan] == [
        (1, date(2026, 11, 23), 3335), (2, date(2026, 12, 23), 3333), (3, date(2027, 1, 22), 3333)]


@pytest.mark.parametrize("method, due_on", [("deferred_15", date(2026, 12, 8)), ("deferred_30", date(2026, 12, 23))])
def test_AL_PAY_04_a_deferred_payment_is_one_charge_of_everything_at_the_deadline(alme, method, due_on):
    """AL-PAY-04 "what is not returned within 15 or 30 days is charged automatically"."""
    assert [(c.due_on, c.amount_minor) for c in plan_charges(alme, method, 11490, date(2026, 11, 23))] == [
        (due_on, 11490)]


def test_AL_PAY_01_a_refused_charge_is_retried_until_the_last_attempt_then_fails(alme):
    """AL-PAY-01: retried after 3 days, three tries in all (assumed), then escalated."""
    assert after_refusal(alme, 1, NOW).retry_at == NOW + timedelta(days=3)
    assert after_refusal(alme, 2, NOW).failed is False
    assert after_refusal(alme, 3, NOW).failed is True


@pytest.mark.parametrize("amounts, reduction, expected", [
    ([3333, 3333], 1000, [2833, 2833]),
    ([3333, 3333], 1001, [2832, 2833]),  # proportional, the amounts still summing exactly
    ([3333, 3333], 6666, [0, 0]),
    ([3333, 3333], 9000, [0, 0]),  # more than owed: all cancelled, the caller refunds the rest
    ([11490], 4500, [6990]),  # AL-RFD-05: one item returned before the deferred deadline
    ([1, 9999], 9999, [0, 1]),
])
def test_AL_RFD_04_a_reduction_lowers_the_remaining_charges_without_going_below_zero(amounts, reduction, expected):
    """AL-RFD-04 "a smaller one re-schedules the remaining instalments"."""
    after = reduce_amounts(amounts, reduction)

    assert after == expected
    assert all(a >= 0 for a in after)
    assert sum(amounts) - sum(after) == min(reduction, sum(amounts))


@pytest.mark.parametrize("text, minor", [
    ("120,50", 12050), ("120.50", 12050), ("1 234,56", 123456), ("1,234.56", 123456), ("1.234,56", 123456),
    ("120", 12000), ("120,5", 12050), ("-12,00", -1200), ("€ 15", 1500), ("1,234", 123400),
    ("abc", None), ("", None), ("12,345,67", 1234567),
])
def test_AA_PAY_03_statement_amounts_read_with_a_dot_or_a_comma(text, minor):
    """AA-PAY-03 statement import: amounts in euros as French and English banks write them."""
    assert parse_amount(text, "EUR") == minor


def test_AA_PAY_03_the_order_number_is_found_inside_a_bank_reference():
    """AA-PAY-03 "the order confirmation number is the payment reference" (banks add their own words)."""
    assert find_order_number("VIR SEPA aa-abcd2345 MARTIN", "AA") == "AA-ABCD2345"
    assert find_order_number("AA-ABCD2345", "AA") == "AA-ABCD2345"
    assert find_order_number("XAA-ABCD2345", "AA") is None
    assert find_order_number("AA-ABCD23456", "AA") is None
    assert find_order_number("no reference", "AA") is None


def test_AA_PAY_03_identical_statement_lines_get_distinct_fingerprints_stable_across_imports():
    """AA-PAY-03: the same statement imported twice yields the same keys; two equal lines stay two."""
    text = "date;amount;reference\n2026-11-25;30,00;AA-ABCD2345\n2026-11-25;30,00;AA-ABCD2345\n"

    first, again = read_statement(text, "EUR"), read_statement("\ufeff" + text, "EUR")

    assert [line.fingerprint for line in first] == [line.fingerprint for line in again]
    assert first[0].fingerprint != first[1].fingerprint
    with pytest.raises(StatementError):
        read_statement("date;reference\n", "EUR")


@pytest.mark.parametrize("amount, email, card, approved", [
    (150_000, "a@example.com", "4242424242424242", True),
    (150_001, "a@example.com", "4242424242424242", False),
    (10_000, "a+declined@example.com", "4242424242424242", False),
    (10_000, "declined@example.com", "4242424242424242", True),
    (10_000, "a@example.com", "4000 0000 0000 0341", False),
])
def test_AL_PAY_05_the_sandbox_credit_provider_decides_deterministically(amount, email, card, approved):
    """AL-PAY-05 "subject to the provider's credit check, which may reject the request"."""
    decision = assess_credit(amount_minor=amount, currency="EUR", email=email, card_number=card, method="instalments_3")

    assert decision.approved is approved
