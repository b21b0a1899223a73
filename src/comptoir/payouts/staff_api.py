"""Back-office API of transfers to send by hand (AA-PAY-03, AL-RET-02): the queue, and "sent" recorded once."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Path, Query, Router, Schema
from pydantic import Field

from comptoir.accounts.auth import require_staff
from comptoir.brands.services import get_brand
from comptoir.core.http import idempotency_key
from comptoir.core.money import Money
from comptoir.payouts import rules, services
from comptoir.payouts.models import KINDS, PENDING, SENT

router = Router(tags=["staff"])


class PayoutQuery(Schema):
    status: str | None = Field(default=None, pattern=f"^({PENDING}|{SENT})$")
    offset: int = Field(default=0, ge=0, le=100000)
    limit: int = Field(default=50, ge=1, le=200)


class BeneficiaryOut(Schema):
    name: str
    email: str
    iban: str = Field(description="Typed in by staff once the shopper gave it on the case; empty until then")


class PayoutOut(Schema):
    id: int
    kind: str = Field(description=", ".join(code for code, _ in KINDS))
    status: str
    amount_minor: int
    currency: str
    amount: str
    beneficiary: BeneficiaryOut
    order_number: str
    reason: str
    case_id: int | None
    created_at: datetime
    age_days: int
    bank_reference: str
    sent_on: date | None
    sent_at: datetime | None


class PayoutPage(Schema):
    count: int
    offset: int
    limit: int
    results: list[PayoutOut]


class SentIn(Schema):
    bank_reference: str = Field(min_length=1, max_length=services.BANK_REFERENCE_MAX_LENGTH)
    sent_on: date
    iban: str = Field(default="", max_length=50, description="The account credited, if not typed in before")


class SentOut(Schema):
    recorded: bool = Field(description="False when this Idempotency-Key already recorded it: nothing changed")
    payout: PayoutOut


def payout_out(payout, now: datetime) -> dict:
    order = payout.order
    tz = order.brand.policy_object.tz
    address = order.billing_address or order.shipping_address or {}
    name = " ".join(part for part in (address.get("first_name", ""), address.get("last_name", "")) if part)
    return {
        "id": payout.pk, "kind": payout.kind, "status": payout.status, "amount_minor": payout.amount_minor,
        "currency": payout.currency, "amount": Money(payout.amount_minor, payout.currency).format("en"),
        "beneficiary": {"name": name, "email": order.email, "iban": payout.iban},
        "order_number": order.number, "reason": payout.reason, "case_id": payout.case_id,
        "created_at": payout.created_at,
        "age_days": rules.age_in_days(payout.created_at.astimezone(tz).date(), now.astimezone(tz).date()),
        "bank_reference": payout.bank_reference, "sent_on": payout.sent_on, "sent_at": payout.sent_at,
    }


@router.get("/staff/brands/{slug}/payouts", response=PayoutPage,
            summary="Transfers to send by hand (refunds of transfer orders, return postage), oldest first")
def queue(request, slug: str, query: Query[PayoutQuery]):
    brand = get_brand(slug)
    require_staff(request, brand)
    total, payouts = services.staff_payouts(brand, status=query.status, offset=query.offset, limit=query.limit)
    for payout in payouts:
        payout.order.brand = brand  # one brand: no query per row
    return {"count": total, "offset": query.offset, "limit": query.limit,
            "results": [payout_out(payout, request.now) for payout in payouts]}


@router.post("/staff/brands/{slug}/payouts/{payout_id}/sent", response=SentOut,
             summary="Record the transfer as sent, once (Idempotency-Key header required): "
                     "ledger, case closed, shopper e-mailed")
def mark_sent(request, slug: str, payload: SentIn, payout_id: int = Path(..., gt=0, le=2**62)):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    key = idempotency_key(request)
    payout = services.staff_payout(brand, payout_id)
    outcome = services.record_payout_sent(payout, bank_reference=payload.bank_reference, sent_on=payload.sent_on,
                                          iban=payload.iban, key=key, actor=f"staff:{user.username}", now=request.now)
    outcome.payout.order.brand = brand
    return {"recorded": outcome.recorded, "payout": payout_out(outcome.payout, request.now)}
