"""Discount codes in the back office, scoped to the staff member's brands (AL-PAY-07).

Uses are counted by checkout only: `times_used` is read-only here and never written back by a save, so
an edit made while shoppers redeem the code does not overwrite their uses.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline, works_for_a_brand
from comptoir.core.admin_readonly import ReadOnlyTabularInline
from comptoir.core.errors import DomainError
from comptoir.core.money import Money
from comptoir.discounts.models import DiscountCode, DiscountRedemption
from comptoir.discounts.services import check_catalog_references

# Written by services (create) or fixed once created; everything else staff may edit.
_NEVER_SAVED_BY_ADMIN = {"id", "brand", "code", "times_used", "created_at"}


class RedemptionInline(ScopedInline, ReadOnlyTabularInline):
    model = DiscountRedemption
    fields = ("order", "email", "amount_minor", "created_at", "released_at")
    readonly_fields = fields
    ordering = ("-created_at",)
    show_change_link = False


class DiscountCodeForm(forms.ModelForm):
    class Meta:
        model = DiscountCode
        fields = "__all__"

    def clean(self):
        data = super().clean()
        brand = data.get("brand") or (self.instance.brand if self.instance.brand_id else None)
        categories, skus = data.get("eligible_categories") or [], data.get("eligible_skus") or []
        if not isinstance(categories, list) or not isinstance(skus, list):
            raise forms.ValidationError("Eligible categories and SKUs are JSON lists, e.g. [\"knitwear\"].")
        if brand is not None:
            try:
                check_catalog_references(brand, categories, skus)
            except DomainError as error:
                raise forms.ValidationError(error.message("en")) from None
        return data


@admin.register(DiscountCode)
class DiscountCodeAdmin(BrandScopedAdmin):
    form = DiscountCodeForm
    list_display = ("code", "brand", "kind", "value", "starts_at", "ends_at", "times_used", "usage_limit",
                    "is_active")
    list_filter = (BrandFilter, "is_active", "kind")
    search_fields = ("code",)
    list_select_related = ("brand",)
    inlines = [RedemptionInline]
    staff_may_change = True
    fields = ("brand", "code", "kind", "percentage_basis_points", "amount_minor", "starts_at", "ends_at",
              "eligible_categories", "eligible_skus", "minimum_purchase_minor", "usage_limit",
              "usage_limit_per_customer", "times_used", "is_active", "created_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("times_used", "created_at")
        return ("brand", "code", "times_used", "created_at")

    def has_add_permission(self, request):
        return works_for_a_brand(request) or super().has_add_permission(request)

    @admin.display(description="value")
    def value(self, discount: DiscountCode) -> str:
        if discount.kind == "percentage":
            return f"{discount.percentage_basis_points / 100:g} %"
        return Money(discount.amount_minor, discount.brand.policy_object.currency).format("en") + " off"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_at = request.now
            obj.save()
            return
        fields = [f.name for f in obj._meta.concrete_fields if f.name not in _NEVER_SAVED_BY_ADMIN]
        obj.save(update_fields=fields)
