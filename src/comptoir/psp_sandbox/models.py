"""What the sandbox PSP remembers: transactions, the operations done on them, the webhooks it sends.

The full card number and the CVC are never stored; only the network and the last four digits.
Times are the `now` passed by the caller, never the wall clock (no `auto_now`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class TransactionStatus(models.TextChoices):
    REQUIRES_ACTION = "requires_action"
    AUTHORISED = "authorised"
    PARTIALLY_CAPTURED = "partially_captured"
    CAPTURED = "captured"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"
    REFUSED = "refused"
    CARD_REGISTERED = "card_registered"


class Method(models.TextChoices):
    CARD = "card"
    PAYPAL = "paypal"


class OperationKind(models.TextChoices):
    AUTHORISE = "authorise"
    COMPLETE_CHALLENGE = "complete_challenge"
    CAPTURE = "capture"
    REFUND = "refund"
    VOID = "void"
    REGISTER_CARD = "register_card"


class SandboxTransaction(models.Model):
    """One payment at the PSP; its amounts are the running totals of its operations.

    A card registration is a zero-amount transaction (a card verification, as real PSPs do it) whose
    reference is the token that later merchant-initiated charges point to through `registered_card`.
    """

    psp_reference = models.CharField(max_length=40, unique=True)
    merchant_reference = models.CharField(max_length=100, db_index=True)
    method = models.CharField(max_length=16, choices=Method.choices)
    currency = models.CharField(max_length=3)
    amount_requested_minor = models.BigIntegerField()
    amount_authorised_minor = models.BigIntegerField(default=0)
    amount_captured_minor = models.BigIntegerField(default=0)
    amount_refunded_minor = models.BigIntegerField(default=0)
    status = models.CharField(max_length=24, choices=TransactionStatus.choices)
    refusal_code = models.CharField(max_length=40, blank=True, default="")
    card_network = models.CharField(max_length=16, blank=True, default="")
    card_last4 = models.CharField(max_length=4, blank=True, default="")
    card_expiry_month = models.PositiveSmallIntegerField(null=True, blank=True)
    card_expiry_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The refusal a registered card meets when charged later (test card 4000 0000 0000 0341).
    charge_refusal_code = models.CharField(max_length=40, blank=True, default="")
    registered_card = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    challenge_id = models.CharField(max_length=40, blank=True, default="")
    capture_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="psp_sandbox_amounts_not_negative",
                condition=Q(amount_requested_minor__gte=0)
                & Q(amount_authorised_minor__gte=0)
                & Q(amount_captured_minor__gte=0)
                & Q(amount_refunded_minor__gte=0),
            ),
            models.CheckConstraint(
                name="psp_sandbox_authorised_within_requested",
                condition=Q(amount_authorised_minor__lte=F("amount_requested_minor")),
            ),
            models.CheckConstraint(
                name="psp_sandbox_captured_within_authorised",
                condition=Q(amount_captured_minor__lte=F("amount_authorised_minor")),
            ),
            models.CheckConstraint(
                name="psp_sandbox_refunded_within_captured",
                condition=Q(amount_refunded_minor__lte=F("amount_captured_minor")),
            ),
            models.CheckConstraint(
                name="psp_sandbox_status_known",
                condition=Q(status__in=TransactionStatus.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.psp_reference} {self.status} {self.amount_requested_minor} {self.currency}"


class SandboxOperation(models.Model):
    """One call to the PSP, keyed by its idempotency key; a replay returns `result` unchanged.

    `amount_minor` is the money this operation moved (0 when refused), so the totals of a
    transaction are sums of its operations.
    """

    transaction = models.ForeignKey(
        SandboxTransaction, on_delete=models.PROTECT, related_name="operations"
    )
    kind = models.CharField(max_length=24, choices=OperationKind.choices)
    idempotency_key = models.CharField(max_length=255, unique=True)
    # A keyed hash (HMAC) of the request: it carries card data, so a plain hash would not do.
    request_fingerprint = models.CharField(max_length=64)
    result = models.JSONField()
    amount_minor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="psp_sandbox_operation_amount_not_negative", condition=Q(amount_minor__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_minor} ({self.idempotency_key})"


class SandboxWebhookEvent(models.Model):
    """A webhook the PSP owes the merchant, appended with each state change; sent by the worker."""

    event_id = models.CharField(max_length=40, unique=True)
    transaction = models.ForeignKey(
        SandboxTransaction, on_delete=models.PROTECT, related_name="webhook_events"
    )
    type = models.CharField(max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=Q(delivered_at__isnull=True),
                name="psp_sandbox_event_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
