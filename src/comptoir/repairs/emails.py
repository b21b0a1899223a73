"""The e-mails of a repair, one per step (AA-REP-01), written to the outbox in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date

from comptoir.brands.services import brand_contact
from comptoir.core.money import Money
from comptoir.core.shop_links import shop_url
from comptoir.notifications.services import notify_email
from comptoir.repairs import states
from comptoir.repairs.models import RepairRequest

_LOCALES = {"en": "en_GB", "fr": "fr_FR"}
ASSESSMENT_LABELS = {
    "production_defect": {"en": "production defect: repaired free of charge",
                          "fr": "défaut de fabrication : réparation gratuite"},
    "wear_or_impact": {"en": "wear or impact damage: paid repair", "fr": "usure ou choc : réparation payante"},
    "beyond_repair": {"en": "too worn or damaged to be repaired", "fr": "trop usé ou abîmé pour être réparé"},
}


def repair_context(repair: RepairRequest) -> dict:
    language = repair.language
    policy = repair.brand.policy_object
    line = repair.order_line
    return {
        "brand": brand_contact(repair.brand),
        "customer": {"first_name": ((repair.order.shipping_address or {}).get("first_name", "") if repair.order
                                    else "")},
        "order": {"number": repair.order.number} if repair.order else {},
        "repair": {
            "number": repair.number,
            "status_label": states.status_label(repair.status, language),
            "item": (line.product_name.get(language) or line.sku) if line else repair.description[:120],
            "assessment": ASSESSMENT_LABELS.get(repair.assessment, {}).get(language, ""),
            "note": repair.assessment_note,
            "quote": Money(repair.quote_minor, repair.currency).format(language) if repair.quote_minor else "",
            "quote_valid_until": format_date(repair.quote_valid_until.astimezone(policy.tz).date(), format="long",
                                             locale=_LOCALES[language]) if repair.quote_valid_until else "",
            "tracking_number": repair.return_tracking_number,
            "url": shop_url(repair.brand.slug, f"account/repairs/{repair.id}/", lang=language),
        },
    }


def notify_repair(repair: RepairRequest, template: str, *, now: datetime) -> None:
    notify_email(brand_slug=repair.brand.slug, to=repair.email, template=template, language=repair.language,
                 context=repair_context(repair), now=now, idempotency_key=f"repair:{repair.pk}:{template}")
