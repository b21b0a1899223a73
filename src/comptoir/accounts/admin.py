"""Customers in the back office: find an online account by name or e-mail (OG-ACC-05).

Read-only, and never the password hash; API and password-reset tokens are not shown at all.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from comptoir.accounts.models import Address, Customer
from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline


class AddressInline(ScopedInline, ReadOnlyTabularInline):
    model = Address
    fields = ("label", "first_name", "last_name", "line1", "line2", "postal_code", "city", "country", "phone")


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("last_name", "first_name", "email", "brand", "language", "created_at", "is_active")
    list_display_links = ("last_name", "first_name", "email")
    list_filter = (BrandFilter, "is_active", "language")
    list_select_related = ("brand",)
    # OG-ACC-05 "staff can find an online account in store by first and last name".
    search_fields = ("first_name", "last_name", "email")
    ordering = ("last_name", "first_name")
    list_per_page = 50
    inlines = (AddressInline,)
    # `password` is deliberately absent: a hash is never shown, even to superusers.
    fields = ("first_name", "last_name", "email", "brand", "language", "phone", "newsletter_consent_at",
              "created_at", "is_active", "orders")
    readonly_fields = ("orders",)

    @admin.display(description="orders")
    def orders(self, customer):
        url = reverse("admin:orders_order_changelist") + "?" + urlencode({"q": customer.email})
        return format_html('<a href="{}">Orders placed with {}</a>', url, customer.email)
