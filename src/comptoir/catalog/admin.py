"""The catalog in the back office: products with their variants, whose stock staff adjust."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.db.models.functions import Greatest

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline, staff_brand_ids
from comptoir.catalog.models import Category, Product, Variant
from comptoir.core.money import Money


class CategoryFilter(admin.SimpleListFilter):
    """Categories of the brands the staff member works for, named with their brand."""

    title = "category"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        categories = Category.objects.select_related("brand").order_by("brand__name", "position")
        ids = staff_brand_ids(request)
        if ids is not None:
            categories = categories.filter(brand__in=ids)
        return [(str(category.pk), f"{category.brand.name} — {category}") for category in categories]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(category__pk=int(value)) if value.isdigit() else queryset.none()


class VariantStockForm(forms.ModelForm):
    # The page keeps the stock it showed (a hidden "initial-" input), so an edit is a difference.
    stock = forms.IntegerField(
        min_value=0, show_hidden_initial=True,
        help_text="Units that can still be sold. A change is applied as a difference, so units reserved by "
                  "orders placed while you edit are kept.")

    class Meta:
        model = Variant
        fields = ("stock", "when_out_of_stock")

    def stock_difference(self) -> int:
        """The edit against the stock the page showed, not against the row as it is now."""
        bound = self["stock"]
        try:
            shown = bound.field.to_python(self.data.get(bound.html_initial_name))
        except ValidationError:
            shown = None
        return self.cleaned_data["stock"] - (self.initial["stock"] if shown is None else shown)


class VariantInline(ScopedInline, admin.TabularInline):
    model = Variant
    form = VariantStockForm
    fields = ("sku", "size", "colour", "stock", "when_out_of_stock")
    readonly_fields = ("sku", "size", "colour")
    extra = 0
    can_delete = False
    staff_may_change = True

    def has_add_permission(self, request, obj=None):
        return False  # SKUs come from the brand's catalog preset

    def has_delete_permission(self, request, obj=None):
        return False


def save_variant_changes(form: VariantStockForm) -> None:
    """Apply a stock edit as a difference with F(): a sale made meanwhile is not overwritten."""
    changes = {}
    if "stock" in form.changed_data:
        changes["stock"] = Greatest(F("stock") + form.stock_difference(), 0)
    if "when_out_of_stock" in form.changed_data:
        changes["when_out_of_stock"] = form.cleaned_data["when_out_of_stock"]
    if changes:
        Variant.objects.filter(pk=form.instance.pk).update(**changes)


@admin.register(Product)
class ProductAdmin(BrandScopedAdmin):
    list_display = ("display_name", "brand", "category", "price", "variant_count", "preorder_ships_on", "is_active")
    list_filter = (BrandFilter, CategoryFilter, "is_active")
    list_select_related = ("brand", "category")
    search_fields = ("slug", "name__en", "name__fr", "variants__sku")
    list_per_page = 50
    inlines = (VariantInline,)
    staff_may_change = True
    fields = ("display_name", "brand", "category", "slug", "price_minor", "price", "preorder_ships_on", "is_active",
              "position", "description_en")
    readonly_fields = ("display_name", "brand", "category", "slug", "price", "description_en")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(variant_count=Count("variants"))

    def has_add_permission(self, request):
        return False  # products come from the brand's catalog preset

    def has_delete_permission(self, request, obj=None):
        return False  # ordered variants are protected; deactivate the product instead

    @admin.display(description="name", ordering="slug")
    def display_name(self, product):
        return product.name.get("en") or product.slug

    @admin.display(description="price (VAT incl.)", ordering="price_minor")
    def price(self, product):
        return Money(product.price_minor, product.brand.policy_object.currency).format("en")

    @admin.display(description="variants", ordering="variant_count")
    def variant_count(self, product):
        return product.variant_count

    @admin.display(description="description")
    def description_en(self, product):
        return product.description.get("en", "")

    def save_formset(self, request, form, formset, change):
        if formset.model is not Variant:
            return super().save_formset(request, form, formset, change)
        changed = [variant_form for variant_form in formset.forms if variant_form.has_changed()]
        for variant_form in changed:
            save_variant_changes(variant_form)
        # The admin's change message reads what formset.save() would have set.
        formset.new_objects, formset.deleted_objects = [], []
        formset.changed_objects = [(variant_form.instance, variant_form.changed_data) for variant_form in changed]
        return None
