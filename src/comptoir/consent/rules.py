"""Pure rules of consent and personal data: functions of (facts, now), no database, no clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from comptoir.catalog.rules import COMING_SOON, SOLD_OUT
from comptoir.core.decisions import Decision

# A confirmation link is valid this long; asking again sends a new one.
CONFIRMATION_LINK_LIFETIME = timedelta(days=7)
# A second confirmation e-mail to the same address waits this long: the form cannot be used to flood
# someone's inbox.
CONFIRMATION_RESEND_INTERVAL = timedelta(minutes=10)


def check_stock_alert_possible(availability_code: str, *, name: str, variant: str) -> Decision:
    """An alert is for a size that will come back: "Coming soon", never "Sold out" (AL-STK-03, OG-STK-01)."""
    if availability_code == COMING_SOON:
        return Decision.allow()
    if availability_code == SOLD_OUT:
        return Decision.refuse("sold_out", "OG-STK-01", name=name, variant=variant)
    return Decision.refuse("variant_in_stock", "AL-STK-03", name=name, variant=variant)


def confirmation_link_valid(sent_at: datetime | None, now: datetime) -> bool:
    return sent_at is not None and now < sent_at + CONFIRMATION_LINK_LIFETIME


def may_send_confirmation(last_sent_at: datetime | None, now: datetime) -> bool:
    return last_sent_at is None or now >= last_sent_at + CONFIRMATION_RESEND_INTERVAL


def check_account_erasable(*, orders_in_progress: int, returns_in_progress: int) -> Decision:
    """Erasing an account waits for its orders and returns to finish: the carrier and the refund still
    need the address and the e-mail (ALL-ACC-04: data kept as long as the contract needs it)."""
    if orders_in_progress or returns_in_progress:
        return Decision.refuse("deletion_waits_for_orders", "ALL-ACC-04")
    return Decision.allow()
