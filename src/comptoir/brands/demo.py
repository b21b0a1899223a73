"""Demo logins for a brand: one shopper and one staff member, as its preset's demo.toml says."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand, StaffMembership
from comptoir.brands.policy import DemoFile

DEMO_ADMIN = ("admin", "comptoir-admin")


def create_demo_accounts(brand: Brand, demo: DemoFile, *, now: datetime) -> list[str]:
    """Create (or reset) the demo logins and return lines describing them."""
    shopper = demo.shopper
    customer, _ = Customer.objects.get_or_create(
        brand=brand, email=shopper.email.lower(),
        defaults={"first_name": shopper.first_name, "last_name": shopper.last_name, "language": shopper.language,
                  "created_at": now},
    )
    customer.set_password(shopper.password)
    customer.save(update_fields=["password"])
    staff, _ = User.objects.get_or_create(username=demo.staff_username, defaults={"is_staff": True})
    staff.is_staff = True
    staff.set_password(demo.staff_password)
    staff.save()
    StaffMembership.objects.get_or_create(user=staff, brand=brand)
    admin, created = User.objects.get_or_create(username=DEMO_ADMIN[0], defaults={"is_staff": True, "is_superuser": True})
    if created:
        admin.set_password(DEMO_ADMIN[1])
        admin.save()
    return [f"shopper: {shopper.email} / {shopper.password}",
            f"staff:   {demo.staff_username} / {demo.staff_password}"]
