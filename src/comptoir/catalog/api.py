"""Browsing a brand's catalog: products with variants and their availability."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from comptoir.brands.services import get_brand
from comptoir.catalog.models import Category
from comptoir.catalog.sheets import cached_product_sheet, sheet_page
from comptoir.core.http import request_language

router = Router(tags=["catalog"])


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
    page, stock = sheet_page(brand, category=filters.category, offset=filters.offset, limit=filters.limit,
                             language=language, country=country)
    # The JSON is kept with the page per set of availabilities: most requests change no availability.
    body = page.rendered("json", stock, lambda: ProductPage.model_validate({
        "count": page.total, "offset": filters.offset, "limit": filters.limit,
        "results": [sheet.with_availability(stock) for sheet in page.sheets],
    }).model_dump_json().encode())
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get("/brands/{slug}/products/{product_slug}", response=ProductOut)
def product(request, slug: str, product_slug: str, query: Query[ProductQuery]):
    brand = get_brand(slug)
    language = request_language(request, brand.policy_object.default_language)
    country = query.country.upper() if query.country else None
    sheet, stock = cached_product_sheet(brand, product_slug, language=language, country=country)
    return sheet.with_availability(stock)
