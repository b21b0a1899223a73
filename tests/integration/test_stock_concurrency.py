"""Stock and idempotency under real concurrency: many checkouts at once through the whole HTTP stack,
each thread on its own database connection. PostgreSQL only: SQLite serialises writers, so it cannot
show a race (and its in-memory test database is not shared between threads).

The tests are transactional (threads must see each other's commits); pytest-django flushes the
database after each, so the module loads the preset it needs first and reloads every bundled preset
when it is done, for the tests that run after it.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client

from comptoir.catalog.models import Variant
from comptoir.orders.models import Order
from comptoir.payments.models import Payment
from conftest import reload_preset
from factories import PARIS, VISA

# The marker says what the test needs; the skip enforces it without a conftest hook.
pytestmark = [
    pytest.mark.usefixtures("presets_restored_afterwards"),
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks across connections)"),
]

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
ALME = "alme"
SKU = "AL-DRESS-BLK-S"




def _post(client: Client, path: str, body: dict, key: str | None = None):
    headers = {"HTTP_X_COMPTOIR_NOW": MONDAY_10AM.isoformat()}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    response = client.post("/api" + path, data=json.dumps(body), content_type="application/json", **headers)
    return response.status_code, response.json()


def _new_cart(quantity: int = 1) -> str:
    status, body = _post(Client(), f"/brands/{ALME}/carts", {"lines": [{"sku": SKU, "quantity": quantity}]})
    assert status == 201, body
    return body["id"]


def _checkout_body() -> dict:
    return {"email": "race@example.com", "shipping_address": PARIS, "shipping_method": "colissimo_home",
            "payment": {"method": "card", "card": VISA}}


def _run_together(calls) -> list[tuple[int, dict]]:
    """Run the calls in threads released at once; each thread closes its own DB connection."""
    start = threading.Barrier(len(calls))
    answers: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            answers[index] = call()
        except Exception as error:  # reported by the assertions below, never swallowed
            answers[index] = (None, repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.mark.django_db(transaction=True)
def test_twenty_shoppers_racing_for_five_dresses_get_five_orders_and_fifteen_refusals():
    """Stock is taken in one conditional UPDATE: 20 simultaneous checkouts for the last 5 units place
    exactly 5 orders, refuse 15 with 409 (never a 500) and leave the stock at 0, never below."""
    reload_preset(ALME)
    Variant.objects.filter(sku=SKU).update(stock=5)
    carts = [_new_cart() for _ in range(20)]

    answers = _run_together([
        (lambda cart_id=cart_id, n=n: _post(Client(), f"/brands/{ALME}/carts/{cart_id}/checkout", _checkout_body(),
                                           key=f"race-{n}"))
        for n, cart_id in enumerate(carts)
    ])

    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] * 5 + [409] * 15, answers
    for status, body in answers:
        if status == 409:
            assert body["code"] in ("not_enough_stock", "sold_out", "coming_soon", "stock_changed"), body
            assert body["message"]
    assert Variant.objects.get(sku=SKU).stock == 0
    placed = Order.objects.filter(brand__slug=ALME, lines__sku=SKU)
    assert placed.count() == 5
    assert set(placed.values_list("status", flat=True)) == {"confirmed"}
    assert Payment.objects.filter(order__in=placed, status="captured").count() == 5


@pytest.mark.django_db(transaction=True)
def test_one_checkout_sent_four_times_at_once_with_one_idempotency_key_places_one_order():
    """A retried checkout (same Idempotency-Key, sent 4 times at once) places one order, takes one payment
    and the stock once; every answer names the same order."""
    reload_preset(ALME)
    Variant.objects.filter(sku=SKU).update(stock=10)
    cart_id = _new_cart(quantity=2)

    answers = _run_together([
        (lambda: _post(Client(), f"/brands/{ALME}/carts/{cart_id}/checkout", _checkout_body(), key="double-click"))
        for _ in range(4)
    ])

    assert all(status in (200, 201) for status, _ in answers), answers
    assert [status for status, _ in answers].count(201) == 1, answers
    assert len({body["number"] for _, body in answers}) == 1, answers
    assert Order.objects.filter(brand__slug=ALME, checkout_key="double-click").count() == 1
    assert Payment.objects.filter(order__checkout_key="double-click").count() == 1
    assert Variant.objects.get(sku=SKU).stock == 8


@pytest.mark.django_db(transaction=True)
def test_one_cart_checked_out_four_times_at_once_with_four_keys_places_one_order():
    """A cart becomes one order: four checkouts of it at once, each with its own Idempotency-Key (a
    double click that regenerated the key), place one order and refuse three with 409."""
    reload_preset(ALME)
    Variant.objects.filter(sku=SKU).update(stock=10)
    cart_id = _new_cart(quantity=1)

    answers = _run_together([
        (lambda n=n: _post(Client(), f"/brands/{ALME}/carts/{cart_id}/checkout", _checkout_body(), key=f"click-{n}"))
        for n in range(4)
    ])

    assert sorted(status for status, _ in answers) == [201, 409, 409, 409], answers
    assert {body["code"] for status, body in answers if status == 409} == {"cart_already_ordered"}
    assert Order.objects.filter(brand__slug=ALME, cart_id=cart_id).count() == 1
    assert Variant.objects.get(sku=SKU).stock == 9
