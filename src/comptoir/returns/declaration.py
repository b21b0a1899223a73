"""Declaring a return and its approval: the shopper picks items and reasons (OG-RET-01, AL-RET-01,
OP-RET-02), adds more later, the brand accepts (slip or label) or refuses; customer care may open one
on a buyer's behalf (AA-RET-01, OP-RET-04). Each use case loads, checks a rule, writes in one transaction."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from comptoir.core.errors import Conflict, InvalidInput, NotFound
from comptoir.orders.models import Order, OrderEvent, OrderLine
from comptoir.orders.services import lock_order
from comptoir.returns import refunding, states
from comptoir.returns.emails import notify_return
from comptoir.returns.models import ReturnItem, ReturnRequest
from comptoir.returns.rules import (
    LineRequest, ReturnFacts, check_return_eligible, label_for, reason_of, refund_without_return, who_pays_parcel,
)
from comptoir.returns.transitions import claim, claimed_quantities, lock_return, move, record_event, release_claims
from comptoir.shipping.rules import find_rate

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, slots=True)
class ItemRequest:
    line_id: int
    quantity: int
    reason_code: str
    note: str = ""


def _returns_policy(order: Order):
    policy = order.brand.policy_object
    if policy.returns is None:
        raise Conflict("returns_not_offered", email=policy.contact.email)
    return policy


def check_guest_may_declare(order_or_brand_policy) -> None:
    """AL-RET-01: guests declare with order number + e-mail only where the brand allows it (AA-RET-01)."""
    policy = order_or_brand_policy
    if policy.returns is None or not policy.returns.guest_declaration:
        raise Conflict("guest_declaration_not_offered", rule="AA-RET-01", email=policy.contact.email)


def find_order_for_guest(brand, *, order_number: str, email: str) -> Order:
    """AL-RET-01 "Find my order": the same refusal for a wrong number or a wrong e-mail (no enumeration)."""
    check_guest_may_declare(brand.policy_object)
    order = Order.objects.filter(brand=brand, number=order_number.strip().upper()).first()
    expected = order.email.strip().lower() if order else "-"
    if order is None or not hmac.compare_digest(expected.encode(), email.strip().lower().encode()):
        raise NotFound("return_lookup_failed", rule="AL-RET-01")
    return order


def _delivered_at(order: Order, lines: list[OrderLine]) -> dict[int, datetime | None]:
    """When each line reached the shopper: its parcel's delivery, or the order's delivery (pick-up)."""
    delivered = (OrderEvent.objects.filter(order=order, kind="deliver").order_by("at")
                 .values_list("at", flat=True).first())
    return {line.id: (line.shipment.delivered_at if line.shipment_id else None) or delivered for line in lines}


def _check_items(order: Order, items: list[ItemRequest], now: datetime) -> tuple[list[OrderLine], dict]:
    """Lock the order's lines (in id order), check the request, and return the lines and their facts."""
    policy = order.brand.policy_object
    if not items:
        raise InvalidInput("return_items_required", rule="OG-RET-01")
    locked = OrderLine.objects.select_for_update(of=("self",)).select_related("shipment")
    lines = {line.id: line for line in locked.filter(order=order).order_by("id")}
    wanted: dict[int, ItemRequest] = {}
    for item in items:
        if item.line_id not in lines or lines[item.line_id].is_gift_card:
            raise InvalidInput("line_not_in_order", line=item.line_id)
        if item.line_id in wanted:
            raise InvalidInput("invalid_input", fields="items (one entry per line)")
        wanted[item.line_id] = item
    claimed = claimed_quantities([lines[line_id] for line_id in wanted])
    delivered = _delivered_at(order, [lines[line_id] for line_id in wanted])
    facts = ReturnFacts(tuple(
        LineRequest(line_id, delivered[line_id], lines[line_id].quantity, claimed[line_id], item.quantity,
                    item.reason_code)
        for line_id, item in wanted.items()
    ))
    check_return_eligible(policy, facts, now).enforce()
    return lines, wanted


def _add_items(ret: ReturnRequest, wanted: dict[int, ItemRequest], policy) -> list[ReturnItem]:
    rows = [
        ReturnItem(return_request=ret, order_line_id=line_id, quantity=item.quantity, reason_code=item.reason_code,
                   reason_kind=reason_of(policy, item.reason_code).kind, reason_note=item.note[:1000])
        for line_id, item in wanted.items()
    ]
    claim({line_id: item.quantity for line_id, item in wanted.items()})
    return ReturnItem.objects.bulk_create(rows)


def _check_drop_off(policy, drop_off: str | None, store_code: str, country: str) -> str:
    plan = label_for(policy, country)
    if drop_off is None:
        drop_off = "relay" if plan.kind == "prepaid_label" else "carrier"
    if drop_off == "store":
        if not policy.returns.store_drop_off:
            raise InvalidInput("store_drop_off_not_offered", rule="AL-RET-04")
        if store_code not in {store.code for store in policy.stores}:
            raise InvalidInput("unknown_store", rule="AL-RET-04", store=store_code[:40])
    elif drop_off == "relay" and plan.kind != "prepaid_label":
        drop_off = "carrier"  # AL-RET-02: where the relay network does not serve, any carrier
    return drop_off


def declare_return(order: Order, *, items: list[ItemRequest], drop_off: str | None = None, store_code: str = "",
                   refund_choice: str = "original", customer=None, channel: str = "online", actor: str,
                   key: str = "", now: datetime) -> ReturnRequest:
    """Declare a return of `items` (OG-RET-01, AL-RET-01, OP-RET-02); approved at once where the brand
    approves automatically (AL-RET-01: "Confirm my return", "Download your return label")."""
    policy = _returns_policy(order)
    if key:
        existing = ReturnRequest.objects.filter(order=order, declaration_key=key).first()
        if existing is not None:
            return existing
    if refund_choice != "original" and not policy.returns.refund_method_choice:
        raise InvalidInput("refund_choice_not_offered", rule="AL-RFD-01")
    country = (order.shipping_address or {}).get("country", "")
    drop_off = _check_drop_off(policy, drop_off, store_code, country)
    try:
        with transaction.atomic():
            order = lock_order(order.pk)
            lines, wanted = _check_items(order, items, now)
            ret = ReturnRequest(
                brand=order.brand, order=order, customer=customer or order.customer, email=order.email,
                language=order.language, number="R-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8)),
                status=states.REQUESTED, channel=channel, drop_off=drop_off,
                store_code=store_code if drop_off == "store" else "", refund_choice=refund_choice,
                shipping_paid_by="customer", country=country, declared_at=now, declaration_key=key,
            )
            _plan_shipping(ret, policy, [reason_of(policy, item.reason_code).kind for item in wanted.values()])
            ret.save(force_insert=True)
            added = _add_items(ret, wanted, policy)
            record_event(ret, "declared", actor=actor, now=now, new=ret.status,
                         data={"items": [[i.line_id, i.quantity, i.reason_code] for i in wanted.values()],
                               "drop_off": drop_off, "refund_choice": refund_choice, "channel": channel})
            without_return = False
            if policy.returns.approval == "automatic":  # in the same transaction: its row and items are in hand
                for item in added:
                    item.order_line = lines[item.order_line_id]
                without_return = _approve_locked(ret, added, policy, actor="system", now=now)
    except IntegrityError:
        if key:  # a concurrent retry of the same declaration won the race
            existing = ReturnRequest.objects.filter(order=order, declaration_key=key).first()
            if existing is not None:
                return existing
        raise Conflict("return_quantity_exceeds_order", rule="OG-RET-01", line="?", left=0) from None
    if without_return:
        ret = _refund_at_once(ret, actor="system", now=now)
    return ret


def _plan_shipping(ret: ReturnRequest, policy, kinds: list[str] | None = None) -> None:
    """Who pays the parcel (OG-RET-03, AA-RET-03), and with which document (AL-RET-02, OP-RET-02).
    `kinds` are the reasons' kinds of all the return's items (read from the database when not given)."""
    if kinds is None:
        kinds = list(ret.items.values_list("reason_kind", flat=True))
    plan = label_for(policy, ret.country)
    ret.shipping_paid_by = who_pays_parcel(policy, kinds, ret.country)
    ret.reimbursement_cap_minor = plan.reimbursement_cap_minor
    if ret.drop_off == "store":
        ret.label_kind, ret.carrier = "rma_slip", ""
    else:
        ret.label_kind, ret.carrier = plan.kind, plan.carrier


def add_items(ret: ReturnRequest, *, items: list[ItemRequest], actor: str, now: datetime) -> ReturnRequest:
    """AL-RET-01 "you can add other items later in the process", while the parcel has not arrived."""
    policy = _returns_policy(ret.order)
    with transaction.atomic():
        lock_order(ret.order_id)  # locks in a fixed order: order, its lines, then the return
        ret = lock_return(ret.pk)
        if ret.status not in states.OPEN_FOR_ITEMS:
            raise states.IllegalTransition("return", ret.status, "add_items", rule="AL-RET-01")
        if ret.items.filter(order_line_id__in=[item.line_id for item in items]).exists():
            raise InvalidInput("invalid_input", fields="items (already in this return)")
        _, wanted = _check_items(ret.order, items, now)
        _add_items(ret, wanted, policy)
        _plan_shipping(ret, policy)
        record_event(ret, "items_added", actor=actor, now=now,
                     data={"items": [[i.line_id, i.quantity, i.reason_code] for i in wanted.values()]})
        ret.save()
    return ret


def approve_return(ret: ReturnRequest, *, actor: str, now: datetime) -> ReturnRequest:
    """Accept the request: the slip or label becomes downloadable (OG-RET-01, AL-RET-03); where the
    buyer's location or the cost of shipping says so, refund without asking for the parcel (OP-RET-02/03)."""
    policy = _returns_policy(ret.order)
    with transaction.atomic():
        ret = lock_return(ret.pk)
        without_return = _approve_locked(ret, list(ret.items.select_related("order_line").order_by("id")), policy,
                                         actor=actor, now=now)
    if without_return:
        ret = _refund_at_once(ret, actor=actor, now=now)
    return ret


def _approve_locked(ret: ReturnRequest, items: list[ReturnItem], policy, *, actor: str, now: datetime) -> bool:
    """approve_return for a return this transaction has locked, its items (with their order lines) in hand.
    Returns whether its items are to be refunded without the parcel (the caller does it after commit)."""
    move(ret, "approve", actor=actor, now=now)
    ret.approved_at = now
    label = policy.returns.label
    if label.downloadable_days:
        ret.label_expires_at = ret.declared_at + timedelta(days=label.downloadable_days)  # AL-RET-03
    if policy.returns.ship_within_days:
        ret.ship_by = ret.declared_at + timedelta(days=policy.returns.ship_within_days)  # OG-RET-02
    without_return = _refund_without_return(ret, policy, items)
    if without_return:
        ret.refund_without_return, ret.label_kind, ret.carrier = True, "", ""
    else:
        notify_return(ret, "return_accepted", now=now, items=items)
        if ret.label_kind == "prepaid_label" and label.also_emailed:
            # AL-RET-03 "You will also receive the label by e-mail."
            notify_return(ret, "return_label", now=now, items=items)
    ret.save()
    return without_return


def _refund_without_return(ret: ReturnRequest, policy, items: list[ReturnItem]) -> bool:
    value = sum(item.order_line.total_minor * item.quantity // item.order_line.quantity for item in items)
    method = policy.shipping_method(ret.order.shipping_method) if ret.order.shipping_method else None
    rate = find_rate(policy, method, ret.country) if method else None
    shipping_cost = rate.price_minor if rate else ret.order.shipping_minor
    return refund_without_return(policy, ret.country, value, shipping_cost)


def _refund_at_once(ret: ReturnRequest, *, actor: str, now: datetime) -> ReturnRequest:
    """OP-RET-02/03: the accepted items are refunded without the parcel."""
    items = list(ret.items.values_list("order_line_id", "quantity"))
    reference = refunding.issue(ret.order, items=items, choice=ret.refund_choice, reason="refund_without_return",
                                reference=ret.number, key=f"return:{ret.pk}:refund", now=now)
    with transaction.atomic():
        ret = lock_return(ret.pk)
        if ret.status == states.APPROVED:
            ret.items.update(inspection_status="accepted", inspected_at=now, inspected_by=actor)
            move(ret, "refund_without_return", actor=actor, now=now, data={"refund": reference})
            ret.refunded_at, ret.refund_reference = now, reference
            ret.save()
    return ret


def reject_return(ret: ReturnRequest, *, reason: str, actor: str, now: datetime) -> ReturnRequest:
    """The brand refuses the request; its items may be declared again."""
    with transaction.atomic():
        ret = lock_return(ret.pk)
        move(ret, "reject", actor=actor, now=now, data={"reason": reason})
        release_claims(ret)
        ret.save()
        notify_return(ret, "return_rejected", now=now, reason=reason)
    return ret


def cancel_return(ret: ReturnRequest, *, actor: str, now: datetime) -> ReturnRequest:
    """The shopper withdraws a return before sending it."""
    with transaction.atomic():
        ret = lock_return(ret.pk)
        move(ret, "cancel", actor=actor, now=now)
        release_claims(ret)
        ret.save()
    return ret
