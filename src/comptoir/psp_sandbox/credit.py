"""The sandbox credit provider: decides, deterministically, whether it covers an instalment plan or a
deferred payment (AL-PAY-05 "a request may be rejected by our service provider").

Triggers (checked in this order; anything else is approved):

    amount above CREDIT_LIMIT_MINOR (€1,500.00)         refused "amount_above_limit"
    the e-mail's local part contains "+declined"         refused "applicant_declined"
        (e.g. camille+declined@example.com)
    the card 4000 0000 0000 0341 (registers, then every  refused "card_not_eligible"
        charge is refused)

Pure: no database, no clock. A real provider would be a remote call behind the same function.
"""

from __future__ import annotations

from dataclasses import dataclass

from comptoir.payments.gateway import digits_of
from comptoir.psp_sandbox.issuer import LATER_REFUSED_CARDS

CREDIT_LIMIT_MINOR = 150_000
DECLINED_MARKER = "+declined"


@dataclass(frozen=True, slots=True)
class CreditDecision:
    approved: bool
    reason: str = ""


def assess_credit(*, amount_minor: int, currency: str, email: str, card_number: str, method: str) -> CreditDecision:
    """Whether the provider finances `amount_minor` for this shopper and card under `method`."""
    if amount_minor > CREDIT_LIMIT_MINOR:
        return CreditDecision(False, "amount_above_limit")
    if DECLINED_MARKER in email.partition("@")[0].lower():
        return CreditDecision(False, "applicant_declined")
    if digits_of(card_number) in LATER_REFUSED_CARDS:
        return CreditDecision(False, "card_not_eligible")
    return CreditDecision(True)
