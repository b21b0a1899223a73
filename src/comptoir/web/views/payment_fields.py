"""The card fields of the after-sales forms (an exchange's difference, a repair's quote), read from the post."""

from __future__ import annotations

from comptoir.payments.gateway import CardDetails


def card_from_post(request) -> CardDetails | None:
    """The card typed in the form, or None when its number is left empty (nothing to pay, or refused later
    with the amount due). Malformed month or year become 0: the gateway refuses them with its message."""
    number = "".join(request.POST.get("card_number", "").split())[:23]
    if not number:
        return None

    def whole(name: str) -> int:
        value = request.POST.get(name, "").strip()
        return int(value) if value.isdigit() and len(value) <= 4 else 0

    year = whole("card_expiry_year")
    return CardDetails(number, whole("card_expiry_month"), year + 2000 if 0 < year < 100 else year,
                       request.POST.get("card_cvc", "").strip()[:4], request.POST.get("card_holder", "").strip()[:100])
