"""Exchanges: a returned item asked back as another size or another product (AL-EXC-01), the price
decided at the request (AL-EXC-02), and the exchange order it becomes once the item is accepted (AL-EXC-04).

Money: `covered_minor` is the value of the returned units that pays for the new item; the exchange order's
line carries it as its discount, so the order's total is only what the shopper pays on top (`supplement_minor`,
plus shipping where the brand charges it). A cheaper new item refunds `refund_minor` on the original order.
"""

import uuid

from django.db import models
from django.db.models import Q

from comptoir.exchanges import states


class ExchangeRequest(models.Model):
    KINDS = [("size", "size"), ("product", "product")]
    STATUS_CHOICES = [(code, code) for code in states.STATUSES]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="+")
    return_item = models.OneToOneField("returns.ReturnItem", on_delete=models.PROTECT, related_name="exchange")
    original_order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="exchanges")
    wanted_variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    wanted_sku = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=KINDS)
    quantity = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=states.REQUESTED)
    # "online" (the shopper, during the return) or "customer_care" (staff on the shopper's behalf, OG-EXC-01).
    channel = models.CharField(max_length=16, default="online")
    # Prices fixed at the request, in the original order's basis (VAT included, or net for exports).
    paid_minor = models.IntegerField()  # what the returned units cost
    new_value_minor = models.IntegerField()  # what the wanted units cost now (size exchange: the price paid)
    covered_minor = models.IntegerField()  # the part of the new item the returned units pay for
    supplement_minor = models.IntegerField(default=0)  # AL-EXC-02: charged on top
    refund_minor = models.IntegerField(default=0)  # AL-EXC-02: refunded on the original order
    shipping_minor = models.IntegerField(default=0)  # AL-EXC-04: 0 when the exchange ships free
    # A card kept at the PSP for the amount due (never the card itself), charged when the order is created.
    card_token = models.CharField(max_length=64, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    shipping_address = models.JSONField()  # AL-EXC-04: the original address or relay; customer care may change it
    exchange_order = models.OneToOneField("orders.Order", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="exchange_of")
    conversion_reason = models.CharField(max_length=40, blank=True)  # why it became a return (AL-EXC-03)
    refund_reference = models.CharField(max_length=80, blank=True)  # the difference refund, when cheaper
    requested_at = models.DateTimeField()
    ordered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="exchange_quantity_positive"),
            models.CheckConstraint(condition=Q(supplement_minor__gte=0, refund_minor__gte=0, covered_minor__gte=0,
                                               shipping_minor__gte=0), name="exchange_amounts_not_negative"),
            models.CheckConstraint(condition=Q(supplement_minor=0) | Q(refund_minor=0),
                                   name="exchange_supplement_or_refund"),
        ]
        indexes = [models.Index(fields=["brand", "status", "requested_at"], name="exchange_status_queue")]

    def __str__(self) -> str:
        return f"exchange {self.wanted_sku} ({self.status})"

    @property
    def amount_due_minor(self) -> int:
        """What the shopper pays for the exchange order: the supplement and any shipping."""
        return self.supplement_minor + self.shipping_minor


class ExchangeEvent(models.Model):
    """Append-only: requested, ordered, converted, refused, address changed — with actor and explicit time."""

    exchange = models.ForeignKey(ExchangeRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.CharField(max_length=80)
    at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["exchange", "at", "id"]
