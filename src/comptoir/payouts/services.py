"""Payout use cases: the queue of transfers to send, the shopper's IBAN typed in, and recording a transfer
sent — once (AA-PAY-03, AL-RET-02, ALL-RFD-06).

`record_payout_sent` is the one function every face calls: in one transaction it marks the payout sent
(a conditional UPDATE under the order's and the payout's locks), appends the ledger entry, completes the
refund part, closes the care case with a note, logs an order event and queues the shopper's e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import F, Q, Sum

from comptoir.brands.models import Brand
from comptoir.care.models import Case, CaseMessage
from comptoir.core.errors import Conflict, InvalidInput, NotFound
from comptoir.orders.models import OrderEvent
from comptoir.orders.services import lock_order
from comptoir.payments.models import Payment, PaymentEntry
from comptoir.payouts import rules
from comptoir.payouts.emails import case_note, notify_payout_sent
from comptoir.payouts.models import CANCELLED_ORDER_TRANSFER, PENDING, SENT, Payout
from comptoir.refunds.models import COMPLETED, Refund, RefundPart

RULE = "ALL-RFD-06"  # a refund is never issued twice
BANK_REFERENCE_MAX_LENGTH = 64


@dataclass(frozen=True, slots=True)
class PayoutSent:
    payout: Payout
    recorded: bool  # False: a replay of the call that recorded it; nothing changed


def staff_payouts(brand: Brand, *, status: str | None, offset: int, limit: int) -> tuple[int, list[Payout]]:
    """The brand's transfers, oldest first (the queue of those to send with status "pending"); two queries."""
    payouts = Payout.objects.filter(brand=brand)
    if status:
        payouts = payouts.filter(status=status)
    page = payouts.select_related("order", "case").order_by("created_at", "id")[offset: offset + limit]
    return payouts.count(), list(page)


def staff_payout(brand: Brand, payout_id: int) -> Payout:
    """One transfer of the brand; another brand's id is not found, revealing nothing."""
    payout = Payout.objects.filter(brand=brand, pk=payout_id).select_related("order", "case").first()
    if payout is None:
        raise NotFound("not_found", thing="transfer")
    return payout


def record_payout_iban(payout: Payout, *, iban: str, actor: str, now: datetime) -> Payout:
    """Staff type in the IBAN the shopper gave on the case; refused once the transfer is sent."""
    iban = _checked_iban(iban)
    with transaction.atomic():
        updated = Payout.objects.filter(pk=payout.pk, status=PENDING).update(iban=iban)
        if not updated:
            raise Conflict("payout_already_sent_iban_locked")
        OrderEvent.objects.create(order_id=payout.order_id, kind="payout_iban_recorded", actor=actor, at=now,
                                  data={"payout": payout.pk, "iban_last4": iban[-4:]})
    payout.iban = iban
    return payout


def record_payout_sent(payout: Payout, *, bank_reference: str, sent_on: date, actor: str, now: datetime,
                       key: str | None = None, iban: str = "") -> PayoutSent:
    """Record that staff sent this transfer. Once only: a replay of the call that recorded it (same `key`,
    same reference and date) answers `recorded=False`; any other call on a sent payout is refused (409
    payout_already_sent), so a second click never pays nor e-mails twice."""
    reference = " ".join(bank_reference.split())
    if not 0 < len(reference) <= BANK_REFERENCE_MAX_LENGTH:
        raise InvalidInput("invalid_input", fields="bank_reference")
    iban = _checked_iban(iban) if iban.strip() else ""
    with transaction.atomic():
        lock_order(payout.order_id)  # locks in a fixed order: the order, then its payout
        locked = Payout.objects.select_for_update(of=("self",)).select_related("order__brand", "refund_part").get(
            pk=payout.pk)
        if locked.status == SENT:
            return PayoutSent(_replayed(locked, key, reference, sent_on), recorded=False)
        tz = locked.order.brand.policy_object.tz
        decision = rules.check_sent_on(sent_on, opened_on=locked.created_at.astimezone(tz).date(),
                                       today=now.astimezone(tz).date())
        if not decision.allowed:
            raise InvalidInput(decision.code, sent_on=sent_on.isoformat())
        # Conditional: only a pending payout becomes sent (the database's answer, not ours, decides).
        updated = Payout.objects.filter(pk=locked.pk, status=PENDING).update(
            status=SENT, bank_reference=reference, sent_on=sent_on, sent_at=now, sent_by=actor[:160],
            sent_key=(key or "")[:120], iban=iban or F("iban"))
        if updated != 1:
            raise Conflict("payout_already_sent", rule=RULE, reference="?", sent_on="?")
        locked.refresh_from_db()
        _record_in_ledger(locked, now)
        OrderEvent.objects.create(order_id=locked.order_id, kind="refund_transfer_sent", actor=actor, at=now, data={
            "payout": locked.pk, "kind": locked.kind, "amount_minor": locked.amount_minor,
            "bank_reference": reference, "sent_on": sent_on.isoformat(),
            "refund": str(locked.refund_part.refund_id) if locked.refund_part_id else None,
            "part": locked.refund_part_id})
        _close_case(locked, now)
        notify_payout_sent(locked.order, locked, now=now)
    return PayoutSent(locked, recorded=True)


def _checked_iban(text: str) -> str:
    iban = rules.normalise_iban(text)
    decision = rules.check_iban(iban)
    if not decision.allowed:
        raise InvalidInput(decision.code)
    return iban


def _replayed(payout: Payout, key: str | None, reference: str, sent_on: date) -> Payout:
    if key and payout.sent_key == key:
        if (payout.bank_reference, payout.sent_on) != (reference, sent_on):
            raise Conflict("idempotency_key_reused")
        return payout
    raise Conflict("payout_already_sent", rule=RULE, reference=payout.bank_reference,
                   sent_on=payout.sent_on.isoformat())


def _record_in_ledger(payout: Payout, now: datetime) -> None:
    """The money leaves: a refund entry in the transfer payment's ledger (unique key: once), the refund part
    completed; return postage has no payment, the payout row and the order event record it."""
    part = payout.refund_part
    if payout.payment_id is not None:
        key = f"refund:{part.refund_id}:{part.position}" if part is not None else f"payout:{payout.pk}"
        PaymentEntry.objects.create(payment_id=payout.payment_id, kind="refund", amount_minor=payout.amount_minor,
                                    idempotency_key=key, psp_reference=payout.bank_reference,
                                    data={"payout": payout.pk, "kind": payout.kind, "sent_on": payout.sent_on.isoformat(),
                                          **({"refund": str(part.refund_id)} if part is not None else {})},
                                    created_at=now)
    if part is not None:
        RefundPart.objects.filter(pk=part.pk).update(status=COMPLETED, completed_at=now,
                                                     psp_reference=payout.bank_reference)
        if not RefundPart.objects.filter(refund_id=part.refund_id).exclude(status=COMPLETED).exists():
            Refund.objects.filter(pk=part.refund_id).exclude(status=COMPLETED).update(status=COMPLETED,
                                                                                      completed_at=now)
    if payout.kind == CANCELLED_ORDER_TRANSFER:
        sums = PaymentEntry.objects.filter(payment_id=payout.payment_id).aggregate(
            captured=Sum("amount_minor", filter=Q(kind="capture"), default=0),
            refunded=Sum("amount_minor", filter=Q(kind="refund"), default=0))
        if sums["refunded"] >= sums["captured"]:
            Payment.objects.filter(pk=payout.payment_id).update(status="refunded", updated_at=now)


def _close_case(payout: Payout, now: datetime) -> None:
    """The case was the conversation about this money: a note says it was sent, and the case closes."""
    if payout.case_id is None:
        return
    case = Case.objects.select_for_update(of=("self",)).get(pk=payout.case_id)
    CaseMessage.objects.create(case=case, author=CaseMessage.STAFF, body=case_note(payout, case.language),
                               created_at=now)
    if case.status != Case.CLOSED:
        case.status = Case.CLOSED
        case.save(update_fields=["status"])
