"""AL-RET-07 "you can request a return on an exchange order": its refund gives back what paid for it — the
value the returned original item carried, on the original order's payments (money alone: those units were
already sent back), and the supplement the exchange order charged, on its own card."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Sum

from comptoir.core.errors import InvalidInput
from comptoir.exchanges.models import ExchangeRequest
from comptoir.exchanges.rules import units_share
from comptoir.orders.models import Order, OrderLine
from comptoir.refunds.services import RefundPreview, issue_refund, preview_refund
from comptoir.returns import states as return_states
from comptoir.returns.models import ReturnItem


def exchange_behind(order: Order) -> ExchangeRequest | None:
    """The exchange `order` was created for, if it is an exchange order."""
    if order.payment_method != "exchange":
        return None
    return ExchangeRequest.objects.select_related("original_order__brand").filter(exchange_order=order).first()


def _covered_share(exchange: ExchangeRequest, order: Order, items: list[tuple[int, int]]) -> int:
    """The original item's value carried by the units returned now (earlier refunded returns counted)."""
    line = OrderLine.objects.get(order=order)
    units = sum(quantity for line_id, quantity in items if line_id == line.pk)
    before = (ReturnItem.objects.filter(order_line=line, inspection_status="accepted",
                                        return_request__status=return_states.REFUNDED)
              .aggregate(total=Sum("quantity", default=0))["total"])
    return units_share(exchange.covered_minor, exchange.quantity, before, units) if units else 0


def _nothing(error: InvalidInput) -> bool:
    return error.code == "nothing_to_refund"


def preview_exchange_order_refund(exchange: ExchangeRequest, order: Order, *, items, choice: str,
                                  now: datetime) -> list[RefundPreview]:
    previews = []
    if order.total_minor:
        try:
            previews.append(preview_refund(order, items=items, choice=choice, now=now))
        except InvalidInput as error:
            if not _nothing(error):
                raise
    covered = _covered_share(exchange, order, items)
    if covered:
        previews.append(preview_refund(exchange.original_order, items=[], amount_minor=covered, choice=choice,
                                       now=now))
    if not previews:
        raise InvalidInput("nothing_to_refund", rule="AL-RET-07")
    return previews


def refund_exchange_order(exchange: ExchangeRequest, order: Order, *, items, choice: str, reason: str,
                          reference: str, key: str, now: datetime) -> str:
    """Issue both refunds, each once per key (a retry after a failure between them replays the first)."""
    ids = []
    if order.total_minor:
        try:
            ids.append(str(issue_refund(order, items=items, choice=choice, reason=reason, return_reference=reference,
                                        idempotency_key=key, now=now).pk))
        except InvalidInput as error:
            if not _nothing(error):
                raise
    covered = _covered_share(exchange, order, items)
    if covered:
        ids.append(str(issue_refund(exchange.original_order, items=[], amount_minor=covered, choice=choice,
                                    reason=reason, return_reference=reference, idempotency_key=f"{key}:original",
                                    now=now).pk))
    if not ids:
        raise InvalidInput("nothing_to_refund", rule="AL-RET-07")
    return ",".join(ids)
