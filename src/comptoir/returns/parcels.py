"""AL-SHP-09: a parcel returned to the sender is not reshipped; it is refunded automatically within the
policy's working days. Staff record the return; the worker sweep refunds what falls due."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction

from comptoir.core.errors import Conflict, DomainError, NotFound
from comptoir.orders.models import Order, OrderLine
from comptoir.orders.services import record_event
from comptoir.returns import refunding
from comptoir.returns.models import ReturnedParcel
from comptoir.returns.rules import returned_parcel_refund_due_at

logger = logging.getLogger("comptoir.returns")
RULE = "AL-SHP-09"


def mark_returned_to_sender(order: Order, *, shipment_id, actor: str, now: datetime) -> ReturnedParcel:
    """Record that the carrier brought this parcel back; its refund falls due N working days later."""
    policy = order.brand.policy_object
    if policy.returns is None or not policy.returns.returned_to_sender_refund_within_working_days:
        raise Conflict("returned_to_sender_not_offered", rule=RULE)
    shipment = order.shipments.filter(pk=shipment_id).first()
    if shipment is None:
        raise NotFound("not_found", thing="shipment")
    if shipment.delivered_at is not None:
        raise Conflict("shipment_not_returnable", rule=RULE)
    try:
        with transaction.atomic():
            parcel = ReturnedParcel.objects.create(
                brand=order.brand, order=order, shipment=shipment, returned_at=now, actor=actor,
                refund_due_at=returned_parcel_refund_due_at(policy, now),
            )
            record_event(order, "returned_to_sender", actor=actor, now=now,
                         data={"shipment": str(shipment.id), "refund_due_at": parcel.refund_due_at.isoformat()})
    except IntegrityError:
        raise Conflict("shipment_already_returned", rule=RULE) from None
    return parcel


def refund_returned_parcel(parcel: ReturnedParcel, *, now: datetime) -> ReturnedParcel:
    """Refund every unit the parcel held, to the original payment method (idempotent on the parcel)."""
    items = list(OrderLine.objects.filter(shipment_id=parcel.shipment_id).order_by("id")
                 .values_list("id", "quantity"))
    reference = refunding.issue(parcel.order, items=items, choice="original", reason="returned_to_sender",
                                reference=f"RTS-{parcel.shipment_id}", key=f"returned-parcel:{parcel.pk}:refund",
                                now=now)
    with transaction.atomic():
        parcel = ReturnedParcel.objects.select_for_update(of=("self",)).select_related("order").get(pk=parcel.pk)
        if parcel.refunded_at is None:
            parcel.refunded_at, parcel.refund_reference = now, reference
            parcel.save(update_fields=["refunded_at", "refund_reference"])
            record_event(parcel.order, "returned_parcel_refunded", actor="system", now=now,
                         data={"shipment": str(parcel.shipment_id), "refund": reference})
    return parcel


def refund_returned_parcels(now: datetime, *, limit: int = 100) -> int:
    """Worker sweep (AL-SHP-09): refund the returned parcels whose refund falls due."""
    done = 0
    due = (ReturnedParcel.objects.select_related("order__brand")
           .filter(refunded_at__isnull=True, refund_due_at__lte=now).order_by("refund_due_at")[:limit])
    for parcel in list(due):
        try:
            refund_returned_parcel(parcel, now=now)
            done += 1
        except DomainError as error:
            logger.warning("returned parcel %s: refund refused: %s", parcel.pk, error)
    return done
