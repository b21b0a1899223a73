"""The sandbox's card issuer: which test card is refused, challenged or accepted, and why.

The test cards are listed in the docstring of `comptoir.psp_sandbox.gateway`. Pure functions of the
card and `now`; nothing here touches the database.
"""

from __future__ import annotations

from datetime import datetime, timezone

from comptoir.payments.gateway import CardDetails, card_network_of, digits_of, luhn_valid

CHALLENGE_CARDS = {"4000000000003220"}
# Registers fine; every later charge is refused (Stripe's 4000 0000 0000 0341).
LATER_REFUSED_CARDS = {"4000000000000341": "card_declined"}
REFUSED_CARDS = {
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
    "4000000000000127": "incorrect_cvc",
    "4000000000000119": "processing_error",
    "4100000000000019": "suspected_fraud",
}
# Cards are issued for a few years; a later expiry is a typo.
LONGEST_VALIDITY_YEARS = 20


def full_year(year: int) -> int:
    """Four digits for the two-digit years cards print."""
    return year + 2000 if 0 <= year < 100 else year


def is_expired(expiry_year: int, expiry_month: int, now: datetime) -> bool:
    """A card is valid through the last day of its expiry month (taken in UTC)."""
    today = now.astimezone(timezone.utc)
    return (full_year(expiry_year), expiry_month) < (today.year, today.month)


def card_refusal(card: CardDetails, now: datetime) -> str | None:
    """Why the issuer refuses this card at `now`, or None when it authorises it."""
    digits = digits_of(card.number)
    if not luhn_valid(digits):
        return "incorrect_number"
    network = card_network_of(digits)
    if network is None:
        return "card_not_supported"
    if not 1 <= card.expiry_month <= 12 or full_year(card.expiry_year) > now.year + LONGEST_VALIDITY_YEARS:
        return "invalid_expiry"
    if is_expired(card.expiry_year, card.expiry_month, now):
        return "expired_card"
    cvc_length = 4 if network == "amex" else 3
    if not (card.cvc.isdigit() and len(card.cvc) == cvc_length):
        return "incorrect_cvc"
    return REFUSED_CARDS.get(digits)


def needs_challenge(card: CardDetails) -> bool:
    """Whether the issuer asks for 3-D Secure even when the merchant does not."""
    return digits_of(card.number) in CHALLENGE_CARDS


def charge_refusal(card: CardDetails) -> str | None:
    """The refusal that awaits charges on a card the issuer nonetheless verifies."""
    return LATER_REFUSED_CARDS.get(digits_of(card.number))
