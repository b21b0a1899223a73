"""Finding brands and checking staff access to them."""

from comptoir.brands.models import Brand, StaffMembership
from comptoir.core.errors import NotFound, PermissionDenied


def get_brand(slug: str) -> Brand:
    try:
        return Brand.objects.get(slug=slug)
    except Brand.DoesNotExist:
        raise NotFound("not_found", thing="brand") from None


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
