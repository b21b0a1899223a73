"""The shopper's orders: "my orders", one order, cancel, change address or size, pay a pending step."""

from __future__ import annotations

from uuid import UUID

from ninja import Query, Router, Schema
from pydantic import Field

from comptoir.accounts.api import AddressIn
from comptoir.accounts.auth import optional_shopper, require_shopper
from comptoir.brands.services import get_brand
from comptoir.core.http import request_language
from comptoir.core.rate_limit import limit_by_ip
from comptoir.orders import queries, services
from comptoir.orders.schemas import OrderOut, OrderPage, order_out

router = Router(tags=["orders"])


class PageQuery(Schema):
    offset: int = Field(default=0, ge=0, le=100000)
    limit: int = Field(default=20, ge=1, le=100)


class GuestQuery(Schema):
    token: str | None = Field(default=None, max_length=64, description="The access token given at checkout (guests)")


class CancelIn(Schema):
    reason: str = Field(default="", max_length=500)


class VariantChange(Schema):
    sku: str = Field(min_length=1, max_length=64)


class ChallengeAnswer(Schema):
    answer: str = Field(min_length=1, max_length=40, description="3-D Secure code, or approve/cancel for PayPal")


def _order_for_shopper(request, slug: str, number: str, token: str | None):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    if customer is None:  # a guest holding (or guessing) the order's token
        limit_by_ip(request, "guest_lookup_ip")
    order = queries.shopper_order(brand, number, customer=customer, access_token=token)
    return brand, customer, order


def _actor(customer) -> str:
    return f"customer:{customer.id}" if customer else "guest"


@router.get("/brands/{slug}/orders", response=OrderPage, summary="My orders and their status (ALL-ORD-04)")
def my_orders(request, slug: str, page: Query[PageQuery]):
    brand = get_brand(slug)
    customer = require_shopper(request, brand)
    total, orders = queries.shopper_orders(brand, customer, offset=page.offset, limit=page.limit)
    language = request_language(request, customer.language)
    return {"count": total, "offset": page.offset, "limit": page.limit,
            "results": [order_out(order, language) for order in orders]}


@router.get("/brands/{slug}/orders/{number}", response=OrderOut)
def my_order(request, slug: str, number: str, guest: Query[GuestQuery]):
    _, _, order = _order_for_shopper(request, slug, number, guest.token)
    return order_out(order, request_language(request, order.language))


@router.post("/brands/{slug}/orders/{number}/cancel", response=OrderOut,
             summary="Cancel my order where the brand allows it (AA-ORD-05, AL-ORD-05)")
def cancel(request, slug: str, number: str, payload: CancelIn, guest: Query[GuestQuery]):
    _, customer, order = _order_for_shopper(request, slug, number, guest.token)
    services.cancel_order(order, by_shopper=True, actor=_actor(customer), reason=payload.reason, now=request.now)
    return _fresh(request, slug, number, guest.token)


@router.put("/brands/{slug}/orders/{number}/shipping-address", response=OrderOut,
            summary="Change the delivery address before dispatch (AL-ORD-05)")
def change_address(request, slug: str, number: str, payload: AddressIn, guest: Query[GuestQuery]):
    _, customer, order = _order_for_shopper(request, slug, number, guest.token)
    address = payload.dict()
    address.pop("label", None)
    address["country"] = address["country"].upper()
    services.change_shipping_address(order, address=address, by_shopper=True, actor=_actor(customer), now=request.now)
    return _fresh(request, slug, number, guest.token)


@router.put("/brands/{slug}/orders/{number}/lines/{line_id}/variant", response=OrderOut,
            summary="Switch a line to another size or colour before dispatch (AL-ORD-05)")
def change_variant(request, slug: str, number: str, line_id: int, payload: VariantChange, guest: Query[GuestQuery]):
    _, customer, order = _order_for_shopper(request, slug, number, guest.token)
    services.change_line_variant(order, line_id=line_id, sku=payload.sku, actor=_actor(customer), now=request.now)
    return _fresh(request, slug, number, guest.token)


@router.post("/brands/{slug}/payments/{payment_id}/challenge", response=OrderOut,
             summary="Answer a 3-D Secure challenge or return from PayPal (AA-PAY-02)")
def answer_challenge(request, slug: str, payment_id: UUID, payload: ChallengeAnswer):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    payment = services.complete_payment_step(brand, payment_id, answer=payload.answer, customer=customer,
                                             actor=_actor(customer), now=request.now)
    order = queries.staff_order(brand, payment.order.number)
    return order_out(order, request_language(request, order.language))


def _fresh(request, slug, number, token):
    _, _, order = _order_for_shopper(request, slug, number, token)
    return order_out(order, request_language(request, order.language))
