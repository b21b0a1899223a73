"""Bank transfers (AA-PAY-03): the order number is the payment reference; the order waits, unshippable,
until staff record the money received — one transfer at a time or a whole bank statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction

from comptoir.brands.models import Brand
from comptoir.core.errors import Conflict, InvalidInput, NotFound
from comptoir.orders import states
from comptoir.orders.models import Order, OrderEvent
from comptoir.orders.services import lock_order, settle_paid_order
from comptoir.payments.bank_statements import StatementError, find_order_number, read_statement
from comptoir.payments.models import Payment, PaymentEntry
from comptoir.payments.services import balance


@dataclass(frozen=True, slots=True)
class TransferRecord:
    order: Order
    recorded: bool  # False: this key was already recorded (a replay)
    paid_minor: int
    remaining_minor: int


@dataclass
class ImportReport:
    matched: list[dict] = field(default_factory=list)
    already_recorded: list[dict] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)


def record_transfer(brand: Brand, number: str, *, reference: str, amount_minor: int, received_on: date,
                    key: str, actor: str, now: datetime) -> TransferRecord:
    """Staff record a transfer received for order `number`; its reference must be that number."""
    if _compact(reference) != _compact(number):
        raise InvalidInput("transfer_reference_mismatch", rule="AA-PAY-03", reference=reference[:40], number=number)
    order = Order.objects.select_related("brand").filter(brand=brand, number=_compact(number)).first()
    if order is None:
        raise NotFound("not_found", thing="order")
    return _record(order, amount_minor=amount_minor, received_on=received_on, reference=reference,
                   key=f"transfer:{order.pk}:{key}", actor=actor, now=now)


def import_transfers(brand: Brand, text: str, *, actor: str, now: datetime) -> ImportReport:
    """Match each credit of a bank statement to an order by its reference and record it once."""
    try:
        lines = read_statement(text, brand.policy_object.currency)
    except StatementError as error:
        raise InvalidInput("statement_unreadable", rule="AA-PAY-03", problem=str(error)) from None
    prefix = brand.policy_object.orders.order_number_prefix
    numbers = {line.line: find_order_number(line.reference, prefix) for line in lines}
    orders = {o.number: o for o in Order.objects.select_related("brand").filter(
        brand=brand, number__in={n for n in numbers.values() if n})}
    report = ImportReport()
    for line in lines:
        row = {"line": line.line, "date": line.received_on.isoformat() if line.received_on else "",
               "amount_minor": line.amount_minor, "reference": line.reference[:100], "order": numbers[line.line] or ""}
        order = orders.get(numbers[line.line] or "")
        reason = line.problem or ("no_order_reference" if not numbers[line.line] else "" if order else "unknown_order")
        if reason:
            report.unmatched.append({**row, "reason": reason})
            continue
        try:
            outcome = _record(order, amount_minor=line.amount_minor, received_on=line.received_on,
                              reference=line.reference, key=f"transfer:{brand.pk}:statement:{line.fingerprint}",
                              actor=actor, now=now)
        except (Conflict, InvalidInput) as error:
            report.unmatched.append({**row, "reason": error.code})
            continue
        (report.matched if outcome.recorded else report.already_recorded).append(
            {**row, "paid_minor": outcome.paid_minor, "remaining_minor": outcome.remaining_minor,
             "status": outcome.order.status})
    return report


def _record(order: Order, *, amount_minor: int, received_on: date, reference: str, key: str, actor: str,
            now: datetime) -> TransferRecord:
    if amount_minor <= 0:
        raise InvalidInput("invalid_input", fields="amount_minor")
    payment = Payment.objects.filter(order=order, method="bank_transfer").order_by("-created_at").first()
    if payment is None:
        raise Conflict("not_a_transfer_order", rule="AA-PAY-03", number=order.number)
    if PaymentEntry.objects.filter(idempotency_key=key).exists():
        return _state(order, payment, recorded=False)
    try:
        with transaction.atomic():
            locked = lock_order(order.pk)
            payment = Payment.objects.select_for_update().get(pk=payment.pk)
            if locked.status != states.AWAITING_PAYMENT:
                raise Conflict("transfer_order_not_awaiting_payment", rule="AA-PAY-03", number=order.number,
                               status=locked.status.replace("_", " "))
            PaymentEntry.objects.create(
                payment=payment, kind="capture", amount_minor=amount_minor, idempotency_key=key,
                psp_reference=reference[:64],
                data={"received_on": received_on.isoformat(), "reference": reference[:100], "actor": actor},
                created_at=now,
            )
            paid = balance(payment).captured_minor
            OrderEvent.objects.create(order=locked, kind="transfer_received", actor=actor, at=now,
                                      data={"amount_minor": amount_minor, "paid_minor": paid,
                                            "received_on": received_on.isoformat()})
            if paid >= payment.amount_minor:
                payment.status, payment.updated_at = "captured", now
                payment.save(update_fields=["status", "updated_at"])
                settle_paid_order(locked, actor=actor, now=now)
            locked.save()
    except IntegrityError:
        # The same key raced us and won.
        if not PaymentEntry.objects.filter(idempotency_key=key).exists():
            raise
        return _state(order, payment, recorded=False)
    return _state(locked, payment, recorded=True)


def _state(order: Order, payment: Payment, *, recorded: bool) -> TransferRecord:
    order.refresh_from_db()
    paid = balance(payment).captured_minor
    return TransferRecord(order, recorded, paid, max(payment.amount_minor - paid, 0))


def _compact(text: str) -> str:
    return "".join(text.split()).upper()
