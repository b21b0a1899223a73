"""Refund use cases: preview what a refund would do, then issue it once (OG-RFD-01, AL-RFD-01..05, ALL-RFD-06).

`preview_refund` is Solidus's "simulate": the amount per tender the shopper sees before confirming; it
writes nothing. `issue_refund` computes the same preview under the order's lock and carries it out in one
transaction: Refund and parts, gateway refunds, gift card credits, a new credit note, schedule reductions,
ledger entries, the e-mail and the credit-note invoice. A replayed key returns the first Refund.

Gateway refunds run inside that transaction, as `payments.services.release` does: the sandbox PSP shares
our database, so a rollback undoes its side too; every PSP key is derived from the refund's id (itself
derived from the idempotency key) and the part's position, and money parts come last in an allocation,
so a retry after a crash replays the same PSP operations rather than paying twice.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from comptoir.core.errors import Conflict, InvalidInput, PaymentRefused
from comptoir.core.money import Money
from comptoir.giftcards import services as giftcards
from comptoir.giftcards.models import StoredValueCard
from comptoir.invoices import services as invoices
from comptoir.loyalty import services as loyalty
from comptoir.orders.models import Order, OrderEvent, OrderLine
from comptoir.orders.services import lock_order
from comptoir.payments import schedule, stored_value
from comptoir.payments.gateway import get_gateway
from comptoir.payments.models import Payment, PaymentEntry, ScheduledCharge
from comptoir.payments.rules import GATEWAY_METHODS, STORED_VALUE_METHODS
from comptoir.payments.services import balance
from comptoir.payouts.models import POSTAGE_REIMBURSEMENT, REFUND_TRANSFER_BACK
from comptoir.payouts.opening import open_payout
from comptoir.refunds import allocation
from comptoir.refunds.amounts import ReturnedLine, line_refund, refund_amount
from comptoir.refunds.emails import notify_refund_issued
from comptoir.refunds.models import COMPLETED, PENDING, Refund, RefundPart, refund_id_for

RULE = "ALL-RFD-06"


@dataclass(frozen=True, slots=True)
class RefundPreview:
    """What a refund would give back and where: `parts` per tender, in the order they are paid out;
    `new_card_kind` is the kind of card issued for the "new_credit_note" parts (AL-RFD-01/02)."""

    amount_minor: int
    parts: list[allocation.RefundPart]
    currency: str
    shipping_minor: int = 0
    items: list[tuple[int, int]] = field(default_factory=list)
    new_card_kind: str | None = None
    # AL-RET-02: the part of `amount_minor` reimbursing postage (its parts come last in `parts`).
    reimbursement_minor: int = 0
    # OP-GAR-01: what the goods give back when the guarantee capped it (the credit note credits exactly that).
    capped_goods_minor: int | None = None

    @property
    def totals(self) -> dict[str, int]:
        return allocation.totals_by_destination(self.parts)


def preview_refund(order: Order, *, items: list[tuple[int, int]], include_shipping: bool | None = None,
                   choice: str, now: datetime, amount_minor: int | None = None,
                   cap_minor: int | None = None, reimbursement_minor: int = 0) -> RefundPreview:
    """The refund of `items` ((order line id, quantity) pairs) as it would be issued now; no writes.
    `include_shipping` None lets the policy decide (OG-RFD-01: only when the whole order comes back).
    `cap_minor` caps what the items give back (OP-GAR-01: the price paid excluding tax); `amount_minor`
    with no items is a refund of money alone that returns no units (AL-EXC-02: an exchange's difference);
    `reimbursement_minor` is return postage the shopper advanced, paid with the refund (AL-RET-02)."""
    preview, _ = _prepare(order, items=items, include_shipping=include_shipping, choice=choice, now=now,
                          amount_minor=amount_minor, cap_minor=cap_minor, reimbursement_minor=reimbursement_minor)
    return preview


def issue_refund(order: Order, *, items: list[tuple[int, int]], choice: str, reason: str, return_reference: str,
                 idempotency_key: str, now: datetime, include_shipping: bool | None = None,
                 amount_minor: int | None = None, cap_minor: int | None = None,
                 reimbursement_minor: int = 0) -> Refund:
    """Issue the refund `preview_refund` shows, once per `idempotency_key` (ALL-RFD-06): a replay returns
    the first Refund and moves nothing. Refusals: 409 refund_exceeds_paid, 409 refund_quantity_exceeds_ordered,
    422 nothing_to_refund, 402 when the PSP refuses (everything is then rolled back)."""
    if not 0 < len(idempotency_key) <= 120:
        raise InvalidInput("invalid_idempotency_key")
    refund_id = refund_id_for(idempotency_key)
    replay = _replayed(refund_id, order, items, choice)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            locked = lock_order(order.pk)  # one refund of an order at a time; then charges, cards, invoices
            replay = _replayed(refund_id, locked, items, choice)
            if replay is not None:
                return replay
            preview, payments = _prepare(locked, items=items, include_shipping=include_shipping, choice=choice,
                                         now=now, amount_minor=amount_minor, cap_minor=cap_minor,
                                         reimbursement_minor=reimbursement_minor)
            refund = Refund.objects.create(
                id=refund_id, order=locked, return_reference=return_reference, amount_minor=preview.amount_minor,
                shipping_minor=preview.shipping_minor, reimbursement_minor=preview.reimbursement_minor,
                currency=locked.currency,
                items=[list(item) for item in preview.items], choice=choice, reason=reason[:200],
                idempotency_key=idempotency_key, created_at=now,
            )
            parts = RefundPart.objects.bulk_create([
                RefundPart(refund=refund, position=position, payment_id=part.payment_id, destination=part.destination,
                           amount_minor=part.amount_minor, created_at=now)
                for position, part in enumerate(preview.parts)
            ])
            card = _carry_out(refund, parts, payments, preview, now=now)
            _settle(refund, parts, now)
            _issue_credit_note_invoice(locked, refund, preview, now=now)
            OrderEvent.objects.create(order=locked, kind="refund_issued", actor="system", at=now, data={
                "refund": str(refund.pk), "amount_minor": refund.amount_minor, "choice": choice,
                "return_reference": return_reference, "totals": preview.totals,
                "reimbursement_minor": preview.reimbursement_minor,
            })
            notify_refund_issued(locked, refund, parts, payments, card, now=now)
            # AL-LOY-03/06: the loves of exactly the units refunded go; a used voucher only on a full return.
            loyalty.reverse_for_refund(locked, refund, now=now)
    except IntegrityError:
        replay = _replayed(refund_id, order, items, choice)  # the same key raced us and won
        if replay is None:
            raise
        return replay
    return refund


# --- Facts and the preview ---------------------------------------------------------------------------


def _prepare(order: Order, *, items, include_shipping, choice, now, amount_minor=None, cap_minor=None,
             reimbursement_minor=0):
    """The preview and the order's payments, from the facts in the database."""
    if choice not in allocation.CHOICES:
        raise InvalidInput("refund_choice_unknown", rule="AL-RFD-01")
    if amount_minor is not None:
        # Money alone (AL-EXC-02's price difference, the value an exchange order carries): no units, no shipping.
        if items:
            raise InvalidInput("invalid_input", fields="items (a refund of an amount returns no units)")
        return _allocated(order, amount_minor, 0, [], choice, now)
    lines = {line.pk: line for line in OrderLine.objects.filter(order=order)}
    wanted = _wanted(items, lines)
    earlier = list(Refund.objects.filter(order=order).values_list("items", "shipping_minor"))
    before = Counter()
    for refunded_items, _ in earlier:
        for line_id, quantity in refunded_items:
            before[line_id] += quantity
    for line_id, quantity in wanted.items():
        line = lines[line_id]
        if before[line_id] + quantity > line.quantity:
            raise Conflict("refund_quantity_exceeds_ordered", rule=RULE, sku=line.sku, quantity=quantity,
                           left=line.quantity - before[line_id])
    returned = [ReturnedLine(lines[i].unit_price_minor, lines[i].discount_minor, lines[i].quantity, q, before[i])
                for i, q in sorted(wanted.items())]
    # The whole order is back when every physical unit is (e-gift cards are not sent back).
    whole = all(before[line.pk] + wanted[line.pk] == line.quantity
                for line in lines.values() if not line.is_gift_card)
    shipping_left = order.shipping_minor - sum(shipping for _, shipping in earlier)
    returns_policy = order.brand.policy_object.returns
    if include_shipping is None:  # OG-RFD-01; a brand without a returns section yet keeps the default
        whole_returned = whole
        refund_shipping = returns_policy.refund_shipping_on_full_return if returns_policy else True
    else:
        whole_returned, refund_shipping = True, include_shipping
    amount = refund_amount(returned, shipping_left, whole_order_returned=whole_returned,
                           refund_shipping_on_full_return=refund_shipping)
    goods = refund_amount(returned, 0, whole_order_returned=False, refund_shipping_on_full_return=False)
    shipping = amount - goods
    capped = None
    if cap_minor is not None and cap_minor < goods:
        capped = cap_minor  # OP-GAR-01: the goods never give back more than the cap
        amount = capped + shipping
    # What the order keeps for later refunds: the units not refunded after this one, and the shipping left.
    reserved = shipping_left - shipping + sum(
        line_refund(ReturnedLine(line.unit_price_minor, line.discount_minor, line.quantity,
                                 line.quantity - before[pk] - wanted[pk], before[pk] + wanted[pk]))
        for pk, line in lines.items())
    return _allocated(order, amount, shipping, sorted(wanted.items()), choice, now, capped_goods=capped,
                      reimbursement=reimbursement_minor, reserved=reserved)


def _allocated(order: Order, amount: int, shipping: int, items: list, choice: str, now: datetime, *,
               capped_goods: int | None = None, reimbursement: int = 0, reserved: int = 0):
    """Where `amount` goes, across the order's tenders (ALL-RFD-06: never more than a tender paid), then
    where the postage reimbursement goes (AL-RET-02, `allocation.allocate_reimbursement`)."""
    if amount <= 0:
        raise InvalidInput("nothing_to_refund", rule="OG-RFD-01")
    if reimbursement < 0:
        raise InvalidInput("invalid_input", fields="reimbursement_minor")
    payments, tenders = _tenders(order, now=now)
    try:
        parts = allocation.allocate_refund(tenders, amount, choice=choice)
    except ValueError:
        refundable = allocation.refundable_total(tenders)
        raise Conflict("refund_exceeds_paid", rule=RULE, amount=Money(amount, order.currency).format("en"),
                       refundable=Money(refundable, order.currency).format("en")) from None
    parts += allocation.allocate_reimbursement(allocation.after_parts(tenders, parts), reimbursement, choice=choice,
                                               reserved_minor=reserved)
    kind = allocation.new_card_kind(tenders) if any(p.destination == "new_credit_note" for p in parts) else None
    preview = RefundPreview(amount + reimbursement, parts, order.currency, shipping_minor=shipping, items=items,
                            new_card_kind=kind, reimbursement_minor=reimbursement, capped_goods_minor=capped_goods)
    return preview, payments


def _wanted(items, lines: dict[int, OrderLine]) -> Counter:
    wanted = Counter()
    for line_id, quantity in items:
        if line_id not in lines:
            raise InvalidInput("refund_line_not_in_order", rule=RULE, line=line_id)
        if not isinstance(quantity, int) or quantity <= 0:
            raise InvalidInput("invalid_input", fields="items.quantity")
        wanted[line_id] += quantity
    return wanted


def _tenders(order: Order, *, now: datetime) -> tuple[dict, list[allocation.Tender]]:
    """Each payment as a tender: sums of its ledger, its charges still scheduled, the transfers back staff
    have yet to send, and whether its gift card has expired. A constant number of queries.

    Payment rows are not locked here: the order lock serialises refunds and cancellations, a concurrent
    capture only adds to what is refundable, and the worker's charge sweep locks a charge before its
    payment, so locking payments first could deadlock with it. A charge taken meanwhile makes
    `reduce_scheduled_charges` reduce less than planned, which is refused (retry)."""
    payments = {payment.pk: payment for payment in Payment.objects.filter(order=order).order_by("created_at", "id")}
    sums = {row["payment_id"]: row for row in PaymentEntry.objects.filter(payment__order=order)
            .values("payment_id").annotate(captured=Sum("amount_minor", filter=Q(kind="capture"), default=0),
                                           refunded=Sum("amount_minor", filter=Q(kind="refund"), default=0))}
    scheduled = dict(ScheduledCharge.objects.filter(payment__order=order, status=ScheduledCharge.SCHEDULED)
                     .values("payment_id").annotate(total=Sum("amount_minor")).values_list("payment_id", "total"))
    awaiting = dict(RefundPart.objects.filter(payment__order=order, destination="bank_transfer_back", status=PENDING)
                    .values("payment_id").annotate(total=Sum("amount_minor")).values_list("payment_id", "total"))
    card_ids = {pk: _card_id(p) for pk, p in payments.items() if p.method in STORED_VALUE_METHODS}
    expiries = dict(StoredValueCard.objects.filter(pk__in=card_ids.values()).values_list("pk", "expires_at"))
    tenders = []
    for pk, payment in payments.items():
        ledger = sums.get(pk, {"captured": 0, "refunded": 0})
        card_id = card_ids.get(pk)
        tenders.append(allocation.Tender(
            payment_id=pk, method=payment.method, paid_minor=ledger["captured"],
            refunded_minor=ledger["refunded"] + awaiting.get(pk, 0), card_id=card_id,
            scheduled_minor=scheduled.get(pk, 0),
            card_expired=card_id is not None and now >= expiries[card_id],
        ))
    return payments, tenders


def _card_id(payment: Payment) -> int:
    return int(payment.psp_reference.removeprefix(stored_value.REFERENCE_PREFIX))


# --- Carrying the parts out -----------------------------------------------------------------------------


def _carry_out(refund: Refund, parts: list[RefundPart], payments: dict, preview: RefundPreview, *,
               now: datetime) -> StoredValueCard | None:
    """Move the money of each part and record it in the ledgers; returns the new card, if any."""
    order = refund.order
    for part in parts:
        payment = payments.get(part.payment_id)
        key = f"refund:{refund.pk}:{part.position}"
        if part.destination == "original":
            part.psp_reference = _refund_captures(payment, part.amount_minor, key=key, refund=refund, now=now)
        elif part.destination == "same_card":
            stored_value.give_back(payment, amount_minor=part.amount_minor, reason=key, now=now)
            part.psp_reference = payment.psp_reference
        elif part.destination == "cancel_scheduled":
            # Recorded by the charges themselves and a "schedule_reduced" order event, not as a ledger
            # refund: nothing was taken, so nothing is given back (AL-RFD-04/05).
            reduced = schedule.reduce_scheduled_charges(payment, part.amount_minor, now)
            if reduced != part.amount_minor:
                raise Conflict("refund_exceeds_paid", rule=RULE, amount=part.amount_minor, refundable=reduced)
        elif part.destination == "bank_transfer_back":
            _ask_staff_for_transfer(order, payment, part, now=now)
            continue  # pending until payouts.services.record_payout_sent
        elif part.destination == "payout":
            _ask_staff_for_payout(order, part, now=now)
            continue  # pending until payouts.services.record_payout_sent
        if part.destination != "new_credit_note":
            part.status, part.completed_at = COMPLETED, now
    card = _issue_new_card(refund, [p for p in parts if p.destination == "new_credit_note"], preview, now=now)
    RefundPart.objects.bulk_update(parts, ["status", "completed_at", "psp_reference", "detail"])
    for payment in payments.values():
        _settle_payment_status(payment, now)
    return card


def _refund_captures(payment: Payment, amount_minor: int, *, key: str, refund: Refund, now: datetime) -> str:
    """Refund `amount_minor` from the PSP transactions that charged this payment, the latest first: one
    for a card or PayPal sale, one per instalment already taken (AL-RFD-04 "re-credited")."""
    captured, refunded = defaultdict(int), defaultdict(int)
    latest = {}
    entries = PaymentEntry.objects.filter(payment=payment, kind__in=("capture", "refund")).order_by("created_at", "id")
    for entry in entries:
        reference = entry.psp_reference or payment.psp_reference
        if entry.kind == "capture":
            captured[reference] += entry.amount_minor
            latest[reference] = entry.pk
        else:
            refunded[reference] += entry.amount_minor
    gateway, left, references = get_gateway(), amount_minor, []
    for reference in sorted(captured, key=lambda r: latest[r], reverse=True):
        amount = min(left, captured[reference] - refunded[reference])
        if amount <= 0:
            continue
        call_key = f"{key}:{len(references) + 1}"
        result = gateway.refund(psp_reference=reference, amount_minor=amount, idempotency_key=call_key, now=now)
        if result.status == "refused":
            raise PaymentRefused(result.refusal_code or "payment_refused", rule=RULE)
        PaymentEntry.objects.create(payment=payment, kind="refund", amount_minor=amount, idempotency_key=call_key,
                                    psp_reference=result.psp_reference or reference,
                                    data={"refund": str(refund.pk), "destination": "original"}, created_at=now)
        references.append(result.psp_reference or reference)
        left -= amount
        if left == 0:
            return ",".join(references)[:64]
    raise Conflict("refund_exceeds_paid", rule=RULE, amount=amount_minor, refundable=amount_minor - left)


def _issue_new_card(refund: Refund, parts: list[RefundPart], preview: RefundPreview, *,
                    now: datetime) -> StoredValueCard | None:
    """One new credit note (or gift card, AL-RFD-02) for all "new_credit_note" parts, its code e-mailed by
    giftcards.issue_card; each tender it consumed records a ledger refund pointing at the card."""
    if not parts:
        return None
    order = refund.order
    card, _ = giftcards.issue_card(
        order.brand, kind=preview.new_card_kind, amount_minor=sum(p.amount_minor for p in parts),
        recipient_email=order.email, language=order.language, source_order=order,
        idempotency_key=f"refund:{refund.pk}:card", now=now,
    )
    for part in parts:
        key = f"refund:{refund.pk}:{part.position}"
        reference = f"{stored_value.REFERENCE_PREFIX}{card.pk}"
        part.psp_reference, part.status, part.completed_at = reference, COMPLETED, now
        part.detail = {"card_id": card.pk, "kind": card.kind}
        if part.payment_id is None:
            continue  # AL-RET-02 postage: no tender gave it; the card's own ledger holds the credit
        PaymentEntry.objects.create(payment_id=part.payment_id, kind="refund", amount_minor=part.amount_minor,
                                    idempotency_key=key, psp_reference=reference,
                                    data={"refund": str(refund.pk), "destination": part.destination,
                                          "card_id": card.pk}, created_at=now)
    return card


def _ask_staff_for_transfer(order: Order, payment: Payment, part: RefundPart, *, now: datetime) -> None:
    """Money received by transfer goes back by a transfer staff send (AA-PAY-03): a payout to send and its care
    case; `payouts.services.record_payout_sent` completes the part."""
    payout = open_payout(order, kind=REFUND_TRANSFER_BACK, amount_minor=part.amount_minor, payment=payment,
                         refund_part=part, reason=f"refund part {part.pk}", now=now)
    part.detail = {"case_id": payout.case_id, "payout_id": payout.pk}


def _ask_staff_for_payout(order: Order, part: RefundPart, *, now: datetime) -> None:
    """Return postage the shopper advanced, with no payment able to carry it (AL-RET-02): a payout staff send by
    transfer, and its care case; `payouts.services.record_payout_sent` completes the part."""
    payout = open_payout(order, kind=POSTAGE_REIMBURSEMENT, amount_minor=part.amount_minor, refund_part=part,
                         reason=f"refund part {part.pk}", now=now)
    part.detail = {"case_id": payout.case_id, "payout_id": payout.pk}


def _settle_payment_status(payment: Payment, now: datetime) -> None:
    """Card, PayPal and stored-value payments read "partially_refunded" or "refunded"; scheduled and
    transfer payments keep the status their own flow manages."""
    if payment.method not in (*GATEWAY_METHODS, *STORED_VALUE_METHODS):
        return
    held = balance(payment)
    if held.refunded_minor == 0 or payment.status not in ("captured", "partially_refunded"):
        return
    status = "refunded" if held.refunded_minor >= held.captured_minor else "partially_refunded"
    if status != payment.status:
        payment.status, payment.updated_at = status, now
        payment.save(update_fields=["status", "updated_at"])


def _settle(refund: Refund, parts: list[RefundPart], now: datetime) -> None:
    if all(part.status == COMPLETED for part in parts) and refund.status != COMPLETED:
        refund.status, refund.completed_at = COMPLETED, now
        refund.save(update_fields=["status", "completed_at"])


def _issue_credit_note_invoice(order: Order, refund: Refund, preview: RefundPreview, *, now: datetime) -> None:
    """The credit note against the order's invoice (OG-ORD-06), when the invoice was issued."""
    if not preview.items or invoices.invoice_for_order(order) is None:
        return  # a refund of money alone credits no invoiced line
    invoices.issue_credit_note(order, lines=list(preview.items), shipping_minor=preview.shipping_minor,
                               goods_minor=preview.capped_goods_minor, reason=refund.reason or "refund", now=now,
                               idempotency_key=f"refund:{refund.pk}:invoice")


def _replayed(refund_id, order: Order, items, choice: str) -> Refund | None:
    """The refund a first call with this key issued; the key reused for another refund is refused."""
    refund = Refund.objects.filter(pk=refund_id).first()
    if refund is None:
        return None
    asked = sorted(_merged(items).items())
    if refund.order_id != order.pk or refund.choice != choice or [tuple(i) for i in refund.items] != asked:
        raise Conflict("idempotency_key_reused")
    return refund


def _merged(items) -> Counter:
    merged = Counter()
    for line_id, quantity in items:
        merged[line_id] += quantity
    return merged
