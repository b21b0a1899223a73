"""Customer care in the back office: the FAQ (read-only, from the preset), the cases inbox with replies,
service notices, and the assistant's log (read-only)."""

from django import forms
from django.contrib import admin

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline, works_for_a_brand
from comptoir.care.cases import reply_to_case
from comptoir.care.help_center import record_help_content_change
from comptoir.care.models import AssistantLog, Case, CaseMessage, FaqEntry, ServiceNotice
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline


@admin.register(FaqEntry)
class FaqEntryAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("question_en", "brand", "category", "key", "position")
    list_filter = (BrandFilter, "category")
    list_select_related = ("brand",)
    search_fields = ("key", "category", "question__en", "question__fr", "answer__en", "answer__fr")
    list_per_page = 50
    fields = ("brand", "key", "category", "question_en", "answer_en", "question_fr", "answer_fr", "phrasings",
              "position")
    readonly_fields = ("question_en", "answer_en", "question_fr", "answer_fr")

    @admin.display(description="question", ordering="position")
    def question_en(self, entry):
        return entry.question.get("en", entry.key)

    @admin.display(description="answer")
    def answer_en(self, entry):
        return entry.answer.get("en", "")

    @admin.display(description="question (fr)")
    def question_fr(self, entry):
        return entry.question.get("fr", "")

    @admin.display(description="answer (fr)")
    def answer_fr(self, entry):
        return entry.answer.get("fr", "")


class CaseMessageInline(ScopedInline, ReadOnlyTabularInline):
    model = CaseMessage
    fields = ("created_at", "author", "staff_user", "body")


class CaseForm(forms.ModelForm):
    reply = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Sent to the shopper by e-mail and shown in their account; the case becomes “answered”.",
    )

    class Meta:
        model = Case
        fields = ("status",)


@admin.register(Case)
class CaseAdmin(BrandScopedAdmin):
    """The customer-care inbox (ALL-CARE-02): requests, claims and escalations; staff reply from the case."""

    form = CaseForm
    staff_may_change = True
    list_display = ("created_at", "kind", "subject", "status", "expected_answer_by", "email", "order", "brand")
    list_filter = (BrandFilter, "status", "kind")
    list_select_related = ("brand", "order")
    search_fields = ("subject", "email", "order__number")
    list_per_page = 50
    fields = ("brand", "kind", "subject", "email", "order", "customer", "status", "created_at",
              "expected_answer_by", "reported_to_carrier", "answered_at", "reply")
    readonly_fields = ("brand", "kind", "subject", "email", "order", "customer", "created_at",
                       "expected_answer_by", "reported_to_carrier", "answered_at")
    inlines = (CaseMessageInline,)

    def has_add_permission(self, request):
        return False  # cases are opened by the services: contact form, claims, escalations

    def has_delete_permission(self, request, obj=None):
        return False  # the trail of a request stays

    def save_model(self, request, obj, form, change):
        reply = form.cleaned_data.get("reply", "").strip()
        if reply:
            reply_to_case(obj, request.user, reply, request.now)  # sets status "answered", e-mails the shopper
            obj.refresh_from_db()
        if "status" in form.changed_data and not reply:
            obj.save(update_fields=["status"])


@admin.register(ServiceNotice)
class ServiceNoticeAdmin(BrandScopedAdmin):
    """Service notices (AL-CARE-03): shown in the help center, answered by the assistant, and at checkout for
    the listed e-mail domains."""

    staff_may_change = True
    list_display = ("key", "brand", "starts_at", "ends_at", "email_domains")
    list_filter = (BrandFilter,)
    list_select_related = ("brand",)
    fields = ("brand", "key", "title", "body", "phrasings", "email_domains", "starts_at", "ends_at")

    def has_add_permission(self, request):
        return works_for_a_brand(request) or super().has_add_permission(request)

    def save_model(self, request, obj, form, change):
        obj.updated_at = request.now
        super().save_model(request, obj, form, change)
        record_help_content_change(obj.brand)  # the assistant's index is rebuilt

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        record_help_content_change(obj.brand)

    def delete_queryset(self, request, queryset):
        brands = {notice.brand for notice in queryset.select_related("brand")}
        super().delete_queryset(request, queryset)
        for brand in brands:
            record_help_content_change(brand)


@admin.register(AssistantLog)
class AssistantLogAdmin(ReadOnlyAdminMixin, BrandScopedAdmin):
    """The assistant's audit trail: what shoppers asked and what it answered (read-only)."""

    list_display = ("at", "brand", "question", "language", "intent", "answer_ids", "confidence",
                    "handover_reason", "customer")
    list_filter = (BrandFilter, "intent", "handover_reason", "language")
    list_select_related = ("brand", "customer")
    search_fields = ("question",)
    list_per_page = 100
