"""Consent and personal data in the back office, scoped to the staff member's brands.

Subscriptions, stock alerts and the consent history are read-only (services write them, with their
events); deletion requests are carried out with an action that calls the same service as the API.
"""

from __future__ import annotations

from django.contrib import admin, messages

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, works_for_a_brand
from comptoir.consent.erasure import carry_out_deletion_request
from comptoir.consent.models import ConsentEvent, DeletionRequest, StockAlert, Subscription
from comptoir.core.admin_readonly import ReadOnlyAdminMixin
from comptoir.core.errors import DomainError

STAFF_LANGUAGE = "en"


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("email", "brand", "status", "language", "subscribed_at", "unsubscribed_at")
    list_filter = (BrandFilter, "status", "language")
    list_select_related = ("brand",)
    search_fields = ("email",)
    exclude = ("token_hash",)
    ordering = ("-created_at",)
    list_per_page = 100


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    """The consent history (AL-NEWS-02): append-only, never edited here."""

    list_display = ("at", "email", "brand", "kind", "action", "source", "actor")
    list_filter = (BrandFilter, "kind", "action", "source")
    list_select_related = ("brand",)
    search_fields = ("email",)
    date_hierarchy = "at"
    ordering = ("-at", "-id")
    list_per_page = 100


@admin.register(StockAlert)
class StockAlertAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("email", "variant", "brand", "status", "created_at", "sent_at")
    list_filter = (BrandFilter, "status")
    list_select_related = ("brand", "variant")
    search_fields = ("email", "variant__sku")
    exclude = ("token_hash",)
    ordering = ("-created_at",)
    list_per_page = 100


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    """Account deletions asked from customer care (OG-ACC-03), carried out with the action below."""

    list_display = ("id", "customer", "brand", "status", "requested_at", "carried_out_at", "carried_out_by")
    list_filter = (BrandFilter, "status")
    list_select_related = ("brand", "customer")
    search_fields = ("customer__email", "customer__last_name")
    ordering = ("status", "requested_at")
    actions = ("carry_out",)

    def has_carry_out_permission(self, request):
        return works_for_a_brand(request) or request.user.has_perm("consent.change_deletionrequest")

    @admin.action(description="Carry out: anonymise the account (invoices are kept)", permissions=["carry_out"])
    def carry_out(self, request, queryset):
        done = []
        for deletion in queryset.select_related("brand"):
            try:
                carry_out_deletion_request(deletion.pk, brand=deletion.brand, actor=f"staff:{request.user.username}",
                                           now=request.now)
            except DomainError as error:
                self.message_user(request, f"Request #{deletion.pk}: {error.message(STAFF_LANGUAGE)}", messages.ERROR)
            else:
                done.append(f"#{deletion.pk}")
        if done:
            self.message_user(request, f"Carried out: {', '.join(done)}.", messages.SUCCESS)
