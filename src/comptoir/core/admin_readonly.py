"""Read-only admin pages and inlines: rows written only by services (ledgers, logs, parcels)."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdminMixin:
    """No add, change or delete: Django then renders every field as read-only text."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
