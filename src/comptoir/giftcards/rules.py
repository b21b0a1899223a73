"""Pure rules for gift cards and credit notes: may this card pay, how much it pays, until when it is valid."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from comptoir.core.decisions import Decision

RULE_PAY = "AL-PAY-01"
KINDS = ("gift_card", "credit_note")


def check_redeemable(*, kind: str, balance_minor: int, currency: str, expires_at: datetime,
                     order_currency: str, now: datetime) -> Decision:
    """A card pays only in its own currency, before it expires, while it holds money (AL-PAY-01).

    Pass `expires_at` in the brand's time zone: the refusal names the last valid local day.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown stored-value kind {kind!r}")
    if now >= expires_at:
        last_day = (expires_at - timedelta(microseconds=1)).date()
        return Decision.refuse("gift_card_expired", RULE_PAY, valid_until=last_day.isoformat())
    if currency != order_currency:
        return Decision.refuse("gift_card_wrong_currency", RULE_PAY, currency=currency)
    if balance_minor <= 0:
        return Decision.refuse("gift_card_empty", RULE_PAY)
    return Decision.allow()


def amount_to_redeem(balance_minor: int, remaining_minor: int) -> int:
    """What the card pays towards what remains due: all of it if it can, else its whole balance."""
    return max(0, min(balance_minor, remaining_minor))


def check_issuable(*, kind: str, accepted_methods: list[str]) -> Decision:
    """A brand issues only the kinds of stored value it accepts as payment (AL-PAY-01)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown stored-value kind {kind!r}")
    if kind not in accepted_methods:
        return Decision.refuse("stored_value_not_accepted", RULE_PAY)
    return Decision.allow()


def expiry(*, issued_at: datetime, validity_days: int, tz: ZoneInfo) -> datetime:
    """End of validity: the card is usable through the whole local day `validity_days` after issue.

    AL-RFD-01 "valid for 1 year from the date of issue" reads as a date, so a card issued at 16:00
    on 23 November 2026 is still usable all of 23 November 2027 (brand time), until midnight.
    """
    last_day = issued_at.astimezone(tz).date() + timedelta(days=validity_days)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
