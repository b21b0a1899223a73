"""A shopper's cart: lines as a small JSON list on one row (read and written whole)."""

import uuid

from django.db import models


class Cart(models.Model):
    OPEN, ORDERED = "open", "ordered"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="carts")
    customer = models.ForeignKey(
        "accounts.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="carts"
    )
    lines = models.JSONField(default=list)  # [{"sku": str, "quantity": int}]
    status = models.CharField(max_length=10, default=OPEN)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
