"""Fast by construction (design principle 9): a request costs a constant number of SQL statements,
whatever the number of order lines, orders or products. Counted with CaptureQueriesContext.

Transaction control is left out of the count: inside the test's own transaction each `atomic()`
block shows up as SAVEPOINT / RELEASE SAVEPOINT, where in production it is a BEGIN / COMMIT of the
connection. The raw totals are printed beside the counts.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import VISA, cart, checkout, order, shopper

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
ALME = "alme"
ALME_SKUS = ["AL-TEE-WHT-S", "AL-TEE-WHT-M", "AL-TEE-BLK-S", "AL-JEAN-BLU-36", "AL-TROUSER-BLK-38"]
# Oscar 4.2 spends 58 statements on a 1-line order and 100 on 2 lines (design.md, measured facts).
PLACEMENT_BUDGET = 25


def _statements(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]


def _place(api, skus: list[str]) -> tuple[int, int]:
    """(statements, raw total) for cart creation + checkout with a Visa at Almé, captured at order."""
    with CaptureQueriesContext(connection) as captured:
        cart_id = cart(api, ALME, [(sku, 1) for sku in skus], now=MONDAY_10AM)
        placed = checkout(api, ALME, cart_id, now=MONDAY_10AM, method="colissimo_home", card=VISA)
    assert placed.status == 201, placed
    assert placed["status"] == "confirmed"
    assert placed["payments"][0]["status"] == "captured"
    assert len(placed["lines"]) == len(skus)
    return len(_statements(captured)), len(captured.captured_queries)


def test_placing_an_order_costs_the_same_statements_for_1_and_5_lines(api):
    """Stock is reserved in ONE conditional UPDATE and lines inserted with bulk_create: an order's
    cost does not grow with its lines and stays within 25 statements (design principle 9)."""
    one_line, one_line_raw = _place(api, ALME_SKUS[:1])
    five_lines, five_lines_raw = _place(api, ALME_SKUS)
    print(f"\nplacement (cart + checkout): 1 line = {one_line} statements ({one_line_raw} with savepoints), "
          f"5 lines = {five_lines} ({five_lines_raw})")
    assert one_line <= PLACEMENT_BUDGET
    assert five_lines == one_line
    assert five_lines_raw == one_line_raw


def _my_orders_statements(api, token: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        reply = api.get(f"/brands/{ALME}/orders", token=token, now=MONDAY_10AM)
    assert reply.status == 200, reply
    return len(_statements(captured)), reply["count"]


def test_ALL_ORD_04_my_orders_costs_the_same_for_1_and_8_orders(api):
    """"My orders" lists every order with its lines, parcels and payments in a constant number of
    queries (ALL-ORD-04, design principle 9)."""
    few = shopper(api, ALME, now=MONDAY_10AM)
    many = shopper(api, ALME, now=MONDAY_10AM)
    assert order(api, ALME, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM, method="colissimo_home",
                 token=few["token"]).status == 201
    for index in range(8):
        lines = [(sku, 1) for sku in ALME_SKUS[: 1 + index % 5]]
        assert order(api, ALME, lines, now=MONDAY_10AM, method="colissimo_home",
                     token=many["token"]).status == 201

    one_order, one_count = _my_orders_statements(api, few["token"])
    eight_orders, eight_count = _my_orders_statements(api, many["token"])
    print(f"\nmy orders: 1 order = {one_order} statements, 8 orders = {eight_orders}")
    assert (one_count, eight_count) == (1, 8)
    assert eight_orders == one_order


def _products_statements(api, limit: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        reply = api.get(f"/brands/{ALME}/products", query={"limit": limit}, now=MONDAY_10AM)
    assert reply.status == 200, reply
    return len(_statements(captured)), len(reply["results"])


def test_browsing_products_costs_the_same_for_2_and_20_per_page(api):
    """A catalog page loads products with their variants in a constant number of queries."""
    small, small_shown = _products_statements(api, 2)
    large, large_shown = _products_statements(api, 20)
    print(f"\nproducts: limit 2 = {small} statements, limit 20 ({large_shown} products) = {large}")
    assert (small_shown, large_shown) == (2, 12)
    assert large == small
