"""Payments and their append-only ledger: amounts are sums of entries, never edited balances."""

import uuid

from django.db import models


class Payment(models.Model):
    STATUSES = [
        (code, code)
        for code in (
            "pending", "requires_action", "card_registered", "authorised", "captured",
            "partially_refunded", "refunded", "voided", "refused",
        )
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=STATUSES)
    amount_minor = models.IntegerField()
    currency = models.CharField(max_length=3)
    psp_reference = models.CharField(max_length=64, blank=True, db_index=True)
    card_network = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    refusal_code = models.CharField(max_length=40, blank=True)
    challenge = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.method} {self.status} {self.amount_minor} {self.currency}"


class PaymentEntry(models.Model):
    KINDS = [(code, code) for code in ("authorisation", "capture", "refund", "void", "refusal")]

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=KINDS)
    amount_minor = models.IntegerField()
    idempotency_key = models.CharField(max_length=120, unique=True)
    psp_reference = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["payment", "created_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_minor__gte=0), name="entry_amount_not_negative")]


class GatewayWebhookReceipt(models.Model):
    """A PSP webhook processed once: its event id is unique."""

    event_id = models.CharField(max_length=80, unique=True)
    event_type = models.CharField(max_length=60)
    psp_reference = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField()
    payload = models.JSONField()
