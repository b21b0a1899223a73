"""Issuing invoices and credit notes (OG-ORD-06): numbered in the same transaction that writes them.

Locks are taken in one order: the order rows, then the sequence rows in brand order (numbering). Both
functions run in the caller's transaction when there is one (else in their own): call them late in
that transaction, as the brand's sequence row stays locked until it commits.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime

from django.db import connection, transaction

from comptoir.core.errors import Conflict, InvalidInput
from comptoir.invoices.amounts import capped_amounts, share
from comptoir.invoices.models import CREDIT_NOTE, INVOICE, Invoice
from comptoir.invoices.numbering import next_number, next_numbers
from comptoir.invoices.snapshot import credit_note_snapshot, invoice_snapshot
from comptoir.orders.models import Order, OrderEvent, OrderLine
from comptoir.payments.models import Payment

RULE = "OG-ORD-06"
logger = logging.getLogger(__name__)


def invoice_for_order(order: Order) -> Invoice | None:
    """The order's invoice, or None before it is issued."""
    return Invoice.objects.filter(order_id=order.pk, kind=INVOICE).first()


def credit_notes_for_order(order: Order) -> list[Invoice]:
    return list(Invoice.objects.filter(order_id=order.pk, kind=CREDIT_NOTE).order_by("sequence_number"))


def _lock(order: Order) -> Order:
    # `of=("self",)`: lock the order only, not the brand row that select_related joins.
    return Order.objects.select_for_update(of=("self",)).select_related("brand").get(pk=order.pk)


def issue_invoice(order: Order, *, now: datetime) -> Invoice:
    """The invoice of a confirmed order, issued once: a second call returns the first invoice (OG-ORD-06)."""
    with transaction.atomic():
        return _issue_locked(_lock(order), now=now)


def _issue_locked(order: Order, *, now: datetime) -> Invoice:
    """issue_invoice for an order row this transaction has locked (its brand loaded)."""
    existing = invoice_for_order(order)
    if existing is not None:
        return existing
    if order.confirmed_at is None:
        raise Conflict("invoice_not_available", rule=RULE)
    brand = order.brand
    snapshot = invoice_snapshot(
        order, list(order.lines.order_by("id")), list(order.payments.order_by("created_at")),
        brand.policy_object, brand_name=brand.name, now=now,
    )
    return _write(order, INVOICE, snapshot, now=now)


def issue_credit_note(order: Order, *, lines: list[tuple[int, int]] | None, shipping_minor: int, reason: str,
                      now: datetime, idempotency_key: str = "", goods_minor: int | None = None) -> Invoice:
    """A credit note against the order's invoice for (order line id, quantity) pairs, or for every item not
    yet credited when `lines` is None, plus `shipping_minor` of shipping as charged. `goods_minor` credits
    only that much for the items, VAT split by rate (OP-GAR-01: a refund capped by the guarantee). Never
    credits more than was invoiced; a retry with the same `idempotency_key` returns the first credit note."""
    with transaction.atomic():
        order = _lock(order)
        if idempotency_key:
            existing = Invoice.objects.filter(brand_id=order.brand_id, idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        invoice = invoice_for_order(order)
        if invoice is None:
            raise Conflict("invoice_not_available", rule=RULE)
        credited = _credited(invoice, credit_notes_for_order(order), lines, shipping_minor)
        if goods_minor is not None:
            credited = _capped(credited, goods_minor)
        if not credited:
            raise InvalidInput("nothing_to_credit", rule=RULE)
        brand = order.brand
        snapshot = credit_note_snapshot(invoice, order, credited, reason, brand.policy_object, brand_name=brand.name,
                                        now=now)
        note = _write(order, CREDIT_NOTE, snapshot, now=now, credited_invoice=invoice, idempotency_key=idempotency_key)
    return note


def _credited(invoice: Invoice, previous: list[Invoice], requested: list[tuple[int, int]] | None,
              shipping_minor: int) -> list[tuple[dict, int, int, int]]:
    """(invoice line, quantity, amount, VAT) to credit, shipping being the line without an order line id.
    Never more than the invoice minus earlier credit notes; a line's last units take what is left of its
    amount and VAT, so crediting in parts gives back exactly what was invoiced."""
    invoiced = {line["order_line_id"]: line for line in invoice.snapshot["lines"]}
    quantity_taken, amount_taken, vat_taken = Counter(), Counter(), Counter()
    for note in previous:
        for line in note.snapshot["lines"]:  # negative amounts on credit notes
            quantity_taken[line["order_line_id"]] += line["quantity"]
            amount_taken[line["order_line_id"]] -= line["total_incl_vat_minor"]
            vat_taken[line["order_line_id"]] -= line["vat_minor"]

    def part(key, quantity: int, left: int, whole: int) -> tuple[dict, int, int, int]:
        line = invoiced[key]
        if quantity == left:
            return line, quantity, line["total_incl_vat_minor"] - amount_taken[key], line["vat_minor"] - vat_taken[key]
        return line, quantity, share(line["total_incl_vat_minor"], quantity, whole), share(line["vat_minor"], quantity, whole)

    if requested is None:
        wanted = Counter({key: line["quantity"] - quantity_taken[key] for key, line in invoiced.items() if key})
    else:
        wanted = Counter()
        for line_id, quantity in requested:
            if not line_id or line_id not in invoiced:
                raise InvalidInput("line_not_in_order", rule=RULE, line=line_id)
            if quantity <= 0:
                raise InvalidInput("invalid_input", rule=RULE, fields="lines.quantity")
            wanted[line_id] += quantity
    credited = []
    for line_id, quantity in sorted(wanted.items()):
        left = invoiced[line_id]["quantity"] - quantity_taken[line_id]
        if quantity > left:
            raise Conflict("credit_exceeds_invoice", rule=RULE, what=invoiced[line_id]["sku"])
        if quantity:
            credited.append(part(line_id, quantity, left, invoiced[line_id]["quantity"]))
    shipping = invoiced.get(None)
    shipping_left = shipping["total_incl_vat_minor"] - amount_taken[None] if shipping else 0
    if shipping_minor < 0 or shipping_minor > shipping_left:
        raise Conflict("credit_exceeds_invoice", rule=RULE, what="shipping")
    if shipping_minor:
        # Shipping is credited by amount: "left" and "whole" count minor units instead of items.
        line, _, amount, vat = part(None, shipping_minor, shipping_left, shipping["total_incl_vat_minor"])
        credited.append((line, 1, amount, vat))
    return credited


def _capped(credited: list[tuple[dict, int, int, int]], goods_minor: int) -> list[tuple[dict, int, int, int]]:
    """The items of `credited` brought down to `goods_minor` in all (shipping untouched), VAT per line's rate."""
    goods = [row for row in credited if row[0]["order_line_id"] is not None]
    try:
        amounts = capped_amounts([(amount, line["vat_rate_basis_points"]) for line, _, amount, _ in goods], goods_minor)
    except ValueError:
        raise Conflict("credit_exceeds_invoice", rule="OP-GAR-01", what="items") from None
    capped = [(line, quantity, amount, vat) for (line, quantity, _, _), (amount, vat) in zip(goods, amounts)]
    return capped + [row for row in credited if row[0]["order_line_id"] is None]


def _write(order: Order, kind: str, snapshot: dict, *, now: datetime, credited_invoice: Invoice | None = None,
           idempotency_key: str = "") -> Invoice:
    sequence_number, number = next_number(order.brand, kind)
    document = _document(order, kind, snapshot, sequence_number, number, now=now,
                         credited_invoice=credited_invoice, idempotency_key=idempotency_key)
    document.save(force_insert=True)
    _issued_event(order, document, now=now).save(force_insert=True)
    if kind == INVOICE:
        order.invoiced_at = now
        Order.objects.filter(pk=order.pk).update(invoiced_at=now)  # it leaves the invoicing queue
    return document


def _document(order: Order, kind: str, snapshot: dict, sequence_number: int, number: str, *, now: datetime,
              credited_invoice: Invoice | None = None, idempotency_key: str = "") -> Invoice:
    totals = snapshot["totals"]
    return Invoice(
        brand=order.brand, kind=kind, number=number, sequence_number=sequence_number, order=order,
        credited_invoice=credited_invoice, issued_at=now, language=order.language, currency=order.currency,
        total_excl_vat_minor=totals["excl_vat_minor"], vat_minor=totals["vat_minor"], total_minor=totals["incl_vat_minor"],
        idempotency_key=idempotency_key, snapshot=snapshot,
    )


def _issued_event(order: Order, document: Invoice, *, now: datetime) -> OrderEvent:
    return OrderEvent(order=order, kind=f"{document.kind}_issued", actor="system", at=now,
                      data={"number": document.number, "total_minor": document.total_minor})


def issue_pending_invoices(now: datetime, *, limit: int = 100, batch: int = 50) -> int:
    """Worker sweep: invoice every confirmed order that has none yet (OG-ORD-06), oldest first.

    Invoicing after the order's own transaction keeps checkout short and the brand's numbering lock
    out of it; the invoice is downloadable a moment after confirmation. Orders are invoiced `batch` at a
    time in one transaction with a constant number of statements: claimed with SKIP LOCKED where the
    database has it (several workers share the queue instead of waiting on each other's orders), their
    lines and payments read in one query each, one numbering step per brand, the documents written in
    bulk. An order whose invoice cannot be drawn up is logged and passed over until the next round, so
    that it does not hold up the orders behind it.
    """
    issued = 0
    passed_over: list = []
    while issued < limit:
        wanted = min(batch, limit - issued)
        with transaction.atomic():
            orders = _claim_uninvoiced_orders(now, passed_over=passed_over, limit=wanted)
            drafts = _drafts(orders, now=now, passed_over=passed_over)
            if drafts:
                _write_invoices(drafts, now=now)
        issued += len(drafts)
        if len(orders) < wanted:
            break  # the queue is empty (or holds orders another worker has claimed)
    return issued


def _claim_uninvoiced_orders(now: datetime, *, passed_over: list, limit: int) -> list[Order]:
    pending = (
        Order.objects.filter(confirmed_at__isnull=False, confirmed_at__lte=now, invoiced_at__isnull=True)
        .exclude(pk__in=passed_over)
        .select_related("brand")
        .order_by("confirmed_at")
    )
    if connection.features.has_select_for_update_skip_locked:
        # SQLite has no row locks: its write transactions are serialised anyway.
        pending = pending.select_for_update(skip_locked=True, of=("self",))
    return list(pending[:limit])


def _drafts(orders: list[Order], *, now: datetime, passed_over: list) -> list[tuple[Order, dict]]:
    """(order, snapshot) for each order whose invoice can be drawn up; the others join `passed_over`."""
    ids = [order.pk for order in orders]
    lines, payments = defaultdict(list), defaultdict(list)
    for line in OrderLine.objects.filter(order_id__in=ids).order_by("id"):
        lines[line.order_id].append(line)
    for payment in Payment.objects.filter(order_id__in=ids).order_by("created_at"):
        payments[payment.order_id].append(payment)
    drafts = []
    for order in orders:
        try:
            snapshot = invoice_snapshot(order, lines[order.pk], payments[order.pk], order.brand.policy_object,
                                        brand_name=order.brand.name, now=now)
        except Exception:
            logger.exception("invoicing order %s failed; retried next round", order.pk)
            passed_over.append(order.pk)
            continue
        drafts.append((order, snapshot))
    return drafts


def _write_invoices(drafts: list[tuple[Order, dict]], *, now: datetime) -> None:
    """Number and write the invoices of `drafts`, in their order; brands' series locked in id order."""
    by_brand = defaultdict(list)
    for order, snapshot in drafts:
        by_brand[order.brand_id].append((order, snapshot))
    invoices, events = [], []
    for _, brand_drafts in sorted(by_brand.items()):
        numbers = next_numbers(brand_drafts[0][0].brand, INVOICE, len(brand_drafts))
        for (order, snapshot), (sequence_number, number) in zip(brand_drafts, numbers):
            invoice = _document(order, INVOICE, snapshot, sequence_number, number, now=now)
            invoices.append(invoice)
            events.append(_issued_event(order, invoice, now=now))
            order.invoiced_at = now
    Invoice.objects.bulk_create(invoices)
    OrderEvent.objects.bulk_create(events)
    Order.objects.filter(pk__in=[order.pk for order, _ in drafts]).update(invoiced_at=now)  # out of the queue
