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

from comptoir.core.query_count import is_sandbox_psp_statement
from factories import VISA, cart, checkout, order, shopper

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
ALME = "alme"
ALME_SKUS = ["AL-TEE-WHT-S", "AL-TEE-WHT-M", "AL-TEE-BLK-S", "AL-JEAN-BLU-36", "AL-TROUSER-BLK-38"]
# Oscar 4.2 spends 58 statements on a 1-line order and 100 on 2 lines (design.md, measured facts).
# The shop's own statements: 15 in production (cart 2, checkout 13), the budget issue 8 sets (issue 2
# allowed 25), plus the brand read twice, which tests do not cache. The sandbox PSP keeps its books in
# the same database here (3 statements: its transaction, operation and webhook events); a real PSP keeps
# them in its own, so they are counted apart.
PLACEMENT_BUDGET = 15 + 2
SANDBOX_PSP_STATEMENTS = 3


def _statements(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))]


def _place(api, skus: list[str]) -> tuple[int, int, int]:
    """(shop statements, sandbox PSP statements, raw total) for cart creation + checkout with a Visa at
    Almé, captured at order."""
    with CaptureQueriesContext(connection) as captured:
        cart_id = cart(api, ALME, [(sku, 1) for sku in skus], now=MONDAY_10AM)
        placed = checkout(api, ALME, cart_id, now=MONDAY_10AM, method="colissimo_home", card=VISA)
    assert placed.status == 201, placed
    assert placed["status"] == "confirmed"
    assert placed["payments"][0]["status"] == "captured"
    assert len(placed["lines"]) == len(skus)
    statements = _statements(captured)
    psp = [sql for sql in statements if is_sandbox_psp_statement(sql)]
    return len(statements) - len(psp), len(psp), len(captured.captured_queries)


def test_placing_an_order_costs_the_same_statements_for_1_and_5_lines(api):
    """Stock is reserved in ONE conditional UPDATE and lines inserted with bulk_create: an order's
    cost does not grow with its lines and stays within its budget (design principle 9)."""
    one_line, one_line_psp, one_line_raw = _place(api, ALME_SKUS[:1])
    five_lines, five_lines_psp, five_lines_raw = _place(api, ALME_SKUS)
    print(f"\nplacement (cart + checkout): 1 line = {one_line} statements + {one_line_psp} of the sandbox PSP "
          f"({one_line_raw} with savepoints), 5 lines = {five_lines} + {five_lines_psp} ({five_lines_raw})")
    assert one_line <= PLACEMENT_BUDGET
    assert five_lines == one_line
    assert one_line_psp == five_lines_psp == SANDBOX_PSP_STATEMENTS
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


# ---------------------------------------------------------------------------------------------
# Whatever the data size: the same request costs the same statements with 3 or 30 orders or products
# in the database (issue #8). Orders are seeded in bulk (comptoir.seeding), products written directly.


def _seed(seed: int, orders: int, customers: int = 1):
    from comptoir.brands.models import Brand
    from comptoir.seeding.orders import seed_orders

    seed_orders(Brand.objects.get(slug=ALME), orders=orders, customers=customers, seed=seed, now=MONDAY_10AM,
                days=5, batch_size=50)


def _seeded_token(api, seed: int) -> str:
    from comptoir.seeding.orders import SEED_PASSWORD

    signed_in = api.post(f"/brands/{ALME}/sessions", {"email": f"seed{seed}-0@example.com",
                                                      "password": SEED_PASSWORD}, now=MONDAY_10AM)
    assert signed_in.status == 201, signed_in
    return signed_in["token"]


def _api_statements(api, path: str, token: str | None = None, query: dict | None = None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        reply = api.get(path, token=token, query=query, now=MONDAY_10AM)
    assert reply.status == 200, reply
    return len(_statements(captured)), reply


def test_my_orders_and_an_order_detail_cost_the_same_with_3_and_30_orders(api):
    _seed(31, orders=4)
    _seed(32, orders=40)
    few_token, many_token = _seeded_token(api, 31), _seeded_token(api, 32)

    few, few_list = _api_statements(api, f"/brands/{ALME}/orders", few_token)
    many, many_list = _api_statements(api, f"/brands/{ALME}/orders", many_token)
    few_detail, _ = _api_statements(api, f"/brands/{ALME}/orders/{few_list['results'][0]['number']}", few_token)
    many_detail, _ = _api_statements(api, f"/brands/{ALME}/orders/{many_list['results'][-1]['number']}", many_token)
    print(f"\nmy orders: {few_list['count']} orders = {few} statements, {many_list['count']} = {many}; "
          f"order detail: {few_detail} and {many_detail}")
    assert few_list["count"] <= 4 < 20 <= many_list["count"]
    assert many == few
    assert many_detail == few_detail


def _add_products(count: int, variants: int = 3) -> list[str]:
    from comptoir.catalog.models import Category, Product, Variant

    category = Category.objects.filter(brand__slug=ALME).first()
    start = Product.objects.filter(brand=category.brand).count()
    for index in range(start, start + count):
        product = Product.objects.create(
            brand=category.brand, category=category, slug=f"load-{index}", name={"en": f"Load {index}", "fr": "Charge"},
            description={"en": "", "fr": ""}, composition={"en": "", "fr": ""}, care={"en": "", "fr": ""},
            origin={"en": "", "fr": ""}, price_minor=4500, position=100 + index)
        Variant.objects.bulk_create([Variant(brand=category.brand, product=product, sku=f"LOAD-{index}-{size}",
                                             size=str(size), colour="Black", stock=5, position=size)
                                     for size in range(variants)])
    return [f"load-{index}" for index in range(start, start + count)]


def _page_statements(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_X_COMPTOIR_NOW=MONDAY_10AM.isoformat())
    assert response.status_code == 200, response
    return len(_statements(captured))


def test_the_catalog_costs_the_same_with_3_and_30_products_per_page(api, client):
    """API listing and the shop's product list page, 3 then 30 products shown (with 30 more in the catalog)."""
    _add_products(30)
    three, three_reply = _api_statements(api, f"/brands/{ALME}/products", query={"limit": 3})
    thirty, thirty_reply = _api_statements(api, f"/brands/{ALME}/products", query={"limit": 30})
    page_before = _page_statements(client, f"/{ALME}/products/")
    _add_products(30)
    page_after = _page_statements(client, f"/{ALME}/products/")
    print(f"\nproducts API: 3 = {three} statements, 30 = {thirty}; product list page: {page_before} and "
          f"{page_after} with 30 more products")
    assert (len(three_reply["results"]), len(thirty_reply["results"])) == (3, 30)
    assert thirty == three
    assert page_after == page_before


def test_a_product_page_costs_the_same_with_3_and_30_variants_and_a_larger_catalog(db, client):
    (few_variants,) = _add_products(1, variants=3)
    (many_variants,) = _add_products(1, variants=30)
    small = _page_statements(client, f"/{ALME}/products/{few_variants}/")
    large = _page_statements(client, f"/{ALME}/products/{many_variants}/")
    _add_products(30)
    large_catalog = _page_statements(client, f"/{ALME}/products/{few_variants}/")
    print(f"\nproduct page: 3 variants = {small} statements, 30 variants = {large}, "
          f"30 more products = {large_catalog}")
    assert large == small == large_catalog


def test_declaring_a_return_costs_the_same_with_3_and_30_orders_in_the_database(api):
    from return_journeys import delivered_order, paris

    def declare_statements():
        placed = delivered_order(api, ALME, [("AL-TEE-WHT-M", 1)], placed_at=paris(1), delivered_at=paris(2),
                                 signed_in=False)
        items = [{"line_id": line["id"], "quantity": 1, "reason": "does_not_suit"} for line in placed.lines]
        with CaptureQueriesContext(connection) as captured:
            reply = api.post(f"/brands/{ALME}/orders/{placed.number}/returns", {"items": items},
                             query=placed.guest, now=paris(3))
        assert reply.status == 201, reply
        return len(_statements(captured))

    _seed(33, orders=3)
    with_three = declare_statements()
    _seed(34, orders=30)
    with_thirty = declare_statements()
    print(f"\nreturn declaration: 3 orders seeded = {with_three} statements, 30 more = {with_thirty}")
    assert with_thirty == with_three


def _gift_card_order_statements(api, lines: list[tuple[str, int]]) -> int:
    with CaptureQueriesContext(connection) as captured:
        placed = order(api, ALME, [("AL-TEE-WHT-S", 1), *lines], now=MONDAY_10AM, method="colissimo_home")
    assert placed.status == 201, placed
    return len(_statements(captured))


def test_AL_PAY_01_an_order_issues_its_e_gift_cards_in_the_same_statements_for_one_card_or_four(api):
    """Each e-gift card bought is issued and e-mailed at confirmation (AL-PAY-01): the cards, their entries
    and their e-mails are written in one INSERT each, however many there are."""
    one_card = _gift_card_order_statements(api, [("AL-GIFT-50", 1)])
    four_cards = _gift_card_order_statements(api, [("AL-GIFT-50", 2), ("AL-GIFT-100", 2)])
    print(f"\nan order with e-gift cards: 1 card = {one_card} statements, 4 cards = {four_cards}")
    assert four_cards == one_card
