"""Parcels: an order ships in one or more shipments, each with its carrier and tracking number."""

import uuid

from django.db import models


class Shipment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="shipments")
    method = models.CharField(max_length=40)
    carrier = models.CharField(max_length=60)
    tracking_number = models.CharField(max_length=80, blank=True)
    tracking_url = models.URLField(max_length=400, blank=True)
    shipped_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "shipped_at"]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}".strip()
