"""Gift cards and credit notes: a shopper checks a balance; staff issue a card (AL-PAY-01, AL-RFD-01)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Router, Schema, Status
from pydantic import Field

from comptoir.accounts.auth import require_staff
from comptoir.accounts.services import normalise_email
from comptoir.brands.services import get_brand
from comptoir.core.errors import NotFound
from comptoir.core.http import idempotency_key
from comptoir.core.rate_limit import limit_by_ip
from comptoir.giftcards import services
from comptoir.giftcards.models import StoredValueCard

router = Router(tags=["gift cards"])


class CardBalance(Schema):
    kind: Literal["gift_card", "credit_note"]
    balance_minor: int
    currency: str
    expires_at: datetime
    last4: str


class IssueIn(Schema):
    kind: Literal["gift_card", "credit_note"]
    amount_minor: int = Field(gt=0, le=1_000_000, description="Minor units, at most 10,000.00")
    recipient_email: str = Field(max_length=254)
    language: Literal["en", "fr"] = "en"


class IssuedCard(CardBalance):
    id: int
    initial_minor: int
    recipient_email: str


def _balance(card: StoredValueCard) -> dict:
    return {"kind": card.kind, "balance_minor": card.balance_minor, "currency": card.currency,
            "expires_at": card.expires_at, "last4": card.code_last4}


@router.get("/brands/{slug}/gift-cards/{code}", response=CardBalance,
            summary="Balance of a gift card or credit note (AL-PAY-01)")
def card_balance(request, slug: str, code: str):
    # Unknown, foreign-brand and malformed codes all take the same path (hash, one query) and the
    # same 404: nothing tells a guess that was close from one that was not.
    brand = get_brand(slug)
    limit_by_ip(request, "guest_lookup_ip")
    card = services.find_card(brand, code[:64])
    if card is None:
        raise NotFound("gift_card_not_found")
    return _balance(card)


@router.post("/staff/brands/{slug}/gift-cards", response={200: IssuedCard, 201: IssuedCard},
             summary="Issue a gift card or credit note; its code is e-mailed to the recipient only")
def issue(request, slug: str, payload: IssueIn):
    brand = get_brand(slug)
    require_staff(request, brand)
    key = idempotency_key(request)
    card, code = services.issue_card(
        brand, kind=payload.kind, amount_minor=payload.amount_minor,
        recipient_email=normalise_email(payload.recipient_email),
        language=payload.language, source_order=None, idempotency_key=f"giftcard:staff:{brand.pk}:{key}",
        now=request.now,
    )
    # The clear code is never answered: the recipient's e-mail is the one place it is delivered.
    body = {**_balance(card), "id": card.pk, "initial_minor": card.initial_minor,
            "recipient_email": card.recipient_email}
    return Status(201 if code is not None else 200, body)
