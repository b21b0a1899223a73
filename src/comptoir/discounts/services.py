"""Discount codes as checkout uses them (AL-PAY-07): find a code exactly, evaluate it against the bag,
redeem it inside the order's transaction, give it back when the order fails or is cancelled.

A redemption takes the code's row lock with one conditional UPDATE, so two orders racing for the last
use of a code cannot both get it (the race of oscar#2101) and a shopper's uses are counted under it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_date
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q

from comptoir.brands.models import Brand
from comptoir.catalog.models import Category, Variant
from comptoir.core.errors import Conflict, InvalidInput
from comptoir.core.money import Money
from comptoir.discounts import rules
from comptoir.discounts.models import DiscountCode, DiscountRedemption
from comptoir.discounts.rules import RULE, DiscountFacts, LineFacts
from comptoir.orders.models import Order

_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def find_discount(brand: Brand, code: str) -> DiscountCode | None:
    """The brand's code spelt exactly as typed: no trimming, no case folding (one query)."""
    return DiscountCode.objects.filter(brand=brand, code=code).first()


def discount_facts(discount: DiscountCode, currency: str) -> DiscountFacts:
    return DiscountFacts(
        code=discount.code, kind=discount.kind, percentage_basis_points=discount.percentage_basis_points,
        amount_minor=discount.amount_minor, starts_at=discount.starts_at, ends_at=discount.ends_at,
        eligible_categories=tuple(discount.eligible_categories), eligible_skus=tuple(discount.eligible_skus),
        minimum_purchase_minor=discount.minimum_purchase_minor, usage_limit=discount.usage_limit,
        times_used=discount.times_used, usage_limit_per_customer=discount.usage_limit_per_customer,
        is_active=discount.is_active, currency=currency, restricted_to_email=discount.restricted_to_email,
        first_order_only=discount.first_order_only,
    )


def evaluate(brand: Brand, discount: DiscountCode, lines: list[LineFacts], *, customer, email: str, language: str,
             now: datetime) -> int:
    """The reduction the code gives this bag, or InvalidInput naming the failed condition in `language`."""
    if discount.brand_id != brand.id:
        raise InvalidInput("unknown_code", rule=RULE)
    facts = discount_facts(discount, brand.policy_object.currency)
    uses = 0
    if discount.usage_limit_per_customer is not None:
        uses = _customer_uses(discount, customer, email).count()
    has_ordered = discount.first_order_only and _has_ordered(brand, customer, email)
    decision = rules.check_discount(facts, lines, customer_uses=uses, now=now, email=email, has_ordered=has_ordered)
    if not decision:
        raise InvalidInput(decision.code, rule=decision.rule, **_shopper_params(brand, decision.params, language))
    return rules.discount_amount(facts, lines)


def record_redemption(discount: DiscountCode, *, order, customer, email: str, amount_minor: int,
                      now: datetime) -> None:
    """Count one use of the code by `order`. Must run inside the transaction that places the order:
    the row lock taken here is held until it commits, and a refusal (Conflict) rolls it all back."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_redemption must run inside the order's transaction")
    with transaction.atomic():  # all or nothing, even for a caller that catches the refusal
        _redeem(discount, order=order, customer=customer, email=email, amount_minor=amount_minor, now=now)


def _redeem(discount: DiscountCode, *, order, customer, email: str, amount_minor: int, now: datetime) -> None:
    taken = (DiscountCode.objects
             .filter(Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")), pk=discount.pk)
             .update(times_used=F("times_used") + 1))
    if not taken:
        raise Conflict("discount_usage_exhausted", rule=RULE)
    # Counted after the UPDATE: a concurrent redemption of this code waited on the row lock and has
    # committed by now, so its row is seen (READ COMMITTED takes a new snapshot per statement).
    limit = discount.usage_limit_per_customer
    if limit is not None and _customer_uses(discount, customer, email).count() >= limit:
        raise Conflict("discount_customer_limit_reached", rule=RULE)
    try:
        DiscountRedemption.objects.create(discount=discount, order=order, customer=customer, email=email.lower(),
                                          amount_minor=amount_minor, created_at=now)
    except IntegrityError:  # unique (discount, order); the savepoint above is rolled back with the raise
        raise Conflict("discount_already_applied", rule=RULE) from None


def release_redemptions(order, *, now: datetime) -> None:
    """Give back the codes an order used (its payment failed, or it was cancelled before shipping).
    Idempotent: a redemption is released once, and only then is the use given back."""
    with transaction.atomic():
        held = list(DiscountRedemption.objects.select_for_update()
                    .filter(order=order, released_at__isnull=True).values_list("pk", "discount_id"))
        if not held:
            return
        DiscountRedemption.objects.filter(pk__in=[pk for pk, _ in held]).update(released_at=now)
        for discount_id, count in sorted(Counter(discount_id for _, discount_id in held).items()):
            DiscountCode.objects.filter(pk=discount_id).update(times_used=F("times_used") - count)


def _has_ordered(brand: Brand, customer, email: str) -> bool:
    """AL-RAF-02 "first order": an earlier purchase by this account or address (failed or cancelled
    orders do not count)."""
    who = Q(email=email.lower()) | Q(customer=customer) if customer is not None else Q(email=email.lower())
    return (Order.objects.filter(who, brand=brand)
            .exclude(status__in=["awaiting_payment", "payment_failed", "cancelled", "refused"]).exists())


def _customer_uses(discount: DiscountCode, customer, email: str):
    """Redemptions not given back by this shopper. A signed-in shopper's count includes orders placed
    as a guest with their e-mail, so signing out does not reset "once per customer"."""
    email = (customer.email if customer is not None else email).lower()
    who = Q(email=email) | Q(customer=customer) if customer is not None else Q(email=email)
    return DiscountRedemption.objects.filter(who, discount=discount, released_at__isnull=True)


def _shopper_params(brand: Brand, params: dict, language: str) -> dict:
    """Decision params made readable: dates in the brand's time zone, amounts as money, in `language`."""
    locale = _LOCALES.get(language, "en_GB")
    tz = brand.policy_object.tz
    readable = dict(params)
    if "starts_at" in params:
        readable["starts_on"] = format_date(params["starts_at"].astimezone(tz).date(), "long", locale=locale)
    if "ends_at" in params:
        # The end instant is excluded: a code ending at midnight was last valid the day before.
        last_valid = (params["ends_at"] - timedelta(microseconds=1)).astimezone(tz).date()
        readable["ended_on"] = format_date(last_valid, "long", locale=locale)
    if "minimum_minor" in params:
        readable["minimum"] = Money(params["minimum_minor"], params["currency"]).format(language)
    return readable


# --- Staff: creating codes ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NewDiscount:
    code: str
    kind: str
    starts_at: datetime
    percentage_basis_points: int | None = None
    amount_minor: int | None = None
    ends_at: datetime | None = None
    eligible_categories: tuple[str, ...] = ()
    eligible_skus: tuple[str, ...] = ()
    minimum_purchase_minor: int = 0
    usage_limit: int | None = None
    usage_limit_per_customer: int | None = None
    is_active: bool = True


def create_discount(brand: Brand, new: NewDiscount, *, now: datetime) -> DiscountCode:
    """A new code for `brand`; eligible categories and SKUs must exist in its catalog."""
    if not new.code or any(character.isspace() for character in new.code):
        raise InvalidInput("invalid_input", fields="code")
    categories, skus = sorted(set(new.eligible_categories)), sorted(set(new.eligible_skus))
    check_catalog_references(brand, categories, skus)
    if new.kind == rules.PERCENTAGE and (new.percentage_basis_points is None or new.amount_minor is not None):
        raise InvalidInput("invalid_input", fields="percentage_basis_points")
    if new.kind == rules.FIXED_AMOUNT and (new.amount_minor is None or new.percentage_basis_points is not None):
        raise InvalidInput("invalid_input", fields="amount_minor")
    if new.ends_at is not None and new.ends_at <= new.starts_at:
        raise InvalidInput("invalid_input", fields="ends_at")
    try:
        with transaction.atomic():
            return DiscountCode.objects.create(
                brand=brand, code=new.code, kind=new.kind, percentage_basis_points=new.percentage_basis_points,
                amount_minor=new.amount_minor, starts_at=new.starts_at, ends_at=new.ends_at,
                eligible_categories=categories, eligible_skus=skus,
                minimum_purchase_minor=new.minimum_purchase_minor, usage_limit=new.usage_limit,
                usage_limit_per_customer=new.usage_limit_per_customer, is_active=new.is_active, created_at=now)
    except IntegrityError:
        raise Conflict("discount_code_taken", rule=RULE, discount_code=new.code) from None


def check_catalog_references(brand: Brand, categories, skus) -> None:
    """Eligible categories and SKUs must exist in the brand's catalog: a typo would make a code that
    applies to nothing. Raises InvalidInput naming the unknown ones."""
    if not all(isinstance(value, str) for value in [*categories, *skus]):
        raise InvalidInput("invalid_input", fields="eligible_categories, eligible_skus")
    known = set(Category.objects.filter(brand=brand, code__in=categories).values_list("code", flat=True)) \
        if categories else set()
    if unknown := sorted(set(categories) - known):
        raise InvalidInput("unknown_categories", rule=RULE, codes=", ".join(unknown))
    known = set(Variant.objects.filter(brand=brand, sku__in=skus).values_list("sku", flat=True)) if skus else set()
    if unknown := sorted(set(skus) - known):
        raise InvalidInput("unknown_skus", rule=RULE, codes=", ".join(unknown))


def brand_discounts(brand: Brand, *, offset: int, limit: int) -> tuple[int, list[DiscountCode]]:
    rows = DiscountCode.objects.filter(brand=brand).order_by("-created_at", "-id")
    return rows.count(), list(rows[offset:offset + limit])
