"""Products as a shopper reads them, for the API and the pages alike: a product's sheet (names, prices in
the shopper's language and destination), pages of sheets and the categories, kept per process for a few
seconds (CATALOG_CACHE_SECONDS: an edit shows after that delay).

A sheet holds everything but availability, which follows the stock: every order moves stock, so a page
reads it afresh on every request (one query), while the sheets come from the cache (OG-STK-01).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings

from comptoir.brands.models import Brand
from comptoir.catalog.models import Category, Product
from comptoir.catalog.rules import Availability, availability
from comptoir.catalog.services import current_stock, get_product, list_categories, list_products
from comptoir.checkout.pricing import charges_vat
from comptoir.core.money import Money, net_of_vat
from comptoir.core.timed_cache import TimedCache

# A page of sheets reads the same for every shopper of a (brand, filters, language, country): each process
# keeps it CATALOG_CACHE_SECONDS, so a product edit shows after that delay and a sold-out variant at once.
_PAGES = TimedCache(lambda: settings.CATALOG_CACHE_SECONDS, max_entries=500)
_PRODUCTS = TimedCache(lambda: settings.CATALOG_CACHE_SECONDS, max_entries=2000)
_CATEGORIES = TimedCache(lambda: settings.CATALOG_CACHE_SECONDS, max_entries=100)

Stock = dict[int, tuple[int, str]]  # variant id → (units, when_out_of_stock)
T = TypeVar("T")


class Renderings:
    """What callers made of a cached sheet or page (the API's JSON, a page's HTML), per set of availabilities:
    units change with every order, availabilities rarely."""

    MAX_ENTRIES = 64  # beyond, the renderings are forgotten and made again when asked

    def __init__(self):
        self._made: dict = {}

    def get(self, key, render: Callable[[], T]) -> T:
        """`render()`'s result, made once per key."""
        found = self._made.get(key)
        if found is None:
            found = render()
            if len(self._made) >= self.MAX_ENTRIES:
                self._made.clear()
            self._made[key] = found
        return found


@dataclass(frozen=True, slots=True)
class ProductSheet:
    """A product as the shopper reads it, but for its variants' availability."""

    fields: dict  # the API's ProductOut fields but `variants`
    variants: list[tuple[int, dict]]  # (variant id, its sku, size and colour)
    category_name: dict = field(default_factory=dict)  # {"en": ..., "fr": ...}, for the product page
    is_gift_card: bool = False
    renderings: Renderings = field(default_factory=Renderings, compare=False, repr=False)

    def rendered(self, kind, stock: Stock, render: Callable[[], T]) -> T:
        """`render()`'s result, made once per `kind` and set of availabilities of this product's variants."""
        return self.renderings.get((kind, self.states(stock)), render)

    def states(self, stock: Stock) -> tuple[Availability, ...]:
        """Each variant's availability, given the stock read now (OG-STK-01, AL-STK-02)."""
        preorder_ships_on = self.fields["preorder_ships_on"]
        states = []
        for variant_id, _ in self.variants:
            units, when_out_of_stock = stock.get(variant_id, (0, "sold_out"))  # deleted meanwhile
            states.append(availability(stock=units, when_out_of_stock=when_out_of_stock,
                                       preorder_ships_on=preorder_ships_on))
        return tuple(states)

    def with_availability(self, stock: Stock) -> dict:
        """The sheet as a dict whose variants say their availability, whether they can be bought and when
        a pre-order ships."""
        variants = [{**fields, "availability": state.code, "ships_on": state.ships_on, "purchasable": state.purchasable}
                    for (_, fields), state in zip(self.variants, self.states(stock))]
        return {**self.fields, "variants": variants}


@dataclass(slots=True)
class SheetPage:
    """One page of sheets, and what callers made of it (the API's JSON, a page's product grid)."""

    total: int
    sheets: list[ProductSheet]
    renderings: Renderings = field(default_factory=Renderings, repr=False)

    def rendered(self, kind, stock: Stock, render: Callable[[], T]) -> T:
        """`render()`'s result, made once per `kind` and set of availabilities of this page."""
        return self.renderings.get((kind, tuple(sheet.states(stock) for sheet in self.sheets)), render)


def product_sheet(brand: Brand, product: Product, language: str, country: str | None) -> ProductSheet:
    """The sheet of a product whose category and variants are loaded."""
    policy = brand.policy_object
    with_vat = country is None or charges_vat(policy, country.upper())
    price = product.price_minor if with_vat else net_of_vat(product.price_minor, policy.tax.vat_rate_basis_points)

    def text(value: dict) -> str:
        return value.get(language) or value.get("en", "")

    fields = {
        "slug": product.slug, "category": product.category.code, "name": text(product.name),
        "description": text(product.description), "composition": text(product.composition),
        "care": text(product.care), "origin": text(product.origin), "price_minor": price,
        "price": Money(price, policy.currency).format(language), "prices_include_vat": with_vat,
        "size_guide": product.size_guide, "preorder_ships_on": product.preorder_ships_on,
    }
    variants = [(v.id, {"sku": v.sku, "size": v.size, "colour": v.colour}) for v in product.variants.all()]
    return ProductSheet(fields, variants, product.category.name, product.is_gift_card)


def cached_product_sheet(brand: Brand, slug: str, *, language: str, country: str | None) -> tuple[ProductSheet, Stock]:
    """An active product's sheet and the stock of its variants: two queries when the sheet is not in this
    process's cache, one (the stock) when it is; NotFound for an unknown or inactive product."""
    key = (brand.pk, brand.updated_at, slug, language, country)
    sheet = _PRODUCTS.get(key)
    if sheet is None:
        product = get_product(brand, slug)
        sheet = product_sheet(brand, product, language, country)
        _PRODUCTS.put(key, sheet)
        return sheet, {v.id: (v.stock, v.when_out_of_stock) for v in product.variants.all()}
    return sheet, current_stock([variant_id for variant_id, _ in sheet.variants])


def categories(brand: Brand) -> list[Category]:
    """The brand's categories in preset order, kept as long as a page of sheets."""
    key = (brand.pk, brand.updated_at)
    found = _CATEGORIES.get(key)
    if found is None:
        found = list_categories(brand)
        _CATEGORIES.put(key, found)
    return found


def sheet_page(brand: Brand, *, category: str | None, offset: int, limit: int, language: str,
               country: str | None) -> tuple[SheetPage, Stock]:
    """A page of active products' sheets and the stock of their variants: three queries when the page is
    not in this process's cache, one (the stock) when it is."""
    key = (brand.pk, brand.updated_at, category, offset, limit, language, country)
    page = _PAGES.get(key)
    if page is None:
        total, products = list_products(brand, category=category, offset=offset, limit=limit)
        page = SheetPage(total, [product_sheet(brand, p, language, country) for p in products])
        _PAGES.put(key, page)
        return page, {v.id: (v.stock, v.when_out_of_stock) for p in products for v in p.variants.all()}
    return page, current_stock([variant_id for sheet in page.sheets for variant_id, _ in sheet.variants])
