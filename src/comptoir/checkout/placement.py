"""Placing an order in three short transactions: (1) claim the cart, reserve stock, write the order,
spend gift cards and credit notes, record the discount; (2) ask the payment gateway for what is left,
outside any transaction; (3) record the outcome and move the order on. A refused payment gives
everything back and reopens the cart. A retry with the same Idempotency-Key returns the same order.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from comptoir.accounts.models import ADDRESS_FIELDS, Customer
from comptoir.accounts.services import normalise_email
from comptoir.brands.models import Brand
from comptoir.catalog.services import check_purchasable, reserve_stock, variants_by_sku
from comptoir.checkout import reductions
from comptoir.checkout.models import Cart
from comptoir.checkout.pricing import PriceItem, Quote, quote, spread_discount
from comptoir.checkout.services import claim_cart
from comptoir.core.errors import Conflict, InvalidInput, NotAuthenticated, PaymentRefused
from comptoir.discounts.rules import LineFacts
from comptoir.discounts.services import record_redemption
from comptoir.loyalty import vouchers as loyalty_vouchers
from comptoir.orders import states
from comptoir.orders.models import Order, OrderEvent, OrderLine
from comptoir.orders.queries import with_details
from comptoir.orders.services import settle_paid_order
from comptoir.payments import methods
from comptoir.payments import services as payments
from comptoir.payments import stored_value
from comptoir.payments.gateway import CardDetails
from comptoir.payments.models import Payment
from comptoir.shipping.rules import (
    check_address_deliverable, check_method_available, find_rate, plan_shipments, promise_delivery,
)

ORDER_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "postal_code", "city", "country")
# The buyer's business, printed on the invoice: required where the brand sells to professionals.
BUYER_FIELDS = ("company", "vat_number")
_VAT_NUMBER = re.compile(r"^[A-Z]{2}[0-9A-Z]{2,13}$")


@dataclass(frozen=True)
class CheckoutDetails:
    email: str
    shipping_address: dict
    billing_address: dict | None
    shipping_method: str | None
    payment_method: str | None
    card: CardDetails | None
    language: str
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placement:
    """The placed order; `lines` are its lines when this call wrote them (None on a replay)."""

    order: Order
    payments: list[Payment]
    replayed: bool
    lines: list[OrderLine] | None = None

    @property
    def payment(self) -> Payment | None:
        """The main payment (the last one opened)."""
        return self.payments[-1] if self.payments else None


@dataclass
class Priced:
    """Everything decided before writing: prices, reductions, tenders, promise."""

    quote: Quote
    reductions: reductions.Reductions
    stored_value: list = field(default_factory=list)  # [(card, amount)]
    main_amount_minor: int = 0


def place_order(brand: Brand, cart_id, details: CheckoutDetails, *, customer: Customer | None,
                idempotency_key: str, now: datetime) -> Placement:
    """Turn a cart into an order and take its payment as the brand's policy says.

    A retry with the same key finds the cart ordered and answers with that order; a retry after a
    refusal (the cart reopened) runs again until the order insert meets the key's unique constraint.
    So the first attempt, the common case, spends no query looking for an earlier one.
    """
    policy = brand.policy_object
    if customer is None and policy.accounts.account_required_to_order:
        raise NotAuthenticated("account_required", rule="OG-ACC-01")
    try:
        with transaction.atomic():
            # Claim the cart first: two checkouts of one cart cannot both place an order. Everything
            # below that refuses the order (bad input, sold out, a refused credit check) rolls the claim back.
            cart = claim_cart(brand, cart_id, customer=customer, now=now)
            if cart is None:
                return _replay_or_refuse(brand, idempotency_key, customer)
            order, order_lines, payment, tenders = _place(brand, cart, details, customer=customer,
                                                          idempotency_key=idempotency_key, now=now)
    except IntegrityError:
        # The same Idempotency-Key raced us and won: answer with its order.
        existing = _placed_with_key(brand, idempotency_key, customer)
        if existing is None:
            raise
        return existing
    if payment is None:
        return Placement(order, tenders, replayed=False, lines=order_lines)
    return _take_payment(order, tenders, payment, details.card, lines=order_lines, customer=customer, now=now)


def _place(brand: Brand, cart: Cart, details: CheckoutDetails, *, customer: Customer | None,
           idempotency_key: str, now: datetime) -> tuple[Order, list[OrderLine], Payment | None, list[Payment]]:
    """Price the claimed cart, reserve its stock and write the order, in the caller's transaction."""
    policy = brand.policy_object
    if not cart.lines:
        raise InvalidInput("cart_empty")
    email = normalise_email(details.email or (customer.email if customer else ""))
    language = details.language if details.language in policy.languages else policy.default_language
    shipping_address = _clean_address(details.shipping_address, "shipping")
    billing_address = _clean_buyer(policy, details.billing_address or details.shipping_address)
    country = shipping_address["country"]

    variants = variants_by_sku(brand, [line["sku"] for line in cart.lines])
    for line in cart.lines:
        check_purchasable(variants[line["sku"]], line["quantity"])
    shipped = [line for line in cart.lines if not variants[line["sku"]].product.is_gift_card]
    method = _check_shipping(policy, details.shipping_method, shipping_address) if shipped else None
    shipping_price = find_rate(policy, method, country).price_minor if method else 0

    priced = price_cart(brand, cart, variants, details.codes, shipping_price, country, customer=customer,
                        email=email, language=language, now=now)
    if priced.main_amount_minor > 0:
        # The method, its card, and the provider's credit check (AL-PAY-05), before anything is reserved.
        methods.check_start(policy, details.payment_method, details.card, amount_minor=priced.main_amount_minor,
                            email=email)

    order = _new_order(brand, cart, customer, details, priced.quote, email=email, language=language,
                       shipping_address=shipping_address, billing_address=billing_address, method=method,
                       main_method=details.payment_method if priced.main_amount_minor else "",
                       key=idempotency_key, now=now)
    order_lines = _new_lines(order, variants, priced.quote, method, now)
    reserve_stock({variants[p.sku].id: p.quantity for p in priced.quote.lines}, {v.id: v for v in variants.values()})
    order.save(force_insert=True)
    OrderLine.objects.bulk_create(order_lines)
    OrderEvent.objects.create(order=order, kind="placed", to_status=order.status,
                              actor=_actor(customer), at=now, data={"total_minor": order.total_minor})
    if priced.reductions.discount is not None:
        record_redemption(priced.reductions.discount, order=order, customer=customer, email=email,
                          amount_minor=priced.quote.discount_minor, now=now)
    if priced.reductions.voucher is not None:
        loyalty_vouchers.consume(priced.reductions.voucher, order=order, now=now)
    # Cards are locked in id order, so two orders sharing cards cannot deadlock (saleor#13640).
    tenders = [stored_value.spend(order, card, amount_minor=amount, now=now)
               for card, amount in sorted(priced.stored_value, key=lambda pair: pair[0].pk)]
    payment = None
    if priced.main_amount_minor > 0:
        payment = payments.open_payment(order, method=details.payment_method,
                                        amount_minor=priced.main_amount_minor, now=now)
    else:
        settle_paid_order(order, actor=_actor(customer), now=now, lines=order_lines)
        order.save()
    return order, order_lines, payment, tenders


def price_cart(brand: Brand, cart: Cart, variants: dict, codes, shipping_minor: int, country: str, *,
               customer, email: str, language: str, now: datetime) -> Priced:
    """Prices, discount and stored value for the cart, without writing anything."""
    policy = brand.policy_object
    facts = [
        LineFacts(sku=line["sku"], category=variants[line["sku"]].product.category.code,
                  total_minor=variants[line["sku"]].product.price_minor * line["quantity"])
        for line in cart.lines
        if not variants[line["sku"]].product.is_gift_card  # gift cards are never discounted
    ]
    found = reductions.resolve(brand, list(codes), facts, customer=customer, email=email, language=language, now=now)
    eligible = [fact for fact in facts if fact.sku in found.eligible_skus]
    shares = dict(zip([f.sku for f in eligible], spread_discount(found.discount_minor, [f.total_minor for f in eligible])))
    if found.voucher is not None:  # AL-LOY-05: no minimum; capped at what the items still cost
        rests = [f.total_minor - shares.get(f.sku, 0) if f.discountable else 0 for f in facts]
        parts = spread_discount(min(found.voucher.amount_minor, sum(rests)), rests)
        shares = {f.sku: shares.get(f.sku, 0) + part for f, part in zip(facts, parts)}
    items = []
    for line in cart.lines:
        product = variants[line["sku"]].product
        rate = 0 if product.is_gift_card else policy.tax.vat_rate_basis_points
        items.append(PriceItem(line["sku"], line["quantity"], product.price_minor, rate, shares.get(line["sku"], 0)))
    priced_quote = quote(policy, items, shipping_minor, country)
    plan = reductions.plan_stored_value(found.cards, priced_quote.total_minor)
    return Priced(priced_quote, found, plan, priced_quote.total_minor - sum(amount for _, amount in plan))


def _check_shipping(policy, method_code: str | None, address: dict):
    if not method_code:
        raise InvalidInput("invalid_input", fields="shipping_method")
    check_method_available(policy, method_code, address["country"]).enforce(InvalidInput)
    check_address_deliverable(policy, [address["line1"], address["line2"]]).enforce(InvalidInput)
    return policy.shipping_method(method_code)


def _new_order(brand, cart, customer, details, priced: Quote, *, email, language, shipping_address,
               billing_address, method, main_method, key, now) -> Order:
    policy = brand.policy_object
    promise = promise_delivery(policy, method.code, shipping_address["country"], now) if method else None
    return Order(
        brand=brand, number=_new_order_number(policy.orders.order_number_prefix), customer=customer, email=email,
        language=language, status=states.AWAITING_PAYMENT, currency=policy.currency,
        subtotal_minor=priced.subtotal_minor, discount_minor=priced.discount_minor,
        shipping_minor=priced.shipping_minor, vat_minor=priced.vat_minor, total_minor=priced.total_minor,
        prices_include_vat=priced.prices_include_vat, shipping_method=method.code if method else "",
        shipping_address=shipping_address, billing_address=billing_address, payment_method=main_method or "",
        placed_at=now, dispatch_due_on=promise.dispatch_on if promise else None,
        delivery_earliest_on=promise.delivery_earliest if promise else None,
        delivery_latest_on=promise.delivery_latest if promise else None,
        # Until the gateway's answer is recorded: a process stopped before that leaves a deadline behind.
        payment_due_by=now + timedelta(minutes=policy.orders.payment_step_timeout_minutes) if main_method else None,
        checkout_key=key, access_token=secrets.token_urlsafe(24), cart=cart,
    )


def _new_lines(order: Order, variants: dict, priced: Quote, method, now: datetime) -> list[OrderLine]:
    policy = order.brand.policy_object
    shipped = [(p.sku, variants[p.sku].product.preorder_ships_on) for p in priced.lines
               if not variants[p.sku].product.is_gift_card]
    parcels = plan_shipments(policy, method.code, now, shipped) if method and shipped else []
    ships_on = {sku: day for day, skus in parcels for sku in skus}
    return [
        OrderLine(
            order=order, variant=variants[p.sku], sku=p.sku, product_name=variants[p.sku].product.name,
            size=variants[p.sku].size, colour=variants[p.sku].colour, quantity=p.quantity,
            unit_price_minor=p.unit_price_minor, vat_rate_basis_points=p.vat_rate_basis_points,
            discount_minor=p.discount_minor, vat_minor=p.vat_minor, total_minor=p.total_minor,
            is_gift_card=variants[p.sku].product.is_gift_card, ships_on=ships_on.get(p.sku),
        )
        for p in priced.lines
    ]


def _take_payment(order: Order, tenders: list[Payment], payment: Payment, card: CardDetails | None, *, lines,
                  customer, now) -> Placement:
    started = methods.start_payment(order, payment, card, now=now)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)  # the brand is in hand: no join
        locked.brand = order.brand
        if locked.status == states.AWAITING_PAYMENT:
            methods.record_start(locked, payment, started, actor=_actor(customer), now=now, lines=lines)
        else:  # the PSP's webhook told the outcome first (orders.gateway_events)
            payment.refresh_from_db()
    if started.result.status == "refused":
        raise PaymentRefused(started.result.refusal_code or "payment_refused", rule="AL-PAY-06")
    return Placement(locked, [*tenders, payment], replayed=False, lines=lines)


def _clean_address(address: dict | None, which: str) -> dict:
    address = {name: str((address or {}).get(name) or "").strip() for name in ADDRESS_FIELDS}
    address["country"] = address["country"].upper()
    missing = [name for name in REQUIRED_ADDRESS_FIELDS if not address[name]]
    if missing or len(address["country"]) != 2:
        raise InvalidInput("address_incomplete", which=which, fields=", ".join(missing or ["country"]))
    return address


def _clean_buyer(policy, address: dict) -> dict:
    """The billing address, with the buyer's company and VAT number when given (or required)."""
    billing = _clean_address(address, "billing")
    billing["company"] = str(address.get("company") or "").strip()
    billing["vat_number"] = re.sub(r"[\s.-]", "", str(address.get("vat_number") or "")).upper()
    if policy.customers == "professionals" and not billing["company"]:
        raise InvalidInput("company_required", rule="OP-RET-01")
    if billing["vat_number"] and not _VAT_NUMBER.match(billing["vat_number"]):
        raise InvalidInput("invalid_vat_number")
    return billing


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
    return Placement(order, sorted(order.payments.all(), key=lambda p: p.created_at), replayed=True)


def _new_order_number(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(8))


def _actor(customer: Customer | None) -> str:
    return f"customer:{customer.id}" if customer else "guest"
