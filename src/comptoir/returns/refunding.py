"""The one door from returns to the refund engine (comptoir.refunds): preview before confirming,
issue once accepted. Returns never compute refund amounts themselves.

Two doors within: an exchange order's refund goes back to what paid for it (AL-RET-07, comptoir.exchanges),
and a brand whose guarantee is limited to the price paid excluding tax caps what goods give back (OP-GAR-01)."""

from __future__ import annotations

from datetime import datetime

from comptoir.exchanges.refunding import exchange_behind, preview_exchange_order_refund, refund_exchange_order
from comptoir.orders.models import Order, OrderLine
from comptoir.refunds.services import issue_refund, preview_refund
from comptoir.repairs.guarantee import refund_cap


def _cap(order: Order, items: list[tuple[int, int]]) -> int | None:
    """OP-GAR-01: a refund for a non-compliant product never exceeds its price paid excluding tax."""
    policy = order.brand.policy_object
    if policy.guarantee.liability_cap == "price_paid":
        return None
    lines = {line.pk: line for line in OrderLine.objects.filter(order=order, pk__in=[i for i, _ in items])}
    return refund_cap(policy, lines, items)


def preview(order: Order, *, items: list[tuple[int, int]], choice: str, now: datetime,
            reimbursement_minor: int = 0) -> dict:
    """What refunding `items` ((order line id, quantity)) would give back, per tender (Solidus's simulate),
    with the return postage reimbursed (AL-RET-02)."""
    exchange = exchange_behind(order)
    if exchange is not None:
        results = preview_exchange_order_refund(exchange, order, items=items, choice=choice, now=now)
    else:
        results = [preview_refund(order, items=items, choice=choice, now=now, cap_minor=_cap(order, items),
                                  reimbursement_minor=reimbursement_minor)]
    return {
        "amount_minor": sum(result.amount_minor for result in results),
        "currency": results[0].currency,
        "shipping_minor": sum(result.shipping_minor for result in results),
        "reimbursement_minor": sum(result.reimbursement_minor for result in results),
        "parts": [{"payment_id": str(part.payment_id) if part.payment_id else None,
                   "destination": part.destination, "amount_minor": part.amount_minor}
                  for result in results for part in result.parts],
    }


def issue(order: Order, *, items: list[tuple[int, int]], choice: str, reason: str, reference: str, key: str,
          now: datetime, reimbursement_minor: int = 0) -> str:
    """Issue the refund (once per `key`, ALL-RFD-06), return postage reimbursed with it (AL-RET-02); returns the
    refund's id (two ids for an exchange order, whose postage is not reimbursed: see the README's gaps)."""
    exchange = exchange_behind(order)
    if exchange is not None:
        return refund_exchange_order(exchange, order, items=items, choice=choice, reason=reason, reference=reference,
                                     key=key, now=now)
    refund = issue_refund(order, items=items, choice=choice, reason=reason, return_reference=reference,
                          idempotency_key=key, now=now, cap_minor=_cap(order, items),
                          reimbursement_minor=reimbursement_minor)
    return str(refund.pk)
