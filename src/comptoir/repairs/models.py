"""Repairs (AA-REP-01): the request (an order line or a free description, photos), the care case it opened,
the assessment, the quote and its card payment, and an append-only event log."""

import uuid

from django.db import models
from django.db.models import Q

from comptoir.core.images import StoredImage, random_image_name
from comptoir.repairs import states


class RepairRequest(models.Model):
    STATUS_CHOICES = [(code, code) for code in states.STATUSES]
    ASSESSMENTS = [("production_defect", "production_defect"), ("wear_or_impact", "wear_or_impact"),
                   ("beyond_repair", "beyond_repair")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=20)  # "REP-" + random, to write on the parcel
    customer = models.ForeignKey("accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="repairs")
    email = models.EmailField()
    language = models.CharField(max_length=2)
    access_token = models.CharField(max_length=64)  # a guest follows the repair and answers the quote with it
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    order_line = models.ForeignKey("orders.OrderLine", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    description = models.CharField(max_length=2000)
    # Legacy: names a client gave before photos were uploaded (RepairPhoto); never files, never shown.
    photo_names = models.JSONField(default=list)
    case = models.ForeignKey("care.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=states.REQUESTED)
    assessment = models.CharField(max_length=20, choices=ASSESSMENTS, blank=True)
    assessment_note = models.CharField(max_length=2000, blank=True)
    quote_minor = models.IntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    quote_valid_until = models.DateTimeField(null=True, blank=True)
    # The quote's card payment at the PSP (a repair has no order, so no Payment row: its events are the ledger).
    payment_status = models.CharField(max_length=20, blank=True)  # requires_action | captured | refused
    payment_reference = models.CharField(max_length=64, blank=True)
    payment_attempts = models.PositiveSmallIntegerField(default=0)
    challenge = models.JSONField(null=True, blank=True)
    return_tracking_number = models.CharField(max_length=80, blank=True)
    requested_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "number"], name="unique_repair_number_per_brand"),
            models.CheckConstraint(condition=Q(quote_minor__isnull=True) | Q(quote_minor__gt=0),
                                   name="repair_quote_positive"),
        ]
        indexes = [
            models.Index(fields=["brand", "status", "requested_at"], name="repair_status_queue"),
            models.Index(fields=["customer", "-requested_at"], name="repair_customer_history"),
        ]

    def __str__(self) -> str:
        return self.number


class RepairEvent(models.Model):
    """Append-only: every transition and payment outcome, with actor and explicit time."""

    repair = models.ForeignKey(RepairRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.CharField(max_length=80)
    at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["repair", "at", "id"]


def repair_photo_path(photo: "RepairPhoto", filename: str) -> str:
    """Stored under a random name: the shopper's file name never reaches the file system."""
    return random_image_name(f"repairs/{photo.repair_id}", photo.content_type)


class RepairPhoto(StoredImage):
    """A photo of the damage the shopper sent with her request (AA-REP-01: she writes first, then sends the
    item), checked and re-encoded by core.images."""

    repair = models.ForeignKey(RepairRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=repair_photo_path, max_length=200)

    class Meta:
        ordering = ["repair", "id"]

    def __str__(self) -> str:
        return f"{self.repair_id} photo {self.pk}"
