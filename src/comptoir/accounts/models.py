"""Shopper accounts (one per brand and e-mail), their addresses and API tokens."""

from django.contrib.auth.hashers import check_password, make_password
from django.db import models


class Customer(models.Model):
    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="customers")
    email = models.EmailField()  # stored lower-cased
    password = models.CharField(max_length=256)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    language = models.CharField(max_length=2, default="en")
    phone = models.CharField(max_length=40, blank=True)
    newsletter_consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "email"], name="unique_customer_email_per_brand")]
        indexes = [models.Index(fields=["brand", "last_name", "first_name"], name="customer_name_lookup")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    def set_password(self, raw_password: str) -> None:
        self.password = make_password(raw_password)

    def check_password(self, raw_password: str) -> bool:
        return check_password(raw_password, self.password)


class Address(models.Model):
    """A stored delivery or billing address (OG-SHP-05: several can be kept and chosen)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(max_length=60, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2)
    phone = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["customer", "id"]

    def as_dict(self) -> dict:
        return {field: getattr(self, field) for field in ADDRESS_FIELDS}


ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line2", "postal_code", "city", "country", "phone")


class ApiToken(models.Model):
    """A bearer token for a shopper or a staff user; only its SHA-256 is stored."""

    key_hash = models.CharField(max_length=64, unique=True)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens")
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.CASCADE, related_name="comptoir_tokens")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(customer__isnull=False, user__isnull=True)
                | models.Q(customer__isnull=True, user__isnull=False),
                name="token_has_exactly_one_owner",
            )
        ]


class PasswordResetToken(models.Model):
    """A single-use link sent by e-mail (ALL-ACC-02: never a password in clear)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="reset_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
