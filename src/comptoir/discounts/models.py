"""Discount codes and their redemptions (AL-PAY-07). The database holds the invariants: one value per
kind, uses never above the limit, one redemption per code and order."""

from django.db import models
from django.db.models import Q

from comptoir.discounts.rules import FIXED_AMOUNT, PERCENTAGE


class DiscountCode(models.Model):
    KIND_CHOICES = [(PERCENTAGE, "Percentage of the eligible items"), (FIXED_AMOUNT, "Fixed amount")]

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="discount_codes")
    # Matched exactly: case-sensitive, no spaces (AL-PAY-07). "=" and UNIQUE compare bytes on both
    # PostgreSQL (deterministic collation) and SQLite (BINARY), so "Hiver15" and "HIVER15" are two codes.
    code = models.CharField(max_length=40)
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    percentage_basis_points = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a percentage: 1000 = 10 %, at most 10000.")
    amount_minor = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a fixed amount, in cents of the brand's currency.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Valid until this instant (excluded).")
    eligible_categories = models.JSONField(default=list, blank=True, help_text="Category codes; empty: all.")
    eligible_skus = models.JSONField(default=list, blank=True, help_text="SKUs; empty: all.")
    minimum_purchase_minor = models.PositiveIntegerField(default=0, help_text="Bag subtotal required, in cents.")
    usage_limit = models.PositiveIntegerField(null=True, blank=True, help_text="Uses in all; empty: unlimited.")
    usage_limit_per_customer = models.PositiveIntegerField(null=True, blank=True)
    # Redemptions not given back; moved only by conditional F() updates in services.
    times_used = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # A code reserved to one address (AL-RAF-02: the referred friend's), lower-cased; empty: anyone.
    restricted_to_email = models.EmailField(blank=True, default="")
    # Only for a first order with the brand (AL-RAF-02).
    first_order_only = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["brand", "code"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "code"], name="unique_discount_code_per_brand"),
            models.CheckConstraint(
                condition=~Q(code="") & ~Q(code__contains=" "), name="discount_code_without_spaces",
                violation_error_message="A code cannot be empty or contain spaces."),
            models.CheckConstraint(
                condition=(Q(kind=PERCENTAGE, percentage_basis_points__gt=0, percentage_basis_points__lte=10000,
                             amount_minor__isnull=True)
                           | Q(kind=FIXED_AMOUNT, amount_minor__gt=0, percentage_basis_points__isnull=True)),
                name="discount_value_matches_kind",
                violation_error_message="A percentage code needs a percentage (1 to 10000 basis points) and no "
                                        "amount; a fixed-amount code needs a positive amount and no percentage."),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="discount_ends_after_start", violation_error_message="The end must come after the start."),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(usage_limit__gte=1), name="discount_usage_limit_positive"),
            models.CheckConstraint(
                condition=Q(usage_limit_per_customer__isnull=True) | Q(usage_limit_per_customer__gte=1),
                name="discount_customer_limit_positive"),
            models.CheckConstraint(
                condition=Q(times_used__gte=0)
                & (Q(usage_limit__isnull=True) | Q(times_used__lte=models.F("usage_limit"))),
                name="discount_times_used_within_limit",
                violation_error_message="The usage limit cannot be below the number of uses already made."),
        ]

    def __str__(self) -> str:
        return self.code


class DiscountRedemption(models.Model):
    """One use of a code by one order; `released_at` gives the use back (payment failed, cancelled)."""

    discount = models.ForeignKey(DiscountCode, on_delete=models.PROTECT, related_name="redemptions")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="discount_redemptions")
    customer = models.ForeignKey(
        "accounts.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    email = models.EmailField()  # lower-cased: a guest's uses are counted by e-mail
    amount_minor = models.IntegerField()
    created_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["discount", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["discount", "order"], name="unique_redemption_per_order"),
            models.CheckConstraint(condition=Q(amount_minor__gte=0), name="redemption_amount_not_negative"),
        ]
        indexes = [
            models.Index(fields=["discount", "customer"], name="redemption_by_customer"),
            models.Index(fields=["discount", "email"], name="redemption_by_email"),
        ]

    def __str__(self) -> str:
        return f"{self.discount} on {self.order_id}"
