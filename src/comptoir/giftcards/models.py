"""Gift cards and credit notes as ledgers: a card row, and append-only entries that move its balance.

`balance_minor` is the sum of the card's entries, kept in the same transaction as each entry so a
checkout reads it without a SUM; the database refuses a negative balance (as Saleor's gift card
check constraint does) and a second entry with the same idempotency key.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class StoredValueCard(models.Model):
    class Kind(models.TextChoices):
        GIFT_CARD = "gift_card", "e-gift card"
        CREDIT_NOTE = "credit_note", "credit note"

    id = models.BigAutoField(primary_key=True)
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="stored_value_cards")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # SHA-256 of the normalised code (codes.hash_code); the clear code is never stored.
    code_hash = models.CharField(max_length=64, unique=True)
    code_last4 = models.CharField(max_length=4)
    currency = models.CharField(max_length=3)
    initial_minor = models.IntegerField()
    # The sum of this card's entries; restores may bring it back up to what was spent.
    balance_minor = models.IntegerField()
    issued_at = models.DateTimeField()
    # Redeemable strictly before this instant (AL-RFD-01: "valid for 1 year from the date of issue").
    expires_at = models.DateTimeField()
    recipient_email = models.EmailField()
    language = models.CharField(max_length=2)
    # The order that bought it, or whose return produced it (AL-RFD-01/02).
    source_order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="issued_cards"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(balance_minor__gte=0), name="stored_value_balance_not_negative"),
            models.CheckConstraint(condition=Q(initial_minor__gt=0), name="stored_value_initial_positive"),
            models.CheckConstraint(condition=Q(kind__in=["gift_card", "credit_note"]), name="stored_value_kind_known"),
        ]
        indexes = [
            # The expiry sweep only looks at cards that still hold money.
            models.Index(fields=["expires_at"], condition=Q(balance_minor__gt=0), name="stored_value_expiry_due"),
            models.Index(fields=["brand", "-created_at"], name="stored_value_brand_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ••••{self.code_last4}"


class StoredValueEntry(models.Model):
    """One movement of a card's balance: issue and restore credit it, redeem and expire debit it."""

    class Kind(models.TextChoices):
        ISSUE = "issue", "issue"
        REDEEM = "redeem", "redeem"
        RESTORE = "restore", "restore"
        EXPIRE = "expire", "expire"

    id = models.BigAutoField(primary_key=True)
    # Indexed by `stored_value_entry_ledger` below, which starts with the card.
    card = models.ForeignKey(StoredValueCard, on_delete=models.PROTECT, related_name="entries", db_index=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount_minor = models.IntegerField()  # signed: credits positive, debits negative
    # The order a redeem paid for or a restore gives back to (refund engine: AL-RFD-02/03).
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="stored_value_entries"
    )
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["card", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind__in=["issue", "restore"], amount_minor__gt=0)
                           | Q(kind__in=["redeem", "expire"], amount_minor__lt=0)),
                name="stored_value_entry_sign_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["card", "created_at"], name="stored_value_entry_ledger")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_minor}"
