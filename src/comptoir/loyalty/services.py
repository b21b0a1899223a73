"""Loyalty use cases: join and leave, loves earned on orders (online, in store, attached later), loves taken
back on cancellation and return, missions (AL-LOY-01..03, 07..09). Each loads, checks a rule, writes.

Brands without a `loyalty` section return at once, with no query: nothing appears for them.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand
from comptoir.core.errors import Conflict, InvalidInput, NotFound
from comptoir.core.money import minor_unit_exponent
from comptoir.loyalty import rules
from comptoir.loyalty.models import LoveEntry, Membership, Referral, Voucher
from comptoir.orders import states
from comptoir.orders.models import Order, OrderEvent, OrderLine

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Orders that never became a purchase earn nothing and cannot be attached.
NOT_PURCHASED = {states.AWAITING_PAYMENT, states.PAYMENT_FAILED, states.CANCELLED, states.REFUSED}


def new_code(prefix: str, length: int = 8) -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def programme(brand: Brand):
    """The brand's loyalty policy, or NotFound("no_loyalty_programme") for a brand without one."""
    policy = brand.policy_object.loyalty
    if policy is None:
        raise NotFound("no_loyalty_programme", rule="AL-LOY-09")
    return policy


def loyalty_url(brand: Brand) -> str:
    """The member's loyalty page in "my account", linked from loyalty e-mails."""
    return f"{settings.BASE_URL}/{brand.slug}/account/loyalty"


def join(customer: Customer, *, now: datetime) -> Membership | None:
    """AL-LOY-09: every account of a brand with a programme is a member ("If you already have an account with
    us, good news: you're already part of the club!"). Idempotent; None for a brand without a programme or a
    customer who left (AL-LOY-07: leaving is for good)."""
    if customer.brand.policy_object.loyalty is None:
        return None
    found = Membership.objects.filter(customer=customer).first()
    if found is None:
        try:
            with transaction.atomic():
                found = Membership.objects.create(brand_id=customer.brand_id, customer=customer,
                                                  referral_code=new_code("", 10), joined_at=now)
        except IntegrityError:  # joined by a concurrent request
            found = Membership.objects.get(customer=customer)
    return None if found.left_at else found


def active_membership(brand: Brand, customer: Customer, *, now: datetime) -> Membership:
    """The member behind "my loyalty page"; NotFound when the brand has no programme or they left."""
    programme(brand)
    customer.brand = brand
    membership = join(customer, now=now)
    if membership is None:
        raise NotFound("not_a_member", rule="AL-LOY-07")
    return membership


def entry_facts(entries) -> list[rules.EntryFacts]:
    return [rules.EntryFacts(e.kind, e.loves, e.spend_minor, e.occurred_at, e.available_at, e.expires_at)
            for e in entries]


def _earn_lines(membership: Membership, lines: list[OrderLine], *, purchased_at: datetime, actor: str,
                now: datetime) -> None:
    """One earn entry per line, keyed by the line: loves and spend of what was paid for it (AL-LOY-01/03)."""
    brand_policy = membership.brand.policy_object
    policy, exponent = brand_policy.loyalty, minor_unit_exponent(brand_policy.currency)
    available_at = rules.available_from(purchased_at, policy, brand_policy.tz)
    entries = [
        LoveEntry(membership=membership, kind=LoveEntry.EARN, loves=rules.loves_for(line.total_minor, policy, exponent),
                  spend_minor=line.total_minor, quantity=line.quantity, order_line=line, occurred_at=purchased_at,
                  available_at=available_at, actor=actor, created_at=now, idempotency_key=f"earn:line:{line.pk}")
        for line in lines if not line.is_gift_card and line.total_minor > 0
    ]
    if entries:
        LoveEntry.objects.bulk_create(entries, ignore_conflicts=True)
        _watch_tier(membership, available_at)


def _watch_tier(membership: Membership, at: datetime) -> None:
    """Tell the tier sweep to look at this member when new spend counts (AL-LOY-04)."""
    if membership.tier_due_at is None or at < membership.tier_due_at:
        Membership.objects.filter(pk=membership.pk).update(tier_due_at=at)
        membership.tier_due_at = at


def earn_for_order(order: Order, *, now: datetime, lines=None) -> None:
    """A signed-in customer's order is paid: its loves are pending until the pending days pass (AL-LOY-01,
    AL-LOY-03). Runs in the order's transaction; nothing for guests or brands without a programme."""
    if order.customer_id is None or order.brand.policy_object.loyalty is None:
        return
    membership = Membership.objects.filter(customer_id=order.customer_id).first() or join(order.customer, now=now)
    if membership is None or membership.left_at is not None:
        return
    membership.brand = order.brand
    lines = list(lines) if lines is not None else list(order.lines.all())
    _earn_lines(membership, lines, purchased_at=order.placed_at, actor="system", now=now)


def release_for_order(order: Order, *, now: datetime) -> None:
    """The order will not happen (payment failed, cancelled, refused): its voucher comes back and its
    loves are cancelled, pending or not. Idempotent."""
    if order.customer_id is None or order.brand.policy_object.loyalty is None:
        return
    Voucher.objects.filter(used_order=order).update(used_order=None, used_at=None)
    _take_back(order, kind=LoveEntry.CANCEL, returned=None, key=f"cancel:{order.pk}", now=now)


def reverse_for_refund(order: Order, refund, *, now: datetime) -> None:
    """AL-LOY-03 / AL-LOY-06: a refund takes back exactly the loves (and the spend) of the units that came
    back, from each line's own earn entry; within the pending days they are never credited. A used voucher
    is given back only when the whole order came back (AL-LOY-06: not on a partial return)."""
    if order.customer_id is None or order.brand.policy_object.loyalty is None:
        return
    returned = {int(line_id): quantity for line_id, quantity in refund.items}
    _take_back(order, kind=LoveEntry.REVERSE, returned=returned, key=f"reverse:{refund.pk}", now=now)
    if returned_in_full(order):
        Voucher.objects.filter(used_order=order).update(used_order=None, used_at=None)


def returned_in_full(order: Order) -> bool:
    from comptoir.refunds.models import Refund  # refunds imports this module: import at call time

    back: dict[int, int] = defaultdict(int)
    for items in Refund.objects.filter(order=order).values_list("items", flat=True):
        for line_id, quantity in items:
            back[int(line_id)] += quantity
    lines = order.lines.filter(is_gift_card=False).values_list("pk", "quantity")
    return all(back[pk] >= quantity for pk, quantity in lines)


def _take_back(order: Order, *, kind: str, returned: dict[int, int] | None, key: str, now: datetime) -> None:
    """Negative entries against each earn entry of the order: `returned` units per line, or all that is left."""
    entries = list(LoveEntry.objects.filter(order_line__order=order).select_related("membership"))
    earned = {e.order_line_id: e for e in entries if e.kind == LoveEntry.EARN}
    taken: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # line -> [loves, spend, units] taken back
    for e in entries:
        if e.kind != LoveEntry.EARN:
            taken[e.order_line_id][0] -= e.loves
            taken[e.order_line_id][1] -= e.spend_minor
            taken[e.order_line_id][2] += e.quantity
    new = []
    for line_id, earn in earned.items():
        loves_taken, spend_taken, units_taken = taken[line_id]
        units = earn.quantity - units_taken if returned is None else min(returned.get(line_id, 0),
                                                                        earn.quantity - units_taken)
        if units <= 0:
            continue
        # Cumulative shares, so several partial returns of one line add up to exactly what it earned.
        loves = earn.loves * (units_taken + units) // earn.quantity - loves_taken
        spend = earn.spend_minor * (units_taken + units) // earn.quantity - spend_taken
        new.append(LoveEntry(
            membership=earn.membership, kind=kind, loves=-loves, spend_minor=-spend, quantity=units,
            order_line_id=line_id, occurred_at=earn.occurred_at, available_at=max(earn.available_at, now),
            actor="system", created_at=now, idempotency_key=f"{key}:{line_id}"))
    LoveEntry.objects.bulk_create(new, ignore_conflicts=True)


def record_store_purchase(brand: Brand, *, customer_id: int, store_code: str, receipt_number: str,
                          amount_minor: int, actor: str, now: datetime) -> LoveEntry:
    """AL-LOY-01 "online or in store": staff record a purchase in a salon; its loves follow the same
    pending days. The receipt identifies it: recording it twice records it once."""
    policy = programme(brand)
    if store_code not in {store.code for store in brand.policy_object.stores}:
        raise InvalidInput("unknown_store", store=store_code)
    receipt_number = receipt_number.strip()
    if not receipt_number or amount_minor <= 0:
        raise InvalidInput("invalid_input", fields="receipt_number, amount_minor")
    membership = member_for_staff(brand, customer_id, now=now)
    key = f"store:{brand.pk}:{store_code}:{receipt_number}"
    exponent = minor_unit_exponent(brand.policy_object.currency)
    with transaction.atomic():
        entry, created = LoveEntry.objects.get_or_create(idempotency_key=key, defaults=dict(
            membership=membership, kind=LoveEntry.EARN, loves=rules.loves_for(amount_minor, policy, exponent),
            spend_minor=amount_minor, quantity=1, reference=f"{store_code}:{receipt_number}", occurred_at=now,
            available_at=rules.available_from(now, policy, brand.policy_object.tz), actor=actor, created_at=now))
        if created:
            _watch_tier(membership, entry.available_at)
        elif entry.membership_id != membership.pk or entry.spend_minor != amount_minor:
            raise Conflict("receipt_already_recorded", rule="AL-LOY-01", receipt=receipt_number)
    return entry


def attach_order(brand: Brand, *, customer_id: int, order_number: str, actor: str, now: datetime) -> Order:
    """AL-LOY-08: an order placed signed out (or with another address) joins the member's account; its loves
    count from its purchase date, less what was already refunded."""
    programme(brand)
    membership = member_for_staff(brand, customer_id, now=now)
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).filter(brand=brand, number=order_number.strip()).first()
        if order is None:
            raise NotFound("not_found", thing="order")
        if order.customer_id not in (None, membership.customer_id):
            raise Conflict("order_belongs_to_another_account", rule="AL-LOY-08")
        if order.status in NOT_PURCHASED:
            raise Conflict("order_not_purchased", rule="AL-LOY-08", status=order.status.replace("_", " "))
        if order.customer_id is None:
            order.customer_id = membership.customer_id
            order.save(update_fields=["customer"])
            OrderEvent.objects.create(order=order, kind="attached_to_account", actor=actor, at=now,
                                      data={"customer": membership.customer_id})
        order.brand = brand
        _earn_lines(membership, list(order.lines.all()), purchased_at=order.placed_at, actor=actor, now=now)
        from comptoir.refunds.models import Refund  # refunds imports this module: import at call time

        for refund in Refund.objects.filter(order=order).order_by("created_at"):
            reverse_for_refund(order, refund, now=now)
    return order


def complete_mission(brand: Brand, customer: Customer, code: str, *, now: datetime) -> LoveEntry:
    """AL-LOY-02: a mission earns its loves once, available at once; there is no cap on loves."""
    policy = programme(brand)
    membership = active_membership(brand, customer, now=now)
    done = set(membership.entries.filter(kind=LoveEntry.MISSION).values_list("mission_code", flat=True))
    rules.check_mission(policy, code, done).enforce(InvalidInput if policy.mission(code) is None else Conflict)
    try:
        with transaction.atomic():
            return LoveEntry.objects.create(
                membership=membership, kind=LoveEntry.MISSION, loves=policy.mission(code).loves, mission_code=code,
                occurred_at=now, available_at=now, actor=f"customer:{customer.pk}", created_at=now,
                idempotency_key=f"mission:{membership.pk}:{code}")
    except IntegrityError:  # completed by a concurrent request
        raise Conflict("mission_already_completed", rule="AL-LOY-02", mission=code) from None


def leave(brand: Brand, *, customer_id: int, reason: str, actor: str, now: datetime) -> Membership:
    """AL-LOY-07: leaving, through customer care, cancels every love (available and pending), every unused
    voucher and every reward still to come, for good."""
    programme(brand)
    membership = member_for_staff(brand, customer_id, now=now)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.left_at is not None:
            raise Conflict("not_a_member", rule="AL-LOY-07")
        pending = defaultdict(lambda: [0, 0])
        for e in membership.entries.all():
            at = max(e.available_at, now)  # what is pending is cancelled when it would have come
            pending[at][0] += e.loves
            pending[at][1] += e.spend_minor
        LoveEntry.objects.bulk_create([
            LoveEntry(membership=membership, kind=LoveEntry.CANCEL, loves=-loves, spend_minor=-spend,
                      occurred_at=now, available_at=at, actor=actor, created_at=now, reference=reason[:120],
                      idempotency_key=f"leave:{membership.pk}:{at.isoformat()}")
            for at, (loves, spend) in sorted(pending.items()) if loves or spend])
        membership.vouchers.filter(used_order__isnull=True, cancelled_at__isnull=True).update(cancelled_at=now)
        membership.referrals.filter(status=Referral.INVITED).update(status=Referral.CANCELLED, decided_at=now,
                                                                     refusal_code="member_left")
        membership.left_at, membership.left_reason, membership.tier_due_at = now, reason[:200], None
        membership.save(update_fields=["left_at", "left_reason", "tier_due_at"])
    return membership


def check_adjustment(membership: Membership, *, loves: int, reason: str, now: datetime):
    """May customer care adjust this member's loves by `loves` now? (a Decision; the form asks first)"""
    available = rules.balance(entry_facts(membership.entries.all()), now).available
    return rules.check_adjustment(loves, reason, available)


def adjust_loves(membership: Membership, *, loves: int, reason: str, actor: str, key: str,
                 now: datetime) -> LoveEntry:
    """Customer care adds (goodwill) or removes (a correction) loves by hand: an "adjust" entry, available at
    once, that keeps who (`actor`) and why (`reason`); the same `key` twice writes one entry."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        existing = LoveEntry.objects.filter(idempotency_key=f"adjust:{key}").first()
        if existing is not None:
            return existing
        if membership.left_at is not None:
            raise Conflict("not_a_member", rule="AL-LOY-07")
        check_adjustment(membership, loves=loves, reason=reason, now=now).enforce(InvalidInput)
        return LoveEntry.objects.create(
            membership=membership, kind=LoveEntry.ADJUST, loves=loves, reason=" ".join(reason.split())[:300],
            occurred_at=now, available_at=now, actor=actor[:80], created_at=now, idempotency_key=f"adjust:{key}"[:160])


def member_for_staff(brand: Brand, customer_id: int, *, now: datetime) -> Membership:
    customer = Customer.objects.filter(brand=brand, pk=customer_id, is_active=True).first()
    if customer is None:
        raise NotFound("not_found", thing="customer")
    customer.brand = brand
    membership = join(customer, now=now)
    if membership is None:
        raise Conflict("not_a_member", rule="AL-LOY-07")
    membership.brand = brand
    return membership

