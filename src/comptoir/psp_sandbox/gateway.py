"""The sandbox payment service provider: a fake PSP that behaves like Stripe or Adyen in test mode.

Test cards (any future expiry; CVC of 3 digits, 4 for Amex; spaces allowed):

    4242 4242 4242 4242   Visa, succeeds; frictionless unless three_d_secure="always"
    5555 5555 5555 4444   Mastercard, succeeds
    3782 822463 10005     Amex, succeeds
    4000 0000 0000 3220   3-D Secure challenge always; the code is "123456", any other
                          answer is refused "authentication_failed"
    4000 0000 0000 0002   refused "card_declined"
    4000 0000 0000 9995   refused "insufficient_funds"
    4000 0000 0000 0069   refused "expired_card"
    4000 0000 0000 0127   refused "incorrect_cvc"
    4000 0000 0000 0119   refused "processing_error"
    4100 0000 0000 0019   refused "suspected_fraud" (the bank refuses it)
    4000 0000 0000 0341   registers, but every charge is refused "card_declined"

Any other Luhn-valid Visa, Mastercard or Amex number succeeds like 4242 4242 4242 4242. Also
refused: a number failing Luhn ("incorrect_number"), of another network ("card_not_supported"), a
month outside 1–12 or a year beyond twenty years ("invalid_expiry"), an expiry before the month of `now` ("expired_card"), a
malformed CVC ("incorrect_cvc"). Refusals come before any 3-D Secure challenge. The issuer's
rules live in `psp_sandbox.issuer`.

A card registration (`register_card`) is a zero-amount verification: the same refusals, the 3-D
Secure challenge of 4000 0000 0000 3220, then `card_registered`, whose reference is the card token.
`authorise_registered` charges it without the shopper (no challenge), refusing an expired card.

PayPal: `authorise` answers `requires_action` with a redirect; `complete_challenge` with "approve"
authorises (and captures if a sale was asked), with "cancel" refuses "payment_cancelled".

Capturing beyond what remains authorised is refused "capture_exceeds_authorised", refunding beyond
captured minus refunded "refund_exceeds_captured"; neither changes the transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from comptoir.payments.gateway import CardDetails, GatewayError, GatewayResult, card_network_of, digits_of
from comptoir.psp_sandbox.issuer import card_refusal, charge_refusal, full_year, is_expired, needs_challenge
from comptoir.psp_sandbox.models import (
    Method,
    OperationKind,
    SandboxOperation,
    SandboxTransaction,
    SandboxWebhookEvent,
)
from comptoir.psp_sandbox.models import TransactionStatus as Status

CHALLENGE_CODE = "123456"
PAYPAL_REDIRECT_URL = "https://paypal.sandbox.invalid/checkout/{challenge_id}"

# The transition table: the operations each transaction status allows. Amount limits are checked
# afterwards and answer a refusal, so a fully captured payment refuses a capture rather than erring.
ALLOWED_OPERATIONS = {
    Status.REQUIRES_ACTION: {OperationKind.COMPLETE_CHALLENGE},
    Status.AUTHORISED: {OperationKind.CAPTURE, OperationKind.VOID},
    Status.PARTIALLY_CAPTURED: {OperationKind.CAPTURE, OperationKind.REFUND},
    Status.CAPTURED: {OperationKind.CAPTURE, OperationKind.REFUND},
    Status.PARTIALLY_REFUNDED: {OperationKind.CAPTURE, OperationKind.REFUND},
    Status.REFUNDED: {OperationKind.CAPTURE, OperationKind.REFUND},
    Status.VOIDED: set(),
    Status.REFUSED: set(),
    Status.CARD_REGISTERED: set(),
}


class SandboxGateway:
    """The `Gateway` protocol over the sandbox tables; each call is one database transaction."""

    def authorise(self, *, amount_minor, currency, method, card, capture, three_d_secure,
                  idempotency_key, reference, now) -> GatewayResult:
        check_amount(amount_minor)
        check_currency(currency)
        check_reference(reference)
        if method not in Method.values:
            raise GatewayError("invalid_method", repr(method))
        if (method == Method.CARD) != isinstance(card, CardDetails):
            raise GatewayError("invalid_card", "card details go with the card method only")
        if three_d_secure not in ("always", "when_issuer_asks"):
            raise GatewayError("invalid_three_d_secure", repr(three_d_secure))
        request = {
            "amount_minor": amount_minor, "currency": currency, "method": method,
            "card": asdict(card) if card else None, "capture": bool(capture),
            "three_d_secure": three_d_secure, "reference": reference,
        }
        return self._once(
            OperationKind.AUTHORISE, idempotency_key, request, now,
            lambda: self._authorise(request, card, now),
        )

    def register_card(self, *, card, currency, idempotency_key, reference, now) -> GatewayResult:
        check_currency(currency)
        check_reference(reference)
        if not isinstance(card, CardDetails):
            raise GatewayError("invalid_card", "card details are required")
        request = {
            "amount_minor": 0, "currency": currency, "method": Method.CARD, "card": asdict(card),
            "capture": False, "three_d_secure": "when_issuer_asks", "reference": reference,
        }
        return self._once(
            OperationKind.REGISTER_CARD, idempotency_key, request, now,
            lambda: self._authorise(request, card, now),
        )

    def authorise_registered(self, *, card_token, amount_minor, currency, capture, idempotency_key,
                             reference, now) -> GatewayResult:
        check_amount(amount_minor)
        check_currency(currency)
        check_reference(reference)
        request = {
            "card_token": card_token, "amount_minor": amount_minor, "currency": currency,
            "capture": bool(capture), "reference": reference,
        }
        return self._once(
            OperationKind.AUTHORISE, idempotency_key, request, now,
            lambda: self._authorise_registered(request, now),
        )

    def complete_challenge(self, *, psp_reference, answer, idempotency_key, now) -> GatewayResult:
        request = {"psp_reference": psp_reference, "answer": answer}
        return self._once(
            OperationKind.COMPLETE_CHALLENGE, idempotency_key, request, now,
            lambda: self._complete_challenge(psp_reference, answer, now),
        )

    def capture(self, *, psp_reference, amount_minor, idempotency_key, now) -> GatewayResult:
        check_amount(amount_minor)
        request = {"psp_reference": psp_reference, "amount_minor": amount_minor}
        return self._once(
            OperationKind.CAPTURE, idempotency_key, request, now,
            lambda: self._capture(psp_reference, amount_minor, now),
        )

    def refund(self, *, psp_reference, amount_minor, idempotency_key, now) -> GatewayResult:
        check_amount(amount_minor)
        request = {"psp_reference": psp_reference, "amount_minor": amount_minor}
        return self._once(
            OperationKind.REFUND, idempotency_key, request, now,
            lambda: self._refund(psp_reference, amount_minor, now),
        )

    def void(self, *, psp_reference, idempotency_key, now) -> GatewayResult:
        request = {"psp_reference": psp_reference}
        return self._once(
            OperationKind.VOID, idempotency_key, request, now, lambda: self._void(psp_reference, now)
        )

    def retrieve(self, *, psp_reference) -> GatewayResult | None:
        payment = SandboxTransaction.objects.filter(psp_reference=psp_reference).first()
        if payment is None:
            return None
        if payment.status in (Status.CAPTURED, Status.PARTIALLY_CAPTURED):
            return result_of(payment, "captured", payment.amount_captured_minor)
        if payment.status == Status.AUTHORISED:
            return result_of(payment, "authorised", payment.amount_authorised_minor)
        return result_of(payment, payment.status, 0, refusal_code=payment.refusal_code or None)

    def _once(self, kind, idempotency_key, request, now, perform) -> GatewayResult:
        """Run `perform` once per idempotency key; a replay returns the stored result.

        A replay is rare, so the key is looked up only when the call fails: performing a replay
        again ends either in the unique key refusing its operation row or in an error (the
        transaction has moved on); both roll the work back, and the stored result is answered.
        Two racing calls with one key resolve the same way: only one commits.
        """
        check_now(now)
        if not isinstance(idempotency_key, str) or not 0 < len(idempotency_key) <= 255:
            raise GatewayError("invalid_idempotency_key")
        fingerprint = fingerprint_of(kind, request)
        try:
            with transaction.atomic():
                payment, result, moved_minor = perform()
                SandboxOperation.objects.create(
                    transaction=payment, kind=kind, idempotency_key=idempotency_key,
                    request_fingerprint=fingerprint, result=asdict(result),
                    amount_minor=moved_minor, created_at=now,
                )
        except (IntegrityError, GatewayError):
            stored = stored_result(idempotency_key, fingerprint)
            if stored is None:
                raise
            return stored
        return result

    def _authorise(self, request, card, now):
        digits = digits_of(card.number) if card else ""
        payment = SandboxTransaction(
            psp_reference=new_identifier("psp_"), merchant_reference=request["reference"],
            method=request["method"], currency=request["currency"],
            amount_requested_minor=request["amount_minor"], capture_requested=request["capture"],
            card_network=(card_network_of(digits) or "") if card else "",
            card_last4=digits[-4:] if digits.isdigit() else "",
            created_at=now, updated_at=now,
        )
        if payment.method == Method.PAYPAL:
            return ask_challenge(payment, now)
        refusal_code = card_refusal(card, now)
        if payment.amount_requested_minor == 0:  # a registration: that refusal waits for a charge
            payment.charge_refusal_code = charge_refusal(card) or ""
        else:
            refusal_code = refusal_code or charge_refusal(card)
        if refusal_code:
            return refuse(payment, refusal_code, now)
        # Kept (as real PSPs keep it beside the last four digits) to refuse later charges once expired.
        payment.card_expiry_month, payment.card_expiry_year = card.expiry_month, full_year(card.expiry_year)
        if request["three_d_secure"] == "always" or needs_challenge(card):
            return ask_challenge(payment, now)
        return approve(payment, now)

    def _authorise_registered(self, request, now):
        registration = SandboxTransaction.objects.filter(psp_reference=request["card_token"]).first()
        if registration is None or registration.status != Status.CARD_REGISTERED:
            raise GatewayError("unknown_card_token", repr(request["card_token"]))
        payment = SandboxTransaction(
            psp_reference=new_identifier("psp_"), merchant_reference=request["reference"],
            method=Method.CARD, currency=request["currency"], registered_card=registration,
            amount_requested_minor=request["amount_minor"], capture_requested=request["capture"],
            card_network=registration.card_network, card_last4=registration.card_last4,
            card_expiry_month=registration.card_expiry_month, card_expiry_year=registration.card_expiry_year,
            created_at=now, updated_at=now,
        )
        if is_expired(payment.card_expiry_year, payment.card_expiry_month, now):
            return refuse(payment, "expired_card", now)
        if registration.charge_refusal_code:
            return refuse(payment, registration.charge_refusal_code, now)
        return approve(payment, now)

    def _complete_challenge(self, psp_reference, answer, now):
        payment = locked_transaction(psp_reference, OperationKind.COMPLETE_CHALLENGE)
        if payment.method == Method.PAYPAL:
            if answer not in ("approve", "cancel"):
                raise GatewayError("invalid_answer", 'PayPal answers "approve" or "cancel"')
            if answer == "cancel":
                return refuse(payment, "payment_cancelled", now)
            return approve(payment, now)
        if not hmac.compare_digest(str(answer).encode(), CHALLENGE_CODE.encode()):
            return refuse(payment, "authentication_failed", now)
        return approve(payment, now)

    def _capture(self, psp_reference, amount_minor, now):
        payment = locked_transaction(psp_reference, OperationKind.CAPTURE)
        if amount_minor > payment.amount_authorised_minor - payment.amount_captured_minor:
            return payment, result_of(payment, Status.REFUSED, amount_minor, "capture_exceeds_authorised"), 0
        payment.amount_captured_minor += amount_minor
        record_change(payment, settled_status(payment), "payment.captured", amount_minor, now)
        return payment, result_of(payment, "captured", amount_minor), amount_minor

    def _refund(self, psp_reference, amount_minor, now):
        payment = locked_transaction(psp_reference, OperationKind.REFUND)
        if amount_minor > payment.amount_captured_minor - payment.amount_refunded_minor:
            return payment, result_of(payment, Status.REFUSED, amount_minor, "refund_exceeds_captured"), 0
        payment.amount_refunded_minor += amount_minor
        record_change(payment, settled_status(payment), "payment.refunded", amount_minor, now)
        return payment, result_of(payment, "refunded", amount_minor), amount_minor

    def _void(self, psp_reference, now):
        payment = locked_transaction(psp_reference, OperationKind.VOID)
        released_minor = payment.amount_authorised_minor
        record_change(payment, Status.VOIDED, "payment.voided", released_minor, now)
        return payment, result_of(payment, "voided", released_minor), released_minor


def check_amount(amount_minor) -> None:
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
        raise GatewayError("invalid_amount", f"a positive integer of minor units, not {amount_minor!r}")


def check_currency(currency) -> None:
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isascii() and currency.isalpha()
            and currency.isupper()):
        raise GatewayError("invalid_currency", repr(currency))


def check_reference(reference) -> None:
    if not isinstance(reference, str) or not 0 < len(reference) <= 100:
        raise GatewayError("invalid_reference", "the merchant reference is 1 to 100 characters")


def check_now(now) -> None:
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise GatewayError("invalid_now", "now must be an aware datetime")


def settled_status(payment: SandboxTransaction) -> str:
    """The status of an approved transaction, read from its amounts."""
    if payment.amount_refunded_minor:
        if payment.amount_refunded_minor == payment.amount_captured_minor:
            return Status.REFUNDED
        return Status.PARTIALLY_REFUNDED
    if payment.amount_captured_minor == 0:
        return Status.AUTHORISED
    if payment.amount_captured_minor < payment.amount_authorised_minor:
        return Status.PARTIALLY_CAPTURED
    return Status.CAPTURED


def ask_challenge(payment: SandboxTransaction, now: datetime):
    payment.challenge_id = new_identifier("chl_")
    if payment.method == Method.PAYPAL:
        challenge = {
            "type": "redirect", "challenge_id": payment.challenge_id,
            "redirect_url": PAYPAL_REDIRECT_URL.format(challenge_id=payment.challenge_id),
        }
    else:
        challenge = {"type": "3ds", "challenge_id": payment.challenge_id, "hint": f"enter {CHALLENGE_CODE}"}
    record_change(payment, Status.REQUIRES_ACTION, "payment.requires_action", payment.amount_requested_minor, now)
    return payment, result_of(payment, "requires_action", payment.amount_requested_minor, challenge=challenge), 0


def approve(payment: SandboxTransaction, now: datetime):
    """Authorise the requested amount, and capture it too when a sale was asked; register a card for 0."""
    amount_minor = payment.amount_requested_minor
    if amount_minor == 0:
        record_change(payment, Status.CARD_REGISTERED, "card.registered", 0, now)
        return payment, result_of(payment, "card_registered", 0), 0
    payment.amount_authorised_minor = amount_minor
    if not payment.capture_requested:
        record_change(payment, Status.AUTHORISED, "payment.authorised", amount_minor, now)
        return payment, result_of(payment, "authorised", amount_minor), amount_minor
    # A sale: both events are told, as a real PSP does, but the row is written once.
    payment.status = Status.AUTHORISED
    authorised = event_payload(payment, "payment.authorised", amount_minor, now)
    payment.amount_captured_minor = amount_minor
    record_change(payment, Status.CAPTURED, "payment.captured", amount_minor, now, earlier=[authorised])
    return payment, result_of(payment, "captured", amount_minor), amount_minor


def refuse(payment: SandboxTransaction, refusal_code: str, now: datetime):
    payment.refusal_code = refusal_code
    record_change(payment, Status.REFUSED, "payment.refused", payment.amount_requested_minor, now)
    return payment, result_of(payment, Status.REFUSED, payment.amount_requested_minor, refusal_code), 0


def record_change(payment: SandboxTransaction, status: str, event_type: str, amount_minor: int, now,
                  earlier: list[dict] = ()) -> None:
    """Save the new state of a transaction and append the webhook event telling it, after the
    `earlier` event payloads of intermediate states (one INSERT for all)."""
    payment.status = status
    payment.updated_at = now
    payment.save()
    payloads = [*earlier, event_payload(payment, event_type, amount_minor, now)]
    SandboxWebhookEvent.objects.bulk_create([
        SandboxWebhookEvent(event_id=new_identifier("evt_"), transaction=payment, type=payload["type"],
                            payload=payload, created_at=now)
        for payload in payloads
    ])


def event_payload(payment: SandboxTransaction, event_type: str, amount_minor: int, now) -> dict:
    return {
        "type": event_type,
        "created": int(now.timestamp()),
        "data": {
            "psp_reference": payment.psp_reference,
            "reference": payment.merchant_reference,
            "status": payment.status,
            "method": payment.method,
            "currency": payment.currency,
            "amount_minor": amount_minor,
            "amount_authorised_minor": payment.amount_authorised_minor,
            "amount_captured_minor": payment.amount_captured_minor,
            "amount_refunded_minor": payment.amount_refunded_minor,
            "refusal_code": payment.refusal_code or None,
            "card_network": payment.card_network or None,
            "card_last4": payment.card_last4 or None,
        },
    }


def locked_transaction(psp_reference: str, kind: str) -> SandboxTransaction:
    """The transaction, row-locked until the end of the surrounding atomic block, if `kind` is allowed."""
    payment = SandboxTransaction.objects.select_for_update().filter(psp_reference=psp_reference).first()
    if payment is None:
        raise GatewayError("unknown_reference", repr(psp_reference))
    if kind not in ALLOWED_OPERATIONS[payment.status]:
        raise GatewayError("illegal_operation", f"cannot {kind} a {payment.status} transaction")
    return payment


def result_of(payment, status, amount_minor, refusal_code=None, challenge=None) -> GatewayResult:
    return GatewayResult(
        status=str(status), psp_reference=payment.psp_reference, amount_minor=amount_minor,
        refusal_code=refusal_code, challenge=challenge,
        card_network=payment.card_network or None, card_last4=payment.card_last4 or None,
    )


def stored_result(idempotency_key: str, fingerprint: str) -> GatewayResult | None:
    """The result stored under this key, None if the key is new; an error if it served another request."""
    operation = SandboxOperation.objects.filter(idempotency_key=idempotency_key).first()
    if operation is None:
        return None
    if not hmac.compare_digest(operation.request_fingerprint, fingerprint):
        raise GatewayError("idempotency_key_reused", repr(idempotency_key))
    return GatewayResult(**operation.result)


def fingerprint_of(kind: str, request: dict) -> str:
    """A keyed hash of the request, so no card number can be recovered from the stored value."""
    body = json.dumps({"kind": str(kind), **request}, sort_keys=True, separators=(",", ":"))
    return hmac.new(settings.SANDBOX_GATEWAY_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()


def new_identifier(prefix: str) -> str:
    """A random identifier such as "psp_" followed by 24 URL-safe characters."""
    return prefix + secrets.token_urlsafe(18)
