"""Gift cards and credit notes, read-only: cards change only through the services' ledger entries.

The clear code is never stored, so never shown; staff find a card by its last four characters.
"""

from django.contrib import admin

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline
from comptoir.core.money import Money
from comptoir.giftcards.models import StoredValueCard, StoredValueEntry


class StoredValueEntryInline(ScopedInline, ReadOnlyTabularInline):
    model = StoredValueEntry
    fields = ("created_at", "kind", "amount", "order", "idempotency_key")
    readonly_fields = ("amount",)
    verbose_name_plural = "ledger entries"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("card", "order")

    @admin.display(description="amount")
    def amount(self, entry):
        return Money(entry.amount_minor, entry.card.currency).format("en")


@admin.register(StoredValueCard)
class StoredValueCardAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("__str__", "brand", "kind", "balance", "initial", "expires_at", "recipient_email", "issued_at")
    list_filter = (BrandFilter, "kind")
    list_select_related = ("brand",)
    search_fields = ("code_last4", "recipient_email", "source_order__number")
    date_hierarchy = "issued_at"
    list_per_page = 50
    inlines = (StoredValueEntryInline,)
    fields = ("brand", "kind", "code_last4", "currency", "initial", "balance", "issued_at", "expires_at",
              "recipient_email", "language", "source_order", "created_at")
    readonly_fields = ("initial", "balance")

    @admin.display(description="balance", ordering="balance_minor")
    def balance(self, card):
        return Money(card.balance_minor, card.currency).format("en")

    @admin.display(description="initial value", ordering="initial_minor")
    def initial(self, card):
        return Money(card.initial_minor, card.currency).format("en")
