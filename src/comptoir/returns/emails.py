"""The e-mails a return sends, written to the outbox in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date

from comptoir.brands.services import brand_contact
from comptoir.core.messages import render_message
from comptoir.core.money import Money
from comptoir.core.shop_links import order_url, return_url
from comptoir.notifications.services import notify_email
from comptoir.returns import states
from comptoir.returns.models import ReturnRequest

_LOCALES = {"en": "en_GB", "fr": "fr_FR"}
DOCUMENT_NAMES = {
    "prepaid_label": {"en": "prepaid return label", "fr": "étiquette de retour prépayée"},
    "rma_slip": {"en": "return authorisation (RMA) slip", "fr": "bon de retour (RMA)"},
    "return_slip": {"en": "return slip", "fr": "bon de retour"},
}


def reason_label(policy, code: str, language: str) -> str:
    reason = next((r for r in policy.returns.reasons if r.code == code), None)
    return reason.label.get(language) or reason.label.get("en") if reason else code


def refusal_label(policy, code: str, language: str) -> str:
    if not code:
        return ""
    reason = next((r for r in policy.returns.refusal_reasons if r.code == code), None)
    if reason is not None:
        return reason.label.get(language) or reason.label.get("en")
    return render_message(f"refusal_{code}", language, {})


def return_context(ret: ReturnRequest, items) -> dict:
    language = ret.language
    policy = ret.brand.policy_object
    order = ret.order
    address = order.shipping_address or {}
    day = (lambda value: format_date(value.astimezone(policy.tz).date(), format="long", locale=_LOCALES[language])
           if value else "")
    return {
        "brand": brand_contact(ret.brand),
        "customer": {"first_name": address.get("first_name", "")},
        "order": {"number": order.number, "url": order_url(order, language)},
        "return": {
            "number": ret.number,
            "status_label": states.status_label(ret.status, language),
            "url": return_url(ret, language),
            "document": DOCUMENT_NAMES.get(ret.label_kind, {}).get(language, ""),
            "document_url": return_url(ret, document=True) if ret.label_kind else "",
            "document_until": day(ret.label_expires_at),
            "carrier": ret.carrier,
            "ship_by": day(ret.ship_by),
            "shipping_paid_by_brand": ret.shipping_paid_by == "brand",
            "reimbursed_up_to": Money(ret.reimbursement_cap_minor, order.currency).format(language)
            if ret.reimbursement_cap_minor else "",
            "items": [
                {
                    "name": item.order_line.product_name.get(language) or item.order_line.sku,
                    "size": item.order_line.size, "quantity": item.quantity,
                    "reason": reason_label(policy, item.reason_code, language),
                    "accepted": item.inspection_status == "accepted",
                    "refusal": refusal_label(policy, item.refusal_reason, language),
                    "note": item.inspection_note,
                }
                for item in items
            ],
        },
    }


def notify_return(ret: ReturnRequest, template: str, *, now: datetime, key_suffix: str = "",
                  reason: str = "", items: list | None = None) -> None:
    """Queue one return e-mail; its key makes a retried transaction send it once. `items` (with their
    order lines) when the caller holds them."""
    if items is None:
        items = list(ret.items.select_related("order_line").order_by("id"))
    context = return_context(ret, items)
    if reason:
        context["reason"] = reason
    notify_email(
        brand_slug=ret.brand.slug, to=ret.email, template=template, language=ret.language,
        context=context, now=now,
        idempotency_key=f"return:{ret.pk}:{template}{':' + key_suffix if key_suffix else ''}",
    )
