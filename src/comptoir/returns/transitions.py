"""Moving a return through its status machine, logging each move, and the per-line quantity ledger."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, F, Value, When

from comptoir.core.errors import NotFound
from comptoir.returns import states
from comptoir.returns.models import ReturnedQuantity, ReturnEvent, ReturnRequest


def record_event(ret: ReturnRequest, kind: str, *, actor: str, now: datetime, old: str = "", new: str = "",
                 data: dict | None = None) -> None:
    ReturnEvent.objects.create(return_request=ret, kind=kind, from_status=old, to_status=new, actor=actor, at=now,
                               data=data or {})


def move(ret: ReturnRequest, move_name: str, *, actor: str, now: datetime, data: dict | None = None) -> None:
    """One transition of the return's machine, logged (IllegalTransition → HTTP 409)."""
    old = ret.status
    ret.status = states.next_status(old, move_name)
    record_event(ret, move_name, actor=actor, now=now, old=old, new=ret.status, data=data)


def lock_return(return_id) -> ReturnRequest:
    ret = (ReturnRequest.objects.select_for_update(of=("self",)).select_related("brand", "order")
           .filter(pk=return_id).first())
    if ret is None:
        raise NotFound("not_found", thing="return")
    return ret.with_order_brand()


def claimed_quantities(lines) -> dict[int, int]:
    """Units of each locked order line already claimed by live returns (creating the ledger rows)."""
    existing = {row.order_line_id: row for row in ReturnedQuantity.objects.select_for_update()
                .filter(order_line__in=[line.id for line in lines])}
    missing = [ReturnedQuantity(order_line=line, ordered=line.quantity) for line in lines if line.id not in existing]
    if missing:
        ReturnedQuantity.objects.bulk_create(missing)
    return {line.id: existing[line.id].claimed if line.id in existing else 0 for line in lines}


def claim(quantities: dict[int, int]) -> None:
    """Add to the claimed units of these lines (order line id → units) in one UPDATE; the database refuses
    going above the ordered units."""
    ReturnedQuantity.objects.filter(order_line_id__in=quantities).update(claimed=F("claimed") + Case(
        *[When(order_line_id=line_id, then=Value(quantity)) for line_id, quantity in quantities.items()]))


def release_claims(ret: ReturnRequest) -> None:
    """A rejected or cancelled return gives its units back to the order."""
    for line_id, quantity in ret.items.values_list("order_line_id", "quantity"):
        ReturnedQuantity.objects.filter(order_line_id=line_id).update(claimed=F("claimed") - quantity)
