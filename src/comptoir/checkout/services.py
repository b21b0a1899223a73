"""The cart: lines kept on one row, checked against availability as they are added."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand
from comptoir.catalog.services import check_purchasable, variants_by_sku
from comptoir.checkout.models import Cart
from comptoir.core.errors import Conflict, InvalidInput, NotFound

MAX_QUANTITY_PER_LINE = 10
MAX_LINES = 30


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


def claim_cart(brand: Brand, cart_id, *, customer: Customer | None, now: datetime) -> Cart | None:
    """Mark an open cart ordered and return it, inside the caller's transaction (which gives it back on
    rollback). Of two checkouts of one cart (a double click with two keys), the second waits for the
    first's row lock, then finds nothing to claim: None means the cart is ordered already. A missing
    cart, or another shopper's, is NotFound as in get_cart. One UPDATE … RETURNING reads and claims."""
    try:
        cart_key = Cart._meta.pk.get_db_prep_value(cart_id, connection)
    except ValidationError:
        raise NotFound("not_found", thing="cart") from None
    table = connection.ops.quote_name(Cart._meta.db_table)
    # A guest passes NULL for the owner, which matches no signed-in shopper's cart.
    claimed = list(Cart.objects.raw(
        f"UPDATE {table} SET status = %s, updated_at = %s WHERE id = %s AND brand_id = %s AND status = %s "
        "AND (customer_id IS NULL OR customer_id = %s) RETURNING *",
        [Cart.ORDERED, Cart._meta.get_field("updated_at").get_db_prep_value(now, connection), cart_key, brand.pk,
         Cart.OPEN, customer.pk if customer else None],
    ))
    if not claimed:
        get_cart(brand, cart_id, customer=customer)  # NotFound, or else it exists and is no longer open
        return None
    claimed[0].brand = brand
    return claimed[0]


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
