"""The back-office API: the order queue and the moves staff make on an order."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from comptoir.accounts.api import AddressIn
from comptoir.accounts.auth import require_staff
from comptoir.brands.services import get_brand
from comptoir.orders import queries, services, states
from comptoir.orders.schemas import OrderOut, OrderPage, order_out

router = Router(tags=["staff"])


class QueueQuery(Schema):
    status: str | None = Field(default=None, pattern="^(" + "|".join(states.STATUSES) + ")$")
    offset: int = Field(default=0, ge=0, le=100000)
    limit: int = Field(default=50, ge=1, le=200)


class ShipIn(Schema):
    tracking_number: str = Field(min_length=1, max_length=80)
    line_ids: list[int] | None = Field(default=None, max_length=200, description="Default: every line not yet shipped")


class CancelIn(Schema):
    reason: str = Field(default="", max_length=500)


def _load(request, slug: str, number: str):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    return queries.staff_order(brand, number), f"staff:{user.username}"


def _answer(brand_slug: str, number: str, language: str = "en"):
    return order_out(queries.staff_order(get_brand(brand_slug), number), language)


@router.get("/staff/brands/{slug}/orders", response=OrderPage, summary="Order queue, oldest first")
def queue(request, slug: str, query: Query[QueueQuery]):
    brand = get_brand(slug)
    require_staff(request, brand)
    total, orders = queries.staff_orders(brand, status=query.status, offset=query.offset, limit=query.limit)
    return {"count": total, "offset": query.offset, "limit": query.limit,
            "results": [order_out(o, "en") for o in orders]}


@router.get("/staff/brands/{slug}/orders/{number}", response=OrderOut)
def detail(request, slug: str, number: str):
    order, _ = _load(request, slug, number)
    return order_out(order, "en")


@router.post("/staff/brands/{slug}/orders/{number}/confirm", response=OrderOut,
             summary="Confirm: asks the bank for the pre-authorisation (OG-ORD-02)")
def confirm(request, slug: str, number: str):
    order, actor = _load(request, slug, number)
    services.confirm_order(order, actor=actor, now=request.now)
    return _answer(slug, number)


@router.post("/staff/brands/{slug}/orders/{number}/prepare", response=OrderOut)
def prepare(request, slug: str, number: str):
    order, actor = _load(request, slug, number)
    services.prepare_order(order, actor=actor, now=request.now)
    return _answer(slug, number)


@router.post("/staff/brands/{slug}/orders/{number}/ship", response=OrderOut,
             summary="Hand a parcel to the carrier with its tracking number (ALL-SHP-06)")
def ship(request, slug: str, number: str, payload: ShipIn):
    order, actor = _load(request, slug, number)
    services.ship_order(order, tracking_number=payload.tracking_number, line_ids=payload.line_ids, actor=actor,
                        now=request.now)
    return _answer(slug, number)


@router.post("/staff/brands/{slug}/orders/{number}/ready-for-pickup", response=OrderOut,
             summary="The order waits at the store (OG-SHP-03)")
def ready_for_pickup(request, slug: str, number: str):
    order, actor = _load(request, slug, number)
    services.mark_ready_for_pickup(order, actor=actor, now=request.now)
    return _answer(slug, number)


@router.post("/staff/brands/{slug}/orders/{number}/deliver", response=OrderOut)
def deliver(request, slug: str, number: str):
    order, actor = _load(request, slug, number)
    services.mark_delivered(order, actor=actor, now=request.now)
    return _answer(slug, number)


@router.post("/staff/brands/{slug}/orders/{number}/cancel", response=OrderOut,
             summary="Cancel on the shopper's request, before dispatch (OG-ORD-05)")
def cancel(request, slug: str, number: str, payload: CancelIn):
    order, actor = _load(request, slug, number)
    services.cancel_order(order, by_shopper=False, actor=actor, reason=payload.reason, now=request.now)
    return _answer(slug, number)


@router.put("/staff/brands/{slug}/orders/{number}/shipping-address", response=OrderOut,
            summary="Change the delivery address on request, without guarantee (OG-ORD-05)")
def change_address(request, slug: str, number: str, payload: AddressIn):
    order, actor = _load(request, slug, number)
    address = payload.dict()
    address.pop("label", None)
    address["country"] = address["country"].upper()
    services.change_shipping_address(order, address=address, by_shopper=False, actor=actor, now=request.now)
    return _answer(slug, number)
