"""Pure order rules: who may cancel or modify an order, and until when (OG/AA/AL-ORD-05)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from comptoir.brands.policy import BrandPolicy
from comptoir.core.decisions import Decision
from comptoir.orders import states


@dataclass(frozen=True, slots=True)
class OrderFacts:
    status: str
    placed_at: datetime


def check_shopper_cancellation(policy: BrandPolicy, order: OrderFacts, now: datetime) -> Decision:
    """Can the shopper cancel this order themselves, now?"""
    rules = policy.orders.cancellation
    if order.status not in states.NOT_DISPATCHED:
        return Decision.refuse("cancel_after_dispatch", "AA-ORD-05", state=order.status)
    if rules.channel == "customer_care":
        return Decision.refuse("cancel_through_customer_care", "OG-ORD-05", email=policy.contact.email,
                               phone=policy.contact.phone)
    if rules.deadline == "same_day_before_local_time":
        placed = order.placed_at.astimezone(policy.tz)
        local_now = now.astimezone(policy.tz)
        cutoff = rules.same_day_cutoff_local_time
        if local_now.date() != placed.date() or local_now.time() >= cutoff:
            return Decision.refuse("cancel_deadline_passed", "AA-ORD-05", cutoff=cutoff.strftime("%H:%M"))
    return Decision.allow()


def check_staff_cancellation(order: OrderFacts) -> Decision:
    """Staff cancel on request until a parcel has left (OG-ORD-05)."""
    if order.status not in states.NOT_DISPATCHED:
        return Decision.refuse("cancel_after_dispatch", "OG-ORD-05", state=order.status)
    return Decision.allow()


def check_shopper_modification(policy: BrandPolicy, order: OrderFacts, what: str) -> Decision:
    """Can the shopper change `what` ("variant" or "shipping_address") on this order? (AL-ORD-05)"""
    if what not in policy.orders.modification.shopper_may_change:
        if what == "variant":
            return Decision.refuse("items_cannot_change", "AA-ORD-05", email=policy.contact.email)
        return Decision.refuse("address_change_through_customer_care", "OG-ORD-05", email=policy.contact.email)
    if order.status not in states.NOT_DISPATCHED:
        return Decision.refuse("change_after_dispatch", "AL-ORD-05", state=order.status)
    return Decision.allow()


def check_staff_address_change(policy: BrandPolicy, order: OrderFacts) -> Decision:
    """OG-ORD-05: customer care may change the address after confirmation, until dispatch."""
    if not policy.orders.modification.staff_may_change_shipping_address:
        return Decision.refuse("permission_denied")
    if order.status not in states.NOT_DISPATCHED:
        return Decision.refuse("change_after_dispatch", "OG-ORD-05", state=order.status)
    return Decision.allow()
