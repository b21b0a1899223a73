"""Fast by construction (design principle 9): a request costs a constant number of SQL statements,
whatever the number of order lines, orders or products. Counted with CaptureQueriesContext."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import VISA, PARIS, cart, checkout, order, shopper

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
ALME = "alme"
ALME_SKUS = ["AL-TEE-WHT-S", "AL-TEE-WHT-M", "AL-TEE-BLK-S", "AL-JEAN-BLU-36", "AL-TROUSER-BLK-38"]
PLACEMENT_BUDGET = 25


def _placement_queries(api, skus: list[str]) -> tuple[int, list[str]]:
    """SQL statements for cart creation + checkout with a Visa at Almé (captured at order)."""
    with CaptureQueriesContext(connection) as captured:
        cart_id = cart(api, ALME, [(sku, 1) for sku in skus], now=MONDAY_10AM)
        placed = checkout(api, ALME, cart_id, now=MONDAY_10AM, method="colissimo_home", card=VISA)
    assert placed.status == 201, placed
    assert placed["status"] == "confirmed"
    assert placed["payments"][0]["status"] == "captured"
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def test_placing_an_order_costs_the_same_statements_for_1_and_5_lines(api):
    """Stock is reserved in ONE conditional UPDATE and lines inserted with bulk_create: the cost of an
    order does not grow with its lines (design principle 9)."""
    one_line, one_sql = _placement_queries(api, ALME_SKUS[:1])
    five_lines, five_sql = _placement_queries(api, ALME_SKUS)
    print(f"\nplacement SQL statements: 1 line = {one_line}, 5 lines = {five_lines}")
    for statement in five_sql:
        print("  ", statement[:160])
    assert one_line <= PLACEMENT_BUDGET
    assert five_lines == one_line
