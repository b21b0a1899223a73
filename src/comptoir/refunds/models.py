"""Refunds and where each part of them went (AL-RFD-01..05, ALL-RFD-06).

A Refund is issued once per idempotency key; its parts say which payment gave how much, to which
destination. The money itself moves in the ledgers (PaymentEntry kind "refund", StoredValueEntry
"restore"/"issue", ScheduledCharge amounts); a part keeps the reference of the movement it caused.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from comptoir.refunds.allocation import CHOICES, DESTINATIONS

PENDING, COMPLETED, FAILED = "pending", "completed", "failed"
STATUSES = [(code, code) for code in (PENDING, COMPLETED, FAILED)]


class Refund(models.Model):
    # Derived from the idempotency key (uuid5), so the keys sent to the PSP and the ledgers for its
    # parts are the same on a retry after a crash, whatever row ids the database hands out.
    id = models.UUIDField(primary_key=True, editable=False)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="refunds")
    # The returns app's id for the return this refund settles; not a foreign key (returns imports refunds).
    return_reference = models.CharField(max_length=64, blank=True, db_index=True)
    amount_minor = models.IntegerField()
    # The part of `amount_minor` that is shipping (OG-RFD-01), so shipping is never refunded twice.
    shipping_minor = models.IntegerField(default=0)
    # The part of `amount_minor` that reimburses return postage the shopper advanced (AL-RET-02): not a credit
    # of invoiced goods, so no credit note line; paid once, with this refund.
    reimbursement_minor = models.IntegerField(default=0)
    currency = models.CharField(max_length=3)
    # [[order line id, quantity], ...]: units refunded, so later refunds price the last units exactly.
    items = models.JSONField(default=list)
    choice = models.CharField(max_length=12, choices=[(code, code) for code in CHOICES])
    reason = models.CharField(max_length=200, blank=True)
    # "pending" while a part waits (a transfer staff must send), "failed" when a PSP refused a part.
    status = models.CharField(max_length=12, choices=STATUSES, default=PENDING)
    idempotency_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gte=0), name="refund_amount_not_negative"),
            models.CheckConstraint(condition=Q(shipping_minor__gte=0, shipping_minor__lte=models.F("amount_minor")),
                                   name="refund_shipping_within_amount"),
            models.CheckConstraint(condition=Q(reimbursement_minor__gte=0,
                                               reimbursement_minor__lte=models.F("amount_minor")),
                                   name="refund_reimbursement_within_amount"),
        ]
        indexes = [models.Index(fields=["order", "created_at"], name="refund_order_history")]

    def __str__(self) -> str:
        return f"refund {self.amount_minor} {self.currency} ({self.status})"


class RefundPart(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField()  # its index in the allocation; part of derived keys
    payment = models.ForeignKey("payments.Payment", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="refund_parts")
    destination = models.CharField(max_length=20, choices=[(code, code) for code in DESTINATIONS])
    amount_minor = models.IntegerField()
    status = models.CharField(max_length=12, choices=STATUSES, default=PENDING)
    # The PSP's reference, "card:<id>" for a gift card or credit note, the bank reference of a transfer.
    psp_reference = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict)  # a refusal code, the schedule before and after, …
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["refund", "position"]
        constraints = [
            models.UniqueConstraint(fields=["refund", "position"], name="unique_refund_part_position"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="refund_part_amount_positive"),
        ]
        indexes = [
            # Tender capacities read the pending transfers back of a payment.
            models.Index(fields=["payment", "status"], name="refund_part_payment_status"),
        ]

    def __str__(self) -> str:
        return f"{self.destination} {self.amount_minor} ({self.status})"


def refund_id_for(idempotency_key: str) -> uuid.UUID:
    """The refund's id for a key: the same key always names the same refund."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"comptoir:refund:{idempotency_key}")
