"""Exchanges in the back office: read-only, with their events; rows change only through the services."""

from __future__ import annotations

from django.contrib import admin

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline
from comptoir.exchanges.models import ExchangeEvent, ExchangeRequest


class ExchangeEventInline(ScopedInline, ReadOnlyTabularInline):
    model = ExchangeEvent
    fields = ("at", "kind", "from_status", "to_status", "actor", "data")


@admin.register(ExchangeRequest)
class ExchangeRequestAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("id", "brand", "original_order", "kind", "wanted_sku", "status", "supplement_minor",
                    "refund_minor", "exchange_order", "requested_at")
    list_filter = (BrandFilter, "status", "kind", "channel")
    list_select_related = ("brand", "original_order", "exchange_order")
    search_fields = ("original_order__number", "exchange_order__number", "wanted_sku")
    date_hierarchy = "requested_at"
    list_per_page = 50
    show_full_result_count = False
    inlines = (ExchangeEventInline,)
