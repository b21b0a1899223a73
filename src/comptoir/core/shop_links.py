"""Absolute links to the shopper pages, for e-mails: a link in a mail client must land on a page of the
brand's shop in the shopper's language, never on a JSON endpoint nor on a path relative to nothing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings


def shop_url(brand_slug: str, path: str = "", **query: str) -> str:
    """`{BASE_URL}/<brand>/<path>` with the non-empty `query` values (e.g. `lang`, `token`)."""
    url = f"{settings.BASE_URL.rstrip('/')}/{brand_slug}/{path.lstrip('/')}"
    present = {key: value for key, value in query.items() if value}
    return f"{url}?{urlencode(present)}" if present else url


def order_url(order, language: str = "") -> str:
    """The order's page; a guest's link carries the order's access token (she has no account to sign in to)."""
    token = order.access_token if order.customer_id is None else ""
    return shop_url(order.brand.slug, f"orders/{order.number}/", token=token, lang=language)


def return_url(ret, language: str = "", *, document: bool = False) -> str:
    """The return's page (or its label/slip PDF); a guest's link carries her order's access token."""
    order = ret.order
    token = order.access_token if order.customer_id is None else ""
    path = f"returns/{ret.id}/label.pdf" if document else f"returns/{ret.id}/"
    return shop_url(ret.brand.slug, path, order=order.number, token=token, lang="" if document else language)
