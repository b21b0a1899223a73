"""A read-only view of the sandbox PSP for staff: what the fake bank saw, never editable."""

from django.contrib import admin

from comptoir.psp_sandbox.models import SandboxOperation, SandboxTransaction, SandboxWebhookEvent


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OperationInline(ReadOnlyInline):
    model = SandboxOperation
    fields = ("created_at", "kind", "amount_minor", "idempotency_key", "result")
    readonly_fields = fields


class WebhookEventInline(ReadOnlyInline):
    model = SandboxWebhookEvent
    fields = ("created_at", "type", "event_id", "delivered_at")
    readonly_fields = fields


@admin.register(SandboxTransaction)
class SandboxTransactionAdmin(admin.ModelAdmin):
    list_display = (
        "psp_reference", "merchant_reference", "method", "status", "currency",
        "amount_authorised_minor", "amount_captured_minor", "amount_refunded_minor",
        "card_network", "card_last4", "created_at",
    )
    list_filter = ("status", "method", "card_network")
    search_fields = ("psp_reference", "merchant_reference", "card_last4")
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = (OperationInline, WebhookEventInline)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
