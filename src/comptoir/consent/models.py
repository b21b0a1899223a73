"""Newsletter subscriptions, the consent history, back-in-stock alerts and account deletion requests.

Links in e-mails carry a secret: a confirmation link's secret is random and only its SHA-256 is kept
(`token_hash`, single use); an unsubscribe link is signed with the site key (links.py), so every
e-mail can carry one without storing it, and it keeps working for as long as the row exists.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Subscription(models.Model):
    """One address on one brand's newsletter (ALL-NEWS-01). Nothing is sent before `subscribed`."""

    PENDING, SUBSCRIBED, UNSUBSCRIBED = "pending", "subscribed", "unsubscribed"
    STATUSES = [(code, code) for code in (PENDING, SUBSCRIBED, UNSUBSCRIBED)]

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()  # lower-cased
    customer = models.ForeignKey("accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="subscriptions")
    language = models.CharField(max_length=2, default="en")
    status = models.CharField(max_length=14, choices=STATUSES)
    # SHA-256 of the secret of the pending confirmation link; blank once confirmed.
    token_hash = models.CharField(max_length=64, blank=True, default="")
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    subscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["brand", "email"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "email"], name="unique_subscription_per_brand_email"),
            models.CheckConstraint(condition=Q(status__in=["pending", "subscribed", "unsubscribed"]),
                                   name="subscription_status_known"),
        ]
        indexes = [
            models.Index(fields=["token_hash"], condition=~Q(token_hash=""), name="subscription_confirm_link"),
            models.Index(fields=["brand", "status"], name="subscription_audience"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class ConsentEvent(models.Model):
    """The append-only consent history: who gave or withdrew what, through which face, when (AL-NEWS-02).

    Rows are never edited, except that erasing an account replaces the e-mail by its anonymised
    placeholder (ALL-ACC-04); the account erasure itself is recorded here (kind "account").
    """

    NEWSLETTER, STOCK_ALERT, ACCOUNT = "newsletter", "stock_alert", "account"
    KINDS = [(code, code) for code in (NEWSLETTER, STOCK_ALERT, ACCOUNT)]
    GIVEN, CONFIRMED, WITHDRAWN, ERASED = "given", "confirmed", "withdrawn", "erased"
    ACTIONS = [(code, code) for code in (GIVEN, CONFIRMED, WITHDRAWN, ERASED)]

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="consent_events")
    email = models.EmailField()
    customer = models.ForeignKey("accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="consent_events")
    kind = models.CharField(max_length=12, choices=KINDS)
    action = models.CharField(max_length=10, choices=ACTIONS)
    # "signup form", "account creation", "account settings", "confirmation link", "unsubscribe link",
    # "customer care", "stock alert form"
    source = models.CharField(max_length=40)
    actor = models.CharField(max_length=80)  # "customer:<id>", "staff:<username>", "guest", "system"
    at = models.DateTimeField()

    class Meta:
        ordering = ["brand", "at", "id"]
        indexes = [
            models.Index(fields=["brand", "email", "at"], name="consent_history_by_email"),
            models.Index(fields=["customer", "at"], name="consent_history_by_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.action} ({self.source})"


class StockAlert(models.Model):
    """"Tell me when my size is back" (AL-STK-03): one e-mail, exactly once, when the variant has stock."""

    PENDING_CONFIRMATION, ACTIVE, SENT, CANCELLED = "pending_confirmation", "active", "sent", "cancelled"
    STATUSES = [(code, code) for code in (PENDING_CONFIRMATION, ACTIVE, SENT, CANCELLED)]
    LIVE = (PENDING_CONFIRMATION, ACTIVE)

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="stock_alerts")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="stock_alerts")
    email = models.EmailField()  # lower-cased
    customer = models.ForeignKey("accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="stock_alerts")
    language = models.CharField(max_length=2, default="en")
    status = models.CharField(max_length=20, choices=STATUSES)
    # SHA-256 of the secret of the pending confirmation link (guests: double opt-in); blank once used.
    token_hash = models.CharField(max_length=64, blank=True, default="")
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live alert per address and size: asking twice does not send two e-mails.
            models.UniqueConstraint(fields=["variant", "email"], condition=Q(status__in=["pending_confirmation", "active"]),
                                    name="one_live_stock_alert_per_email"),
            models.CheckConstraint(condition=Q(status__in=["pending_confirmation", "active", "sent", "cancelled"]),
                                   name="stock_alert_status_known"),
        ]
        indexes = [
            # The sweep's lookup: active alerts, by variant.
            models.Index(fields=["variant"], condition=Q(status="active"), name="stock_alert_active"),
            models.Index(fields=["token_hash"], condition=~Q(token_hash=""), name="stock_alert_confirm_link"),
            models.Index(fields=["brand", "email"], name="stock_alert_by_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.variant_id} ({self.status})"


class DeletionRequest(models.Model):
    """An account deletion asked from customer care, carried out by staff (OG-ACC-03)."""

    OPEN, CARRIED_OUT = "open", "carried_out"
    STATUSES = [(code, code) for code in (OPEN, CARRIED_OUT)]

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="deletion_requests")
    # Kept after erasure: the customer row stays, anonymised, so the request still points at it.
    customer = models.ForeignKey("accounts.Customer", on_delete=models.PROTECT, related_name="deletion_requests")
    status = models.CharField(max_length=12, choices=STATUSES, default=OPEN)
    requested_at = models.DateTimeField()
    carried_out_at = models.DateTimeField(null=True, blank=True)
    carried_out_by = models.CharField(max_length=80, blank=True)  # "staff:<username>"

    class Meta:
        ordering = ["status", "requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["customer"], condition=Q(status="open"), name="one_open_deletion_request"),
            models.CheckConstraint(condition=Q(status__in=["open", "carried_out"]), name="deletion_request_status_known"),
        ]
        indexes = [models.Index(fields=["brand", "status", "requested_at"], name="deletion_request_queue")]

    def __str__(self) -> str:
        return f"Deletion request #{self.pk} ({self.status})"
