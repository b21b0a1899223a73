"""Brand scoping for the back office: a staff member sees only the brands they work for.

A `StaffMembership` is the authorisation, as in the staff API (`check_staff_access`): it lets a
staff user view their brands' data (and change it where an admin allows changes) without Django
model permissions. Superusers see every brand.
"""

from __future__ import annotations

from django.contrib import admin

from comptoir.brands.models import Brand, StaffMembership


def staff_brand_ids(request) -> frozenset[int] | None:
    """The ids of the brands the user works for, or None for a superuser (every brand)."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return frozenset()
    if user.is_superuser:
        return None
    if not hasattr(request, "_staff_brand_ids"):
        request._staff_brand_ids = frozenset(
            StaffMembership.objects.filter(user=user).values_list("brand_id", flat=True)
        )
    return request._staff_brand_ids


def staff_brands(request):
    ids = staff_brand_ids(request)
    brands = Brand.objects.order_by("name")
    return brands if ids is None else brands.filter(pk__in=ids)


def works_for_a_brand(request) -> bool:
    ids = staff_brand_ids(request)
    return ids is None or bool(ids)


class MembershipAccess:
    """Membership grants view (and, if `staff_may_change`, change) access; Django permissions still count."""

    staff_may_change = False

    def has_module_permission(self, request):
        return works_for_a_brand(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return works_for_a_brand(request) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self.staff_may_change and works_for_a_brand(request):
            return True
        return super().has_change_permission(request, obj)


class BrandScopedAdmin(MembershipAccess, admin.ModelAdmin):
    """A model admin whose rows belong to a brand through `brand_lookup` ("brand", "order__brand")."""

    brand_lookup = "brand"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        ids = staff_brand_ids(request)
        if ids is None:
            return rows
        return rows.filter(**{f"{self.brand_lookup}__in": ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Brand:
            kwargs["queryset"] = staff_brands(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedInline(MembershipAccess):
    """Inlines follow their parent, which is already scoped; membership lets staff see them."""


class BrandFilter(admin.SimpleListFilter):
    """Filter by brand, offering only the brands the staff member works for."""

    title = "brand"
    parameter_name = "brand"

    def __init__(self, request, params, model, model_admin):
        self.brand_lookup = getattr(model_admin, "brand_lookup", "brand")
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [(str(brand.pk), brand.name) for brand in staff_brands(request)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.brand_lookup}__pk": int(value)})
