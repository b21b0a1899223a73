"""Exchanges over HTTP (OG-EXC-01, AL-EXC-01..04): during the return, the shopper (or customer care on their
behalf) asks for another size or product for an item, sees the price rule applied and the promise; customer
care may change where the exchange order goes. Views parse, call one service, render."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Query, Router, Schema, Status
from pydantic import Field

from comptoir.accounts.auth import optional_shopper, require_staff
from comptoir.brands.services import get_brand
from comptoir.core.errors import NotFound
from comptoir.core.http import request_language
from comptoir.core.messages import render_message
from comptoir.exchanges import rules, services, states
from comptoir.exchanges.models import ExchangeRequest
from comptoir.orders.api import GuestQuery
from comptoir.payments.schemas import CardIn
from comptoir.returns import queries as return_queries

router = Router(tags=["exchanges"])
staff_router = Router(tags=["staff"])


class ExchangeIn(Schema):
    item_id: int = Field(ge=1, le=2**31 - 1, description="The return item to exchange instead of refunding")
    sku: str = Field(min_length=1, max_length=64, description="The wanted size or product (AL-EXC-01)")
    card: CardIn | None = Field(default=None, description="Charged when the exchange order is created, for a "
                                                          "more expensive product or a paid shipping (AL-EXC-02)")


class AddressIn(Schema):
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    line1: str = Field(max_length=200)
    line2: str = Field(default="", max_length=200)
    postal_code: str = Field(max_length=20)
    city: str = Field(max_length=100)
    country: str = Field(min_length=2, max_length=2)
    phone: str = Field(default="", max_length=40)


class PromiseOut(Schema):
    ships_free: bool
    shipping_method: str
    typical_working_days_min: int | None
    typical_working_days_max: int | None
    arrives_between: date | None  # the exchange order's delivery window once it exists, else the typical one
    arrives_by: date | None


class ExchangeOut(Schema):
    id: UUID
    return_id: UUID
    return_number: str
    item_id: int
    kind: str
    from_sku: str
    to_sku: str
    quantity: int
    status: str
    status_label: str
    channel: str
    paid_minor: int
    new_value_minor: int
    supplement_minor: int
    refund_minor: int
    shipping_minor: int
    amount_due_minor: int
    card_last4: str
    conversion_reason: str
    conversion_message: str
    exchange_order_number: str | None
    exchange_order_status: str | None
    shipping_address: dict
    promise: PromiseOut
    requested_at: datetime
    ordered_at: datetime | None


def exchange_out(exchange: ExchangeRequest, language: str) -> dict:
    policy = exchange.brand.policy_object
    order = exchange.exchange_order
    window = rules.typical_arrival(policy, exchange.requested_at)
    item = exchange.return_item
    return {
        "id": exchange.id, "return_id": item.return_request_id, "return_number": item.return_request.number,
        "item_id": item.id, "kind": exchange.kind, "from_sku": item.order_line.sku, "to_sku": exchange.wanted_sku,
        "quantity": exchange.quantity, "status": exchange.status,
        "status_label": states.status_label(exchange.status, language), "channel": exchange.channel,
        "paid_minor": exchange.paid_minor, "new_value_minor": exchange.new_value_minor,
        "supplement_minor": exchange.supplement_minor, "refund_minor": exchange.refund_minor,
        "shipping_minor": exchange.shipping_minor, "amount_due_minor": exchange.amount_due_minor,
        "card_last4": exchange.card_last4, "conversion_reason": exchange.conversion_reason,
        "conversion_message": render_message(f"exchange_converted_{exchange.conversion_reason}", language, {})
        if exchange.conversion_reason else "",
        "exchange_order_number": order.number if order else None,
        "exchange_order_status": order.status if order else None,
        "shipping_address": exchange.shipping_address,
        "promise": {
            "ships_free": exchange.shipping_minor == 0, "shipping_method": exchange.original_order.shipping_method,
            "typical_working_days_min": policy.exchanges.typical_working_days_min if policy.exchanges else None,
            "typical_working_days_max": policy.exchanges.typical_working_days_max if policy.exchanges else None,
            "arrives_between": order.delivery_earliest_on if order else window[0] if window else None,
            "arrives_by": order.delivery_latest_on if order else window[1] if window else None,
        },
        "requested_at": exchange.requested_at, "ordered_at": exchange.ordered_at,
    }


def _exchanges(brand):
    return ExchangeRequest.objects.filter(brand=brand).select_related(
        "brand", "original_order", "exchange_order", "return_item__return_request", "return_item__order_line")


def _render(request, exchange, language: str | None = None) -> dict:
    exchange = _exchanges(exchange.brand).get(pk=exchange.pk)
    return exchange_out(exchange, language or request_language(request, exchange.original_order.language))


# --- Shopper -------------------------------------------------------------------------------------------

@router.post("/brands/{slug}/returns/{return_id}/exchange", response={201: ExchangeOut},
             summary="Exchange an item of my return for another size or product (OG-EXC-01, AL-EXC-01/02)")
def request_exchange(request, slug: str, return_id: UUID, payload: ExchangeIn, guest: Query[GuestQuery]):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    ret = return_queries.shopper_return(brand, return_id, customer=customer, access_token=guest.token)
    exchange = services.request_exchange(
        ret, item_id=payload.item_id, sku=payload.sku, card=payload.card.details() if payload.card else None,
        channel="online", actor=f"customer:{customer.id}" if customer else "guest", now=request.now,
    )
    return Status(201, _render(request, exchange))


@router.get("/brands/{slug}/returns/{return_id}/exchanges", response=list[ExchangeOut],
            summary="The exchanges of my return: status, price difference, exchange order and promise (AL-EXC-04)")
def return_exchanges(request, slug: str, return_id: UUID, guest: Query[GuestQuery]):
    brand = get_brand(slug)
    ret = return_queries.shopper_return(brand, return_id, customer=optional_shopper(request, brand),
                                        access_token=guest.token)
    language = request_language(request, ret.language)
    return [exchange_out(x, language) for x in _exchanges(brand).filter(return_item__return_request=ret)]


# --- Staff ---------------------------------------------------------------------------------------------

@staff_router.post("/staff/brands/{slug}/returns/{return_id}/exchange", response={201: ExchangeOut},
                   summary="Open an exchange for the shopper, from customer care (OG-EXC-01)")
def open_for_shopper(request, slug: str, return_id: UUID, payload: ExchangeIn):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    ret = return_queries.staff_return(brand, return_id)
    exchange = services.request_exchange(
        ret, item_id=payload.item_id, sku=payload.sku, card=payload.card.details() if payload.card else None,
        channel="customer_care", actor=f"staff:{user.username}", now=request.now,
    )
    return Status(201, _render(request, exchange, "en"))


def _staff_exchange(request, slug: str, exchange_id: UUID):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    exchange = _exchanges(brand).filter(pk=exchange_id).first()
    if exchange is None:
        raise NotFound("not_found", thing="exchange")
    return exchange, f"staff:{user.username}"


@staff_router.get("/staff/brands/{slug}/exchanges/{exchange_id}", response=ExchangeOut)
def detail(request, slug: str, exchange_id: UUID):
    exchange, _ = _staff_exchange(request, slug, exchange_id)
    return exchange_out(exchange, "en")


@staff_router.post("/staff/brands/{slug}/exchanges/{exchange_id}/address", response=ExchangeOut,
                   summary="Change where the exchange order goes, until it leaves (AL-EXC-04, via customer care)")
def change_address(request, slug: str, exchange_id: UUID, payload: AddressIn):
    exchange, actor = _staff_exchange(request, slug, exchange_id)
    address = {**payload.dict(), "country": payload.country.upper()}
    services.change_exchange_address(exchange, address=address, actor=actor, now=request.now)
    return _render(request, exchange, "en")
