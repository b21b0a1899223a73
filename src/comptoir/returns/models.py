"""Returns: a request per parcel, its items (reception and inspection each tracked), an event log,
the per-line quantity ledger that stops an order from being returned twice over, and parcels
returned to sender awaiting their automatic refund (AL-SHP-09)."""

import uuid

from django.db import models
from django.db.models import F, Q

from comptoir.core.images import StoredImage, random_image_name
from comptoir.returns import states


class ReturnRequest(models.Model):
    STATUS_CHOICES = [(code, code) for code in states.STATUSES]
    DROP_OFFS = [("carrier", "carrier"), ("relay", "relay"), ("store", "store")]
    REFUND_CHOICES = [("original", "original"), ("credit_note", "credit_note")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # the public id
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="returns")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="returns")
    customer = models.ForeignKey("accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="returns")
    email = models.EmailField()
    language = models.CharField(max_length=2)
    number = models.CharField(max_length=20)  # "R-" + random, printed on the slip
    status = models.CharField(max_length=16, choices=STATUS_CHOICES)
    # "online" (the shopper) or "customer_care" (staff on the buyer's behalf: AA-RET-01, OP-RET-04).
    channel = models.CharField(max_length=16, default="online")
    drop_off = models.CharField(max_length=8, choices=DROP_OFFS)
    store_code = models.CharField(max_length=40, blank=True)  # AL-RET-04, OG-RET-06
    refund_choice = models.CharField(max_length=12, choices=REFUND_CHOICES, default="original")  # AL-RFD-01
    # The document the shopper prints: prepaid_label, rma_slip, return_slip, or "" (refund without return).
    label_kind = models.CharField(max_length=16, blank=True)
    carrier = models.CharField(max_length=80, blank=True)
    shipping_paid_by = models.CharField(max_length=8)  # "brand" | "customer" (OG-RET-03, AA-RET-03)
    reimbursement_cap_minor = models.IntegerField(default=0)  # AL-RET-02: an advance reimbursed up to this
    # AL-RET-02: the postage the shopper advanced, read by staff at reception (None: not stated, the cap applies).
    postage_advanced_minor = models.IntegerField(null=True, blank=True)
    country = models.CharField(max_length=2)  # where the parcel leaves from
    declared_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    label_expires_at = models.DateTimeField(null=True, blank=True)  # AL-RET-03
    ship_by = models.DateTimeField(null=True, blank=True)  # OG-RET-02: send within N days of the request
    received_at = models.DateTimeField(null=True, blank=True)
    received_at_location = models.CharField(max_length=40, blank=True)  # "warehouse" or a store code
    inspected_at = models.DateTimeField(null=True, blank=True)
    refund_due_at = models.DateTimeField(null=True, blank=True)  # OG-RFD-01, AA-RFD-01, OG-RET-06
    refunded_at = models.DateTimeField(null=True, blank=True)
    refund_reference = models.CharField(max_length=80, blank=True)
    refund_without_return = models.BooleanField(default=False)  # OP-RET-02/03
    # The Idempotency-Key of the declaration: a retried POST finds this return.
    declaration_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "number"], name="unique_return_number_per_brand"),
            models.UniqueConstraint(fields=["order", "declaration_key"], condition=~Q(declaration_key=""),
                                    name="unique_return_declaration_key"),
            models.CheckConstraint(condition=Q(reimbursement_cap_minor__gte=0), name="return_cap_not_negative"),
            models.CheckConstraint(condition=Q(postage_advanced_minor__gte=0) | Q(postage_advanced_minor=None),
                                   name="return_postage_not_negative"),
        ]
        indexes = [
            models.Index(fields=["brand", "status", "declared_at"], name="return_status_queue"),
            models.Index(fields=["status", "refund_due_at"], name="return_refund_due"),
        ]

    def with_order_brand(self) -> "ReturnRequest":
        """For a return loaded with its brand and order: the order is the same brand's, so it takes the loaded
        brand row instead of reading it again (e-mails and refund previews ask `order.brand`)."""
        self.order.brand = self.brand
        return self

    def __str__(self) -> str:
        return self.number


class ReturnItem(models.Model):
    RECEPTION = [("expected", "expected"), ("received", "received"), ("missing", "missing")]
    INSPECTION = [("pending", "pending"), ("accepted", "accepted"), ("refused", "refused")]

    return_request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="items")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="return_items")
    quantity = models.PositiveIntegerField()
    reason_code = models.CharField(max_length=40)  # one of the brand's reasons (OP-RET-02, AL-RET-01)
    reason_kind = models.CharField(max_length=20)  # its kind at declaration (who pays, 48-hour limit)
    reason_note = models.CharField(max_length=1000, blank=True)
    reception_status = models.CharField(max_length=10, choices=RECEPTION, default="expected")
    inspection_status = models.CharField(max_length=10, choices=INSPECTION, default="pending")
    refusal_reason = models.CharField(max_length=40, blank=True)  # OG-RET-04, AA-RET-02, AL-RET-05
    inspection_note = models.CharField(max_length=2000, blank=True)
    photos = models.JSONField(default=list)  # legacy: names given before photos were uploaded (InspectionPhoto)
    inspected_at = models.DateTimeField(null=True, blank=True)
    inspected_by = models.CharField(max_length=80, blank=True)
    # Set once, in the transaction that accepts the item, when its units go back to stock (never for refused items).
    restocked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["return_request", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="return_item_quantity_positive"),
            models.UniqueConstraint(fields=["return_request", "order_line"], name="one_item_per_line_per_return"),
            models.CheckConstraint(
                condition=Q(inspection_status="refused") | Q(refusal_reason=""),
                name="refusal_reason_only_when_refused",
            ),
        ]


class ReturnedQuantity(models.Model):
    """How many units of an order line are claimed by live returns: never more than were ordered
    (a check constraint, incremented with F() under a row lock — medusa#13433's corrupted summaries)."""

    order_line = models.OneToOneField("orders.OrderLine", on_delete=models.CASCADE, related_name="returned")
    ordered = models.PositiveIntegerField()
    claimed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(claimed__lte=F("ordered")), name="returned_not_above_ordered"),
        ]


class ReturnEvent(models.Model):
    """Append-only: transitions, items added, inspections, refunds — with actor and explicit time."""

    return_request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.CharField(max_length=80)
    at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["return_request", "at", "id"]


class ReturnedParcel(models.Model):
    """AL-SHP-09: a parcel the carrier brought back; it is not reshipped but refunded by `refund_due_at`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="returned_parcels")
    shipment = models.OneToOneField("shipping.Shipment", on_delete=models.PROTECT, related_name="returned_parcel")
    returned_at = models.DateTimeField()
    refund_due_at = models.DateTimeField()
    refunded_at = models.DateTimeField(null=True, blank=True)
    refund_reference = models.CharField(max_length=80, blank=True)
    actor = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["refunded_at", "refund_due_at"], name="returned_parcel_due")]


def inspection_photo_path(photo: "InspectionPhoto", filename: str) -> str:
    """Stored under a random name: the shopper's or staff's file name never reaches the file system."""
    return random_image_name(f"inspections/{photo.item.return_request_id}", photo.content_type)


class InspectionPhoto(StoredImage):
    """A photo staff took of a returned item at inspection (OG-RET-04, AL-RET-05): the proof of a refusal."""

    item = models.ForeignKey(ReturnItem, on_delete=models.CASCADE, related_name="inspection_photos")
    image = models.FileField(upload_to=inspection_photo_path, max_length=200)

    class Meta:
        ordering = ["item", "id"]
