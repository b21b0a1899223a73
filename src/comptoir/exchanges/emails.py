"""The e-mails an exchange sends (AL-EXC-03/04), written to the outbox in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date

from comptoir.brands.services import brand_contact
from comptoir.core.messages import render_message
from comptoir.core.money import Money
from comptoir.core.shop_links import order_url
from comptoir.exchanges import rules, states
from comptoir.exchanges.models import ExchangeRequest
from comptoir.notifications.services import notify_email

_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def exchange_context(exchange: ExchangeRequest) -> dict:
    original = exchange.original_order
    language = original.language
    policy = original.brand.policy_object
    money = lambda amount: Money(amount, original.currency).format(language) if amount else ""  # noqa: E731
    day = lambda value: format_date(value, format="long", locale=_LOCALES[language]) if value else ""  # noqa: E731
    window = rules.typical_arrival(policy, exchange.requested_at)
    ordered = exchange.exchange_order
    line = exchange.return_item.order_line
    return {
        "brand": brand_contact(original.brand),
        "customer": {"first_name": (original.shipping_address or {}).get("first_name", "")},
        "order": {"number": original.number, "url": order_url(original, language)},
        "exchange": {
            "status_label": states.status_label(exchange.status, language),
            "returned": f"{line.product_name.get(language) or line.sku} {line.size}".strip(),
            "wanted": f"{exchange.wanted_variant.product.name.get(language) or exchange.wanted_sku} "
                      f"{exchange.wanted_variant.size}".strip(),
            "order_number": ordered.number if ordered else "",
            "supplement": money(exchange.supplement_minor + exchange.shipping_minor),
            "refund": money(exchange.refund_minor),
            "arrives_between": day(ordered.delivery_earliest_on) if ordered else day(window[0]) if window else "",
            "arrives_by": day(ordered.delivery_latest_on) if ordered else day(window[1]) if window else "",
            "reason": render_message(f"exchange_converted_{exchange.conversion_reason}", language, {})
            if exchange.conversion_reason else "",
        },
    }


def notify_exchange(exchange: ExchangeRequest, template: str, *, now: datetime) -> None:
    notify_email(brand_slug=exchange.original_order.brand.slug, to=exchange.original_order.email, template=template,
                 language=exchange.original_order.language, context=exchange_context(exchange), now=now,
                 idempotency_key=f"exchange:{exchange.pk}:{template}")
