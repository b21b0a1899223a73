"""Storefront, product listing and product page (OG-STK-01, AL-STK-02/04, AA-CAT-05, OG-ORD-07)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from comptoir.catalog.sheets import cached_product_sheet, categories, sheet_page
from comptoir.consent import stock_alerts
from comptoir.core.errors import DomainError
from comptoir.core.rate_limit import limit_by_ip
from comptoir.web.pages import brand_page, message_of, same_for_every_visitor, shared_page, show
from comptoir.web.swatches import silhouette

PAGE_SIZE = 24
MAX_PAGE = 10_000  # beyond, an offset no catalog reaches (and no database error on a huge number)
# The query parameters of a listing and of a product page: with others, the page is rendered for the visitor alone.
LISTING_PARAMETERS = frozenset({"category", "page", "country"})
PRODUCT_PARAMETERS = frozenset({"country"})
COUNTRIES = ("FR", "BE", "DE", "IT", "ES", "NL", "LU", "PT", "IE", "AT", "CH", "GB", "NO", "US", "CA", "JP")


def _country(request) -> str | None:
    code = (request.GET.get("country") or "").strip().upper()
    return code if len(code) == 2 and code.isalpha() else None


def _listing(request, brand, template: str, *, category: str | None, offset: int, limit: int,
             country: str | None, context: Callable[[int], dict]):
    """A page listing products: their sheets with live availability, drawing and colours, in `template`
    with `context(total)`'s values besides.

    The product grid reads the same for every shopper of a language: it is rendered once per set of
    availabilities and kept with the cached page of sheets (rendering it is most of a listing's cost).
    So is the whole page when it reads the same for every visitor (pages.same_for_every_visitor)."""
    page, stock = sheet_page(brand, category=category, offset=offset, limit=limit, language=request.language,
                             country=country)

    def render(**extra) -> HttpResponse:
        cards = []
        for sheet in page.sheets:
            card = sheet.with_availability(stock)
            colours = list(dict.fromkeys(v["colour"] for v in card["variants"] if v["colour"]))
            cards.append({**card, "shape": silhouette(card["category"]), "colours": colours,
                          "available": any(v["purchasable"] for v in card["variants"])})
        grid = page.rendered("grid", stock, lambda: mark_safe(render_to_string(
            "web/shop/_cards.html", {"cards": cards, "brand": brand, "t": request.texts})))
        return show(request, template, {"cards": cards, "grid": grid, **context(page.total), **extra})

    if not same_for_every_visitor(request, brand, LISTING_PARAMETERS):
        return render()
    return shared_page(request, page, stock, render)


@brand_page
def storefront(request, brand):
    return _listing(request, brand, "web/shop/storefront.html", category=None, offset=0, limit=8, country=None,
                    context=lambda total: {"categories": categories(brand), "product_count": total})


@brand_page
def product_list(request, brand):
    category = request.GET.get("category") or None
    try:
        page = min(max(1, int(request.GET.get("page", "1"))), MAX_PAGE)
    except ValueError:
        page = 1

    def context(total: int) -> dict:
        found_categories = categories(brand)
        return {
            "categories": found_categories, "category": category, "total": total, "page": page,
            "has_next": page * PAGE_SIZE < total, "has_previous": page > 1,
            "category_name": next((c.name for c in found_categories if c.code == category), None),
        }

    return _listing(request, brand, "web/shop/product_list.html", category=category, offset=(page - 1) * PAGE_SIZE,
                    limit=PAGE_SIZE, country=_country(request), context=context)


@brand_page
def product_page(request, brand, product: str):
    return _product_page(request, brand, product)


def product_page_with_error(request, brand, slug: str, message: str, status: int):
    """The product page again, saying why the item could not go into the cart."""
    return _product_page(request, brand, slug, cart_error=message, status=status)


def _product_page(request, brand, slug: str, *, alert: dict | None = None, cart_error: str = "", status: int = 200):
    country = _country(request)
    found, stock = cached_product_sheet(brand, slug, language=request.language, country=country)

    def render(**extra) -> HttpResponse:
        sheet = found.with_availability(stock)
        colours: dict[str, list[dict]] = {}
        for variant in sheet["variants"]:
            colours.setdefault(variant["colour"], []).append(variant)
        return show(request, "web/shop/product.html", {
            "product": sheet, "shape": silhouette(sheet["category"]), "colours": colours,
            "category": {"code": sheet["category"], "name": found.category_name}, "country": country,
            "countries": COUNTRIES, "first_colour": next(iter(colours), ""),
            "coming_soon": [v for v in sheet["variants"] if v["availability"] == "coming_soon"],
            "alert": alert or {}, "is_gift_card": found.is_gift_card, "cart_error": cart_error,
            "alert_email": (alert or {}).get("email") or (request.customer.email if request.customer else ""),
            **extra,
        }, status=status)

    if alert or cart_error or not same_for_every_visitor(request, brand, PRODUCT_PARAMETERS):
        return render()
    return shared_page(request, found, stock, render)


@brand_page
def stock_alert(request, brand, product: str):
    """AL-STK-03: leave an e-mail on a "Coming soon" size."""
    if request.method != "POST":
        return redirect("web:product", brand=brand.slug, product=product)
    email = request.POST.get("email", "")
    limit_by_ip(request, "subscription_ip")
    try:
        status = stock_alerts.request_stock_alert(
            brand, sku=request.POST.get("sku", ""), email=email, language=request.language,
            customer=request.customer, now=request.now)
    except DomainError as error:
        return _product_page(request, brand, product, alert={"error": message_of(request, error), "email": email},
                             status=error.status)
    key = "alert_active" if status == "active" else "alert_pending"
    return _product_page(request, brand, product, alert={"done": request.texts[key]})
