"""The secrets behind the links in consent e-mails, and the URLs that carry them.

A confirmation link holds a random secret (only its hash is stored; single use). An unsubscribe link
holds the row id signed with the site key: every e-mail can carry one without storing anything, and it
works without signing in (ALL-NEWS-01 "one click, no login").
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

from comptoir.core.shop_links import shop_url

NEWSLETTER = "newsletter"
STOCK_ALERT = "stock-alert"
_SALT = "comptoir.consent.unsubscribe."


def new_secret() -> tuple[str, str]:
    """A random link secret and the hash to store."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_secret(secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256((secret or "").encode()).hexdigest()


def unsubscribe_token(purpose: str, row_id: int) -> str:
    return signing.dumps(row_id, salt=_SALT + purpose, compress=False)


def read_unsubscribe_token(purpose: str, token: str) -> int | None:
    """The row id a token was signed for, or None if it was not signed by us for this purpose."""
    try:
        row_id = signing.loads(token or "", salt=_SALT + purpose)
    except signing.BadSignature:
        return None
    return row_id if isinstance(row_id, int) and not isinstance(row_id, bool) else None


def page_url(brand_slug: str, path: str, token: str, language: str) -> str:
    """A link to the shopper page behind an e-mail's button, in the recipient's language, without signing in."""
    return shop_url(brand_slug, path, token=token, lang=language)


def product_url(brand_slug: str, product_slug: str) -> str:
    return shop_url(brand_slug, f"products/{product_slug}/")


def list_unsubscribe_headers(url: str) -> dict:
    """RFC 2369 / RFC 8058 headers: mail clients show an "Unsubscribe" button that POSTs to `url`."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
