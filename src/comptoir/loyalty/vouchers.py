"""Loyalty vouchers (AL-LOY-05): loves redeemed for a voucher, then used once through the "Discount code
or gift card" field, consumed in the placement transaction and given back if the order does not happen."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand
from comptoir.core.errors import Conflict, InvalidInput
from comptoir.core.money import Money
from comptoir.loyalty import rules
from comptoir.loyalty.models import LoveEntry, Membership, Voucher
from comptoir.loyalty.services import active_membership, entry_facts, new_code, programme


def redeem(brand: Brand, customer: Customer, *, loves: int, idempotency_key: str, now: datetime) -> Voucher:
    """Turn `loves` available loves into a voucher at the brand's rate, valid `voucher_validity_months`
    (AL-LOY-05). The member row is locked so two redemptions cannot spend the same loves; a replayed key
    returns the first voucher."""
    policy = programme(brand)
    membership = active_membership(brand, customer, now=now)
    key = f"redeem:{membership.pk}:{idempotency_key}"
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        replay = LoveEntry.objects.filter(idempotency_key=key).first()
        if replay is not None:
            return Voucher.objects.get(code=replay.reference)
        available = rules.balance(entry_facts(membership.entries.all()), now).available
        decision = rules.check_redeem(policy, loves, available)
        decision.enforce(InvalidInput if decision.code == "unknown_voucher_option" else Conflict)
        option = next(option for option in policy.voucher_options if option.loves == loves)
        voucher = _issue(membership, amount_minor=option.amount_minor, source=Voucher.LOVES, currency=brand.policy_object.currency,
                         expires_at=rules.add_months(now.astimezone(brand.policy_object.tz), policy.voucher_validity_months),
                         now=now)
        LoveEntry.objects.create(membership=membership, kind=LoveEntry.REDEEM, loves=-loves, reference=voucher.code,
                                 occurred_at=now, available_at=now, actor=f"customer:{customer.pk}", created_at=now,
                                 idempotency_key=key)
    return voucher


def issue_reward(membership: Membership, *, amount_minor: int, validity_days: int, now: datetime) -> Voucher:
    """A referral reward (AL-RAF-01/03): a voucher used like the others, valid `validity_days`."""
    policy = membership.brand.policy_object
    return _issue(membership, amount_minor=amount_minor, source=Voucher.REFERRAL, currency=policy.currency,
                  expires_at=now + timedelta(days=validity_days), now=now)


def _issue(membership: Membership, *, amount_minor: int, source: str, currency: str, expires_at: datetime,
           now: datetime) -> Voucher:
    for _ in range(5):  # a clash of random codes is rare; try again with another
        try:
            with transaction.atomic():
                return Voucher.objects.create(membership=membership, code=new_code("LOY-"), source=source,
                                              amount_minor=amount_minor, currency=currency, issued_at=now,
                                              expires_at=expires_at)
        except IntegrityError:
            continue
    raise Conflict("voucher_code_unavailable")


def find_voucher(brand: Brand, code: str) -> Voucher | None:
    """The brand's voucher spelt exactly as typed; none for a brand without a programme (no query)."""
    if brand.policy_object.loyalty is None or not code.startswith("LOY-"):
        return None
    voucher = Voucher.objects.select_related("membership").filter(code=code, membership__brand=brand).first()
    if voucher is not None:
        voucher.membership.brand = brand
    return voucher


def check_usable(voucher: Voucher, *, customer, subtotal_minor: int, now: datetime) -> None:
    """InvalidInput unless this signed-in member may use the voucher on this order now (AL-LOY-05)."""
    minimum = voucher.membership.brand.policy_object.loyalty.voucher_minimum_purchase_minor
    if subtotal_minor < minimum:
        raise InvalidInput("voucher_minimum_purchase", rule="AL-LOY-05",
                           minimum=Money(minimum, voucher.currency).format("en"))
    facts = rules.VoucherFacts(
        owner_customer_id=voucher.membership.customer_id, member_active=voucher.membership.left_at is None,
        expires_at=voucher.expires_at, used=voucher.used_order_id is not None, cancelled=voucher.cancelled_at is not None)
    rules.check_voucher_usable(facts, customer_id=customer.pk if customer else None, now=now).enforce(InvalidInput)


def consume(voucher: Voucher, *, order, now: datetime) -> None:
    """Mark the voucher used by `order`, inside the placement transaction: a conditional UPDATE, so two
    orders racing for one voucher cannot both have it; the loser's placement is rolled back (409)."""
    taken = Voucher.objects.filter(pk=voucher.pk, used_order__isnull=True, cancelled_at__isnull=True,
                                   expires_at__gt=now).update(used_order=order, used_at=now)
    if not taken:
        raise Conflict("voucher_already_used", rule="AL-LOY-05")


def voucher_status(voucher: Voucher, now: datetime) -> str:
    if voucher.cancelled_at is not None:
        return "cancelled"
    if voucher.used_order_id is not None:
        return "used"
    return "expired" if now >= voucher.expires_at else "available"
