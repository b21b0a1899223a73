"""How an order reads in the API, for its shopper and for staff.

The output models are plain pydantic models: `order_out` hands them dicts, and ninja's Schema would
wrap every nested object in its ORM attribute getter for nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from comptoir.core.money import Money
from comptoir.orders.emails import status_label
from comptoir.orders.models import Order


class OrderLineOut(BaseModel):
    id: int
    sku: str
    name: str
    size: str
    colour: str
    quantity: int
    unit_price_minor: int
    discount_minor: int
    vat_rate_basis_points: int
    total_minor: int
    is_gift_card: bool
    ships_on: date | None  # None for e-gift cards
    shipped: bool


class ShipmentOut(BaseModel):
    id: str
    carrier: str
    tracking_number: str
    tracking_url: str
    shipped_at: datetime
    delivered_at: datetime | None


class PaymentOut(BaseModel):
    id: str
    method: str
    status: str
    amount_minor: int
    card_network: str
    card_last4: str
    refusal_code: str
    challenge: dict | None


class OrderOut(BaseModel):
    number: str
    status: str
    status_label: str
    email: str
    language: str
    placed_at: datetime
    confirmed_at: datetime | None
    currency: str
    subtotal_minor: int
    discount_minor: int
    shipping_minor: int
    vat_minor: int
    total_minor: int
    total: str
    prices_include_vat: bool
    shipping_method: str
    shipping_address: dict
    billing_address: dict
    dispatch_due_on: date | None
    delivery_earliest_on: date | None
    delivery_latest_on: date | None
    payment_due_by: datetime | None
    lines: list[OrderLineOut]
    shipments: list[ShipmentOut]
    payments: list[PaymentOut]


class PlacedOrderOut(OrderOut):
    access_token: str  # lets a guest come back to this order


class OrderPage(BaseModel):
    count: int
    offset: int
    limit: int
    results: list[OrderOut]


def order_out(order: Order, language: str, *, lines=None, shipments=None, payments=None) -> dict:
    """The order as JSON; expects lines, shipments and payments prefetched (or loads them), unless the
    caller already holds them (a just-placed order) and passes them."""
    lines = order.lines.all() if lines is None else lines
    shipments = order.shipments.all() if shipments is None else shipments
    payments = order.payments.all() if payments is None else payments
    return {
        "number": order.number, "status": order.status, "status_label": status_label(order.status, language),
        "email": order.email, "language": order.language, "placed_at": order.placed_at,
        "confirmed_at": order.confirmed_at, "currency": order.currency, "subtotal_minor": order.subtotal_minor,
        "discount_minor": order.discount_minor,
        "shipping_minor": order.shipping_minor, "vat_minor": order.vat_minor, "total_minor": order.total_minor,
        "total": Money(order.total_minor, order.currency).format(language),
        "prices_include_vat": order.prices_include_vat, "shipping_method": order.shipping_method,
        "shipping_address": order.shipping_address, "billing_address": order.billing_address,
        "dispatch_due_on": order.dispatch_due_on, "delivery_earliest_on": order.delivery_earliest_on,
        "delivery_latest_on": order.delivery_latest_on, "payment_due_by": order.payment_due_by,
        "access_token": order.access_token,
        "lines": [
            {
                "id": line.id, "sku": line.sku,
                "name": line.product_name.get(language) or line.product_name.get("en", line.sku),
                "size": line.size, "colour": line.colour, "quantity": line.quantity,
                "unit_price_minor": line.unit_price_minor, "discount_minor": line.discount_minor,
                "vat_rate_basis_points": line.vat_rate_basis_points, "total_minor": line.total_minor,
                "is_gift_card": line.is_gift_card,
                "ships_on": line.ships_on, "shipped": line.shipment_id is not None,
            }
            for line in lines
        ],
        "shipments": [
            {
                "id": str(s.id), "carrier": s.carrier, "tracking_number": s.tracking_number,
                "tracking_url": s.tracking_url, "shipped_at": s.shipped_at, "delivered_at": s.delivered_at,
            }
            for s in shipments
        ],
        "payments": [
            {
                "id": str(p.id), "method": p.method, "status": p.status, "amount_minor": p.amount_minor,
                "card_network": p.card_network, "card_last4": p.card_last4, "refusal_code": p.refusal_code,
                "challenge": p.challenge,
            }
            for p in payments
        ],
    }
