"""Invoices and credit notes (OG-ORD-06): numbered without gaps per brand and kind, frozen once issued.

An issued document is never edited: the PDF is rendered from `snapshot`, so a later change to the
order, the catalog or the brand's seller details never alters what the shopper was given.
"""

from __future__ import annotations

from django.db import models

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
KINDS = [(INVOICE, INVOICE), (CREDIT_NOTE, CREDIT_NOTE)]


class InvoiceSequence(models.Model):
    """The next number of one series (brand, kind). Its row lock makes numbering gapless: the increment
    commits or rolls back with the document that took the number."""

    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=KINDS)
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brand", "kind"], name="unique_invoice_sequence_per_brand_kind"),
            models.CheckConstraint(condition=models.Q(next_number__gte=1), name="invoice_sequence_starts_at_one"),
        ]

    def __str__(self) -> str:
        return f"{self.brand_id} {self.kind} → {self.next_number}"


class Invoice(models.Model):
    """An invoice (kind "invoice", one per order) or a credit note (kind "credit_note", negative amounts,
    referring to the invoice it corrects)."""

    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=12, choices=KINDS)
    # "AL-FA-000042" (invoice) or "AL-AV-000007" (credit note, "avoir"): see numbering.format_number.
    number = models.CharField(max_length=32)
    sequence_number = models.PositiveIntegerField()
    # French law keeps invoices for 10 years: neither the order nor the invoice may disappear under them.
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="invoices")
    credited_invoice = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    issued_at = models.DateTimeField()
    language = models.CharField(max_length=2)
    currency = models.CharField(max_length=3)
    # Copies of the snapshot's totals, for listings and accounting exports (negative on credit notes).
    total_excl_vat_minor = models.IntegerField()
    vat_minor = models.IntegerField()
    total_minor = models.IntegerField()
    # A retried refund finds its credit note instead of issuing a second one ("" for invoices).
    idempotency_key = models.CharField(max_length=120, blank=True, default="")
    # Seller, buyer, lines, VAT per rate, totals, payment and legal mentions, as issued (snapshot.py).
    snapshot = models.JSONField()

    class Meta:
        ordering = ["brand", "kind", "sequence_number"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "kind", "sequence_number"], name="unique_invoice_sequence_number"),
            models.UniqueConstraint(fields=["brand", "number"], name="unique_invoice_number_per_brand"),
            models.UniqueConstraint(fields=["order"], condition=models.Q(kind=INVOICE), name="one_invoice_per_order"),
            models.UniqueConstraint(
                fields=["brand", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                name="unique_credit_note_idempotency_key",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=INVOICE, credited_invoice__isnull=True, total_minor__gte=0)
                    | models.Q(kind=CREDIT_NOTE, credited_invoice__isnull=False, total_minor__lte=0)
                ),
                name="invoice_or_credit_note_shape",
            ),
            models.CheckConstraint(condition=models.Q(sequence_number__gte=1), name="invoice_sequence_number_positive"),
        ]
        indexes = [models.Index(fields=["brand", "-issued_at"], name="invoice_brand_issued")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == CREDIT_NOTE
