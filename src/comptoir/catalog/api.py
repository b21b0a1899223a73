"""Browsing a brand's catalog: products with variants and their availability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from comptoir.brands.services import get_brand
from comptoir.catalog.models import Category, Product
from comptoir.catalog.rules import availability
from comptoir.catalog.services import current_stock, get_product, list_products
from comptoir.checkout.pricing import charges_vat
from comptoir.core.http import request_language
from comptoir.core.money import Money, net_of_vat
from comptoir.core.timed_cache import TimedCache

router = Router(tags=["catalog"])

# A products page reads the same for every shopper of a (brand, filters, language, country) but for
# its stock: each process keeps the rendered page CATALOG_CACHE_SECONDS and reads the stock afresh
# every time, so a product edit shows after that delay and a sold-out variant at once (OG-STK-01).
_PAGES = TimedCache(lambda: settings.CATALOG_CACHE_SECONDS, max_entries=500)


# The output models are plain pydantic models: views hand them dicts, and ninja's Schema would
# wrap every nested object in its ORM attribute getter, about 1 ms per products page for nothing.
class VariantOut(BaseModel):
    sku: str
    size: str
    colour: str
    availability: str  # in_stock, preorder, sold_out, coming_soon (OG-STK-01)
    ships_on: date | None  # AL-STK-02
    purchasable: bool


class ProductOut(BaseModel):
    slug: str
    category: str
    name: str
    description: str
    composition: str
    care: str
    origin: str
    price_minor: int
    price: str
    prices_include_vat: bool
    size_guide: dict[str, str]
    preorder_ships_on: date | None
    variants: list[VariantOut]


class ProductPage(BaseModel):
    count: int
    offset: int
    limit: int
    results: list[ProductOut]


class CategoryOut(BaseModel):
    code: str
    name: str


class ListFilters(Schema):
    category: str | None = Field(default=None, max_length=80)
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$", description="Destination: prices net of VAT outside the EU")
    offset: int = Field(default=0, ge=0, le=100000)
    limit: int = Field(default=24, ge=1, le=100)


class ProductQuery(Schema):
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")


@router.get("/brands/{slug}/categories", response=list[CategoryOut])
def categories(request, slug: str):
    brand = get_brand(slug)
    language = request_language(request, brand.policy_object.default_language)
    return [{"code": c.code, "name": c.name.get(language, c.code)} for c in Category.objects.filter(brand=brand)]


@router.get("/brands/{slug}/products", response=ProductPage, summary="Browse products (paginated)")
def products(request, slug: str, filters: Query[ListFilters]):
    brand = get_brand(slug)
    language = request_language(request, brand.policy_object.default_language)
    country = filters.country.upper() if filters.country else None
    key = (brand.pk, brand.updated_at, filters.category, filters.offset, filters.limit, language, country)
    cached = _PAGES.get(key)
    if cached is None:
        total, page = list_products(brand, category=filters.category, offset=filters.offset, limit=filters.limit)
        sheets = [product_sheet(brand, p, language, country) for p in page]
        stock = {v.id: (v.stock, v.when_out_of_stock) for p in page for v in p.variants.all()}
        _PAGES.put(key, (total, sheets))
    else:
        total, sheets = cached
        stock = current_stock([variant_id for sheet in sheets for variant_id, _ in sheet.variants])
    return {
        "count": total, "offset": filters.offset, "limit": filters.limit,
        "results": [sheet.with_availability(stock) for sheet in sheets],
    }


@router.get("/brands/{slug}/products/{product_slug}", response=ProductOut)
def product(request, slug: str, product_slug: str, query: Query[ProductQuery]):
    brand = get_brand(slug)
    language = request_language(request, brand.policy_object.default_language)
    found = get_product(brand, product_slug)
    stock = {v.id: (v.stock, v.when_out_of_stock) for v in found.variants.all()}
    return product_sheet(brand, found, language, query.country).with_availability(stock)


@dataclass(frozen=True, slots=True)
class ProductSheet:
    """A product as the shopper reads it, but for its variants' availability, which follows the stock."""

    fields: dict  # the ProductOut fields but `variants`
    variants: list[tuple[int, dict]]  # (variant id, its VariantOut fields but the availability ones)

    def with_availability(self, stock: dict[int, tuple[int, str]]) -> dict:
        """The ProductOut dict, given (units, when_out_of_stock) per variant id (OG-STK-01)."""
        variants = []
        for variant_id, fields in self.variants:
            units, when_out_of_stock = stock.get(variant_id, (0, "sold_out"))  # deleted meanwhile
            state = availability(stock=units, when_out_of_stock=when_out_of_stock,
                                 preorder_ships_on=self.fields["preorder_ships_on"])
            variants.append({**fields, "availability": state.code, "ships_on": state.ships_on,
                             "purchasable": state.purchasable})
        return {**self.fields, "variants": variants}


def product_sheet(brand, product: Product, language: str, country: str | None) -> ProductSheet:
    policy = brand.policy_object
    with_vat = country is None or charges_vat(policy, country.upper())
    price = product.price_minor if with_vat else net_of_vat(product.price_minor, policy.tax.vat_rate_basis_points)

    def text(field: dict) -> str:
        return field.get(language) or field.get("en", "")

    fields = {
        "slug": product.slug, "category": product.category.code, "name": text(product.name),
        "description": text(product.description), "composition": text(product.composition),
        "care": text(product.care), "origin": text(product.origin), "price_minor": price,
        "price": Money(price, policy.currency).format(language), "prices_include_vat": with_vat,
        "size_guide": product.size_guide, "preorder_ships_on": product.preorder_ships_on,
    }
    variants = [(v.id, {"sku": v.sku, "size": v.size, "colour": v.colour}) for v in product.variants.all()]
    return ProductSheet(fields, variants)
