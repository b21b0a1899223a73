"""Repairs in the back office (AA-REP-01): the queue, each repair's photos of the damage and events, and the
moves that need no form (ask for the item, receive it). Assessments and quotes go through the staff API, which
takes their amounts."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline, works_for_a_brand
from comptoir.core.admin_actions import STAFF_LANGUAGE, ServiceActionsMixin
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline
from comptoir.core.errors import DomainError
from comptoir.core.images import image_response
from comptoir.repairs import photos, services, states
from comptoir.repairs.models import RepairEvent, RepairPhoto, RepairRequest


class RepairPhotoInline(ScopedInline, ReadOnlyTabularInline):
    model = RepairPhoto
    fields = ("thumbnail", "content_type", "width", "height", "size_bytes", "original_name", "uploaded_at",
              "uploaded_by")
    readonly_fields = ("thumbnail",)

    @admin.display(description="photo")
    def thumbnail(self, photo):
        url = reverse("admin:repairs_repairrequest_photo", args=[photo.repair_id, photo.pk])
        return format_html('<a href="{}"><img src="{}" alt="Photo {}" height="80" loading="lazy"></a>', url, url,
                           photo.pk)


class RepairEventInline(ScopedInline, ReadOnlyTabularInline):
    model = RepairEvent
    fields = ("at", "kind", "from_status", "to_status", "actor", "data")


@admin.register(RepairRequest)
class RepairRequestAdmin(ServiceActionsMixin, ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("number", "brand", "status", "status_label", "assessment", "quote_minor", "payment_status",
                    "email", "requested_at")
    list_filter = (BrandFilter, "status", "assessment")
    list_select_related = ("brand",)
    search_fields = ("number", "email", "order__number")
    date_hierarchy = "requested_at"
    list_per_page = 50
    show_full_result_count = False
    inlines = (RepairPhotoInline, RepairEventInline)
    actions = ("ask_for_item", "receive")
    readonly_fields = ("status_label",)

    def get_urls(self):
        return [
            path("<uuid:repair_id>/photos/<int:photo_id>/", self.admin_site.admin_view(self.photo_view),
                 name="repairs_repairrequest_photo"),
            *super().get_urls(),
        ]

    def photo_view(self, request, repair_id, photo_id: int):
        """A photo of the damage, for staff of the repair's brand only."""
        repair = self.get_queryset(request).filter(pk=repair_id).first()
        if repair is None or not self.has_view_permission(request):
            raise Http404
        try:
            return image_response(photos.photo_of(repair, photo_id))
        except DomainError:
            raise Http404 from None

    def has_act_permission(self, request):
        return works_for_a_brand(request) or request.user.has_perm("repairs.change_repairrequest")

    @admin.display(description="shown to the shopper")
    def status_label(self, repair):
        return states.status_label(repair.status, STAFF_LANGUAGE)

    action_noun = "Repair"
    action_related = ("brand", "order", "order_line")

    @admin.action(description="Ask the shopper to send the item", permissions=["act"])
    def ask_for_item(self, request, queryset):
        self.apply_service(request, queryset, services.ask_for_item, "Asked for the item")

    @admin.action(description="Mark the item received in the workshop", permissions=["act"])
    def receive(self, request, queryset):
        self.apply_service(request, queryset, services.receive_item, "Received")
