"""Scheduled charges: instalments and deferred payments taken by the worker from the card registered at
checkout (AL-PAY-01, AL-PAY-04). A refused charge is retried, then escalated to customer care; returns
lower what is still scheduled (AL-RFD-04/05) through `reduce_scheduled_charges`.

A charge still "scheduled" but with no `next_attempt_at` is held: a return received before its due time is
being inspected (AL-RFD-05, `hold_deferred_charges`), and `release_held_charges` puts it back in the sweep.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date
from django.db import connection, transaction

from comptoir.care.models import Case
from comptoir.core.errors import PaymentRefused
from comptoir.core.messages import render_message
from comptoir.core.money import Money
from comptoir.notifications.services import notify_email
from comptoir.orders.emails import order_context
from comptoir.orders.models import Order, OrderEvent
from comptoir.payments.gateway import get_gateway
from comptoir.payments.models import Payment, PaymentEntry, ScheduledCharge
from comptoir.payments.rules import (
    DEFERRED_METHODS, PlannedCharge, after_refusal, deferred_charge_waits_for_return, reduce_amounts, start_of_day,
)

BATCH_SIZE = 200
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def write_schedule(payment: Payment, planned: list[PlannedCharge], *, first_paid_by: str | None,
                   now: datetime) -> list[ScheduledCharge]:
    """The payment's charges as rows (caller's transaction); the first is already paid when
    `first_paid_by` (the PSP reference of the charge taken at order) is given."""
    policy = payment.order.brand.policy_object
    rows = []
    for charge in planned:
        paid = first_paid_by is not None and charge.sequence == 1
        rows.append(ScheduledCharge(
            payment=payment, sequence=charge.sequence, due_on=charge.due_on, amount_minor=charge.amount_minor,
            status=ScheduledCharge.PAID if paid else ScheduledCharge.SCHEDULED, attempts=1 if paid else 0,
            next_attempt_at=None if paid else start_of_day(policy, charge.due_on),
            psp_reference=first_paid_by if paid else "", created_at=now, updated_at=now,
        ))
    return ScheduledCharge.objects.bulk_create(rows)


def collect_due_charges(now: datetime) -> int:
    """Worker sweep: take every scheduled charge due by `now`; returns how many were tried."""
    due = (ScheduledCharge.objects.filter(status=ScheduledCharge.SCHEDULED, next_attempt_at__lte=now)
           .order_by("next_attempt_at", "id").values_list("pk", flat=True))
    return sum(collect_charge(pk, now=now) for pk in list(due[:BATCH_SIZE]))


def collect_charge(charge_id: int, *, now: datetime) -> int:
    """Try one due charge. The PSP key is (row, attempt): a worker dying after the charge replays it on
    the next round instead of charging twice, and two workers trying the same row share one charge."""
    charge = ScheduledCharge.objects.select_related("payment__order__brand").get(pk=charge_id)
    if charge.status != ScheduledCharge.SCHEDULED or charge.next_attempt_at is None or charge.next_attempt_at > now:
        return 0
    attempt = charge.attempts + 1
    key = f"charge:{charge.pk}:{attempt}"
    payment, order = charge.payment, charge.payment.order
    result = get_gateway().authorise_registered(
        card_token=payment.psp_reference, amount_minor=charge.amount_minor, currency=payment.currency,
        capture=True, idempotency_key=key, reference=order.number, now=now,
    )
    with transaction.atomic():
        charge = _lock(ScheduledCharge.objects.filter(pk=charge_id)).first()
        if charge is None or charge.status != ScheduledCharge.SCHEDULED or charge.attempts >= attempt:
            return 0  # another worker recorded it meanwhile
        payment = Payment.objects.select_for_update().get(pk=charge.payment_id)
        charge.attempts, charge.updated_at = attempt, now
        captured = result.status == "captured"
        PaymentEntry.objects.create(
            payment=payment, kind="capture" if captured else "refusal", amount_minor=result.amount_minor if captured else 0,
            idempotency_key=key, psp_reference=result.psp_reference,
            data={"sequence": charge.sequence, **({"refusal_code": result.refusal_code} if not captured else {})},
            created_at=now,
        )
        if captured:
            charge.status, charge.psp_reference, charge.next_attempt_at = ScheduledCharge.PAID, result.psp_reference, None
            charge.save()
            _settle_payment_status(payment, now)
            _event(order, "scheduled_charge_paid", now, {"sequence": charge.sequence, "amount_minor": charge.amount_minor})
            return 1
        charge.last_refusal_code = result.refusal_code or "payment_refused"
        outcome = after_refusal(order.brand.policy_object, attempt, now)
        if outcome.failed:
            charge.status, charge.next_attempt_at = ScheduledCharge.FAILED, None
            charge.save()
            escalate_failed_charge(order, charge, now=now)
        else:
            charge.next_attempt_at = outcome.retry_at
            charge.save()
        _event(order, "scheduled_charge_refused", now,
               {"sequence": charge.sequence, "attempt": attempt, "refusal_code": charge.last_refusal_code,
                "failed": outcome.failed})
    return 1


def escalate_failed_charge(order: Order, charge: ScheduledCharge, *, now: datetime) -> Case:
    """A charge refused `max_attempts` times: a care case for staff and an e-mail to the shopper."""
    case = Case.objects.create(
        brand=order.brand, order=order, customer_id=order.customer_id, email=order.email, kind="payment_failed",
        subject=f"Order {order.number}: scheduled payment #{charge.sequence} refused ({charge.last_refusal_code})",
        created_at=now,
    )
    language = order.language
    context = order_context(order)
    context["charge"] = {
        "sequence": charge.sequence, "amount": Money(charge.amount_minor, order.currency).format(language),
        "due_on": format_date(charge.due_on, format="long", locale=_LOCALES[language]),
    }
    context["reason"] = render_message(charge.last_refusal_code, language, {})
    notify_email(brand_slug=order.brand.slug, to=order.email, template="instalment_failed", language=language,
                 context=context, idempotency_key=f"charge:{charge.pk}:failed", now=now)
    return case


def reduce_scheduled_charges(payment: Payment, amount_minor: int, now: datetime) -> int:
    """Lower the charges still scheduled by `amount_minor`, in proportion; a charge brought to zero is
    cancelled. Returns the amount taken off the schedule: the caller refunds the rest from what was
    already charged (AL-RFD-04; AL-RFD-05: a return before the deferred deadline is never charged).
    Caller's transaction."""
    if amount_minor <= 0:
        return 0
    rows = list(ScheduledCharge.objects.select_for_update()
                .filter(payment=payment, status=ScheduledCharge.SCHEDULED).order_by("sequence"))
    if not rows:
        return 0
    before = [row.amount_minor for row in rows]
    after = reduce_amounts(before, amount_minor)
    for row, amount in zip(rows, after):
        row.amount_minor, row.updated_at = amount, now
        if amount == 0:
            row.status, row.next_attempt_at = ScheduledCharge.CANCELLED, None
    ScheduledCharge.objects.bulk_update(rows, ["amount_minor", "status", "next_attempt_at", "updated_at"])
    reduced = sum(before) - sum(after)
    _settle_payment_status(payment, now)
    _event(payment.order, "schedule_reduced", now,
           {"reduced_minor": reduced, "old": before, "new": after, "sequences": [row.sequence for row in rows]})
    return reduced


def hold_deferred_charges(order: Order, *, reference: str, now: datetime) -> int:
    """A return of the order is received at `now`: its deferred charges not yet due wait for its refund, so
    what came back in time is never charged (AL-RFD-05). Returns how many were held. Caller's transaction."""
    policy = order.brand.policy_object
    rows = [row for row in ScheduledCharge.objects.select_for_update()
            .filter(payment__order=order, payment__method__in=DEFERRED_METHODS, status=ScheduledCharge.SCHEDULED,
                    next_attempt_at__isnull=False).order_by("payment_id", "sequence")
            if deferred_charge_waits_for_return(policy, row.due_on, row.attempts, now)]
    for row in rows:
        row.next_attempt_at, row.updated_at = None, now
    ScheduledCharge.objects.bulk_update(rows, ["next_attempt_at", "updated_at"])
    if rows:
        _event(order, "deferred_charge_held", now, {"return": reference, "sequences": [row.sequence for row in rows],
                                                    "amounts": [row.amount_minor for row in rows]})
    return len(rows)


def release_held_charges(order: Order, *, reference: str, now: datetime) -> int:
    """The returns that held the order's deferred charges are settled: what is left of each is taken on its due
    day, or at the next sweep when that day has passed (AL-PAY-04 "what is not returned ... is charged")."""
    policy = order.brand.policy_object
    rows = list(ScheduledCharge.objects.select_for_update()
                .filter(payment__order=order, status=ScheduledCharge.SCHEDULED, next_attempt_at__isnull=True)
                .order_by("payment_id", "sequence"))
    for row in rows:
        row.next_attempt_at, row.updated_at = max(start_of_day(policy, row.due_on), now), now
    ScheduledCharge.objects.bulk_update(rows, ["next_attempt_at", "updated_at"])
    if rows:
        _event(order, "deferred_charge_released", now, {"return": reference, "sequences": [r.sequence for r in rows],
                                                        "amounts": [row.amount_minor for row in rows]})
    return len(rows)


def release_schedule(payment: Payment, *, reason: str, now: datetime) -> None:
    """A cancelled or failed order: cancel what is still scheduled, refund each charge already taken."""
    reduce_scheduled_charges(payment, sum(
        ScheduledCharge.objects.filter(payment=payment, status=ScheduledCharge.SCHEDULED)
        .values_list("amount_minor", flat=True)), now)
    gateway = get_gateway()
    refunded = set(PaymentEntry.objects.filter(payment=payment, kind="refund").values_list("psp_reference", flat=True))
    for entry in PaymentEntry.objects.filter(payment=payment, kind="capture").order_by("created_at", "id"):
        if entry.psp_reference in refunded:
            continue
        key = f"{payment.id}:refund:{reason}:{entry.psp_reference}"
        result = gateway.refund(psp_reference=entry.psp_reference, amount_minor=entry.amount_minor,
                                idempotency_key=key, now=now)
        if result.status == "refused":
            raise PaymentRefused(result.refusal_code or "payment_refused")
        PaymentEntry.objects.get_or_create(idempotency_key=key, defaults={
            "payment": payment, "kind": "refund", "amount_minor": entry.amount_minor,
            "psp_reference": result.psp_reference, "data": {"reason": reason}, "created_at": now,
        })
    charged = PaymentEntry.objects.filter(payment=payment, kind="capture").exists()
    payment.status = "refunded" if charged else "voided"
    payment.updated_at = now
    payment.save(update_fields=["status", "updated_at"])


def _settle_payment_status(payment: Payment, now: datetime) -> None:
    """`scheduled` while a charge remains to take, then `captured`, or `voided` when nothing was ever taken
    (a deferred payment whose items all came back in time)."""
    if ScheduledCharge.objects.filter(payment=payment, status=ScheduledCharge.SCHEDULED).exists():
        status = "scheduled"
    else:
        charged = PaymentEntry.objects.filter(payment=payment, kind="capture").exists()
        status = "captured" if charged else "voided"
    if payment.status in ("scheduled", "captured") and payment.status != status:
        payment.status, payment.updated_at = status, now
        payment.save(update_fields=["status", "updated_at"])


def _lock(queryset):
    """Row locks; on PostgreSQL several workers skip each other's rows (SKIP LOCKED)."""
    return queryset.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)


def _event(order: Order, kind: str, now: datetime, data: dict) -> None:
    OrderEvent.objects.create(order=order, kind=kind, actor="system", at=now, data=data)
