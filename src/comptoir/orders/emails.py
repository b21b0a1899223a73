"""The e-mails an order sends, written to the outbox inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date

from comptoir.brands.services import brand_contact
from comptoir.core.messages import render_message
from comptoir.core.money import Money
from comptoir.core.shop_links import order_url
from comptoir.orders.models import Order
from comptoir.notifications.services import notify_email

STATUS_LABELS = {
    "awaiting_payment": {"en": "awaiting payment", "fr": "en attente de paiement"},
    "awaiting_confirmation": {"en": "waiting for confirmation", "fr": "en attente de confirmation"},
    "confirmed": {"en": "confirmed", "fr": "confirmée"},
    "preparing": {"en": "being prepared", "fr": "en cours de préparation"},
    "partially_shipped": {"en": "partially shipped", "fr": "partiellement expédiée"},
    "shipped": {"en": "shipped", "fr": "expédiée"},
    "ready_for_pickup": {"en": "ready for pick-up", "fr": "prête à être retirée"},
    "delivered": {"en": "delivered", "fr": "livrée"},
    "cancelled": {"en": "cancelled", "fr": "annulée"},
    "refused": {"en": "refused", "fr": "refusée"},
    "payment_failed": {"en": "payment failed", "fr": "paiement échoué"},
}

_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def status_label(status: str, language: str) -> str:
    labels = STATUS_LABELS.get(status, {})
    return labels.get(language) or labels.get("en") or status


def order_context(order: Order, *, lines=None) -> dict:
    """Everything an order e-mail shows, as plain strings in the shopper's language."""
    language = order.language
    brand = order.brand
    policy = brand.policy_object
    method = policy.shipping_method(order.shipping_method) if order.shipping_method else None

    def money(amount: int) -> str:
        return Money(amount, order.currency).format(language)

    def day(value) -> str:
        return format_date(value, format="full", locale=_LOCALES[language]) if value else ""

    lines = lines if lines is not None else list(order.lines.all())
    address = order.shipping_address
    if order.prices_include_vat:
        tax_note = {"en": f"incl. VAT {money(order.vat_minor)}", "fr": f"dont TVA {money(order.vat_minor)}"}[language]
    else:
        tax_note = {
            "en": "net of VAT; import duties and taxes are payable on delivery",
            "fr": "hors TVA ; droits et taxes d'importation à régler à la livraison",
        }[language]
    window = ""
    if order.delivery_earliest_on:
        window = day(order.delivery_earliest_on)
        if order.delivery_latest_on and order.delivery_latest_on != order.delivery_earliest_on:
            window = {"en": f"between {window} and {day(order.delivery_latest_on)}",
                      "fr": f"entre le {window} et le {day(order.delivery_latest_on)}"}[language]
    return {
        "brand": brand_contact(brand),
        "customer": {"first_name": address.get("first_name", "")},
        "order": {
            "number": order.number,
            "placed_on": day(order.placed_at.astimezone(policy.tz).date()),
            "status_label": status_label(order.status, language),
            "lines": [
                {
                    "name": line.product_name.get(language) or line.product_name.get("en", line.sku),
                    "size": line.size, "colour": line.colour, "quantity": line.quantity,
                    "unit_price": money(line.unit_price_minor), "total": money(line.total_minor),
                }
                for line in lines
            ],
            "subtotal": money(order.subtotal_minor),
            "discount": money(order.discount_minor) if order.discount_minor else "",
            "shipping": money(order.shipping_minor),
            "total": money(order.total_minor),
            "tax_note": tax_note,
            "shipping_method": method.name.get(language) if method else order.shipping_method,
            "shipping_address": [
                f"{address.get('first_name', '')} {address.get('last_name', '')}".strip(),
                address.get("line1", ""), address.get("line2", ""),
                f"{address.get('postal_code', '')} {address.get('city', '')}".strip(), address.get("country", ""),
            ],
            "dispatch_on": day(order.dispatch_due_on),
            "delivery_window": window,
            "url": order_url(order, language),
        },
    }


def notify_order(order: Order, template: str, *, now: datetime, lines=None, shipment=None,
                 reason_code: str | None = None, reason_text: str = "", key_suffix: str = "") -> None:
    """Queue one order e-mail; its key makes a retried transaction send it once."""
    context = order_context(order, lines=lines)
    if shipment is not None:
        context["shipment"] = {
            "carrier": shipment.carrier, "tracking_number": shipment.tracking_number,
            "tracking_url": shipment.tracking_url,
        }
    if template == "pickup_ready":
        policy = order.brand.policy_object
        method = policy.shipping_method(order.shipping_method)
        store = next((s for s in policy.stores if s.code == method.store_code), None)
        if store:
            context["store"] = {
                "name": store.name,
                "address": f"{store.address.line1}, {store.address.postal_code} {store.address.city}",
            }
    if reason_code:
        context["reason"] = render_message(reason_code, order.language, {})
    elif reason_text:
        context["reason"] = reason_text
    notify_email(
        brand_slug=order.brand.slug, to=order.email, template=template, language=order.language,
        context=context, idempotency_key=f"order:{order.pk}:{template}{':' + key_suffix if key_suffix else ''}",
        now=now,
    )
