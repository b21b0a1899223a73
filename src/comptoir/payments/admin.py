"""Payments and their ledger, read-only: entries are appended by the payment services only."""

from django.contrib import admin

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline
from comptoir.core.money import Money
from comptoir.payments.models import Payment, PaymentEntry


class PaymentEntryInline(ScopedInline, ReadOnlyTabularInline):
    model = PaymentEntry
    fields = ("created_at", "kind", "amount", "psp_reference", "idempotency_key", "data")
    readonly_fields = ("amount",)
    verbose_name_plural = "ledger entries"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("payment")

    @admin.display(description="amount")
    def amount(self, entry):
        return Money(entry.amount_minor, entry.payment.currency).format("en")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    brand_lookup = "order__brand"
    list_display = ("order", "brand", "method", "status", "amount", "card", "psp_reference", "created_at")
    list_filter = (BrandFilter, "status", "method")
    list_select_related = ("order__brand",)
    search_fields = ("order__number", "psp_reference", "card_last4")
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = (PaymentEntryInline,)
    fields = ("order", "method", "status", "amount", "card", "psp_reference", "refusal_code", "created_at",
              "updated_at")
    readonly_fields = ("amount", "card")

    @admin.display(description="brand", ordering="order__brand__name")
    def brand(self, payment):
        return payment.order.brand.name

    @admin.display(description="amount", ordering="amount_minor")
    def amount(self, payment):
        return Money(payment.amount_minor, payment.currency).format("en")

    @admin.display(description="card")
    def card(self, payment):
        return f"{payment.card_network} •••• {payment.card_last4}" if payment.card_last4 else "—"
