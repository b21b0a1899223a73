"""Template helpers of the shopper pages: amounts and dates in the page's language, texts of a policy
({"en", "fr"}), and the colour of a product's illustration."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date, format_datetime
from django import template

from comptoir.core.money import Money
from comptoir.web.swatches import colour_hex

register = template.Library()
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


@register.simple_tag(takes_context=True)
def money(context, amount_minor, currency=None) -> str:
    """`{% money 14900 %}` → "€149.00" or "149,00 €" in the page's language and the brand's currency."""
    return Money(int(amount_minor or 0), currency or context["currency"]).format(context["language"])


@register.simple_tag(takes_context=True)
def day(context, value, style: str = "long") -> str:
    """A date, or the brand-local date of an instant, in the page's language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(context["policy"].tz).date()
    return format_date(value, format=style, locale=_LOCALES.get(context["language"], "en_GB"))


@register.simple_tag(takes_context=True)
def moment(context, value) -> str:
    """An instant in the brand's time zone, in the page's language."""
    if value is None:
        return ""
    local = value.astimezone(context["policy"].tz)
    return format_datetime(local, format="EEEE d MMMM, HH:mm", locale=_LOCALES.get(context["language"], "en_GB"))


@register.simple_tag(takes_context=True)
def pick(context, text) -> str:
    """A policy or catalog text ({"en": ..., "fr": ...}) in the page's language."""
    if not text:
        return ""
    if isinstance(text, str):
        return text
    if not isinstance(text, dict):
        text = dict(text)
    return text.get(context["language"]) or text.get("en") or next(iter(text.values()), "")


@register.filter
def swatch(colour_name: str) -> str:
    return colour_hex(colour_name)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def lang_url(context, language: str) -> str:
    """The current page in another language (keeps the other query parameters)."""
    request = context["request"]
    query = request.GET.copy()
    query["lang"] = language
    return f"{request.path}?{query.urlencode()}"



@register.filter
def word(words, key: str) -> str:
    """`{{ t|word:"pm_"|add:method }}`-style lookups of a computed key in the page's words."""
    return words[key]
