"""`comptoir seed-orders` writes a consistent order history fast, refuses to write one seed twice and
appends with another seed (issue #8: a large data set for load tests)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand
from comptoir.catalog.models import Variant
from comptoir.orders.models import Order, OrderEvent, OrderLine
from comptoir.payments.models import Payment, PaymentEntry
from comptoir.seeding.orders import SEED_PASSWORD, SeedRefused, seed_orders
from comptoir.seeding.progress import ProgressBar

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def _seed(seed: int, orders: int = 40, customers: int = 5, **kw):
    brand = Brand.objects.get(slug="alme")
    return seed_orders(brand, orders=orders, customers=customers, seed=seed, now=NOW, batch_size=15, **kw)


def test_seeding_writes_orders_with_lines_events_and_balanced_payments():
    stock_before = list(Variant.objects.order_by("id").values_list("stock", flat=True))
    bar = ProgressBar(40, "orders", stream=io.StringIO())
    report = _seed(7, progress=bar)

    orders = Order.objects.filter(checkout_key__startswith="seed:7:")
    assert (report.orders, orders.count(), report.customers) == (40, 40, 5)
    assert OrderLine.objects.filter(order__in=orders).count() == report.lines
    assert 40 <= report.lines <= 120
    assert OrderEvent.objects.filter(order__in=orders).count() == report.events == 160
    assert set(orders.values_list("status", flat=True)) == {"delivered"}
    # Every order is paid exactly its total: captured once, its ledger summing to it.
    for order in orders.prefetch_related("payments__entries", "lines"):
        (payment,) = order.payments.all()
        captured = sum(e.amount_minor for e in payment.entries.all() if e.kind == "capture")
        assert (payment.status, payment.amount_minor, captured) == ("captured", order.total_minor, order.total_minor)
        assert order.total_minor == sum(line.total_minor for line in order.lines.all()) + order.shipping_minor
        assert order.placed_at < NOW
    assert PaymentEntry.objects.filter(payment__order__in=orders).count() == report.entries == 80
    # History does not consume today's stock.
    assert list(Variant.objects.order_by("id").values_list("stock", flat=True)) == stock_before
    assert bar.done == 40 and "40/40 orders" in bar.stream.getvalue()


def test_seeded_ids_follow_the_placement_order_and_stay_unguessable():
    _seed(8)

    ids = list(Order.objects.filter(checkout_key__startswith="seed:8:").order_by("placed_at").values_list("id", flat=True))
    assert ids == sorted(ids)  # appended to the id indexes, as new orders would be
    assert {order_id.version for order_id in ids} == {7}
    assert len({order_id.int & (1 << 62) - 1 for order_id in ids}) == len(ids)  # the random tail differs


def test_seeded_customers_see_their_orders_in_my_orders(api):
    _seed(8, orders=30, customers=2)
    customer = Customer.objects.get(email="seed8-0@example.com")
    signed_in = api.post("/brands/alme/sessions", {"email": customer.email, "password": SEED_PASSWORD}, now=NOW)
    assert signed_in.status == 201, signed_in
    mine = api.get("/brands/alme/orders", token=signed_in["token"], now=NOW)
    assert mine.status == 200, mine
    assert mine["count"] == Order.objects.filter(customer=customer).count() > 0
    detail = api.get(f"/brands/alme/orders/{mine['results'][0]['number']}", token=signed_in["token"], now=NOW)
    assert detail.status == 200, detail
    assert detail["status"] == "delivered"


def test_seeding_twice_with_one_seed_is_refused_and_changes_nothing():
    _seed(9, orders=10, customers=2)
    counts = (Order.objects.count(), Customer.objects.count(), Payment.objects.count())
    with pytest.raises(SeedRefused, match="--seed 9"):
        _seed(9, orders=10, customers=2)
    assert (Order.objects.count(), Customer.objects.count(), Payment.objects.count()) == counts


def test_another_seed_appends_a_disjoint_history():
    _seed(10, orders=10, customers=2)
    _seed(11, orders=12, customers=3)
    assert Order.objects.filter(checkout_key__startswith="seed:10:").count() == 10
    assert Order.objects.filter(checkout_key__startswith="seed:11:").count() == 12
    assert Customer.objects.filter(email__startswith="seed11-").count() == 3
    paid = Payment.objects.filter(order__checkout_key__startswith="seed:1").aggregate(total=Sum("amount_minor"))
    assert paid["total"] == Order.objects.filter(checkout_key__startswith="seed:1").aggregate(
        total=Sum("total_minor"))["total"]


def test_the_command_line_seeds_and_then_refuses_the_same_seed(capsys):
    from comptoir.cli import main

    assert main(["seed-orders", "--brand", "alme", "--orders", "12", "--customers", "2", "--seed", "12",
                 "--batch", "5"]) == 0
    out, err = capsys.readouterr()
    assert "seeded alme (--seed 12): 12 orders" in out
    assert "12/12 orders" in err and "orders/s" in err and "ETA" in err
    assert main(["seed-orders", "--brand", "alme", "--orders", "12", "--seed", "12"]) == 2
    assert "already holds the data set of --seed 12" in capsys.readouterr().err
