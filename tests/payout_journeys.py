"""Transfers staff send back by hand, reached through the API at Audrey Alexandre (paid by bank transfer,
AA-PAY-03): money received then the order expires (a cancelled order's transfer), or a refund of a paid order."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from comptoir.orders.models import Order
from comptoir.orders.services import expire_payment_steps
from comptoir.payouts.models import Payout
from comptoir.refunds.services import issue_refund
from factories import order, staff

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
EXPIRED_AT = MONDAY_10AM + timedelta(days=8)
AA = "audrey-alexandre"
WALLET = "AA-PURSE-BLK"  # €95.00, shipped by Chronopost for €9.90


def transfer_order(api, *, language: str = "en", email: str = "camille@example.com") -> Order:
    placed = order(api, AA, [(WALLET, 1)], now=MONDAY_10AM, method="chrono_13", payment_method="bank_transfer",
                   card=None, language=language, email=email)
    assert placed.status == 201, placed
    return Order.objects.get(number=placed["number"])


def receive(api, team: str, placed: Order, amount_minor: int, *, key: str) -> None:
    reply = api.post(f"/staff/brands/{AA}/orders/{placed.number}/transfers",
                     {"amount_minor": amount_minor, "reference": placed.number, "received_on": "2026-11-25"},
                     token=team, now=MONDAY_10AM + timedelta(days=2), key=key)
    assert reply.status == 201, reply


def cancelled_transfer_payout(api, *, language: str = "en", received_minor: int = 3000) -> Payout:
    """€30.00 received for an order that then expires unpaid: a transfer to send back (AA-PAY-03)."""
    team = staff(api, AA, now=MONDAY_10AM)
    placed = transfer_order(api, language=language)
    receive(api, team, placed, received_minor, key=f"bank-{placed.number}")
    assert expire_payment_steps(EXPIRED_AT) == 1
    return Payout.objects.select_related("order__brand").get(order=placed)


def refund_transfer_payout(api) -> Payout:
    """An order paid in full by transfer, refunded: the refund part is a transfer to send back."""
    team = staff(api, AA, now=MONDAY_10AM)
    placed = transfer_order(api)
    receive(api, team, placed, placed.total_minor, key=f"bank-{placed.number}")
    issue_refund(placed, items=[(placed.lines.get().pk, 1)], choice="original", reason="return",
                 return_reference="RET-1", idempotency_key=f"{placed.number}:refund", now=EXPIRED_AT)
    return Payout.objects.select_related("order__brand").get(order=placed)
