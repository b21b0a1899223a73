"""A process killed between the PSP's answer and the shop's record of it (found by
benchmarks/fault_kill9.py): the PSP's webhook settles the payment through the same path as checkout,
an order whose webhook never comes expires, and money that arrives after that goes back."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from comptoir.brands.models import Brand
from comptoir.catalog.models import Variant
from comptoir.checkout import placement
from comptoir.checkout.placement import CheckoutDetails, place_order
from comptoir.checkout.services import create_cart
from comptoir.notifications.models import OutboxMessage
from comptoir.orders.gateway_events import settle_from_gateway
from comptoir.orders.models import Order
from comptoir.orders.services import expire_payment_steps
from comptoir.payments.gateway import CardDetails
from comptoir.payments.models import Payment, PaymentEntry
from comptoir.psp_sandbox.delivery import deliver_gateway_webhooks
from comptoir.psp_sandbox.models import SandboxTransaction
from factories import PARIS

pytestmark = pytest.mark.django_db

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
TEE = "AL-TEE-WHT-S"
VISA = CardDetails(number="4242424242424242", expiry_month=12, expiry_year=2030, cvc="123")


class Killed(Exception):
    """Stands for kill -9: nothing after it runs."""


def checkout(key: str = "k-1", now: datetime = MONDAY_10AM):
    brand = Brand.objects.get(slug="alme")
    cart = create_cart(brand, customer=None, lines=[(TEE, 1)], now=now)
    details = CheckoutDetails(email="shopper@example.com", shipping_address=PARIS, billing_address=None,
                              shipping_method="colissimo_home", payment_method="card", card=VISA, language="en")
    return place_order(brand, cart.pk, details, customer=None, idempotency_key=key, now=now)


def killed_after_the_gateway_answered(monkeypatch) -> Order:
    def die(*args, **kwargs):
        raise Killed
    monkeypatch.setattr(placement.methods, "record_start", die)
    with pytest.raises(Killed):
        checkout()
    monkeypatch.undo()
    return Order.objects.get(brand__slug="alme", checkout_key="k-1")


def deliver_webhooks(now: datetime) -> int:
    client = Client()

    def post(url, body, headers):
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()
                 if name.lower() != "content-type"}
        reply = client.post("/api/payments/sandbox/webhook", body, content_type="application/json",
                            HTTP_X_COMPTOIR_NOW=now.isoformat(), **extra)
        return reply.status_code == 200
    return deliver_gateway_webhooks(now, post=post)


def confirmations(order: Order) -> int:
    return OutboxMessage.objects.filter(idempotency_key__startswith=f"order:{order.pk}:order_confirmed").count()


def test_a_payment_left_pending_by_a_killed_process_is_settled_by_the_psp_webhook(monkeypatch):
    order = killed_after_the_gateway_answered(monkeypatch)
    payment = Payment.objects.get(order=order)
    assert (order.status, payment.status) == ("awaiting_payment", "pending")
    assert order.payment_due_by == MONDAY_10AM + timedelta(minutes=30)  # the policy's payment step timeout

    assert deliver_webhooks(MONDAY_10AM + timedelta(seconds=5)) >= 1

    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, order.payment_due_by, payment.status) == ("confirmed", None, "captured")
    assert list(PaymentEntry.objects.filter(payment=payment).values_list("kind", "amount_minor")) == [
        ("capture", payment.amount_minor)]
    assert confirmations(order) == 1
    # The shopper's retry with the same key now answers the confirmed order.
    assert checkout("k-1").order.status == "confirmed"


def test_an_order_whose_webhook_never_comes_expires_and_money_arriving_later_goes_back(monkeypatch):
    order = killed_after_the_gateway_answered(monkeypatch)
    stock_before = Variant.objects.get(brand__slug="alme", sku=TEE).stock

    assert expire_payment_steps(MONDAY_10AM + timedelta(minutes=31)) == 1
    order.refresh_from_db()
    payment = Payment.objects.get(order=order)
    assert (order.status, payment.status, payment.refusal_code) == ("payment_failed", "refused", "payment_step_expired")
    assert Variant.objects.get(brand__slug="alme", sku=TEE).stock == stock_before + 1

    deliver_webhooks(MONDAY_10AM + timedelta(minutes=32))  # the PSP's word, too late

    payment.refresh_from_db()
    psp = SandboxTransaction.objects.get(merchant_reference=order.number)
    assert payment.status == "refunded"
    assert psp.amount_refunded_minor == psp.amount_captured_minor == payment.amount_minor
    assert confirmations(order) == 0


def test_a_webhook_settled_before_checkout_records_the_answer_moves_no_money_twice(monkeypatch):
    """Another process handles the webhook between the PSP's answer and checkout's own record."""
    start = placement.methods.start_payment

    def start_then_webhook(order, payment, card, *, now):
        started = start(order, payment, card, now=now)
        assert settle_from_gateway(psp_reference=started.result.psp_reference, order_number=order.number, now=now)
        return started
    monkeypatch.setattr(placement.methods, "start_payment", start_then_webhook)

    placed = checkout()

    assert placed.order.status == "confirmed" and placed.payment.status == "captured"
    assert PaymentEntry.objects.filter(payment=placed.payment).count() == 1
    assert confirmations(placed.order) == 1
    assert not settle_from_gateway(psp_reference=placed.payment.psp_reference, order_number=placed.order.number,
                                   now=MONDAY_10AM)


def test_a_webhook_about_a_recorded_payment_changes_nothing():
    placed = checkout()

    assert deliver_webhooks(MONDAY_10AM + timedelta(seconds=5)) >= 1

    assert PaymentEntry.objects.filter(payment=placed.payment).count() == 1
    assert confirmations(placed.order) == 1


def test_the_sandbox_psp_stops_posting_webhooks_for_the_round_once_its_time_is_up(monkeypatch):
    """Its posts wait in the app server's queue under load: a round stops after ROUND_BUDGET_SECONDS and the
    next one goes on, so that the worker's e-mails and invoices are not held up behind them."""
    from comptoir.psp_sandbox import delivery
    from comptoir.psp_sandbox.models import SandboxWebhookEvent

    checkout("k-a")
    checkout("k-b")  # four events: authorised and captured, twice
    clock = iter([0.0, 0.1, 0.5, delivery.ROUND_BUDGET_SECONDS + 0.1])  # the start, then before each post
    monkeypatch.setattr(delivery, "monotonic", lambda: next(clock))
    posted = []

    assert deliver_gateway_webhooks(MONDAY_10AM, post=lambda url, body, headers: posted.append(body) or True) == 2
    assert SandboxWebhookEvent.objects.filter(delivered_at__isnull=True).count() == 2
    monkeypatch.setattr(delivery, "monotonic", lambda: 0.0)
    assert deliver_gateway_webhooks(MONDAY_10AM, post=lambda url, body, headers: posted.append(body) or True) == 2
    assert len(posted) == 4
