"""The payment gateway interface: what the payments app asks of a payment service provider (PSP).

Plain types only, no Django models: a gateway answers each operation with a `GatewayResult`
(a refusal is a result, not an exception) and raises `GatewayError` only for a malformed call
(unknown reference, an operation the PSP state does not allow, a reused idempotency key).
Every operation takes an idempotency key and an explicit `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

ResultStatus = Literal[
    "authorised", "captured", "requires_action", "refused", "refunded", "voided", "pending",
    "card_registered",
]
PaymentMethod = Literal["card", "paypal"]
ThreeDSecure = Literal["always", "when_issuer_asks"]


@dataclass(frozen=True, slots=True)
class CardDetails:
    """What the shopper typed. Never stored: a gateway keeps only the network and last four digits."""

    number: str
    expiry_month: int
    expiry_year: int
    cvc: str
    holder: str = ""

    def __repr__(self) -> str:
        # Keep the number and the CVC out of logs and tracebacks.
        return f"CardDetails(number='…{digits_of(self.number)[-4:]}', expiry={self.expiry_month}/{self.expiry_year})"


@dataclass(frozen=True, slots=True)
class GatewayResult:
    """The outcome of one operation; `amount_minor` is the amount of this operation, not a total.

    `challenge` is set with `requires_action`: `{"type": "3ds", "challenge_id", "hint"}` for a card,
    `{"type": "redirect", "challenge_id", "redirect_url"}` for PayPal.
    """

    status: ResultStatus
    psp_reference: str
    amount_minor: int
    refusal_code: str | None = None
    challenge: dict | None = None
    card_network: str | None = None
    card_last4: str | None = None


class GatewayError(Exception):
    """A malformed call: `code` is stable (`unknown_reference`, `illegal_operation`, …)."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


class Gateway(Protocol):
    def authorise(
        self,
        *,
        amount_minor: int,
        currency: str,
        method: PaymentMethod,
        card: CardDetails | None,
        capture: bool,
        three_d_secure: ThreeDSecure,
        idempotency_key: str,
        reference: str,
        now: datetime,
    ) -> GatewayResult:
        """Authorise `amount_minor`; with `capture=True` capture it at once (a sale)."""
        ...

    def complete_challenge(
        self, *, psp_reference: str, answer: str, idempotency_key: str, now: datetime
    ) -> GatewayResult:
        """Answer a `requires_action`: the 3-D Secure code, or "approve"/"cancel" for PayPal."""
        ...

    def capture(
        self, *, psp_reference: str, amount_minor: int, idempotency_key: str, now: datetime
    ) -> GatewayResult:
        """Capture part or all of what remains authorised; may be called several times."""
        ...

    def refund(
        self, *, psp_reference: str, amount_minor: int, idempotency_key: str, now: datetime
    ) -> GatewayResult:
        """Refund part of what was captured; refused with "refund_exceeds_captured" beyond it."""
        ...

    def void(self, *, psp_reference: str, idempotency_key: str, now: datetime) -> GatewayResult:
        """Release an authorisation of which nothing was captured."""
        ...

    def retrieve(self, *, psp_reference: str) -> GatewayResult | None:
        """The payment's current state at the PSP (None for an unknown reference): what a webhook
        tells is checked here before it is believed."""
        ...

    def register_card(
        self, *, card: CardDetails, currency: str, idempotency_key: str, reference: str, now: datetime
    ) -> GatewayResult:
        """Verify and keep a card for later charges, charging nothing: `card_registered` (or a
        3-D Secure `requires_action` first); the result's `psp_reference` is the card token."""
        ...

    def authorise_registered(
        self, *, card_token: str, amount_minor: int, currency: str, capture: bool,
        idempotency_key: str, reference: str, now: datetime,
    ) -> GatewayResult:
        """Authorise (and capture when `capture`) a registered card without the shopper present
        (a merchant-initiated charge: no 3-D Secure); a new `psp_reference` for this payment."""
        ...


def digits_of(number: str) -> str:
    """The card number without the spaces and dashes people type."""
    return number.replace(" ", "").replace("-", "")


def luhn_valid(number: str) -> bool:
    """Whether a card number passes the Luhn checksum (spaces and dashes allowed)."""
    digits = digits_of(number)
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        return False
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_network_of(number: str) -> str | None:
    """The card network from the number's prefix: "visa", "mastercard", "amex", or None.

    Cartes Bancaires ("cb") cannot be told from the number: CB cards are co-branded with Visa or
    Mastercard and carry their prefixes, so a CB card is reported as its international network.
    """
    digits = digits_of(number)
    if not digits.isdigit():
        return None
    if digits.startswith("4"):
        return "visa"
    if digits[:2] in ("34", "37"):
        return "amex"
    if 51 <= int(digits[:2] or 0) <= 55 or 2221 <= int(digits[:4].ljust(4, "0")) <= 2720:
        return "mastercard"
    return None


def get_gateway() -> Gateway:
    """The gateway in use: the sandbox, the only implementation for now."""
    # Imported here: the sandbox imports this module, and models load only once apps are ready.
    from comptoir.psp_sandbox.gateway import SandboxGateway

    return SandboxGateway()
