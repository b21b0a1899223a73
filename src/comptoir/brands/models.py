"""A brand is a tenant: its policy (validated JSON), catalog, customers and orders belong to it."""

from __future__ import annotations

from django.db import models

from comptoir.brands.policy import BrandPolicy


class Brand(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    policy = models.JSONField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def policy_object(self) -> BrandPolicy:
        """The validated policy, parsed once per brand row version and process."""
        key = (self.pk, self.updated_at)
        cached = _POLICIES.get(key)
        if cached is None:
            cached = BrandPolicy.model_validate(self.policy)
            _POLICIES[key] = cached
        return cached


_POLICIES: dict[tuple, BrandPolicy] = {}


class StaffMembership(models.Model):
    """A staff user works for a brand (superusers work for every brand)."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="brand_memberships")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="staff")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "brand"], name="unique_staff_membership")]
