"""The returns queue of the back office: requests to approve, parcels to receive, items to inspect,
refunds to make. Rows change only through the actions (the services), with the request's clock."""

from __future__ import annotations

from django.contrib import admin

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline, works_for_a_brand
from comptoir.core.admin_actions import STAFF_LANGUAGE, ServiceActionsMixin
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline
from comptoir.returns import services, states
from comptoir.returns.models import ReturnedParcel, ReturnEvent, ReturnItem, ReturnRequest


class ReturnItemInline(ScopedInline, ReadOnlyTabularInline):
    model = ReturnItem
    fields = ("order_line", "quantity", "reason_code", "reason_note", "reception_status", "inspection_status",
              "refusal_reason", "inspection_note", "photos", "inspected_by")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order_line")


class ReturnEventInline(ScopedInline, ReadOnlyTabularInline):
    model = ReturnEvent
    fields = ("at", "kind", "from_status", "to_status", "actor", "data")


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ServiceActionsMixin, ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("number", "brand", "order", "status", "status_label", "drop_off", "declared_at", "received_at",
                    "refund_due_at", "email")
    list_filter = (BrandFilter, "status", "drop_off", "channel")
    list_select_related = ("brand", "order")
    search_fields = ("number", "order__number", "email")
    date_hierarchy = "declared_at"
    list_per_page = 50
    show_full_result_count = False
    inlines = (ReturnItemInline, ReturnEventInline)
    actions = ("approve", "receive_in_warehouse", "refund")
    readonly_fields = ("status_label",)

    def has_act_permission(self, request):
        return works_for_a_brand(request) or request.user.has_perm("returns.change_returnrequest")

    @admin.display(description="shown to the shopper")
    def status_label(self, ret):
        return states.status_label(ret.status, STAFF_LANGUAGE)

    action_noun = "Return"
    action_related = ("brand", "order")

    @admin.action(description="Approve (issue the slip or label)", permissions=["act"])
    def approve(self, request, queryset):
        self.apply_service(request, queryset, services.approve_return, "Approved")

    @admin.action(description="Mark received in the warehouse (\"Return received\")", permissions=["act"])
    def receive_in_warehouse(self, request, queryset):
        self.apply_service(request, queryset, services.receive_return, "Received")

    @admin.action(description="Refund the accepted items now", permissions=["act"])
    def refund(self, request, queryset):
        self.apply_service(request, queryset, services.refund_return, "Refunded")


@admin.register(ReturnedParcel)
class ReturnedParcelAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    """AL-SHP-09: parcels back from the carrier and the date their refund falls due."""

    list_display = ("shipment", "order", "returned_at", "refund_due_at", "refunded_at", "refund_reference")
    list_filter = (BrandFilter,)
    list_select_related = ("order", "shipment")
