"""Pure repair rules (AA-REP-01): what an assessment leads to, and whether a quote can still be accepted."""

from __future__ import annotations

from datetime import datetime, timedelta

from comptoir.brands.policy import BrandPolicy
from comptoir.core.decisions import Decision
from comptoir.repairs import states

# "The customer e-mails first, then sends the item": a few photos of the damage help staff answer before it
# travels. A product limit, the same for every brand.
MAX_PHOTOS_PER_REPAIR = 3
# Photos are sent with the request and may be added until the item reaches the workshop.
OPEN_FOR_PHOTOS = frozenset({states.REQUESTED, states.AWAITING_ITEM})

# The assessment -> the move it makes: "a production defect ... repaired for free", "wear or impact ... a quote",
# "too worn or damaged to be repaired ... returned to you as is".
ASSESSMENT_MOVES = {"production_defect": "repair_free", "wear_or_impact": "quote",
                    "beyond_repair": "declare_beyond_repair"}


def check_repairs_offered(policy: BrandPolicy) -> Decision:
    if policy.repairs is None or not policy.repairs.offered:
        return Decision.refuse("repairs_not_offered", "AA-REP-01", email=policy.contact.email)
    return Decision.allow()


def check_assessment(assessment: str, quote_minor: int | None) -> Decision:
    """Wear or impact needs a quote amount; the other assessments take none."""
    if assessment not in ASSESSMENT_MOVES:
        return Decision.refuse("invalid_input", None, fields="assessment")
    if (assessment == "wear_or_impact") != (quote_minor is not None and quote_minor > 0):
        return Decision.refuse("repair_quote_amount", "AA-REP-01")
    return Decision.allow()


def quote_valid_until(policy: BrandPolicy, quoted_at: datetime) -> datetime:
    return quoted_at + timedelta(days=policy.repairs.quote_validity_days)


def check_quote_open(valid_until: datetime | None, now: datetime) -> Decision:
    """A quote is answered while it is valid (quote_validity_days); afterwards the item goes back as is."""
    if valid_until is not None and now > valid_until:
        return Decision.refuse("repair_quote_expired", "AA-REP-01", until=valid_until.date().isoformat())
    return Decision.allow()


def check_photo_count(existing: int, added: int) -> Decision:
    """A repair request carries at most MAX_PHOTOS_PER_REPAIR photos in all (AA-REP-01)."""
    if existing + added > MAX_PHOTOS_PER_REPAIR:
        return Decision.refuse("too_many_repair_photos", "AA-REP-01", limit=MAX_PHOTOS_PER_REPAIR)
    return Decision.allow()
