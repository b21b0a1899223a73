"""Gapless invoice numbering per brand and kind (OG-ORD-06; art. 242 nonies A, annexe II CGI).

Numbers form one continuous series per (brand, kind), never reset: French doctrine accepts continuous
numbering as well as yearly series, and a continuous series cannot collide at New Year in the brand's
time zone. The sequence row is locked and incremented inside the caller's transaction, so a transaction
that rolls back gives its number back with it, and concurrent issuers queue on the row, one at a time.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

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
    if kind not in SERIES_CODES:
        raise ValueError(f"unknown invoice kind {kind!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that writes the invoice")
    sequences = InvoiceSequence.objects.select_for_update().filter(brand=brand, kind=kind)
    sequence = sequences.first()
    if sequence is None:
        # First document of the series: INSERT … ON CONFLICT DO NOTHING. A concurrent first issuer
        # waits on the other's uncommitted row, then finds it; either way the lock below serialises.
        InvoiceSequence.objects.bulk_create(
            [InvoiceSequence(brand=brand, kind=kind, next_number=1)], ignore_conflicts=True
        )
        sequence = sequences.get()
    number = sequence.next_number
    InvoiceSequence.objects.filter(pk=sequence.pk).update(next_number=F("next_number") + 1)
    return number, format_number(brand, kind, number)
