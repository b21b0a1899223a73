"""The transactional outbox: e-mails and webhooks written in the business transaction, sent later.

A row is inserted by `notify_email` / `notify_webhook` inside the caller's transaction (design
principle 7) and sent by the worker's `drain_outbox`. The brand is stored as its slug, not a foreign
key, so the outbox does not depend on the brands app and survives any change to it.
"""

from __future__ import annotations

from django.db import models


class OutboxMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        WEBHOOK = "webhook", "Webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    id = models.BigAutoField(primary_key=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    # The receiver-side deduplication key, also sent as the `X-Comptoir-Idempotency-Key` header.
    idempotency_key = models.CharField(max_length=200, unique=True)
    brand_slug = models.CharField(max_length=64)
    # An e-mail address for e-mails, a URL for webhooks.
    recipient = models.CharField(max_length=500)
    # E-mail template name (see services.TEMPLATES); blank for webhooks.
    template = models.CharField(max_length=64, blank=True, default="")
    language = models.CharField(max_length=2, default="en")
    # Everything the e-mail template needs, as plain JSON values (amounts pre-formatted).
    context = models.JSONField(default=dict, blank=True)
    # The webhook payload, sent as-is (UTF-8).
    body = models.TextField(blank=True, default="")
    # Webhook request headers (for example a signature).
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # The message is due from this instant; a retry or a worker's claim moves it forward.
    available_at = models.DateTimeField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    # Filled when an e-mail is sent, so staff can read sent mail in the admin.
    subject = models.CharField(max_length=300, blank=True, default="")
    rendered_text = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=["email", "webhook"]), name="outbox_channel_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "failed"]), name="outbox_status_known"
            ),
        ]

    def __str__(self) -> str:
        label = self.template or "webhook"
        return f"{self.channel} {label} → {self.recipient} ({self.status})"
