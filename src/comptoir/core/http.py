"""What every face reads from a request: the shopper's language and the Idempotency-Key."""

from __future__ import annotations

from comptoir.core.errors import InvalidInput

LANGUAGES = ("en", "fr")


def request_language(request, default: str = "en") -> str:
    """`?lang=` first, then the first supported language of Accept-Language, else `default`."""
    explicit = request.GET.get("lang")
    if explicit in LANGUAGES:
        return explicit
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return default


def idempotency_key(request, *, required: bool = True) -> str | None:
    """The `Idempotency-Key` header: 1 to 100 printable ASCII characters."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        if required:
            raise InvalidInput("invalid_idempotency_key")
        return None
    if len(key) > 100 or not key.isascii() or not key.isprintable():
        raise InvalidInput("invalid_idempotency_key")
    return key
