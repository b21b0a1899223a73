"""Cart and order placement: stock is reserved and the order written in one transaction, the
gateway is asked outside it, and the outcome recorded in a second one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from comptoir.accounts.models import ADDRESS_FIELDS, Customer
from comptoir.accounts.services import normalise_email
from comptoir.brands.models import Brand
from comptoir.catalog.services import check_purchasable, reserve_stock, variants_by_sku
from comptoir.checkout.models import Cart
from comptoir.checkout.pricing import quote
from comptoir.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PaymentRefused
from comptoir.orders import states
from comptoir.orders.models import Order, OrderEvent, OrderLine
from comptoir.orders.queries import with_details
from comptoir.orders.services import apply_payment_outcome, lock_order
from comptoir.payments import services as payments
from comptoir.payments.gateway import CardDetails, card_network_of
from comptoir.payments.models import Payment
from comptoir.shipping.rules import (
    check_address_deliverable, check_method_available, find_rate, plan_shipments, promise_delivery,
)

MAX_QUANTITY_PER_LINE = 10
MAX_LINES = 30
ORDER_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "postal_code", "city", "country")
# Payment methods this version can take at checkout; the others arrive with the payments issue.
CHECKOUT_METHODS = ("card", "paypal")


@dataclass(frozen=True)
class CheckoutDetails:
    email: str
    shipping_address: dict
    billing_address: dict | None
    shipping_method: str
    payment_method: str
    card: CardDetails | None
    language: str


@dataclass(frozen=True)
class Placement:
    """The placed order; `lines` are its lines when this call wrote them (None on a replay)."""

    order: Order
    payment: Payment | None
    replayed: bool
    lines: list[OrderLine] | None = None


def _check_lines(lines: list[tuple[str, int]]) -> None:
    if len(lines) > MAX_LINES:
        raise InvalidInput("too_many_lines", maximum=MAX_LINES)
    for _, quantity in lines:
        if not 0 <= quantity <= MAX_QUANTITY_PER_LINE:
            raise InvalidInput("invalid_quantity", maximum=MAX_QUANTITY_PER_LINE)


def create_cart(brand: Brand, *, customer: Customer | None, lines: list[tuple[str, int]], now: datetime) -> Cart:
    _check_lines(lines)
    merged = _merge([], lines)
    variants = variants_by_sku(brand, [line["sku"] for line in merged]) if merged else {}
    for line in merged:
        check_purchasable(variants[line["sku"]], line["quantity"])
    cart = Cart.objects.create(brand=brand, customer=customer, lines=merged, created_at=now, updated_at=now)
    cart.loaded_variants = variants  # rendering the cart needs them: no second query
    return cart


def get_cart(brand: Brand, cart_id, *, customer: Customer | None) -> Cart:
    """A cart is reached by its unguessable id; a signed-in shopper's cart only by its owner."""
    cart = Cart.objects.filter(pk=cart_id, brand=brand).first()
    if cart is None or (cart.customer_id is not None and (customer is None or cart.customer_id != customer.id)):
        raise NotFound("not_found", thing="cart")
    return cart


def set_cart_line(cart: Cart, *, sku: str, quantity: int, now: datetime) -> Cart:
    """Set a line's quantity (0 removes it)."""
    if cart.status != Cart.OPEN:
        raise Conflict("cart_already_ordered")
    _check_lines([(sku, quantity)])
    variant = variants_by_sku(cart.brand, [sku])[sku]
    if quantity:
        check_purchasable(variant, quantity)
    lines = [line for line in cart.lines if line["sku"] != sku]
    if quantity:
        lines.append({"sku": sku, "quantity": quantity})
    _check_lines([(line["sku"], line["quantity"]) for line in lines])
    cart.lines = lines
    cart.updated_at = now
    cart.save(update_fields=["lines", "updated_at"])
    return cart


def _merge(existing: list[dict], lines: list[tuple[str, int]]) -> list[dict]:
    quantities = {line["sku"]: line["quantity"] for line in existing}
    for sku, quantity in lines:
        quantities[sku] = quantities.get(sku, 0) + quantity
    return [{"sku": sku, "quantity": q} for sku, q in quantities.items() if q > 0]


def _clean_address(address: dict | None, which: str) -> dict:
    address = {field: str((address or {}).get(field) or "").strip() for field in ADDRESS_FIELDS}
    address["country"] = address["country"].upper()
    missing = [field for field in REQUIRED_ADDRESS_FIELDS if not address[field]]
    if missing or len(address["country"]) != 2:
        raise InvalidInput("address_incomplete", which=which, fields=", ".join(missing or ["country"]))
    return address


def check_payment_method(brand: Brand, method: str, card: CardDetails | None) -> None:
    """Only the methods and card networks the brand accepts (OG-PAY-01, AA-PAY-01, AL-PAY-01)."""
    policy = brand.policy_object
    accepted = [m for m in policy.payments.methods if m in CHECKOUT_METHODS]
    if method not in accepted:
        raise InvalidInput("payment_method_not_accepted", rule="AL-PAY-01", method=method,
                           accepted=", ".join(accepted))
    if method == "card":
        if card is None:
            raise InvalidInput("card_details_required")
        network = card_network_of(card.number)
        # CB cards are co-branded Visa or Mastercard: the number shows the international network.
        if network is not None and network not in policy.payments.card_networks:
            raise InvalidInput("card_network_not_accepted", rule="OG-PAY-01",
                               accepted=", ".join(policy.payments.card_networks))


def place_order(brand: Brand, cart_id, details: CheckoutDetails, *, customer: Customer | None,
                idempotency_key: str, now: datetime) -> Placement:
    """Turn a cart into an order and take its payment as the brand's policy says.

    A retry with the same Idempotency-Key returns the order the first call placed.
    """
    existing = _placed_with_key(brand, idempotency_key, customer)
    if existing is not None:
        return existing
    policy = brand.policy_object
    if customer is None and policy.accounts.account_required_to_order:
        raise NotAuthenticated("account_required", rule="OG-ACC-01")
    cart = get_cart(brand, cart_id, customer=customer)
    if cart.status != Cart.OPEN:
        return _replay_or_refuse(brand, idempotency_key, customer)
    if not cart.lines:
        raise InvalidInput("cart_empty")
    email = normalise_email(details.email or (customer.email if customer else ""))
    shipping_address = _clean_address(details.shipping_address, "shipping")
    billing_address = _clean_address(details.billing_address or details.shipping_address, "billing")
    country = shipping_address["country"]
    check_method_available(policy, details.shipping_method, country).enforce(InvalidInput)
    check_address_deliverable(policy, [shipping_address["line1"], shipping_address["line2"]]).enforce(InvalidInput)
    check_payment_method(brand, details.payment_method, details.card)

    variants = variants_by_sku(brand, [line["sku"] for line in cart.lines])
    for line in cart.lines:
        check_purchasable(variants[line["sku"]], line["quantity"])
    method = policy.shipping_method(details.shipping_method)
    priced = quote(
        policy,
        [(line["sku"], line["quantity"], variants[line["sku"]].product.price_minor) for line in cart.lines],
        find_rate(policy, method, country).price_minor,
        country,
    )
    promise = promise_delivery(policy, method.code, country, now)
    parcels = plan_shipments(
        policy, method.code, now, [(line["sku"], variants[line["sku"]].product.preorder_ships_on) for line in cart.lines]
    )
    ships_on = {sku: day for day, skus in parcels for sku in skus}

    order = Order(
        brand=brand, number=_new_order_number(policy.orders.order_number_prefix), customer=customer, email=email,
        language=details.language if details.language in policy.languages else policy.default_language,
        status=states.AWAITING_PAYMENT, currency=policy.currency, subtotal_minor=priced.subtotal_minor,
        shipping_minor=priced.shipping_minor, vat_minor=priced.vat_minor, total_minor=priced.total_minor,
        prices_include_vat=priced.prices_include_vat, shipping_method=method.code,
        shipping_address=shipping_address, billing_address=billing_address,
        payment_method=details.payment_method, placed_at=now, dispatch_due_on=promise.dispatch_on,
        delivery_earliest_on=promise.delivery_earliest, delivery_latest_on=promise.delivery_latest,
        payment_due_by=None, checkout_key=idempotency_key, access_token=secrets.token_urlsafe(24), cart=cart,
    )
    order_lines = [
        OrderLine(
            order=order, variant=variants[p.sku], sku=p.sku, product_name=variants[p.sku].product.name,
            size=variants[p.sku].size, colour=variants[p.sku].colour, quantity=p.quantity,
            unit_price_minor=p.unit_price_minor, vat_rate_basis_points=priced.vat_rate_basis_points,
            total_minor=p.total_minor, ships_on=ships_on[p.sku],
        )
        for p in priced.lines
    ]
    try:
        with transaction.atomic():
            # Claim the cart first: two checkouts of one cart (a double click with two keys) cannot
            # both place an order; the loser waits for the winner's row lock, then sees it ordered.
            if not Cart.objects.filter(pk=cart.pk, status=Cart.OPEN).update(status=Cart.ORDERED, updated_at=now):
                return _replay_or_refuse(brand, idempotency_key, customer)
            reserve_stock({variants[p.sku].id: p.quantity for p in priced.lines},
                          {v.id: v for v in variants.values()})
            order.save(force_insert=True)
            OrderLine.objects.bulk_create(order_lines)
            OrderEvent.objects.create(order=order, kind="placed", to_status=order.status,
                                      actor=_actor(customer), at=now, data={"total_minor": order.total_minor})
            payment = payments.open_payment(order, method=details.payment_method, now=now)
    except IntegrityError:
        # The same Idempotency-Key raced us and won: answer with its order.
        existing = _placed_with_key(brand, idempotency_key, customer)
        if existing is None:
            raise
        return existing
    return _take_payment(order, payment, details.card, lines=order_lines, customer=customer, now=now)


def _take_payment(order: Order, payment: Payment, card: CardDetails | None, *, lines, customer, now) -> Placement:
    policy = order.brand.policy_object
    if payment.method == "card" and policy.orders.card_payment == "authorise_at_confirmation":
        result = payments.register_card(payment, card=card, reference=order.number, now=now)
    else:
        result = payments.request_payment(
            payment, card=card, capture=policy.orders.card_payment == "capture_at_order",
            three_d_secure=policy.payments.three_d_secure, reference=order.number, now=now,
        )
    with transaction.atomic():
        locked = lock_order(order.pk)
        locked.brand = order.brand
        apply_payment_outcome(locked, payment, result, actor=_actor(customer), now=now, lines=lines)
    if result.status == "refused":
        raise PaymentRefused(result.refusal_code or "payment_refused", rule="AL-PAY-06")
    return Placement(locked, payment, replayed=False, lines=lines)


def _replay_or_refuse(brand: Brand, key: str, customer: Customer | None) -> Placement:
    """The cart was ordered meanwhile: by this very request's key racing us (replay), or by another."""
    existing = _placed_with_key(brand, key, customer)
    if existing is None:
        raise Conflict("cart_already_ordered")
    return existing


def _placed_with_key(brand: Brand, key: str, customer: Customer | None) -> Placement | None:
    order = with_details(Order.objects.filter(brand=brand, checkout_key=key)).first()
    if order is None:
        return None
    if order.customer_id != (customer.id if customer else None):
        raise Conflict("idempotency_key_reused")
    order.brand = brand
    payments_made = sorted(order.payments.all(), key=lambda p: p.created_at)
    return Placement(order, payments_made[-1] if payments_made else None, replayed=True)


def _new_order_number(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(8))


def _actor(customer: Customer | None) -> str:
    return f"customer:{customer.id}" if customer else "guest"
