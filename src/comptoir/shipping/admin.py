"""Parcels, read-only: shipments are created by the ship action of the order queue."""

from django.contrib import admin
from django.utils.html import format_html

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin
from comptoir.core.admin_readonly import ReadOnlyAdminMixin
from comptoir.shipping.models import Shipment


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    brand_lookup = "order__brand"
    list_display = ("order", "brand", "carrier", "method", "tracking", "shipped_at", "delivered_at")
    list_filter = (BrandFilter, "carrier")
    list_select_related = ("order__brand",)
    search_fields = ("tracking_number", "order__number")
    date_hierarchy = "shipped_at"
    list_per_page = 50
    fields = ("order", "carrier", "method", "tracking_number", "tracking", "shipped_at", "delivered_at")
    readonly_fields = ("tracking",)

    @admin.display(description="brand", ordering="order__brand__name")
    def brand(self, shipment):
        return shipment.order.brand.name

    @admin.display(description="tracking")
    def tracking(self, shipment):
        if shipment.tracking_url:
            return format_html('<a href="{}" rel="noopener">{}</a>', shipment.tracking_url, shipment.tracking_number)
        return shipment.tracking_number or "—"
