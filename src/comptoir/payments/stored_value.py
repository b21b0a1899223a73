"""Gift cards and credit notes as tenders: spent inside the placement transaction, given back to
the same card when the order fails, is cancelled or is refunded (AL-PAY-01, AL-RFD-02/03)."""

from __future__ import annotations

from datetime import datetime

from comptoir.giftcards import services as giftcards
from comptoir.giftcards.models import StoredValueCard
from comptoir.payments.models import Payment, PaymentEntry

REFERENCE_PREFIX = "card:"


def spend(order, card: StoredValueCard, *, amount_minor: int, now: datetime) -> Payment:
    """Redeem `amount_minor` from the card for the order (caller's transaction; the card row is locked)."""
    key = f"{order.pk}:spend:{card.pk}"
    taken = giftcards.redeem(card, amount_minor=amount_minor, order=order, idempotency_key=key, now=now)
    payment = Payment.objects.create(
        order=order, method=card.kind, status="captured", amount_minor=taken, currency=order.currency,
        psp_reference=f"{REFERENCE_PREFIX}{card.pk}", card_last4=card.code_last4, created_at=now, updated_at=now,
    )
    PaymentEntry.objects.create(payment=payment, kind="capture", amount_minor=taken, idempotency_key=key,
                                psp_reference=payment.psp_reference, created_at=now)
    return payment


def give_back(payment: Payment, *, amount_minor: int, reason: str, now: datetime) -> None:
    """Credit `amount_minor` back onto the card that paid (caller's transaction)."""
    key = f"{payment.pk}:give-back:{reason}"
    card_id = int(payment.psp_reference.removeprefix(REFERENCE_PREFIX))
    giftcards.restore(card_id, amount_minor=amount_minor, order=payment.order, idempotency_key=key, now=now)
    PaymentEntry.objects.get_or_create(
        idempotency_key=key,
        defaults={"payment": payment, "kind": "refund", "amount_minor": amount_minor,
                  "psp_reference": payment.psp_reference, "data": {"reason": reason}, "created_at": now},
    )
