"""Carts, read-only: what a shopper had in their cart, for customer care."""

from django.contrib import admin

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin
from comptoir.checkout.models import Cart
from comptoir.core.admin_readonly import ReadOnlyAdminMixin


@admin.register(Cart)
class CartAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("id", "brand", "customer", "status", "created_at", "updated_at")
    list_filter = (BrandFilter, "status")
    list_select_related = ("brand", "customer")
    search_fields = ("customer__email",)
    list_per_page = 50
    fields = ("id", "brand", "customer", "status", "lines", "created_at", "updated_at")
