"""The returns queue of the back office: requests to approve, parcels to receive, items to inspect,
refunds to make. Rows change only through the actions (the services), with the request's clock."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline, works_for_a_brand
from comptoir.core.admin_actions import STAFF_LANGUAGE, ServiceActionsMixin
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline
from comptoir.core.errors import DomainError
from comptoir.core.images import image_response
from comptoir.returns import photos, services, states
from comptoir.returns.inspection_form import item_forms
from comptoir.returns.models import ReturnedParcel, ReturnEvent, ReturnItem, ReturnRequest


class ReturnItemInline(ScopedInline, ReadOnlyTabularInline):
    model = ReturnItem
    fields = ("order_line", "quantity", "reason_code", "reason_note", "reception_status", "inspection_status",
              "refusal_reason", "inspection_note", "inspected_by", "restocked_at")

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
    readonly_fields = ("status_label", "inspection")

    def get_urls(self):
        return [
            path("<uuid:return_id>/inspect/", self.admin_site.admin_view(self.inspect_view),
                 name="returns_returnrequest_inspect"),
            path("<uuid:return_id>/photos/<int:photo_id>/", self.admin_site.admin_view(self.photo_view),
                 name="returns_returnrequest_photo"),
            *super().get_urls(),
        ]

    def _scoped_return(self, request, return_id) -> ReturnRequest:
        ret = (self.get_queryset(request).select_related("brand", "order")
               .prefetch_related("items__order_line", "items__inspection_photos").filter(pk=return_id).first())
        if ret is None or not self.has_view_permission(request):
            raise Http404
        return ret

    def inspect_view(self, request, return_id):
        """Item by item: outcome, the brand's refusal reason, note, photos (OG-RET-04, AA-RET-02, AL-RET-05).
        Photos are stored first, then the decided items go to `inspect_items` with the request's clock."""
        ret = self._scoped_return(request, return_id)
        if request.method == "POST" and not self.has_act_permission(request):
            raise Http404
        policy = ret.brand.policy_object
        forms = item_forms(ret, policy, request.POST or None, request.FILES or None)
        if request.method == "POST" and all(form.is_valid() for form in forms):
            actor = f"staff:{request.user.username}"
            try:
                for form in forms:
                    if form.cleaned_data["photos"]:
                        checked = [photos.check_upload(upload) for upload in form.cleaned_data["photos"]]
                        photos.add_inspection_photos(ret, item_id=form.item.pk, photos=checked, actor=actor,
                                                     now=request.now)
                decided = [services.ItemInspection(form.item.pk, form.cleaned_data["outcome"] == "accept",
                                                   form.cleaned_data["refusal_reason"] or "", form.cleaned_data["note"])
                           for form in forms if form.cleaned_data["outcome"] != "pending"]
                if decided:
                    ret = services.inspect_items(ret, inspections=decided, actor=actor, now=request.now)
            except DomainError as error:
                self.message_user(request, f"Return {ret.number}: {error.message(STAFF_LANGUAGE)}", messages.ERROR)
            else:
                self.message_user(request, f"Return {ret.number}: inspection saved ({ret.status}).", messages.SUCCESS)
                return redirect(reverse("admin:returns_returnrequest_change", args=[ret.pk]))
            forms = item_forms(self._scoped_return(request, return_id), policy)
        context = {**self.admin_site.each_context(request), "ret": ret, "forms": forms, "opts": self.model._meta,
                   "open": ret.status == states.RECEIVED, "title": f"Inspect {ret.number}"}
        return TemplateResponse(request, "admin/returns/inspect.html", context)

    def photo_view(self, request, return_id, photo_id: int):
        """An inspection photo, for staff of the return's brand only."""
        ret = self._scoped_return(request, return_id)
        try:
            photo = photos.photo_of(ret, photo_id)
        except DomainError:
            raise Http404 from None
        return image_response(photo)

    @admin.display(description="inspection")
    def inspection(self, ret):
        if ret.status != states.RECEIVED:
            return "—"
        return format_html('<a href="{}">Inspect the items (outcome, reason, note, photos)</a>',
                           reverse("admin:returns_returnrequest_inspect", args=[ret.pk]))

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
