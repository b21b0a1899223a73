"""The one door from returns to the refund engine (comptoir.refunds): preview before confirming,
issue once accepted. Returns never compute refund amounts themselves."""

from __future__ import annotations

from datetime import datetime

from comptoir.orders.models import Order
from comptoir.refunds.services import issue_refund, preview_refund


def preview(order: Order, *, items: list[tuple[int, int]], choice: str, now: datetime) -> dict:
    """What refunding `items` ((order line id, quantity)) would give back, per tender (Solidus's simulate)."""
    result = preview_refund(order, items=items, choice=choice, now=now)
    return {
        "amount_minor": result.amount_minor,
        "currency": result.currency,
        "shipping_minor": result.shipping_minor,
        "parts": [{"payment_id": str(part.payment_id) if part.payment_id else None,
                   "destination": part.destination, "amount_minor": part.amount_minor} for part in result.parts],
    }


def issue(order: Order, *, items: list[tuple[int, int]], choice: str, reason: str, reference: str, key: str,
          now: datetime) -> str:
    """Issue the refund (once per `key`, ALL-RFD-06); returns the refund's id."""
    refund = issue_refund(order, items=items, choice=choice, reason=reason, return_reference=reference,
                          idempotency_key=key, now=now)
    return str(refund.pk)
