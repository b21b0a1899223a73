"""The help-center FAQ, read-only: entries come from the brand's preset (faq.toml)."""

from django.contrib import admin

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin
from comptoir.care.models import Case, FaqEntry
from comptoir.core.admin_readonly import ReadOnlyAdminMixin


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


@admin.register(Case)
class CaseAdmin(BrandScopedAdmin):
    """Customer-care cases (failed scheduled payments, transfers to send back); staff change the status."""

    list_display = ("created_at", "kind", "subject", "status", "email", "order", "brand")
    list_filter = (BrandFilter, "status", "kind")
    list_select_related = ("brand", "order")
    search_fields = ("subject", "email", "order__number")
    list_per_page = 50
    fields = ("brand", "kind", "subject", "email", "order", "customer", "status", "created_at")
    readonly_fields = ("brand", "kind", "subject", "email", "order", "customer", "created_at")

    def has_add_permission(self, request):
        return False  # cases are opened by the services (escalations) and, later, the help center
