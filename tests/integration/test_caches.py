"""The per-process caches of hot, rarely changing rows (design principle 9): a brand and a rendered
products page are reused for a few seconds, while the stock they show is always read fresh."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from comptoir.brands.services import get_brand
from comptoir.catalog.models import Variant

ALME = "alme"


def _availability(reply, sku: str) -> str:
    return next(v["availability"] for p in reply["results"] for v in p["variants"] if v["sku"] == sku)


def test_OG_STK_01_a_cached_products_page_shows_a_variant_sold_out_at_once(api, settings):
    settings.BRAND_CACHE_SECONDS = settings.CATALOG_CACHE_SECONDS = 60
    first = api.get(f"/brands/{ALME}/products")
    sku = next(v["sku"] for p in first["results"] for v in p["variants"] if v["availability"] == "in_stock")
    Variant.objects.filter(sku=sku).update(stock=0, when_out_of_stock="sold_out")

    with CaptureQueriesContext(connection) as captured:
        again = api.get(f"/brands/{ALME}/products")

    assert again.status == 200
    assert _availability(first, sku) == "in_stock"
    assert _availability(again, sku) == "sold_out"
    assert len(captured.captured_queries) == 1  # the stock only: brand and page came from the caches
    assert {k: v for k, v in again.body.items() if k != "results"} == {
        k: v for k, v in first.body.items() if k != "results"
    }


def test_a_rendered_page_follows_availability_not_units(api, settings):
    settings.BRAND_CACHE_SECONDS = settings.CATALOG_CACHE_SECONDS = 60
    first = api.get(f"/brands/{ALME}/products")
    sku = next(v["sku"] for p in first["results"] for v in p["variants"] if v["availability"] == "in_stock")

    Variant.objects.filter(sku=sku).update(stock=7)
    one_sold = api.get(f"/brands/{ALME}/products")
    Variant.objects.filter(sku=sku).update(stock=0, when_out_of_stock="sold_out")
    sold_out = api.get(f"/brands/{ALME}/products")
    Variant.objects.filter(sku=sku).update(stock=3)
    back = api.get(f"/brands/{ALME}/products")

    assert one_sold.body == first.body  # units are not shown: the same rendering serves
    assert _availability(sold_out, sku) == "sold_out"
    assert back.body == first.body


def test_a_cached_page_is_kept_per_language_and_country(api, settings):
    settings.BRAND_CACHE_SECONDS = settings.CATALOG_CACHE_SECONDS = 60
    english = api.get(f"/brands/{ALME}/products", lang="en")

    french = api.get(f"/brands/{ALME}/products", lang="fr")
    swiss = api.get(f"/brands/{ALME}/products", lang="en", query={"country": "ch"})

    assert (english["results"][0]["price"], french["results"][0]["price"]) == ("€149.00", "149,00\xa0€")
    assert (english["results"][0]["prices_include_vat"], swiss["results"][0]["prices_include_vat"]) == (True, False)


def test_a_cached_brand_is_a_copy_of_the_row(db, settings):
    settings.BRAND_CACHE_SECONDS = 60
    first = get_brand(ALME)
    first.name = "changed by one request"

    with CaptureQueriesContext(connection) as captured:
        second = get_brand(ALME)

    assert len(captured.captured_queries) == 0
    assert second.name != "changed by one request" and second.pk == first.pk


def test_OG_STK_01_a_cached_product_sheet_shows_a_variant_sold_out_at_once_in_one_query(api, settings):
    settings.BRAND_CACHE_SECONDS = settings.CATALOG_CACHE_SECONDS = 60
    first = api.get(f"/brands/{ALME}/products/robe-lou")
    sku = next(v["sku"] for v in first["variants"] if v["availability"] == "in_stock")
    Variant.objects.filter(sku=sku).update(stock=0, when_out_of_stock="sold_out")

    with CaptureQueriesContext(connection) as captured:
        again = api.get(f"/brands/{ALME}/products/robe-lou")

    assert next(v["availability"] for v in again["variants"] if v["sku"] == sku) == "sold_out"
    assert len(captured.captured_queries) == 1  # the stock only
    assert {k: v for k, v in again.body.items() if k != "variants"} == {
        k: v for k, v in first.body.items() if k != "variants"}


def _product_variants(slug: str):
    return Variant.objects.filter(brand__slug=ALME, product__slug=slug)


def test_OG_STK_01_a_listing_shared_by_signed_out_visitors_shows_a_product_sold_out_at_once(db, settings):
    """A listing that reads the same for every signed-out visitor with an empty bag is rendered once per
    set of availabilities and served to all of them, for one query (the stock)."""
    settings.BRAND_CACHE_SECONDS = settings.CATALOG_CACHE_SECONDS = 60
    first = Client().get("/alme/products/")
    rendered = []
    template_rendered.connect(lambda sender, template, **kwargs: rendered.append(template.name), weak=False,
                              dispatch_uid="listing-test")
    try:
        with CaptureQueriesContext(connection) as captured:
            second = Client().get("/alme/products/")
    finally:
        template_rendered.disconnect(dispatch_uid="listing-test")
    queries = len(captured.captured_queries)  # read now: the next request empties the connection's log
    stock = {variant.pk: (variant.stock, variant.when_out_of_stock) for variant in _product_variants("robe-lou")}
    _product_variants("robe-lou").update(stock=0, when_out_of_stock="sold_out")
    sold_out = Client().get("/alme/products/")
    for pk, (units, when_out_of_stock) in stock.items():
        Variant.objects.filter(pk=pk).update(stock=units, when_out_of_stock=when_out_of_stock)

    assert first.status_code == second.status_code == sold_out.status_code == 200
    assert second.content == first.content
    assert queries == 1  # the stock: brand, sheets and the page itself were kept
    assert rendered == []
    assert sold_out.content != first.content
    assert sold_out.content.count(b"tag-muted") == first.content.count(b"tag-muted") + 1
    assert Client().get("/alme/products/").content == first.content


def test_a_visitor_with_a_bag_gets_the_listing_rendered_for_them(db, settings):
    settings.BRAND_CACHE_SECONDS = settings.CATALOG_CACHE_SECONDS = 60
    signed_out = Client().get("/alme/products/", {"category": "dresses"}).content
    shopper = Client()
    shopper.post("/alme/cart/add", {"product": "robe-lou", "sku": "AL-DRESS-BLK-S", "quantity": "2"})

    theirs = shopper.get("/alme/products/", {"category": "dresses"}).content
    with_extra_parameter = Client().get("/alme/products/", {"category": "dresses", "utm_source": "mail"}).content

    assert b'class="badge"' in theirs and b'class="badge"' not in signed_out
    assert Client().get("/alme/products/", {"category": "dresses"}).content == signed_out
    assert b"utm_source=mail" in with_extra_parameter  # its language links keep the visitor's parameters


def test_a_product_page_shared_by_signed_out_visitors_carries_each_visitor_s_own_csrf_token(db, settings):
    """The page is rendered once per set of availabilities; its add-to-bag form gets the token of the visitor
    who asked, so that their CSRF-checked POST goes through."""
    settings.BRAND_CACHE_SECONDS = settings.CATALOG_CACHE_SECONDS = 60
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get("/alme/products/robe-lou/").content.decode()
    rendered = []
    template_rendered.connect(lambda sender, template, **kwargs: rendered.append(template.name), weak=False,
                              dispatch_uid="product-test")
    try:
        second_page = second.get("/alme/products/robe-lou/").content.decode()
    finally:
        template_rendered.disconnect(dispatch_uid="product-test")

    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert rendered == []
    assert token.sub("", first_page) == token.sub("", second_page)
    assert token.search(second_page) and "csrfTokenOfTheVisitor" not in second_page
    added = second.post("/alme/cart/add", {"product": "robe-lou", "sku": "AL-DRESS-BLK-S", "quantity": "1",
                                           "csrfmiddlewaretoken": token.search(second_page).group(1)})
    assert added.status_code == 302  # to the bag
    assert b'class="badge"' in second.get("/alme/products/robe-lou/").content  # now rendered for them
