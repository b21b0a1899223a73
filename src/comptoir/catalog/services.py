"""Reading the catalog and moving stock. Stock only changes inside the caller's transaction."""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, F, Prefetch, Value, When

from comptoir.brands.models import Brand
from comptoir.catalog.models import Category, Product, Variant
from comptoir.catalog.rules import availability
from comptoir.core.errors import Conflict, InvalidInput, NotFound

_VARIANT_TABLE = Variant._meta.db_table


def list_categories(brand: Brand) -> list[Category]:
    """The brand's categories in preset order (one query)."""
    return list(Category.objects.filter(brand=brand).order_by("position", "id"))


def list_products(brand: Brand, *, category: str | None, offset: int, limit: int) -> tuple[int, list[Product]]:
    """One page of active products with their variants: three queries whatever the page size."""
    products = Product.objects.filter(brand=brand, is_active=True).select_related("category")
    if category:
        products = products.filter(category__code=category)
    total = products.count()
    page = list(products.prefetch_related(_variants())[offset : offset + limit])
    return total, page


def current_stock(variant_ids: list[int]) -> dict[int, tuple[int, str]]:
    """(units, when_out_of_stock) of these variants, read now in one query: every order moves stock.

    Plain SQL, as a products page asks this on every request: the ORM's compiling of a 60-value `IN`
    list cost more than the query. On PostgreSQL the ids go as one array, so the statement's text is the
    same whatever the page and the driver keeps it prepared.
    """
    if not variant_ids:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT id, stock, when_out_of_stock FROM {_VARIANT_TABLE} WHERE id = ANY(%s)",
                           [list(variant_ids)])
        else:
            placeholders = ", ".join(["%s"] * len(variant_ids))
            cursor.execute(f"SELECT id, stock, when_out_of_stock FROM {_VARIANT_TABLE} WHERE id IN ({placeholders})",
                           variant_ids)
        return {variant_id: (units, when_out_of_stock) for variant_id, units, when_out_of_stock in cursor.fetchall()}


def get_product(brand: Brand, slug: str) -> Product:
    product = (
        Product.objects.filter(brand=brand, slug=slug, is_active=True)
        .select_related("category")
        .prefetch_related(_variants())
        .first()
    )
    if product is None:
        raise NotFound("not_found", thing="product")
    return product


def _variants() -> Prefetch:
    return Prefetch("variants", queryset=Variant.objects.order_by("position", "id"))


# The product's long texts, for its page only.
_LONG_TEXTS = ("product__description", "product__composition", "product__care", "product__origin",
               "product__size_guide")


def variants_by_sku(brand: Brand, skus: list[str]) -> dict[str, Variant]:
    """The variants for these SKUs (one query); an unknown SKU is an input error."""
    found = {
        variant.sku: variant
        for variant in Variant.objects.filter(brand=brand, sku__in=set(skus), product__is_active=True)
        .select_related("product__category")
        .defer(*_LONG_TEXTS)  # carts and orders never show them: no JSON to decode
        .order_by()
    }
    for sku in skus:
        if sku not in found:
            raise InvalidInput("unknown_sku", sku=sku)
    return found


def variant_label(variant: Variant) -> str:
    return " / ".join(part for part in (variant.colour, variant.size) if part) or variant.sku


def check_purchasable(variant: Variant, quantity: int) -> None:
    """Refuse an unavailable variant with its code (OG-STK-01) or a quantity above the stock."""
    state = availability(
        stock=variant.stock, when_out_of_stock=variant.when_out_of_stock,
        preorder_ships_on=variant.product.preorder_ships_on,
    )
    name = variant.product.name.get("en", variant.sku)
    if not state.purchasable:
        raise Conflict(state.code, rule="OG-STK-01", name=name, variant=variant_label(variant))
    if quantity > variant.stock:
        raise Conflict("not_enough_stock", name=name, variant=variant_label(variant), available=variant.stock)


def reserve_stock(quantities: dict[int, int], variants: dict[int, Variant]) -> None:
    """Take `quantities` (variant id -> units) in ONE conditional UPDATE; never oversells.

    Each row is decremented only if it still holds enough units; if fewer rows than asked were
    updated, the caller's transaction must roll back, and the error names a short variant.
    """
    if _take_units(quantities) != len(quantities):
        fresh = dict(Variant.objects.filter(id__in=quantities).values_list("id", "stock"))
        for variant_id, quantity in quantities.items():
            if fresh.get(variant_id, 0) < quantity:
                variant = variants[variant_id]
                variant.stock = fresh.get(variant_id, 0)
                check_purchasable(variant, quantity)
        raise Conflict("stock_changed")


def _take_units(quantities: dict[int, int]) -> int:
    """Decrement each variant holding enough units; return how many rows were decremented.

    Plain SQL, as every order runs it: the ORM's OR of conditions and CASE of quantities cost more to
    compile than the statement costs to run. On PostgreSQL the pairs go as two arrays, so the text is the
    same whatever the line count and the driver keeps it prepared; SQLite gets a VALUES list.
    """
    ids, units = list(quantities), list(quantities.values())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {_VARIANT_TABLE} AS v SET stock = v.stock - wanted.units "
                "FROM unnest(%s::bigint[], %s::integer[]) AS wanted(id, units) "
                "WHERE v.id = wanted.id AND v.stock >= wanted.units",
                [ids, units],
            )
        else:
            # SQLite names a VALUES list's columns column1, column2 (and counts rows of a statement
            # only when it starts with UPDATE: no WITH).
            rows = ", ".join(["(%s, %s)"] * len(ids))
            cursor.execute(
                f"UPDATE {_VARIANT_TABLE} SET stock = stock - wanted.column2 FROM (VALUES {rows}) AS wanted "
                f"WHERE {_VARIANT_TABLE}.id = wanted.column1 AND {_VARIANT_TABLE}.stock >= wanted.column2",
                [value for pair in quantities.items() for value in pair],
            )
        return cursor.rowcount


def release_stock(quantities: dict[int, int]) -> None:
    """Give units back (cancellation, expired payment step) in one UPDATE."""
    if not quantities:
        return
    Variant.objects.filter(id__in=quantities).update(
        stock=F("stock") + Case(*[When(id=vid, then=Value(q)) for vid, q in quantities.items()])
    )
