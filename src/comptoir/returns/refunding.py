"""The one door from returns to the refund engine (comptoir.refunds): preview before confirming,
issue once accepted. Returns never compute refund amounts themselves."""

from __future__ import annotations

from datetime import datetime

from comptoir.orders.models import Order


def preview(order: Order, *, items: list[tuple[int, int]], choice: str, now: datetime) -> dict:
    """The amount per tender a refund of `items` ((order line id, quantity)) would make (Solidus's simulate)."""
    # Imported here while comptoir.refunds is built alongside; move to the top once it has landed.
    from comptoir.refunds.services import preview_refund

    result = preview_refund(order, items=items, choice=choice, now=now)
    return {
        "amount_minor": result.amount_minor,
        "currency": result.currency,
        "parts": [_part(part) for part in result.parts],
    }


def issue(order: Order, *, items: list[tuple[int, int]], choice: str, reason: str, reference: str, key: str,
          now: datetime) -> str:
    """Issue the refund (idempotent on `key`); returns the refund's reference."""
    from comptoir.refunds.services import issue_refund

    refund = issue_refund(order, items=items, choice=choice, reason=reason, return_reference=reference,
                          idempotency_key=key, now=now)
    return str(getattr(refund, "reference", "") or refund.pk)


def _part(part) -> dict:
    """A tender's share, as plain JSON whatever shape the engine gives it (dataclass, tuple or dict)."""
    if isinstance(part, dict):
        return {key: value for key, value in part.items() if isinstance(value, (str, int, float, bool, type(None)))}
    if hasattr(part, "_asdict"):
        return dict(part._asdict())
    fields = getattr(part, "__dataclass_fields__", None)
    if fields:
        return {name: getattr(part, name) for name in fields
                if isinstance(getattr(part, name), (str, int, float, bool, type(None)))}
    return {"value": str(part)}
