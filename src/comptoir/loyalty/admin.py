"""Loyalty in the back office: members with their ledger, and hand adjustments of loves with an audit trail
(who and why stay in the ledger). Entries are never changed or deleted: a correction is another entry."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import admin

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline, staff_brand_ids, \
    works_for_a_brand
from comptoir.core.admin_actions import STAFF_LANGUAGE
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline
from comptoir.core.errors import DomainError
from comptoir.loyalty import services
from comptoir.loyalty.models import LoveEntry, Membership


class LoveEntryInline(ScopedInline, ReadOnlyTabularInline):
    model = LoveEntry
    fields = ("created_at", "kind", "loves", "spend_minor", "available_at", "reason", "reference", "actor")
    ordering = ("-created_at", "-id")
    verbose_name_plural = "ledger (newest first)"


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("customer", "brand", "referral_code", "tier", "joined_at", "left_at")
    list_filter = (BrandFilter, "tier")
    list_select_related = ("customer", "brand")
    search_fields = ("customer__email", "customer__last_name", "referral_code")
    list_per_page = 50
    show_full_result_count = False
    inlines = (LoveEntryInline,)


class AdjustmentForm(forms.ModelForm):
    """Add or remove loves: a positive number adds, a negative one removes; the reason is required."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)  # one entry however often it is submitted

    class Meta:
        model = LoveEntry
        fields = ("membership", "loves", "reason")
        help_texts = {"loves": "Positive to add (goodwill), negative to remove (a correction).",
                      "reason": "Kept in the member's ledger with your user name."}

    now = None  # the request's clock, set by the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["key"].initial = uuid.uuid4().hex

    def clean(self):
        """Refuse here what the service would refuse, so the form comes back filled in with the reason."""
        data = super().clean()
        membership, loves = data.get("membership"), data.get("loves")
        if membership is not None and loves is not None and data.get("reason"):
            decision = services.check_adjustment(membership, loves=loves, reason=data["reason"], now=self.now)
            if not decision:
                raise forms.ValidationError(DomainError(decision.code, **decision.params).message(STAFF_LANGUAGE))
        return data


@admin.register(LoveEntry)
class LoveEntryAdmin(BrandScopedAdmin):
    """The loves ledger of every member; "Add" is a hand adjustment through the loyalty service."""

    brand_lookup = "membership__brand"
    form = AdjustmentForm
    list_display = ("created_at", "member", "kind", "loves", "reason", "actor")
    list_filter = ("kind",)
    list_select_related = ("membership__customer",)
    search_fields = ("membership__customer__email", "reason", "actor", "reference")
    raw_id_fields = ("membership",)
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description="member")
    def member(self, entry):
        return entry.membership.customer.email

    def has_add_permission(self, request):
        return works_for_a_brand(request) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "membership":
            ids = staff_brand_ids(request)
            members = Membership.objects.select_related("customer")
            kwargs["queryset"] = members if ids is None else members.filter(brand__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("membership", "loves", "reason", "key")
        return ("membership", "kind", "loves", "spend_minor", "reason", "reference", "mission_code", "order_line",
                "occurred_at", "available_at", "actor", "created_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:  # an existing entry is shown, never edited
            kwargs["form"] = forms.ModelForm
        form = super().get_form(request, obj, change, **kwargs)
        form.now = request.now
        return form

    def save_model(self, request, obj, form, change):
        """The entry is written by the service (lock, balance check, idempotency), never by the form."""
        entry = services.adjust_loves(form.cleaned_data["membership"], loves=form.cleaned_data["loves"],
                                      reason=form.cleaned_data["reason"], actor=f"staff:{request.user.username}",
                                      key=f"admin:{form.cleaned_data['key']}", now=request.now)
        obj.pk, obj.kind, obj.created_at = entry.pk, entry.kind, entry.created_at

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as error:  # refused by the rule: the form again, with the reason, nothing written
            self.message_user(request, error.message(STAFF_LANGUAGE), level="error")
            return super().add_view(_as_get(request), form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        """Nothing related: the service wrote the single row."""


def _as_get(request):
    """The same request as an empty GET: the add form shown again after a refusal."""
    request.method = "GET"
    return request
