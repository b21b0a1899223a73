"""Back-office payment moves: recording bank transfers received, one by one or from a statement (AA-PAY-03)."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema, Status
from pydantic import Field

from comptoir.accounts.auth import require_staff
from comptoir.brands.services import get_brand
from comptoir.core.http import idempotency_key
from comptoir.orders.schemas import OrderOut, order_out
from comptoir.orders import queries
from comptoir.payments import transfers

router = Router(tags=["staff"])


class TransferIn(Schema):
    amount_minor: int = Field(gt=0, le=100_000_000)
    reference: str = Field(min_length=1, max_length=140)
    received_on: date


class TransferOut(Schema):
    recorded: bool = Field(description="False when this Idempotency-Key was already recorded")
    paid_minor: int
    remaining_minor: int
    order: OrderOut


class StatementIn(Schema):
    csv: str = Field(min_length=1, max_length=2_000_000,
                     description="Header date,amount,reference (',' or ';'); amounts in euros, '.' or ',' decimals")


class StatementLineOut(Schema):
    line: int
    date: str
    amount_minor: int | None
    reference: str
    order: str
    reason: str = ""
    paid_minor: int | None = None
    remaining_minor: int | None = None
    status: str = ""


class ImportOut(Schema):
    matched: list[StatementLineOut]
    already_recorded: list[StatementLineOut]
    unmatched: list[StatementLineOut]


@router.post("/staff/brands/{slug}/orders/{number}/transfers", response={201: TransferOut, 200: TransferOut},
             summary="Record a bank transfer received for the order (Idempotency-Key header required)")
def record_transfer(request, slug: str, number: str, payload: TransferIn):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    key = idempotency_key(request)
    outcome = transfers.record_transfer(
        brand, number, reference=payload.reference, amount_minor=payload.amount_minor,
        received_on=payload.received_on, key=key, actor=f"staff:{user.username}", now=request.now,
    )
    body = {"recorded": outcome.recorded, "paid_minor": outcome.paid_minor, "remaining_minor": outcome.remaining_minor,
            "order": order_out(queries.staff_order(brand, outcome.order.number), "en")}
    return Status(201 if outcome.recorded else 200, body)


@router.post("/staff/brands/{slug}/transfers/import", response=ImportOut,
             summary="Import a bank statement (CSV): each credit matched to an order by its reference, once")
def import_statement(request, slug: str, payload: StatementIn):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    report = transfers.import_transfers(brand, payload.csv, actor=f"staff:{user.username}", now=request.now)
    return {"matched": report.matched, "already_recorded": report.already_recorded, "unmatched": report.unmatched}
