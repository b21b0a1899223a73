"""The cart: its lines with their prices, add from a product page, change a quantity (0 removes)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from comptoir.catalog.services import variant_label, variants_by_sku
from comptoir.checkout import services as carts
from comptoir.checkout.models import Cart
from comptoir.core.errors import DomainError, NotFound
from comptoir.web import session
from comptoir.web.pages import brand_page, message_of, show
from comptoir.web.views.catalog import product_page_with_error
from comptoir.web.swatches import silhouette


def open_cart(request, brand) -> Cart | None:
    """The session's cart if it is still open (an ordered cart is forgotten)."""
    cart_id = session.cart_id(request, brand)
    if not cart_id:
        return None
    try:
        cart = carts.get_cart(brand, cart_id, customer=request.customer)
    except (NotFound, ValueError):
        cart = None
    if cart is None or cart.status != Cart.OPEN:
        session.forget_cart(request, brand)
        return None
    return cart


def cart_lines(request, brand, cart: Cart | None) -> tuple[list[dict], int]:
    """The lines as the shopper reads them, and the subtotal (VAT included)."""
    if cart is None or not cart.lines:
        return [], 0
    variants = variants_by_sku(brand, [line["sku"] for line in cart.lines])
    lines = []
    for line in cart.lines:
        variant = variants[line["sku"]]
        product = variant.product
        lines.append({
            "sku": line["sku"], "quantity": line["quantity"], "name": product.name.get(request.language)
            or product.name.get("en", line["sku"]), "variant": variant_label(variant), "colour": variant.colour,
            "slug": product.slug, "unit_price_minor": product.price_minor, "shape": silhouette(product.category.code),
            "total_minor": product.price_minor * line["quantity"],
        })
    return lines, sum(line["total_minor"] for line in lines)


@brand_page
def cart_page(request, brand):
    return _cart_page(request, brand)


def _cart_page(request, brand, *, error: str = "", status: int = 200):
    cart = open_cart(request, brand)
    lines, subtotal = cart_lines(request, brand, cart)
    return show(request, "web/shop/cart.html", {
        "lines": lines, "subtotal_minor": subtotal, "error": error, "quantities": range(0, carts.MAX_QUANTITY_PER_LINE + 1),
    }, status=status)


def _quantity(request) -> int:
    try:
        return int(request.POST.get("quantity", "1"))
    except ValueError:
        return -1  # refused by the service with its message


@require_POST
@brand_page
def add_to_cart(request, brand):
    sku, quantity = request.POST.get("sku", ""), _quantity(request)
    product = request.POST.get("product", "")
    if not sku:
        return product_page_with_error(request, brand, product, request.texts["choose_size"], 422)
    cart = open_cart(request, brand)
    try:
        if cart is None:
            cart = carts.create_cart(brand, customer=request.customer, lines=[(sku, quantity)], now=request.now)
        else:
            current = next((line["quantity"] for line in cart.lines if line["sku"] == sku), 0)
            cart = carts.set_cart_line(cart, sku=sku, quantity=current + quantity, now=request.now)
    except DomainError as error:
        return product_page_with_error(request, brand, product, message_of(request, error), error.status)
    session.remember_cart(request, brand, cart)
    return redirect("web:cart", brand=brand.slug)


@require_POST
@brand_page
def update_cart(request, brand):
    cart = open_cart(request, brand)
    if cart is None:
        return redirect("web:cart", brand=brand.slug)
    try:
        cart = carts.set_cart_line(cart, sku=request.POST.get("sku", ""), quantity=_quantity(request), now=request.now)
    except DomainError as error:
        return _cart_page(request, brand, error=message_of(request, error), status=error.status)
    session.remember_cart(request, brand, cart)
    return redirect("web:cart", brand=brand.slug)

