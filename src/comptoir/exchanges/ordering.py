"""The exchange order (AL-EXC-04): a real Order with its own line, status, shipment and events, created once
the returned item is accepted, shipped by the original method to the original address or relay (or the one
customer care set), and paid by the returned item — plus a card charge for a supplement (AL-EXC-02).

Stock is reserved here, when the order is created, not at the request: nothing is held for weeks while the
parcel travels; an item gone meanwhile turns the exchange into a return (AL-EXC-03). Like checkout, the order
is written in one transaction, the card is charged outside any transaction, and the outcome is recorded in a
second one through the order machine (`apply_payment_outcome`), so a refused charge gives the stock back.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction

from comptoir.catalog.models import Variant
from comptoir.catalog.services import check_purchasable, reserve_stock
from comptoir.core.errors import PaymentRefused
from comptoir.core.money import net_of_vat
from comptoir.exchanges.models import ExchangeRequest
from comptoir.orders import states as order_states
from comptoir.orders.models import Order, OrderLine
from comptoir.orders.services import apply_payment_outcome, lock_order, record_event, settle_paid_order
from comptoir.payments import services as payments
from comptoir.payments.gateway import get_gateway
from comptoir.payments.models import Payment
from comptoir.shipping.rules import promise_delivery

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PAYMENT_METHOD = "exchange"  # Order.payment_method of every exchange order


def vat_part(amount_minor: int, rate_basis_points: int, prices_include_vat: bool) -> int:
    return amount_minor - net_of_vat(amount_minor, rate_basis_points) if prices_include_vat and rate_basis_points else 0


def create_exchange_order(exchange: ExchangeRequest, *, actor: str, now: datetime) -> Order:
    """Write the exchange order and take what it costs; raises Conflict (the wanted item is unavailable) or
    PaymentRefused (the supplement could not be charged) with nothing left behind."""
    original = exchange.original_order
    variant = Variant.objects.select_related("product").get(pk=exchange.wanted_variant_id)
    check_purchasable(variant, exchange.quantity)  # AL-EXC-03: Conflict sold_out / coming_soon / not_enough_stock
    with transaction.atomic():
        order = _write_order(exchange, original, variant, now=now)
        line = OrderLine.objects.get(order=order)
        payment = None
        if exchange.amount_due_minor:
            payment = payments.open_payment(order, method="card", amount_minor=exchange.amount_due_minor, now=now)
        else:
            settle_paid_order(order, actor=actor, now=now, lines=[line])  # the returned item paid for it all
            order.save()
        ExchangeRequest.objects.filter(pk=exchange.pk).update(exchange_order=order)
    if payment is not None:
        _charge(order, payment, exchange.card_token, actor=actor, now=now)
    return order


def _write_order(exchange: ExchangeRequest, original: Order, variant: Variant, *, now: datetime) -> Order:
    policy = original.brand.policy_object
    reserve_stock({variant.id: exchange.quantity}, {variant.id: variant})
    rate = policy.tax.vat_rate_basis_points if original.prices_include_vat else 0
    unit = -(-exchange.new_value_minor // exchange.quantity)  # the new unit price (rounded up for odd splits)
    subtotal = unit * exchange.quantity
    line_vat = vat_part(exchange.supplement_minor, rate, original.prices_include_vat)
    shipping_vat = vat_part(exchange.shipping_minor, policy.tax.vat_rate_basis_points, original.prices_include_vat)
    country = exchange.shipping_address.get("country", "")
    promise = promise_delivery(policy, original.shipping_method, country, now) if original.shipping_method else None
    order = Order.objects.create(
        brand=original.brand, number=_new_number(policy.orders.order_number_prefix), customer=original.customer,
        email=original.email, language=original.language, status=order_states.AWAITING_PAYMENT,
        currency=original.currency, subtotal_minor=subtotal, discount_minor=subtotal - exchange.supplement_minor,
        shipping_minor=exchange.shipping_minor, vat_minor=line_vat + shipping_vat,
        total_minor=exchange.amount_due_minor, prices_include_vat=original.prices_include_vat,
        shipping_method=original.shipping_method, shipping_address=exchange.shipping_address,
        billing_address=original.billing_address, payment_method=PAYMENT_METHOD, placed_at=now,
        dispatch_due_on=promise.dispatch_on if promise else None,
        delivery_earliest_on=promise.delivery_earliest if promise else None,
        delivery_latest_on=promise.delivery_latest if promise else None,
        # One exchange order per exchange; the shopper reaches it with the original order's access token.
        checkout_key=f"exchange:{exchange.pk}", access_token=original.access_token,
    )
    OrderLine.objects.create(
        order=order, variant=variant, sku=variant.sku, product_name=variant.product.name, size=variant.size,
        colour=variant.colour, quantity=exchange.quantity, unit_price_minor=unit, vat_rate_basis_points=rate,
        # The returned item's value shows as the line's discount: the line costs only the supplement.
        discount_minor=subtotal - exchange.supplement_minor, vat_minor=line_vat, total_minor=exchange.supplement_minor,
        ships_on=promise.dispatch_on if promise else None,
    )
    record_event(order, "placed", actor="system", now=now, new=order.status,
                 data={"exchange": str(exchange.pk), "exchange_of": original.number,
                       "total_minor": order.total_minor})
    record_event(original, "exchange_order_created", actor="system", now=now,
                 data={"exchange": str(exchange.pk), "exchange_order": order.number})
    return order


def _charge(order: Order, payment: Payment, card_token: str, *, actor: str, now: datetime) -> None:
    """Charge the card kept at the request (merchant-initiated: the shopper is not there to answer 3-D Secure)."""
    result = get_gateway().authorise_registered(
        card_token=card_token, amount_minor=payment.amount_minor, currency=payment.currency, capture=True,
        idempotency_key=f"{payment.id}:exchange", reference=order.number, now=now,
    )
    with transaction.atomic():
        locked = lock_order(order.pk)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == "pending":
            apply_payment_outcome(locked, payment, result, actor=actor, now=now)  # refused: stock goes back
    if result.status == "refused":
        raise PaymentRefused(result.refusal_code or "payment_refused", rule="AL-EXC-02")


def _new_number(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
