"""Gapless invoice numbering per brand and kind (OG-ORD-06; art. 242 nonies A, annexe II CGI).

Numbers form one continuous series per (brand, kind), never reset: French doctrine accepts continuous
numbering as well as yearly series, and a continuous series cannot collide at New Year in the brand's
time zone. The sequence row is locked and incremented inside the caller's transaction, so a transaction
that rolls back gives its number back with it, and concurrent issuers queue on the row, one at a time.
"""

from __future__ import annotations

from django.db import transaction

from comptoir.brands.models import Brand
from comptoir.invoices.models import CREDIT_NOTE, INVOICE, InvoiceSequence

# "FA" for "facture", "AV" for "avoir": the French abbreviations accountants expect.
SERIES_CODES = {INVOICE: "FA", CREDIT_NOTE: "AV"}


def format_number(brand: Brand, kind: str, sequence_number: int) -> str:
    """"AL-FA-000042": the brand's order prefix, the series, the running number (6 digits, then wider)."""
    prefix = brand.policy_object.orders.order_number_prefix
    return f"{prefix}-{SERIES_CODES[kind]}-{sequence_number:06d}"


def next_number(brand: Brand, kind: str) -> tuple[int, str]:
    """Take the next number of the (brand, kind) series. Precondition: the caller's transaction is open,
    and the caller writes the document in that same transaction (else the number is given back)."""
    return next_numbers(brand, kind, 1)[0]


def next_numbers(brand: Brand, kind: str, count: int) -> list[tuple[int, str]]:
    """Take the next `count` numbers of the (brand, kind) series, in order, with the same precondition as
    next_number: one UPDATE … RETURNING locks the sequence row and moves it past them."""
    if kind not in SERIES_CODES:
        raise ValueError(f"unknown invoice kind {kind!r}")
    if count < 1:
        raise ValueError("count must be at least 1")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("invoice numbers must be taken inside the transaction that writes the invoices")
    after = _advance(brand, kind, count)
    if after is None:
        # First document of the series: INSERT … ON CONFLICT DO NOTHING. A concurrent first issuer
        # waits on the other's uncommitted row, then finds it; either way the UPDATE's row lock serialises.
        InvoiceSequence.objects.bulk_create([InvoiceSequence(brand=brand, kind=kind, next_number=1)],
                                            ignore_conflicts=True)
        after = _advance(brand, kind, count)
    first = after - count
    return [(number, format_number(brand, kind, number)) for number in range(first, first + count)]


def _advance(brand: Brand, kind: str, count: int) -> int | None:
    """Move the series `count` numbers on and return its new next number (None if the series has no row)."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(InvoiceSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET next_number = next_number + %s WHERE brand_id = %s AND kind = %s "
                       "RETURNING next_number", [count, brand.pk, kind])
        row = cursor.fetchone()
    return row[0] if row else None
