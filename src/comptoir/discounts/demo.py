"""Two demo discount codes for a brand (AL-PAY-07), created through the service like staff would."""

from __future__ import annotations

from datetime import datetime, timedelta

from comptoir.brands.models import Brand
from comptoir.catalog.models import Category
from comptoir.discounts import services
from comptoir.discounts.models import DiscountCode
from comptoir.discounts.rules import FIXED_AMOUNT, PERCENTAGE


def create_demo_discounts(brand: Brand, now: datetime) -> list[DiscountCode]:
    """BIENVENUE10: 10 % off from €80, once per shopper. HIVER15: €15 off the brand's knitwear (when it has
    a "knitwear" category; otherwise off everything), for 3 months. Idempotent: existing codes are kept."""
    existing = {d.code: d for d in DiscountCode.objects.filter(brand=brand, code__in=["BIENVENUE10", "HIVER15"])}
    has_knitwear = Category.objects.filter(brand=brand, code="knitwear").exists()
    wanted = [
        services.NewDiscount(code="BIENVENUE10", kind=PERCENTAGE, percentage_basis_points=1000, starts_at=now,
                             minimum_purchase_minor=8000, usage_limit_per_customer=1),
        services.NewDiscount(code="HIVER15", kind=FIXED_AMOUNT, amount_minor=1500, starts_at=now,
                             ends_at=now + timedelta(days=90),
                             eligible_categories=("knitwear",) if has_knitwear else ()),
    ]
    return [existing.get(new.code) or services.create_discount(brand, new, now=now) for new in wanted]
