"""After the parcel leaves: reception in the warehouse or a store (OG-RET-05/06), inspection of each
item against the brand's refusal reasons (OG-RET-04, AA-RET-02, AL-RET-05), then the refund of the
accepted items through the refund engine, or closing when all were refused. Receiving never refunds by
itself (medusa#4052): the refund is its own move, due by the policy's delay, made by staff or the sweep.

Around that: accepted items go back to stock once, when the inspection ends; a deferred payment's charge not
yet due waits from reception to refund (AL-RFD-05); return postage advanced from abroad is reimbursed with
the refund (AL-RET-02)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction

from comptoir.catalog.services import release_stock
from comptoir.core.errors import DomainError, InvalidInput
from comptoir.exchanges.services import exchanged_item_ids, settle_exchanges
from comptoir.payments.schedule import hold_deferred_charges, release_held_charges
from comptoir.returns import refunding, states
from comptoir.returns.emails import notify_return
from comptoir.returns.models import ReturnRequest
from comptoir.returns.rules import (
    ArrivalFacts, check_arrival_in_time, check_postage_advanced, postage_reimbursement, refund_due_at,
)
from comptoir.returns.transitions import lock_return, move, record_event

logger = logging.getLogger("comptoir.returns")
WAREHOUSE = "warehouse"


@dataclass(frozen=True, slots=True)
class ItemInspection:
    item_id: int
    accepted: bool
    refusal_reason: str = ""
    note: str = ""


def receive_return(ret: ReturnRequest, *, location: str = WAREHOUSE, sent_on: date | None = None,
                   item_ids: list[int] | None = None, postage_advanced_minor: int | None = None, actor: str,
                   now: datetime) -> ReturnRequest:
    """Staff scan the parcel in the warehouse or a store (OG-RET-06): the return shows "Return received"
    (OG-RET-05). Items sent later than the policy allows are refused at once (OG-RET-02). Staff note the
    postage the shopper advanced when it is reimbursed (AL-RET-02); deferred charges not yet due wait for the
    refund (AL-RFD-05)."""
    policy = ret.brand.policy_object
    if location != WAREHOUSE and location not in {store.code for store in policy.stores}:
        raise InvalidInput("unknown_store", rule="OG-RET-06", store=location[:40])
    with transaction.atomic():
        ret = lock_return(ret.pk)
        check_postage_advanced(ret.reimbursement_cap_minor, postage_advanced_minor).enforce(InvalidInput)
        move(ret, "receive", actor=actor, now=now, data={"location": location,
                                                          "postage_advanced_minor": postage_advanced_minor})
        ret.received_at, ret.received_at_location = now, location
        ret.postage_advanced_minor = postage_advanced_minor
        hold_deferred_charges(ret.order, reference=ret.number, now=now)
        present = ret.items.all() if item_ids is None else ret.items.filter(id__in=item_ids)
        present.update(reception_status="received")
        ret.items.filter(reception_status="expected").update(reception_status="missing")
        sent_at = datetime.combine(sent_on, time(12), tzinfo=policy.tz) if sent_on else None
        in_time = check_arrival_in_time(policy, ArrivalFacts(ret.declared_at, sent_at), now)
        if not in_time:
            ret.items.update(inspection_status="refused", refusal_reason="sent_too_late", inspected_at=now,
                             inspected_by=actor, inspection_note=in_time.code)
            _finish_inspection(ret, policy, actor=actor, now=now)
        else:
            notify_return(ret, "return_received", now=now)
        ret.save()
    if ret.status != states.RECEIVED:
        ret = settle_exchanges(ret, actor=actor, now=now)  # everything arrived too late: exchanges refused
    return ret


def inspect_items(ret: ReturnRequest, *, inspections: list[ItemInspection], actor: str,
                  now: datetime) -> ReturnRequest:
    """Accept or refuse each item with one of the brand's reasons, a note and photos; once every item is
    decided the refund falls due (or the return closes when nothing was accepted)."""
    policy = ret.brand.policy_object
    allowed = {reason.code for reason in policy.returns.refusal_reasons}
    for inspection in inspections:
        if not inspection.accepted and inspection.refusal_reason not in allowed:
            raise InvalidInput("unknown_refusal_reason", rule="OG-RET-04", reason=inspection.refusal_reason[:40],
                               reasons=", ".join(sorted(allowed)))
    with transaction.atomic():
        ret = lock_return(ret.pk)
        if ret.status != states.RECEIVED:
            raise states.IllegalTransition("return", ret.status, "inspect")
        items = {item.id: item for item in ret.items.select_for_update()}
        for inspection in inspections:
            item = items.get(inspection.item_id)
            if item is None:
                raise InvalidInput("item_not_in_return", item=inspection.item_id)
            item.inspection_status = "accepted" if inspection.accepted else "refused"
            item.refusal_reason = "" if inspection.accepted else inspection.refusal_reason
            item.inspection_note = inspection.note[:2000]
            item.inspected_at, item.inspected_by = now, actor
            item.save()
            record_event(ret, "item_inspected", actor=actor, now=now,
                         data={"item": item.id, "decision": item.inspection_status, "reason": item.refusal_reason,
                               "note": item.inspection_note,
                               "photos": list(item.inspection_photos.values_list("pk", flat=True))})
        for item in items.values():
            if item.reception_status == "missing" and item.inspection_status == "pending":
                item.inspection_status, item.refusal_reason = "refused", "not_received"
                item.inspected_at, item.inspected_by = now, actor
                item.save()
        if all(item.inspection_status != "pending" for item in items.values()):
            _finish_inspection(ret, policy, actor=actor, now=now)
        ret.save()
    if ret.status == states.INSPECTED:
        ret = settle_exchanges(ret, actor=actor, now=now)  # AL-EXC-04: exchange orders once the items are accepted
    if ret.status == states.INSPECTED and ret.refund_due_at and ret.refund_due_at <= now:
        ret = refund_return(ret, actor="system", now=now)  # AL-RFD-01 "issued immediately after ... inspection"
    return ret


def _finish_inspection(ret: ReturnRequest, policy, *, actor: str, now: datetime) -> None:
    move(ret, "inspect", actor=actor, now=now)
    ret.inspected_at = now
    refused = ret.items.filter(inspection_status="refused").exists()
    _restock_accepted(ret, actor=actor, now=now)
    if not ret.items.filter(inspection_status="accepted").exists():
        move(ret, "close", actor=actor, now=now)
        release_deferred_charges(ret, now=now)  # AL-PAY-04: nothing came back, what was kept is charged
    else:
        ret.refund_due_at = refund_due_at(policy, declared_at=ret.declared_at, validated_at=now)
    if refused:
        notify_return(ret, "return_refused", now=now)  # OG-RET-04 "refused with the reason"


def _restock_accepted(ret: ReturnRequest, *, actor: str, now: datetime) -> None:
    """The accepted items' units go back on sale, once (`restocked_at`), in the transaction that ends the
    inspection; refused items stay out. The items are locked by the caller (inspect) or the return row is
    (receive), so two inspections cannot both restock."""
    items = list(ret.items.select_for_update().filter(inspection_status="accepted", restocked_at__isnull=True)
                 .select_related("order_line"))
    quantities: dict[int, int] = {}
    for item in items:
        if item.order_line.is_gift_card:
            continue  # an e-gift card is not a thing on a shelf
        quantities[item.order_line.variant_id] = quantities.get(item.order_line.variant_id, 0) + item.quantity
    release_stock(quantities)
    ret.items.filter(pk__in=[item.pk for item in items]).update(restocked_at=now)
    if quantities:
        record_event(ret, "items_restocked", actor=actor, now=now,
                     data={"items": [item.pk for item in items], "variants": {str(k): v for k, v in quantities.items()}})


def release_deferred_charges(ret: ReturnRequest, *, now: datetime) -> None:
    """AL-RFD-05: once no return of the order is waiting for inspection or refund, its held deferred charges
    (what was kept) go back in the sweep. Caller's transaction, after the return has moved on."""
    waiting = ReturnRequest.objects.filter(order_id=ret.order_id, status__in=(states.RECEIVED, states.INSPECTED))
    if not waiting.exclude(pk=ret.pk).exists():
        release_held_charges(ret.order, reference=ret.number, now=now)


def refund_return(ret: ReturnRequest, *, actor: str, now: datetime) -> ReturnRequest:
    """Refund the accepted items through the refund engine (OG-RFD-01, AL-RFD-01), with the refund
    method chosen at declaration, and the return postage the shopper advanced (AL-RET-02); the key makes a
    retry refund once (ALL-RFD-06)."""
    ret = ReturnRequest.objects.select_related("brand", "order").get(pk=ret.pk)
    if ret.status != states.INSPECTED:
        raise states.IllegalTransition("return", ret.status, "refund")
    exchanged = exchanged_item_ids(ret)  # paid back in kind by an exchange order (AL-EXC-04)
    items = [(line_id, quantity) for item_id, line_id, quantity
             in ret.items.filter(inspection_status="accepted").values_list("id", "order_line_id", "quantity")
             if item_id not in exchanged]
    reference = refunding.issue(ret.order, items=items, choice=ret.refund_choice, reason="return",
                                reference=ret.number, key=f"return:{ret.pk}:refund", now=now,
                                reimbursement_minor=postage_reimbursement(ret.reimbursement_cap_minor,
                                                                          ret.postage_advanced_minor))
    with transaction.atomic():
        ret = lock_return(ret.pk)
        if ret.status == states.INSPECTED:
            move(ret, "refund", actor=actor, now=now, data={"refund": reference})
            ret.refunded_at, ret.refund_reference = now, reference
            ret.save()
            release_deferred_charges(ret, now=now)
    return ret


def refund_due_returns(now: datetime, *, limit: int = 100) -> int:
    """Worker sweep: inspected returns whose refund falls due are refunded (OG-RFD-01 2–3 days, OG-RET-06
    2 days, AA-RFD-01 14 days of notice); a refusal by the engine is logged and retried next round."""
    done = 0
    due = (ReturnRequest.objects.filter(status=states.INSPECTED, refund_due_at__lte=now)
           .order_by("refund_due_at").values_list("pk", flat=True)[:limit])
    for return_id in list(due):
        try:
            refund_return(ReturnRequest(pk=return_id), actor="system", now=now)
            done += 1
        except DomainError as error:
            logger.warning("return %s: refund refused: %s", return_id, error)
    return done
