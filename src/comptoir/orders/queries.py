"""Finding orders for the people allowed to see them (never another shopper's)."""

from __future__ import annotations

import hmac

from django.db.models import Prefetch

from comptoir.brands.models import Brand
from comptoir.core.errors import NotFound
from comptoir.orders.models import Order, OrderLine


def with_details(orders):
    return orders.select_related("brand").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("id")), "shipments", "payments"
    )


def shopper_orders(brand: Brand, customer, *, offset: int, limit: int) -> tuple[int, list[Order]]:
    """ALL-ORD-04: every order of the shopper with its status, newest first (constant queries)."""
    orders = Order.objects.filter(brand=brand, customer=customer)
    return orders.count(), list(with_details(orders.order_by("-placed_at"))[offset : offset + limit])


def shopper_order(brand: Brand, number: str, *, customer, access_token: str | None) -> Order:
    """The order if it is the signed-in shopper's, or if the guest holds its access token."""
    order = with_details(Order.objects.filter(brand=brand, number=number)).first()
    if order is not None:
        if customer is not None and order.customer_id == customer.id:
            return order
        if access_token and hmac.compare_digest(order.access_token, access_token):
            return order
    raise NotFound("not_found", thing="order")


def find_guest_order(brand: Brand, *, number: str, email: str) -> Order:
    """"Track my order" (ALL-ORD-04, ALL-SHP-06): the order with this number placed with this e-mail. A wrong
    number and a wrong e-mail get the same refusal after the same work (no enumeration)."""
    order = with_details(Order.objects.filter(brand=brand, number=(number or "").strip().upper()[:20])).first()
    expected = order.email.strip().lower() if order is not None else "-"
    if order is None or not hmac.compare_digest(expected.encode(), (email or "").strip().lower().encode()):
        raise NotFound("order_lookup_failed", rule="ALL-ORD-04")
    return order


def staff_order(brand: Brand, number: str) -> Order:
    order = with_details(Order.objects.filter(brand=brand, number=number)).first()
    if order is None:
        raise NotFound("not_found", thing="order")
    return order


def staff_orders(brand: Brand, *, status: str | None, offset: int, limit: int) -> tuple[int, list[Order]]:
    orders = Order.objects.filter(brand=brand)
    if status:
        orders = orders.filter(status=status)
    return orders.count(), list(with_details(orders.order_by("placed_at"))[offset : offset + limit])
