"""Orders, their lines and their event log (every transition appends a row)."""

from django.db import models

from comptoir.core.identifiers import uuid7
from comptoir.orders import states


class Order(models.Model):
    STATUS_CHOICES = [(code, code) for code in states.STATUSES]

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)  # time-ordered: core.identifiers
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="orders")
    # Shown to the shopper and used as a payment reference; random, so not guessable in sequence.
    number = models.CharField(max_length=20)
    customer = models.ForeignKey(
        "accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    email = models.EmailField()
    language = models.CharField(max_length=2)
    status = models.CharField(max_length=24, choices=STATUS_CHOICES)
    currency = models.CharField(max_length=3)
    subtotal_minor = models.IntegerField()  # before discounts
    discount_minor = models.IntegerField(default=0)
    shipping_minor = models.IntegerField()
    vat_minor = models.IntegerField()  # VAT included in the total (0 for exports net of VAT)
    total_minor = models.IntegerField()
    prices_include_vat = models.BooleanField()
    shipping_method = models.CharField(max_length=40, blank=True)  # empty: e-gift cards only
    shipping_address = models.JSONField()
    billing_address = models.JSONField()
    payment_method = models.CharField(max_length=20, blank=True)  # the main method; empty if gift cards paid all
    placed_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When its invoice was issued (OG-ORD-06): the worker invoices confirmed orders without one.
    invoiced_at = models.DateTimeField(null=True, blank=True)
    # The dispatch promised for the first parcel, and the delivery window (OG-ORD-03, AA-ORD-03, AL-ORD-03).
    dispatch_due_on = models.DateField(null=True, blank=True)
    delivery_earliest_on = models.DateField(null=True, blank=True)
    delivery_latest_on = models.DateField(null=True, blank=True)
    # A payment step (3-D Secure, PayPal) left unfinished by this instant frees the stock.
    payment_due_by = models.DateTimeField(null=True, blank=True)
    # The Idempotency-Key of the checkout that placed it: a retried checkout finds this order.
    checkout_key = models.CharField(max_length=100)
    # Guests reach their order with this secret (signed-in shoppers use their account).
    access_token = models.CharField(max_length=64)
    cart = models.ForeignKey("checkout.Cart", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "number"], name="unique_order_number_per_brand"),
            models.UniqueConstraint(fields=["brand", "checkout_key"], name="unique_checkout_key_per_brand"),
            models.CheckConstraint(condition=models.Q(total_minor__gte=0), name="order_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["customer", "-placed_at"], name="order_customer_history"),
            models.Index(fields=["brand", "status", "placed_at"], name="order_status_queue"),
            models.Index(fields=["status", "payment_due_by"], name="order_payment_due"),
            # The invoicing queue: small whatever the history, as invoiced orders leave it.
            models.Index(fields=["confirmed_at"], name="order_to_invoice",
                         condition=models.Q(confirmed_at__isnull=False, invoiced_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    product_name = models.JSONField()
    size = models.CharField(max_length=32, blank=True)
    colour = models.CharField(max_length=64, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price_minor = models.IntegerField()  # as charged (net of VAT for exports)
    vat_rate_basis_points = models.IntegerField()
    discount_minor = models.IntegerField(default=0)  # the share of discount codes on this line
    vat_minor = models.IntegerField(default=0)
    total_minor = models.IntegerField()  # after discount
    is_gift_card = models.BooleanField(default=False)
    # The planned dispatch date of this line: pre-order lines ship on their own date (AL-ORD-03).
    ships_on = models.DateField(null=True, blank=True)
    shipment = models.ForeignKey(
        "shipping.Shipment", null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"


class OrderEvent(models.Model):
    """An append-only log: status transitions, payments, shipping, changes, with actor and time."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    actor = models.CharField(max_length=80)  # "customer:<id>", "staff:<username>", "system", "guest"
    at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["order", "at", "id"]
