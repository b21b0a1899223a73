"""Payments: gateway calls and the append-only ledger that records what they did.

Gateway calls happen outside database transactions (a PSP is remote); every call carries an
idempotency key derived from the payment, so a retry after a crash replays instead of charging
twice. The outcome is then recorded in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Sum

from comptoir.core.errors import PaymentRefused
from comptoir.payments.gateway import CardDetails, GatewayResult, get_gateway
from comptoir.payments import schedule, stored_value
from comptoir.payments.models import Payment, PaymentEntry
from comptoir.payments.rules import SCHEDULED_METHODS, STORED_VALUE_METHODS, TRANSFER_METHODS
from comptoir.payouts.models import CANCELLED_ORDER_TRANSFER, PENDING, Payout
from comptoir.payouts.opening import open_payout

# Gateway result status -> (ledger entry kind, payment status)
_RECORDED = {
    "authorised": ("authorisation", "authorised"),
    "captured": ("capture", "captured"),
    "refused": ("refusal", "refused"),
    "voided": ("void", "voided"),
}


@dataclass(frozen=True, slots=True)
class PaymentBalance:
    authorised_minor: int
    captured_minor: int
    refunded_minor: int
    voided: bool

    @property
    def capturable_minor(self) -> int:
        return 0 if self.voided else self.authorised_minor - self.captured_minor

    @property
    def refundable_minor(self) -> int:
        return self.captured_minor - self.refunded_minor


def open_payment(order, *, method: str, amount_minor: int, now: datetime) -> Payment:
    """A payment row for what the main method pays, before any gateway call (placement transaction)."""
    return Payment.objects.create(
        order=order, method=method, status="pending", amount_minor=amount_minor,
        currency=order.currency, created_at=now, updated_at=now,
    )


def balance(payment: Payment) -> PaymentBalance:
    """Amounts are sums of ledger entries (design principle 4)."""
    sums = PaymentEntry.objects.filter(payment=payment).aggregate(
        authorised=Sum("amount_minor", filter=Q(kind="authorisation"), default=0),
        captured=Sum("amount_minor", filter=Q(kind="capture"), default=0),
        refunded=Sum("amount_minor", filter=Q(kind="refund"), default=0),
        voided=Sum("amount_minor", filter=Q(kind="void"), default=0),
    )
    # A sale (authorise + capture at once) is recorded as a capture; it was authorised too.
    authorised = max(sums["authorised"], sums["captured"])
    return PaymentBalance(authorised, sums["captured"], sums["refunded"], sums["voided"] > 0)


def request_payment(payment: Payment, *, card: CardDetails | None, capture: bool, three_d_secure: str,
                    reference: str, now: datetime) -> GatewayResult:
    """Ask the gateway to authorise (and capture when `capture`) the payment's amount."""
    return get_gateway().authorise(
        amount_minor=payment.amount_minor, currency=payment.currency, method=payment.method,
        card=card, capture=capture, three_d_secure=three_d_secure,
        idempotency_key=f"{payment.id}:authorise", reference=reference, now=now,
    )


def register_card(payment: Payment, *, card: CardDetails, reference: str, now: datetime) -> GatewayResult:
    """Keep the card at the PSP for a later pre-authorisation (OG-ORD-02); nothing is charged."""
    return get_gateway().register_card(
        card=card, currency=payment.currency, idempotency_key=f"{payment.id}:register",
        reference=reference, now=now,
    )


def authorise_registered_card(payment: Payment, *, capture: bool, reference: str, now: datetime) -> GatewayResult:
    return get_gateway().authorise_registered(
        card_token=payment.psp_reference, amount_minor=payment.amount_minor, currency=payment.currency,
        capture=capture, idempotency_key=f"{payment.id}:preauthorise", reference=reference, now=now,
    )


def complete_step(payment: Payment, *, answer: str, now: datetime) -> GatewayResult:
    """Finish a 3-D Secure challenge or a PayPal approval."""
    return get_gateway().complete_challenge(
        psp_reference=payment.psp_reference, answer=answer,
        idempotency_key=f"{payment.id}:challenge:{payment.updated_at.isoformat()}", now=now,
    )


def record_result(payment: Payment, result: GatewayResult, *, key: str, now: datetime) -> Payment:
    """Append the ledger entry for a gateway outcome and update the payment's status (in a transaction)."""
    payment.psp_reference = result.psp_reference or payment.psp_reference
    payment.card_network = result.card_network or payment.card_network
    payment.card_last4 = result.card_last4 or payment.card_last4
    payment.updated_at = now
    if result.status == "requires_action":
        payment.status = "requires_action"
        payment.challenge = result.challenge
    elif result.status == "card_registered":
        payment.status = "card_registered"
    else:
        kind, status = _RECORDED[result.status]
        PaymentEntry.objects.create(
            payment=payment, kind=kind, amount_minor=result.amount_minor if kind != "refusal" else 0,
            idempotency_key=key, psp_reference=result.psp_reference,
            data={"refusal_code": result.refusal_code} if result.refusal_code else {}, created_at=now,
        )
        payment.status = status
        payment.challenge = None
        payment.refusal_code = result.refusal_code or ""
    payment.save(update_fields=_OUTCOME_FIELDS)
    return payment


# What a gateway outcome changes on a payment (record_result).
_OUTCOME_FIELDS = ("psp_reference", "card_network", "card_last4", "updated_at", "status", "challenge", "refusal_code")


def capture_key(payment: Payment) -> str:
    """One key per capture of a payment: the n-th capture; two racing callers share it, so one wins."""
    sequence = PaymentEntry.objects.filter(payment=payment, kind="capture").count() + 1
    return f"{payment.id}:capture:{sequence}"


def capture(payment: Payment, *, amount_minor: int, key: str, now: datetime) -> GatewayResult:
    """Capture part or all of an authorisation (OG: at dispatch)."""
    return get_gateway().capture(
        psp_reference=payment.psp_reference, amount_minor=amount_minor, idempotency_key=key, now=now
    )


def record_capture(payment: Payment, result: GatewayResult, *, key: str, now: datetime) -> None:
    PaymentEntry.objects.get_or_create(
        idempotency_key=key,
        defaults={"payment": payment, "kind": "capture", "amount_minor": result.amount_minor,
                  "psp_reference": result.psp_reference, "created_at": now},
    )
    payment.status = "captured"
    payment.updated_at = now
    payment.save(update_fields=["status", "updated_at"])


def release(payment: Payment, *, reason: str, now: datetime) -> None:
    """Give back everything a cancelled or failed order's payment holds: void an authorisation,
    refund a capture, credit a gift card or credit note back."""
    held = balance(payment)
    if payment.method in STORED_VALUE_METHODS:
        if held.refundable_minor > 0:
            stored_value.give_back(payment, amount_minor=held.refundable_minor, reason=reason, now=now)
            payment.status = "refunded"
            payment.updated_at = now
            payment.save(update_fields=["status", "updated_at"])
        return
    if payment.method in TRANSFER_METHODS:
        _release_transfer(payment, held, reason=reason, now=now)
        return
    if payment.method in SCHEDULED_METHODS and payment.status in ("scheduled", "captured"):
        schedule.release_schedule(payment, reason=reason, now=now)
        return
    gateway = get_gateway()
    if held.captured_minor == 0 and held.authorised_minor > 0 and not held.voided:
        result = gateway.void(psp_reference=payment.psp_reference, idempotency_key=f"{payment.id}:void", now=now)
        _append(payment, "void", held.authorised_minor, f"{payment.id}:void", result, reason, now)
        payment.status = "voided"
    elif held.refundable_minor > 0:
        key = f"{payment.id}:refund:{reason}"
        result = gateway.refund(
            psp_reference=payment.psp_reference, amount_minor=held.refundable_minor, idempotency_key=key, now=now
        )
        if result.status == "refused":
            raise PaymentRefused(result.refusal_code or "payment_refused")
        _append(payment, "refund", held.refundable_minor, key, result, reason, now)
        payment.status = "refunded"
    else:
        return
    payment.updated_at = now
    payment.save(update_fields=["status", "updated_at"])


def _append(payment, kind, amount, key, result, reason, now) -> None:
    PaymentEntry.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "payment": payment, "kind": kind, "amount_minor": amount, "psp_reference": result.psp_reference,
            "data": {"reason": reason}, "created_at": now,
        },
    )


def _release_transfer(payment: Payment, held: PaymentBalance, *, reason: str, now: datetime) -> None:
    """A transfer order that fails or is cancelled: nothing to void at a PSP. Money already received must go
    back by a transfer staff make (AA-PAY-03): a payout to send, with its care case; the ledger records it
    when it is sent. What refunds already owe by transfer is not owed twice; a second release opens nothing."""
    if held.captured_minor > 0:
        if Payout.objects.filter(payment=payment, kind=CANCELLED_ORDER_TRANSFER).exists():
            return
        owed = Payout.objects.filter(payment=payment, status=PENDING).aggregate(total=Sum("amount_minor", default=0))
        amount = held.refundable_minor - owed["total"]
        if amount > 0:
            open_payout(payment.order, kind=CANCELLED_ORDER_TRANSFER, amount_minor=amount, payment=payment,
                        reason=reason, now=now)
        return
    payment.status, payment.challenge, payment.updated_at = "voided", None, now
    payment.save(update_fields=["status", "challenge", "updated_at"])
