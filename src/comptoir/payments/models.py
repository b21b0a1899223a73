"""Payments and their append-only ledger: amounts are sums of entries, never edited balances."""

from django.db import models

from comptoir.core.identifiers import uuid7


class Payment(models.Model):
    STATUSES = [
        (code, code)
        for code in (
            "pending", "requires_action", "card_registered", "authorised", "captured",
            "partially_refunded", "refunded", "voided", "refused",
            # Instalments or deferred payment: charges remain scheduled (AL-PAY-01, AL-PAY-04).
            "scheduled",
        )
    ]

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)  # time-ordered: core.identifiers
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


class ScheduledCharge(models.Model):
    """One charge of an instalment plan or a deferred payment, due on a date and taken by the worker
    sweep from the card registered at checkout (AL-PAY-01, AL-PAY-04). `amount_minor` is what is still
    to be charged: returns lower it before it is due (AL-RFD-04/05)."""

    SCHEDULED, PAID, FAILED, CANCELLED = "scheduled", "paid", "failed", "cancelled"
    STATUSES = [(code, code) for code in (SCHEDULED, PAID, FAILED, CANCELLED)]

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="scheduled_charges")
    sequence = models.PositiveSmallIntegerField()  # 1 for the first instalment
    due_on = models.DateField()
    amount_minor = models.IntegerField()
    status = models.CharField(max_length=12, choices=STATUSES, default=SCHEDULED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the sweep next tries it: the start of `due_on` in the brand's time zone, then retries.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_refusal_code = models.CharField(max_length=40, blank=True)
    psp_reference = models.CharField(max_length=64, blank=True)  # of the charge that paid it
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["payment", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "sequence"], name="unique_charge_sequence_per_payment"),
            models.CheckConstraint(condition=models.Q(amount_minor__gte=0), name="scheduled_charge_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="scheduled_charge_due")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.status} {self.amount_minor} due {self.due_on}"
