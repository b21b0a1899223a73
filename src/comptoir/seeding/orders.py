"""Seed a brand with a large history of delivered orders, fast: customers, orders, lines, events, payments
and their ledger entries, written in batches (COPY on PostgreSQL, executemany on SQLite), one transaction
per batch. For load tests with a realistic data size (issue #8: same throughput at 1,000,000 orders).

Seeded orders are history: delivered long ago, paid by card (authorisation + capture entries summing to
the total), their stock already gone, so seeding never touches `Variant.stock`. Each run is marked by its
`seed`: checkout keys `seed:<seed>:<n>`, order numbers `<PREFIX>-S<seed>-<n>`, e-mails
`seed<seed>-<i>@example.com` (password `SEED_PASSWORD`). Seeding twice with one seed is refused; another
seed appends a new, disjoint history.
"""

from __future__ import annotations

import json
import random
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand
from comptoir.catalog.models import Variant
from comptoir.core.identifiers import uuid7
from comptoir.orders.models import Order, OrderEvent, OrderLine
from comptoir.payments.models import Payment, PaymentEntry

SEED_PASSWORD = "comptoir-seed"
ADDRESS = {"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Turenne", "line2": "",
           "postal_code": "75004", "city": "Paris", "country": "FR", "phone": "+33 6 12 34 56 78"}
GUEST_SHARE = 0.2  # one order in five is placed without an account


class SeedRefused(Exception):
    """The data set cannot be seeded as asked (already seeded with this seed, no brand, no catalog)."""


@dataclass(frozen=True)
class SeedReport:
    customers: int
    orders: int
    lines: int
    events: int
    payments: int
    entries: int
    seconds: float


def seed_key(seed: int, number: int) -> str:
    return f"seed:{seed}:{number}"


def check_not_seeded(brand: Brand, seed: int) -> None:
    """Refuse a second run with the same seed: its keys and e-mails would collide (and duplicate history)."""
    if Order.objects.filter(brand=brand, checkout_key=seed_key(seed, 0)).exists() or \
            Customer.objects.filter(brand=brand, email=_email(seed, 0)).exists():
        raise SeedRefused(f"{brand.slug} already holds the data set of --seed {seed}; "
                          f"pass another --seed to append a new one")


def seed_orders(brand: Brand, *, orders: int, customers: int, seed: int, now: datetime, days: int = 730,
                batch_size: int = 5000, progress=None) -> SeedReport:
    """Write `orders` delivered orders of 1–3 lines placed over the last `days` days before `now`, for
    `customers` new customers (plus guests). `progress.advance(n)` is called after each committed batch."""
    if days < 4:
        raise SeedRefused("--days must be at least 4: a seeded order is delivered 3 days after it is placed")
    check_not_seeded(brand, seed)
    catalog = _catalog(brand)
    if not catalog:
        raise SeedRefused(f"{brand.slug} has no active product to order")
    writer = _Writer()
    rng = random.Random(seed)
    started = time.monotonic()  # a duration for the report, not a business instant
    customer_ids = _seed_customers(brand, writer, customers, seed, now - timedelta(days=days), batch_size)
    policy = brand.policy_object
    method = next((m for m in policy.shipping.methods if m.kind == "home"), policy.shipping.methods[0])
    shipping_minor = method.rates[0].price_minor
    totals = dict(lines=0, events=0, payments=0, entries=0)
    context = _Context(brand=brand, policy=policy, method=method.code, shipping_minor=shipping_minor,
                       catalog=catalog, customers=customer_ids, seed=seed, rng=rng, writer=writer,
                       first=now - timedelta(days=days), step=(timedelta(days=days) - SETTLED) / max(orders, 1),
                       address=json.dumps(ADDRESS))
    for start in range(0, orders, batch_size):
        counts = _seed_batch(context, start, min(start + batch_size, orders))
        for key, value in counts.items():
            totals[key] += value
        if progress is not None:
            progress.advance(min(batch_size, orders - start))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics for the benchmarks that follow
            for model in (Customer, Order, OrderLine, OrderEvent, Payment, PaymentEntry):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    seconds = time.monotonic() - started
    return SeedReport(customers=len(customer_ids), orders=orders, seconds=seconds, **totals)


@dataclass
class _Context:
    brand: Brand
    policy: object
    method: str
    shipping_minor: int
    catalog: list
    customers: list
    seed: int
    rng: random.Random
    writer: "_Writer"
    first: datetime
    step: timedelta
    address: str


def _email(seed: int, index: int) -> str:
    return f"seed{seed}-{index}@example.com"


def _catalog(brand: Brand) -> list[tuple]:
    """(variant id, sku, product name JSON, size, colour, price, VAT basis points) of every orderable variant."""
    rate = brand.policy_object.tax.vat_rate_basis_points
    variants = (Variant.objects.filter(brand=brand, product__is_active=True, product__is_gift_card=False)
                .select_related("product").order_by("id"))
    return [(v.id, v.sku, json.dumps(v.product.name), v.size, v.colour, v.product.price_minor, rate)
            for v in variants]


def _vat_included(total: int, basis_points: int) -> int:
    return (total * basis_points + (10000 + basis_points) // 2) // (10000 + basis_points)


def _seed_customers(brand: Brand, writer: "_Writer", count: int, seed: int, created_at: datetime,
                    batch_size: int) -> list[int]:
    password = make_password(SEED_PASSWORD)  # one argon2 hash for all: hashing a million would take hours
    fields = ["brand", "email", "password", "first_name", "last_name", "language", "phone",
              "newsletter_consent_at", "created_at", "is_active"]
    at = writer.instant(created_at)
    for start in range(0, count, batch_size):
        rows = [(brand.pk, _email(seed, i), password, "Camille", f"Seed{i}", "fr" if i % 3 == 0 else "en", "",
                 None, at, True) for i in range(start, min(start + batch_size, count))]
        with transaction.atomic():
            writer.insert(Customer, fields, rows)
    found = dict(Customer.objects.filter(brand=brand, email__startswith=f"seed{seed}-",
                                         email__endswith="@example.com").values_list("email", "id"))
    return [found[_email(seed, i)] for i in range(count)]


ORDER_FIELDS = ["id", "brand", "number", "customer", "email", "language", "status", "currency", "subtotal_minor",
                "discount_minor", "shipping_minor", "vat_minor", "total_minor", "prices_include_vat",
                "shipping_method", "shipping_address", "billing_address", "payment_method", "placed_at",
                "confirmed_at", "dispatch_due_on", "delivery_earliest_on", "delivery_latest_on", "payment_due_by",
                "checkout_key", "access_token", "cart"]
LINE_FIELDS = ["order", "variant", "sku", "product_name", "size", "colour", "quantity", "unit_price_minor",
               "vat_rate_basis_points", "discount_minor", "vat_minor", "total_minor", "is_gift_card", "ships_on",
               "shipment"]
EVENT_FIELDS = ["order", "kind", "from_status", "to_status", "actor", "at", "data"]
PAYMENT_FIELDS = ["id", "order", "method", "status", "amount_minor", "currency", "psp_reference", "card_network",
                  "card_last4", "refusal_code", "challenge", "created_at", "updated_at"]
ENTRY_FIELDS = ["payment", "kind", "amount_minor", "idempotency_key", "psp_reference", "data", "created_at"]
# The life of a delivered order, as the status machine logs it: (kind, from, to, delay after placement).
LIFE = [("placed", "", "awaiting_payment", timedelta(0)),
        ("confirm", "awaiting_payment", "confirmed", timedelta(seconds=2)),
        ("ship", "confirmed", "shipped", timedelta(days=1)),
        ("deliver", "shipped", "delivered", timedelta(days=3))]


# The last order is placed this long before `now`, so that every event of every order is in the past.
SETTLED = LIFE[-1][3] + timedelta(hours=1)


def _seed_batch(c: _Context, start: int, end: int) -> dict:
    w, rng, prefix = c.writer, c.rng, c.policy.orders.order_number_prefix
    orders, lines, events, payments, entries = [], [], [], [], []
    for n in range(start, end):
        placed = c.first + c.step * n
        # Time-ordered, as the app's own: rows append to the id indexes (core.identifiers).
        order_id, payment_id = uuid7(placed, rng=rng), uuid7(placed, rng=rng)
        index = rng.randrange(len(c.customers)) if c.customers and rng.random() >= GUEST_SHARE else None
        customer = None if index is None else c.customers[index]
        email = f"seed{c.seed}-guest-{n}@example.com" if index is None else _email(c.seed, index)
        subtotal = vat = 0
        ships_on = w.day(placed + timedelta(days=1))
        for variant in rng.sample(c.catalog, min(len(c.catalog), rng.randint(1, 3))):
            variant_id, sku, name, size, colour, price, rate = variant
            quantity = rng.randint(1, 2)
            total = price * quantity
            line_vat = _vat_included(total, rate)
            subtotal += total
            vat += line_vat
            lines.append((w.uuid(order_id), variant_id, sku, name, size, colour, quantity, price, rate, 0, line_vat,
                          total, False, ships_on, None))
        vat += _vat_included(c.shipping_minor, c.policy.tax.vat_rate_basis_points)
        total = subtotal + c.shipping_minor
        key = seed_key(c.seed, n)
        orders.append((w.uuid(order_id), c.brand.pk, f"{prefix}-S{c.seed}-{n}", customer, email,
                       "en", "delivered", c.policy.currency, subtotal, 0, c.shipping_minor, vat, total, True,
                       c.method, c.address, c.address, "card", w.instant(placed),
                       w.instant(placed + LIFE[1][3]), ships_on, w.day(placed + timedelta(days=2)),
                       w.day(placed + timedelta(days=4)), None, key, secrets.token_urlsafe(24), None))
        actor = f"customer:{customer}" if customer else "guest"
        for kind, old, new, delay in LIFE:
            events.append((w.uuid(order_id), kind, old, new, actor if kind == "placed" else "system",
                           w.instant(placed + delay), "{}"))
        paid_at = w.instant(placed + LIFE[1][3])
        reference = f"seed_{c.seed}_{n}"
        payments.append((w.uuid(payment_id), w.uuid(order_id), "card", "captured", total, c.policy.currency,
                         reference, "visa", "4242", "", None, paid_at, paid_at))
        entries.append((w.uuid(payment_id), "authorisation", total, f"{key}:authorisation", reference, "{}",
                        w.instant(placed)))
        entries.append((w.uuid(payment_id), "capture", total, f"{key}:capture", reference, "{}", paid_at))
    with transaction.atomic():
        w.insert(Order, ORDER_FIELDS, orders)
        w.insert(OrderLine, LINE_FIELDS, lines)
        w.insert(OrderEvent, EVENT_FIELDS, events)
        w.insert(Payment, PAYMENT_FIELDS, payments)
        w.insert(PaymentEntry, ENTRY_FIELDS, entries)
    return dict(lines=len(lines), events=len(events), payments=len(payments), entries=len(entries))


class _Writer:
    """Rows of plain values into one table: COPY on PostgreSQL, executemany elsewhere. Values are already
    in the form the backend stores (Django's own conversions, done once per value without model objects)."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def uuid(self, value: uuid.UUID):
        return value if self.postgres else value.hex  # Django stores UUIDs as 32 hex digits on SQLite

    def instant(self, value: datetime):
        if self.postgres:
            return value
        return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ")

    def day(self, value: datetime):
        return value.date() if self.postgres else value.date().isoformat()

    def insert(self, model, fields: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        columns = [model._meta.get_field(name).column for name in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", rows)
