"""Who is calling: a shopper of this brand, a staff member, or nobody (bearer tokens)."""

from __future__ import annotations

from comptoir.accounts.models import Customer
from comptoir.accounts.services import resolve_token
from comptoir.brands.models import Brand
from comptoir.brands.services import check_staff_access
from comptoir.core.errors import NotAuthenticated


def _bearer(request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        return header[7:].strip()
    return None


def _token(request):
    if not hasattr(request, "_comptoir_token"):
        key = _bearer(request)
        request._comptoir_token = resolve_token(key, request.now) if key else None
    return request._comptoir_token


def optional_shopper(request, brand: Brand) -> Customer | None:
    """The signed-in shopper of `brand`, None for a guest; a bad or foreign token is refused."""
    if _bearer(request) is None:
        return None
    token = _token(request)
    if token is None or token.customer is None or token.customer.brand_id != brand.id:
        raise NotAuthenticated("not_authenticated")
    return token.customer


def require_shopper(request, brand: Brand) -> Customer:
    customer = optional_shopper(request, brand)
    if customer is None:
        raise NotAuthenticated("not_authenticated")
    return customer


def require_staff(request, brand: Brand):
    """A staff user allowed to act for `brand` (token from POST /api/staff/sessions)."""
    token = _token(request) if _bearer(request) else None
    if token is None or token.user is None:
        raise NotAuthenticated("not_authenticated")
    check_staff_access(token.user, brand)
    return token.user
