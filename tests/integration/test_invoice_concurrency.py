"""Invoice numbering under real concurrency (OG-ORD-06): many issuers at once, each thread on its own
database connection, get numbers 1..N with no gap and no duplicate. PostgreSQL only: SQLite serialises
writers, so it cannot show a race (and its in-memory test database is not shared between threads).

The tests are transactional (threads must see each other's commits); pytest-django flushes the
database after each, so each test loads the preset it needs and the module reloads every bundled
preset when it is done, for the tests that run after it.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test import Client

from comptoir.invoices.models import INVOICE, Invoice, InvoiceSequence
from comptoir.invoices.services import issue_invoice
from comptoir.orders.models import Order
from conftest import reload_preset
from factories import PARIS, VISA

pytestmark = [
    pytest.mark.usefixtures("presets_restored_afterwards"),
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks across connections)"),
]

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
ALME = "alme"



def _alme_orders(count: int) -> list[Order]:
    """`count` Almé orders, paid by card and so confirmed at once, placed through the API."""
    reload_preset(ALME)
    client, numbers = Client(), []
    headers = {"HTTP_X_COMPTOIR_NOW": MONDAY_10AM.isoformat()}
    for n in range(count):
        cart = client.post(f"/api/brands/{ALME}/carts", json.dumps({"lines": [{"sku": "AL-DRESS-BLK-S", "quantity": 1}]}),
                           content_type="application/json", **headers).json()
        body = {"email": f"race{n}@example.com", "shipping_address": PARIS, "shipping_method": "colissimo_home",
                "payment": {"method": "card", "card": VISA}}
        placed = client.post(f"/api/brands/{ALME}/carts/{cart['id']}/checkout", json.dumps(body),
                             content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"invoice-race-{n}", **headers)
        assert placed.status_code == 201 and placed.json()["status"] == "confirmed", placed.content
        numbers.append(placed.json()["number"])
    return list(Order.objects.filter(brand__slug=ALME, number__in=numbers))


def _run_together(calls) -> list:
    """Run the calls in threads released at once; each thread closes its own DB connection."""
    start = threading.Barrier(len(calls))
    answers: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            answers[index] = call()
        except Exception as error:  # reported by the assertions below, never swallowed
            answers[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.mark.django_db(transaction=True)
def test_ten_invoices_issued_at_once_twice_each_are_numbered_1_to_10():
    """20 threads issue the invoices of 10 orders, each order twice, all at once: 10 invoices numbered
    1 to 10, no gap, no duplicate, and both calls for one order answer the same invoice."""
    orders = _alme_orders(10)
    at = MONDAY_10AM + timedelta(hours=1)

    answers = _run_together([
        (lambda order_id=o.pk: issue_invoice(Order.objects.get(pk=order_id), now=at).number)
        for o in orders for _ in range(2)
    ])

    assert all(isinstance(answer, str) for answer in answers), answers
    assert [answers[i] == answers[i + 1] for i in range(0, 20, 2)] == [True] * 10, answers
    assert sorted(Invoice.objects.values_list("sequence_number", flat=True)) == list(range(1, 11))
    assert sorted(set(answers)) == [f"AL-FA-{n:06d}" for n in range(1, 11)]
    assert InvoiceSequence.objects.get(brand__slug=ALME, kind=INVOICE).next_number == 11


@pytest.mark.django_db(transaction=True)
def test_a_number_given_back_by_a_rollback_goes_to_a_waiting_issuer():
    """One issuer takes number 1 and then fails while four others wait on the sequence: its number is
    given back, so the four invoices are numbered 1 to 4."""
    orders = _alme_orders(5)
    at = MONDAY_10AM + timedelta(hours=1)

    def failing():
        with transaction.atomic():
            issue_invoice(Order.objects.get(pk=orders[0].pk), now=at)
            time.sleep(0.5)  # the others queue on the sequence row meanwhile
            raise RuntimeError("confirmation failed after numbering")

    def later(order_id):
        time.sleep(0.1)  # let the failing issuer take the lock first
        return issue_invoice(Order.objects.get(pk=order_id), now=at).number

    answers = _run_together([failing, *[(lambda order_id=o.pk: later(order_id)) for o in orders[1:]]])

    assert isinstance(answers[0], RuntimeError)
    assert sorted(answers[1:]) == [f"AL-FA-{n:06d}" for n in range(1, 5)]
    assert not Invoice.objects.filter(order=orders[0]).exists()
