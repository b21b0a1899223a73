"""Read-only admin for the outbox, so staff (and the demo) can read the e-mails that were sent."""

from django.contrib import admin

from comptoir.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "recipient", "template", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "template", "brand_slug")
    search_fields = ("recipient", "idempotency_key")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("channel", "brand_slug", "recipient", "template", "language", "status",
                           "attempts", "created_at", "available_at", "sent_at", "last_error",
                           "idempotency_key")}),
        ("Sent e-mail", {"fields": ("subject", "rendered_text")}),
        ("Payload", {"classes": ("collapse",), "fields": ("context", "body", "headers")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    # The outbox is written by services and the worker only; staff read it.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
