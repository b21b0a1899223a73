"""Discount-code rules without a database (AL-PAY-07, AL-LOY-05)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from comptoir.brands.policy import ReductionsPolicy
from comptoir.discounts.rules import (
    DiscountFacts, LineFacts, check_combination, check_discount, discount_amount, is_eligible,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
CODE = DiscountFacts(
    code="BIENVENUE10", kind="percentage", percentage_basis_points=1000, amount_minor=None,
    starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=30), eligible_categories=(), eligible_skus=(),
    minimum_purchase_minor=0, usage_limit=None, times_used=0, usage_limit_per_customer=None, is_active=True,
    currency="EUR",
)
FIXED = replace(CODE, code="HIVER15", kind="fixed_amount", percentage_basis_points=None, amount_minor=1500)
DRESS = LineFacts("AL-DRESS-BLK-S", "dresses", 14900)
JUMPER = LineFacts("AL-MOHAIR-ECR-M-L", "knitwear", 12900)
TEE = LineFacts("AL-TEE-WHT-S", "t-shirts", 3500)
GIFT_CARD = LineFacts("AL-GIFT-100", "gift-cards", 10000, discountable=False)


def check(discount, lines, customer_uses=0, now=NOW):
    return check_discount(discount, lines, customer_uses=customer_uses, now=now)


# --- Validity conditions: each refusal names its condition --------------------------------------------

def test_AL_PAY_07_a_valid_code_on_a_bag_is_allowed():
    """"validity conditions are dates, eligible items and minimum purchase" — all met: allowed."""
    assert check(CODE, [DRESS]).allowed


def test_AL_PAY_07_a_code_before_its_start_says_when_it_starts():
    """"a refused code says which condition failed": not yet valid, with its start."""
    starts = NOW + timedelta(days=8)
    decision = check(replace(CODE, starts_at=starts), [DRESS])
    assert (decision.allowed, decision.code, decision.rule, decision.params) == (
        False, "discount_not_started", "AL-PAY-07", {"starts_at": starts})


def test_AL_PAY_07_a_code_is_valid_from_its_start_instant():
    """"validity conditions are dates": the start instant itself is inside."""
    assert check(replace(CODE, starts_at=NOW), [DRESS]).allowed


def test_AL_PAY_07_a_code_is_expired_from_its_end_instant():
    """"validity conditions are dates": the end is excluded, and the refusal says when it ended."""
    decision = check(replace(CODE, ends_at=NOW), [DRESS])
    assert (decision.code, decision.params) == ("discount_expired", {"ends_at": NOW})
    assert check(replace(CODE, ends_at=NOW + timedelta(seconds=1)), [DRESS]).allowed


def test_AL_PAY_07_a_code_without_end_never_expires():
    """"validity conditions are dates": no end date, no expiry."""
    assert check(replace(CODE, ends_at=None), [DRESS], now=NOW + timedelta(days=3650)).allowed


def test_AL_PAY_07_an_inactive_code_is_refused():
    """"a refused code says which condition failed": switched off by staff."""
    assert check(replace(CODE, is_active=False), [DRESS]).code == "discount_inactive"


def test_AL_PAY_07_a_code_for_knitwear_is_refused_on_a_bag_without_knitwear():
    """"eligible items": no item of the bag is eligible."""
    decision = check(replace(CODE, eligible_categories=("knitwear",)), [DRESS, TEE])
    assert (decision.code, decision.rule) == ("discount_no_eligible_items", "AL-PAY-07")


def test_AL_PAY_07_a_code_for_listed_skus_applies_to_those_skus():
    """"eligible items": listed SKUs are eligible, others not."""
    code = replace(CODE, eligible_skus=("AL-TEE-WHT-S",))
    assert check(code, [DRESS, TEE]).allowed
    assert check(code, [DRESS]).code == "discount_no_eligible_items"


def test_AL_PAY_07_listed_categories_and_listed_skus_add_up():
    """"eligible items or categories": all knitwear plus one listed T-shirt; the dress is not eligible."""
    code = replace(CODE, eligible_categories=("knitwear",), eligible_skus=("AL-TEE-WHT-S",))
    assert [is_eligible(code, line) for line in (DRESS, JUMPER, TEE)] == [False, True, True]


def test_AL_PAY_07_a_gift_card_in_the_bag_is_never_discounted():
    """"eligible items": stored value is not an item a discount applies to."""
    assert check(CODE, [GIFT_CARD]).code == "discount_no_eligible_items"
    assert discount_amount(CODE, [DRESS, GIFT_CARD]) == 1490


def test_AL_PAY_07_a_bag_below_the_minimum_purchase_is_refused_with_the_minimum():
    """"minimum purchase is €80": €79.99 is refused, naming the minimum."""
    code = replace(CODE, minimum_purchase_minor=8000)
    decision = check(code, [LineFacts("AL-TEE-WHT-S", "t-shirts", 7999)])
    assert (decision.code, decision.params) == ("discount_minimum_purchase", {"minimum_minor": 8000, "currency": "EUR"})


def test_AL_PAY_07_a_bag_of_exactly_the_minimum_purchase_is_allowed():
    """"minimum purchase is €80": €80.00 is enough."""
    assert check(replace(CODE, minimum_purchase_minor=8000), [LineFacts("AL-TEE-WHT-S", "t-shirts", 8000)]).allowed


def test_AL_PAY_07_the_minimum_purchase_counts_the_whole_bag_not_only_eligible_items():
    """"minimum purchase is €80": a €35 T-shirt (the only eligible item) plus a €149 dress reach it."""
    code = replace(CODE, minimum_purchase_minor=8000, eligible_skus=("AL-TEE-WHT-S",))
    assert check(code, [DRESS, TEE]).allowed


def test_AL_PAY_07_the_minimum_purchase_ignores_gift_cards():
    """"minimum purchase": buying a gift card does not help reach it."""
    code = replace(CODE, minimum_purchase_minor=8000)
    assert check(code, [TEE, GIFT_CARD]).code == "discount_minimum_purchase"


def test_AL_PAY_07_a_code_used_up_is_refused():
    """"usage limits per code": 100 uses of 100 made."""
    decision = check(replace(CODE, usage_limit=100, times_used=100), [DRESS])
    assert (decision.code, decision.params) == ("discount_usage_exhausted", {"usage_limit": 100})
    assert check(replace(CODE, usage_limit=100, times_used=99), [DRESS]).allowed


def test_AL_PAY_07_a_shopper_who_used_the_code_as_often_as_allowed_is_refused():
    """"usage limits … per customer": once per shopper, used once."""
    code = replace(CODE, usage_limit_per_customer=1)
    decision = check(code, [DRESS], customer_uses=1)
    assert (decision.code, decision.params) == ("discount_customer_limit_reached", {"limit": 1})
    assert check(code, [DRESS], customer_uses=0).allowed


def test_AL_PAY_07_conditions_on_the_code_are_reported_before_conditions_on_the_bag():
    """"says which condition failed": an expired code in a too-small bag says it expired."""
    code = replace(CODE, ends_at=NOW, minimum_purchase_minor=8000)
    assert check(code, [TEE]).code == "discount_expired"


# --- Amounts ---------------------------------------------------------------------------------------

def test_AL_PAY_07_ten_percent_of_the_eligible_items():
    """"10 %" of €149 + €35 = €18.40."""
    assert discount_amount(CODE, [DRESS, TEE]) == 1840


def test_AL_PAY_07_a_percentage_applies_only_to_eligible_items():
    """"eligible items": 10 % of the €129 jumper only = €12.90."""
    assert discount_amount(replace(CODE, eligible_categories=("knitwear",)), [DRESS, JUMPER]) == 1290


def test_AL_PAY_07_a_percentage_rounds_half_up_once_on_the_total():
    """Money rounds in one place: 15 % of €0.10 = 1.5 c → 2 c; 15 % of €0.03 = 0.45 c → 0 c."""
    code = replace(CODE, percentage_basis_points=1500)
    assert discount_amount(code, [LineFacts("A", "x", 10)]) == 2
    assert discount_amount(code, [LineFacts("A", "x", 3)]) == 0
    assert discount_amount(replace(CODE, percentage_basis_points=1250), [LineFacts("A", "x", 1999)]) == 250


def test_AL_PAY_07_a_full_percentage_takes_the_eligible_items_to_zero():
    """100 % of €149 = €149."""
    assert discount_amount(replace(CODE, percentage_basis_points=10000), [DRESS]) == 14900


def test_AL_PAY_07_a_fixed_amount_is_taken_off_in_full():
    """"€15 off": a €129 jumper gets €15 off."""
    assert discount_amount(FIXED, [JUMPER]) == 1500


def test_AL_PAY_07_a_fixed_amount_is_capped_at_the_eligible_items():
    """"€15 off knitwear" on €10 of eligible items takes €10, never more, whatever else is in the bag."""
    code = replace(FIXED, eligible_skus=("SOCKS",))
    assert discount_amount(code, [LineFacts("SOCKS", "knitwear", 1000), DRESS]) == 1000


# --- Combinations (AL-LOY-05 plugs into the same mechanism) ---------------------------------------------

POLICY = ReductionsPolicy()


def test_AL_PAY_07_a_discount_code_and_a_gift_card_combine_in_either_order():
    """"The combination rules are data": (discount_code, gift_card) is listed once, holds both ways."""
    assert check_combination(POLICY, ["discount_code", "gift_card"]).allowed
    assert check_combination(POLICY, ["gift_card", "discount_code"]).allowed
    assert check_combination(POLICY, ["gift_card", "gift_card", "credit_note", "discount_code"]).allowed


def test_AL_LOY_05_a_loyalty_voucher_does_not_combine_with_a_discount_code_in_either_order():
    """"not combinable with a discount code": refused whichever comes first, naming both in both languages."""
    for kinds in (["discount_code", "loyalty_voucher"], ["loyalty_voucher", "discount_code"]):
        decision = check_combination(POLICY, kinds)
        assert (decision.allowed, decision.code, decision.rule) == (False, "reductions_not_combinable", "AL-LOY-05")
        assert (decision.params["first"], decision.params["second"]) == tuple(kinds)
    decision = check_combination(POLICY, ["discount_code", "loyalty_voucher"])
    assert decision.params["first_en"] == "A discount code"
    assert decision.params["second_fr"] == "un bon d'achat fidélité"


def test_AL_LOY_05_a_loyalty_voucher_combines_with_a_gift_card_when_the_policy_lists_it():
    """"combinable with a gift card": a data change, no code change."""
    policy = ReductionsPolicy(combinable=[("gift_card", "loyalty_voucher")])
    assert check_combination(policy, ["loyalty_voucher", "gift_card"]).allowed
    assert not check_combination(ReductionsPolicy(combinable=[]), ["loyalty_voucher", "gift_card"]).allowed


def test_AL_PAY_07_two_gift_cards_combine_only_when_listed_with_themselves():
    """"The combination rules are data": (gift_card, gift_card) lets two cards pay one order."""
    assert check_combination(POLICY, ["gift_card", "gift_card"]).allowed
    decision = check_combination(ReductionsPolicy(combinable=[]), ["gift_card", "gift_card"])
    assert (decision.code, decision.params["first"], decision.params["second"]) == (
        "reductions_not_combinable", "gift_card", "gift_card")


def test_AL_PAY_07_more_discount_codes_than_the_maximum_are_refused():
    """max_discount_codes_per_order = 1: a second code is refused, naming the maximum."""
    decision = check_combination(POLICY, ["discount_code", "discount_code"])
    assert (decision.code, decision.rule, decision.params) == ("too_many_discount_codes", "AL-PAY-07", {"maximum": 1})


def test_AL_PAY_07_two_discount_codes_combine_when_the_maximum_allows_two():
    """The maximum alone governs several codes: no (discount_code, discount_code) pair is needed."""
    assert check_combination(ReductionsPolicy(max_discount_codes_per_order=2), ["discount_code"] * 2).allowed


@pytest.mark.parametrize("kinds", [[], ["discount_code"], ["gift_card"], ["loyalty_voucher"]])
def test_AL_PAY_07_a_single_reduction_always_combines(kinds):
    """Nothing to combine with: allowed."""
    assert check_combination(POLICY, kinds).allowed
