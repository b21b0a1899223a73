"""Returns cost a constant number of SQL statements, whatever the number of returns or items
(design principle 9)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from return_journeys import AL, delivered_order, paris


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """Transaction control left out, as in test_query_counts."""
    return [q["sql"] for q in captured.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]


def _returns(api, count: int, skus: list[tuple[str, int]]):
    orders = []
    for _ in range(count):
        order = delivered_order(api, AL, skus, placed_at=paris(1), delivered_at=paris(2), signed_in=False)
        items = [{"line_id": line["id"], "quantity": 1, "reason": "does_not_suit"} for line in order.lines]
        declared = api.post(f"/brands/{AL}/orders/{order.number}/returns", {"items": items}, query=order.guest,
                            now=paris(3))
        assert declared.status == 201, declared
        orders.append(order)
    return orders


def _queue_statements(api, team: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        reply = api.get(f"/staff/brands/{AL}/returns", token=team, now=paris(4))
    assert reply.status == 200, reply
    return len(_statements(captured)), reply["count"]


def test_the_staff_returns_queue_costs_the_same_for_1_and_4_returns(api):
    first = _returns(api, 1, [("AL-TEE-WHT-M", 1)])
    one, counted_one = _queue_statements(api, first[0].team)
    _returns(api, 3, [("AL-TEE-WHT-M", 1), ("AL-JEAN-BLU-38", 1)])
    four, counted_four = _queue_statements(api, first[0].team)

    assert (counted_one, counted_four) == (1, 4)
    assert four == one


def test_declaring_a_return_of_3_lines_costs_the_same_statements_as_of_1_line(api):
    def declare_statements(skus):
        order = delivered_order(api, AL, skus, placed_at=paris(1), delivered_at=paris(2), signed_in=False)
        items = [{"line_id": line["id"], "quantity": 1, "reason": "does_not_suit"} for line in order.lines]
        with CaptureQueriesContext(connection) as captured:
            reply = api.post(f"/brands/{AL}/orders/{order.number}/returns", {"items": items}, query=order.guest,
                             now=paris(3))
        assert reply.status == 201, reply
        return len(_statements(captured))

    one = declare_statements([("AL-TEE-WHT-M", 1)])
    three = declare_statements([("AL-TEE-WHT-M", 1), ("AL-JEAN-BLU-38", 1), ("AL-TEE-BLK-S", 1)])
    print(f"\nreturn declaration: 1 line = {one} statements, 3 lines = {three}")
    assert three == one  # the quantity ledger of every line moves in one UPDATE
