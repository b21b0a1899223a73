"""Finding brands and checking staff access to them."""

import copy

from django.conf import settings

from comptoir.brands.models import Brand, StaffMembership
from comptoir.core.errors import NotFound, PermissionDenied
from comptoir.core.timed_cache import TimedCache

# Every API request starts by finding its brand, and a brand changes rarely (a preset loaded, an
# admin edit): each process keeps the row BRAND_CACHE_SECONDS, so a change shows after that delay.
_BRANDS = TimedCache(lambda: settings.BRAND_CACHE_SECONDS, max_entries=100)


def get_brand(slug: str) -> Brand:
    """The brand of `slug`, as this process read it less than BRAND_CACHE_SECONDS ago."""
    brand = _BRANDS.get(slug)
    if brand is None:
        try:
            brand = Brand.objects.get(slug=slug)
        except Brand.DoesNotExist:
            raise NotFound("not_found", thing="brand") from None
        _BRANDS.put(slug, brand)
    # A copy: a caller setting an attribute on its brand never reaches another request's.
    return copy.copy(brand)


def check_staff_access(user, brand: Brand) -> None:
    """Staff act only for the brands they work for; superusers for all."""
    if user is None or not user.is_active or not user.is_staff:
        raise PermissionDenied("permission_denied")
    if user.is_superuser:
        return
    if not StaffMembership.objects.filter(user=user, brand=brand).exists():
        raise PermissionDenied("permission_denied")


def brand_contact(brand: Brand) -> dict:
    """The brand's contact line, as e-mails and the help center show it."""
    policy = brand.policy_object
    return {"name": brand.name, "contact_email": policy.contact.email, "contact_phone": policy.contact.phone}
