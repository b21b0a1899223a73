"""The "Discount code or gift card" field: codes resolved to a discount or to stored value.

AL-PAY-07: a discount code is matched exactly; gift cards and credit notes pay part or all of the
order (AL-PAY-01) and combine as the brand's policy says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from comptoir.brands.models import Brand
from comptoir.core.errors import InvalidInput
from comptoir.discounts import services as discounts
from comptoir.discounts.models import DiscountCode
from comptoir.discounts.rules import LineFacts, check_combination, is_eligible
from comptoir.giftcards import services as giftcards
from comptoir.giftcards.models import StoredValueCard
from comptoir.giftcards.rules import check_redeemable
from comptoir.loyalty import vouchers
from comptoir.loyalty.models import Voucher
from comptoir.payments.rules import check_stored_value_accepted

MAX_CODES = 5


@dataclass
class Reductions:
    discount: DiscountCode | None = None
    discount_minor: int = 0
    eligible_skus: set[str] = field(default_factory=set)
    cards: list[StoredValueCard] = field(default_factory=list)
    voucher: Voucher | None = None  # a loyalty voucher (AL-LOY-05), taken off the discountable lines


def resolve(brand: Brand, codes: list[str], lines: list[LineFacts], *, customer, email: str, language: str,
            now: datetime) -> Reductions:
    """Each code is a discount code or a gift card / credit note; unknown codes are refused."""
    policy = brand.policy_object
    if len(codes) > MAX_CODES:
        raise InvalidInput("too_many_codes", maximum=MAX_CODES)
    found = Reductions()
    kinds = []
    for code in codes:
        discount = discounts.find_discount(brand, code)
        if discount is not None:
            if found.discount is not None and found.discount.pk == discount.pk:
                continue
            kinds.append("discount_code")
            check_combination(policy.payments.reductions, kinds).enforce(InvalidInput)
            found.discount = discount
            found.discount_minor = discounts.evaluate(brand, discount, lines, customer=customer, email=email,
                                                      language=language, now=now)
            found.eligible_skus = {line.sku for line in lines if is_eligible(discount, line)}
            continue
        voucher = vouchers.find_voucher(brand, code)
        if voucher is not None:
            if found.voucher is not None and found.voucher.pk == voucher.pk:
                continue
            vouchers.check_usable(voucher, customer=customer, now=now,
                                  subtotal_minor=sum(line.total_minor for line in lines if line.discountable))
            kinds.append("loyalty_voucher")  # AL-LOY-05: one per order, not with a discount code
            check_combination(policy.payments.reductions, kinds).enforce(InvalidInput)
            found.voucher = voucher
            continue
        card = giftcards.find_card(brand, code)
        if card is None:
            raise InvalidInput("unknown_code", rule="AL-PAY-07")
        if any(existing.pk == card.pk for existing in found.cards):
            continue
        check_stored_value_accepted(policy, card.kind).enforce(InvalidInput)
        check_redeemable(kind=card.kind, balance_minor=card.balance_minor, currency=card.currency,
                         expires_at=card.expires_at.astimezone(policy.tz), order_currency=policy.currency, now=now).enforce(InvalidInput)
        kinds.append(card.kind)
        check_combination(policy.payments.reductions, kinds).enforce(InvalidInput)
        found.cards.append(card)
    return found


def plan_stored_value(cards: list[StoredValueCard], total_minor: int) -> list[tuple[StoredValueCard, int]]:
    """How much each card pays, in the order given, until the total is covered."""
    plan = []
    remaining = total_minor
    for card in cards:
        if remaining <= 0:
            break
        amount = min(card.balance_minor, remaining)
        if amount > 0:
            plan.append((card, amount))
            remaining -= amount
    return plan
