"""Cart and checkout. Checkout requires an Idempotency-Key: a retry returns the same order."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from ninja import Router, Schema, Status
from pydantic import BaseModel, Field

from comptoir.accounts.api import AddressIn
from comptoir.accounts.auth import optional_shopper
from comptoir.brands.services import get_brand
from comptoir.catalog.services import variants_by_sku
from comptoir.checkout import placement, services
from comptoir.checkout.models import Cart
from comptoir.core.http import idempotency_key, request_language
from comptoir.orders.schemas import PlacedOrderOut, order_out
from comptoir.payments.schemas import CardIn

router = Router(tags=["checkout"])


class CartLineIn(Schema):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=services.MAX_QUANTITY_PER_LINE)


class CartIn(Schema):
    lines: list[CartLineIn] = Field(default=[], max_length=services.MAX_LINES)


class QuantityIn(Schema):
    quantity: int = Field(ge=0, le=services.MAX_QUANTITY_PER_LINE)


# Outputs are plain pydantic models fed with dicts (ninja's Schema would wrap them in its ORM getter).
class CartLineOut(BaseModel):
    sku: str
    quantity: int
    name: str
    unit_price_minor: int


class CartOut(BaseModel):
    id: UUID
    status: str
    lines: list[CartLineOut]
    subtotal_minor: int


class PaymentIn(Schema):
    method: Literal["card", "paypal", "bank_transfer", "instalments_3", "deferred_15", "deferred_30"] | None = Field(
        default=None, description="Pays what gift cards and credit notes leave; not needed when they cover all")
    card: CardIn | None = None


class CheckoutAddressIn(AddressIn):
    """An address at checkout. The billed one (the billing address, else the shipping address) may name
    the buyer's company — required where the brand sells to professionals — and VAT number, both
    printed on the invoice."""

    company: str = Field(default="", max_length=200)
    vat_number: str = Field(default="", max_length=20, description="Intra-EU VAT number, e.g. FR12345678901")


class CheckoutIn(Schema):
    email: str = Field(default="", max_length=254)
    shipping_address: CheckoutAddressIn
    billing_address: CheckoutAddressIn | None = None
    shipping_method: str | None = Field(default=None, max_length=40, description="Not needed for e-gift cards only")
    payment: PaymentIn = PaymentIn()
    codes: list[str] = Field(default=[], max_length=5, description='The "Discount code or gift card" field (AL-PAY-07)')
    language: Literal["en", "fr"] | None = None


@router.post("/brands/{slug}/carts", response={201: CartOut}, summary="Start a cart (optionally with lines)")
def create_cart(request, slug: str, payload: CartIn):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    cart = services.create_cart(brand, customer=customer, lines=[(l.sku, l.quantity) for l in payload.lines],
                                now=request.now)
    return Status(201, cart_out(cart, request_language(request, brand.policy_object.default_language)))


@router.get("/brands/{slug}/carts/{cart_id}", response=CartOut)
def get_cart(request, slug: str, cart_id: UUID):
    brand = get_brand(slug)
    cart = services.get_cart(brand, cart_id, customer=optional_shopper(request, brand))
    return cart_out(cart, request_language(request, brand.policy_object.default_language))


@router.put("/brands/{slug}/carts/{cart_id}/lines/{sku}", response=CartOut, summary="Set a line's quantity (0 removes)")
def set_line(request, slug: str, cart_id: UUID, sku: str, payload: QuantityIn):
    brand = get_brand(slug)
    cart = services.get_cart(brand, cart_id, customer=optional_shopper(request, brand))
    cart = services.set_cart_line(cart, sku=sku, quantity=payload.quantity, now=request.now)
    return cart_out(cart, request_language(request, brand.policy_object.default_language))


@router.post("/brands/{slug}/carts/{cart_id}/checkout", response={201: PlacedOrderOut, 200: PlacedOrderOut},
             summary="Place the order and pay (Idempotency-Key header required)")
def checkout(request, slug: str, cart_id: UUID, payload: CheckoutIn):
    brand = get_brand(slug)
    key = idempotency_key(request)
    customer = optional_shopper(request, brand)
    card = payload.payment.card
    details = placement.CheckoutDetails(
        email=payload.email, shipping_address=payload.shipping_address.dict(),
        billing_address=payload.billing_address.dict() if payload.billing_address else None,
        shipping_method=payload.shipping_method, payment_method=payload.payment.method,
        card=card.details() if card else None,
        language=payload.language or request_language(request, brand.policy_object.default_language),
        codes=tuple(code[:40] for code in payload.codes),
    )
    placed = placement.place_order(brand, cart_id, details, customer=customer, idempotency_key=key, now=request.now)
    if placed.replayed:
        return Status(200, order_out(placed.order, placed.order.language))
    # A just-placed order has the lines and payments this call wrote and no shipment: no query needed.
    return Status(201, order_out(placed.order, placed.order.language, lines=placed.lines, shipments=[],
                                 payments=placed.payments))


def cart_out(cart: Cart, language: str) -> dict:
    variants = getattr(cart, "loaded_variants", None)
    if variants is None or any(line["sku"] not in variants for line in cart.lines):
        variants = variants_by_sku(cart.brand, [line["sku"] for line in cart.lines]) if cart.lines else {}
    lines = [
        {
            "sku": line["sku"], "quantity": line["quantity"],
            "name": variants[line["sku"]].product.name.get(language, line["sku"]),
            "unit_price_minor": variants[line["sku"]].product.price_minor,
        }
        for line in cart.lines
    ]
    return {"id": cart.id, "status": cart.status, "lines": lines,
            "subtotal_minor": sum(l["unit_price_minor"] * l["quantity"] for l in lines)}
