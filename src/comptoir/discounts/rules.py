"""Pure discount-code rules: is this code valid for this bag now, how much does it take off, and which
reductions may one order combine (AL-PAY-07, AL-LOY-05). No database, no clock: facts and `now` come in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from comptoir.core.decisions import Decision
from comptoir.core.money import round_half_up
from comptoir.discounts.messages import REDUCTION_LABELS

RULE = "AL-PAY-07"
PERCENTAGE = "percentage"
FIXED_AMOUNT = "fixed_amount"
BASIS_POINTS_PER_WHOLE = 10000  # 1000 basis points = 10 %


@dataclass(frozen=True, slots=True)
class DiscountFacts:
    code: str
    kind: str  # PERCENTAGE or FIXED_AMOUNT
    percentage_basis_points: int | None
    amount_minor: int | None
    starts_at: datetime
    ends_at: datetime | None  # valid while now < ends_at
    eligible_categories: tuple[str, ...] | list[str]  # empty: every category
    eligible_skus: tuple[str, ...] | list[str]  # empty: every item
    minimum_purchase_minor: int
    usage_limit: int | None  # None: unlimited
    times_used: int
    usage_limit_per_customer: int | None
    is_active: bool
    currency: str
    restricted_to_email: str = ""  # AL-RAF-02: empty for anyone
    first_order_only: bool = False  # AL-RAF-02


@dataclass(frozen=True, slots=True)
class LineFacts:
    sku: str
    category: str
    total_minor: int  # the line's price × quantity, before any discount
    # False for e-gift cards: a discount on stored value would be money for nothing, so such a line is
    # neither eligible nor counted towards the minimum purchase.
    discountable: bool = True


def is_eligible(discount, line: LineFacts) -> bool:
    """A line the code applies to. `discount` is anything with `eligible_skus` and `eligible_categories`
    (DiscountFacts or the DiscountCode row). Listed items and listed categories add up, as in Oscar's
    ranges: `["knitwear"]` plus `["AL-TEE-WHT-S"]` means all knitwear and that T-shirt."""
    if not line.discountable:
        return False
    if not discount.eligible_skus and not discount.eligible_categories:
        return True
    return line.sku in discount.eligible_skus or line.category in discount.eligible_categories


def eligible_subtotal(discount, lines: list[LineFacts]) -> int:
    return sum(line.total_minor for line in lines if is_eligible(discount, line))


def purchase_subtotal(lines: list[LineFacts]) -> int:
    """What the minimum purchase is measured against: the whole bag (every discountable line), not only
    the eligible items, since the seed says "minimum purchase" without qualifying it."""
    return sum(line.total_minor for line in lines if line.discountable)


def check_discount(discount: DiscountFacts, lines: list[LineFacts], *, customer_uses: int, now: datetime,
                   email: str = "", has_ordered: bool = False) -> Decision:
    """Whether the code applies to this bag now; a refusal names the one condition that failed (AL-PAY-07).

    `customer_uses` counts this shopper's redemptions of the code that were not given back.
    Conditions on the code itself come first, then those on the bag.
    """
    if not discount.is_active:
        return Decision.refuse("discount_inactive", RULE)
    if now < discount.starts_at:
        return Decision.refuse("discount_not_started", RULE, starts_at=discount.starts_at)
    if discount.ends_at is not None and now >= discount.ends_at:
        return Decision.refuse("discount_expired", RULE, ends_at=discount.ends_at)
    if discount.restricted_to_email and email.lower() != discount.restricted_to_email:
        return Decision.refuse("discount_reserved_to_another_email", "AL-RAF-02")
    if discount.first_order_only and has_ordered:
        return Decision.refuse("discount_first_order_only", "AL-RAF-02")
    if discount.usage_limit is not None and discount.times_used >= discount.usage_limit:
        return Decision.refuse("discount_usage_exhausted", RULE, usage_limit=discount.usage_limit)
    if discount.usage_limit_per_customer is not None and customer_uses >= discount.usage_limit_per_customer:
        return Decision.refuse("discount_customer_limit_reached", RULE, limit=discount.usage_limit_per_customer)
    if eligible_subtotal(discount, lines) <= 0:
        return Decision.refuse("discount_no_eligible_items", RULE)
    if purchase_subtotal(lines) < discount.minimum_purchase_minor:
        return Decision.refuse("discount_minimum_purchase", RULE, minimum_minor=discount.minimum_purchase_minor,
                               currency=discount.currency)
    return Decision.allow()


def discount_amount(discount: DiscountFacts, lines: list[LineFacts]) -> int:
    """The reduction in minor units: a percentage of the eligible items (rounded half up once, on the
    total), or the fixed amount capped at the eligible items so a bag never costs less than nothing."""
    base = eligible_subtotal(discount, lines)
    if discount.kind == PERCENTAGE:
        return round_half_up(Decimal(base) * discount.percentage_basis_points / BASIS_POINTS_PER_WHOLE)
    return min(discount.amount_minor, base)


def check_combination(policy_reductions, kinds: list[str]) -> Decision:
    """Every pair of reductions on one order must be listed as combinable, in either order (AL-PAY-07,
    AL-LOY-05: "not combinable with a discount code"), and discount codes stay within the brand's maximum.

    `policy_reductions` is the brand's `payments.reductions` (`combinable`, `max_discount_codes_per_order`).
    Two discount codes together are governed by the maximum alone, not by a (discount_code,
    discount_code) pair. The refusal carries labels in both languages so `enforce()` renders well.
    """
    maximum = policy_reductions.max_discount_codes_per_order
    if kinds.count("discount_code") > maximum:
        return Decision.refuse("too_many_discount_codes", RULE, maximum=maximum)
    allowed = {frozenset(pair) for pair in policy_reductions.combinable}
    for index, first in enumerate(kinds):
        for second in kinds[index + 1:]:
            if first == second == "discount_code":
                continue
            if frozenset((first, second)) not in allowed:
                rule = "AL-LOY-05" if "loyalty_voucher" in (first, second) else RULE
                return Decision.refuse("reductions_not_combinable", rule, first=first, second=second,
                                       **_labels("first", first), **_labels("second", second))
    return Decision.allow()


def _labels(name: str, kind: str) -> dict[str, str]:
    labels = REDUCTION_LABELS.get(kind, {"en": kind, "fr": kind})
    capitalise = name == "first"
    return {f"{name}_{language}": (text[:1].upper() + text[1:]) if capitalise else text
            for language, text in labels.items()}
