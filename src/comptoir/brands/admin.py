"""Brands in the back office: a read-only view of each policy, and who works for the brand."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from comptoir.brands.admin_scope import BrandScopedAdmin
from comptoir.brands.models import Brand, StaffMembership
from comptoir.core.money import Money

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

PRESET_NOTE = (
    "The policy comes from the brand's preset folder (policy.toml, validated against the policy schema) "
    "and is loaded with `comptoir brands load`. It cannot be edited here: change the preset and load it again."
)


def table(headers: tuple[str, ...], rows) -> str:
    head = format_html_join("", "<th>{}</th>", ((header,) for header in headers))
    body = format_html_join("", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),)
                                                 for row in rows))
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


def weekdays(days) -> str:
    return ", ".join(WEEKDAYS[day] for day in days)


def clock(value) -> str:
    return value.strftime("%H:%M") if value else "—"


class StaffMembershipInline(admin.TabularInline):
    """Only superusers grant or withdraw access to a brand."""

    model = StaffMembership
    extra = 0
    verbose_name = "staff member"
    verbose_name_plural = "staff members"

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Brand)
class BrandAdmin(BrandScopedAdmin):
    brand_lookup = "pk"
    list_display = ("name", "slug", "currency", "timezone", "confirmation", "card_payment", "updated_at")
    search_fields = ("name", "slug")
    inlines = (StaffMembershipInline,)
    readonly_fields = ("name", "slug", "created_at", "updated_at", "currency", "timezone", "languages",
                       "orders_policy", "dispatch_rule", "shipping_methods", "shipping_zones", "payment_methods",
                       "contact", "stores", "policy_json")
    fieldsets = (
        (None, {"fields": ("name", "slug", "currency", "timezone", "languages", "created_at", "updated_at")}),
        ("Policy", {"description": PRESET_NOTE,
                    "fields": ("orders_policy", "dispatch_rule", "payment_methods", "contact", "stores")}),
        ("Shipping", {"fields": ("shipping_methods", "shipping_zones")}),
        ("Whole policy (JSON)", {"classes": ("collapse",), "fields": ("policy_json",)}),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Superusers "change" a brand only to manage its staff memberships; every field is read-only.
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        """Nothing to save on the brand row itself: it is written by the preset loader only."""

    @admin.display(description="currency")
    def currency(self, brand):
        return brand.policy_object.currency

    @admin.display(description="time zone")
    def timezone(self, brand):
        return brand.policy_object.timezone

    @admin.display(description="languages")
    def languages(self, brand):
        policy = brand.policy_object
        return f"{', '.join(policy.languages)} (default {policy.default_language})"

    @admin.display(description="confirmation")
    def confirmation(self, brand):
        return brand.policy_object.orders.confirmation

    @admin.display(description="card payment")
    def card_payment(self, brand):
        return brand.policy_object.orders.card_payment

    @admin.display(description="orders")
    def orders_policy(self, brand):
        orders = brand.policy_object.orders
        cancellation = orders.cancellation
        deadline = cancellation.deadline
        if cancellation.same_day_cutoff_local_time:
            deadline += f" (before {clock(cancellation.same_day_cutoff_local_time)})"
        return table(("Rule", "Value"), [
            ("Confirmation", orders.confirmation),
            ("Card payment", orders.card_payment),
            ("Cancellation", f"{cancellation.channel}, {deadline}"),
            ("Shopper may change", ", ".join(orders.modification.shopper_may_change) or "nothing"),
            ("Staff may change the shipping address", "yes" if orders.modification.staff_may_change_shipping_address
             else "no"),
            ("Payment step timeout", f"{orders.payment_step_timeout_minutes} min"),
            ("Order number prefix", orders.order_number_prefix),
        ])

    @admin.display(description="dispatch rule")
    def dispatch_rule(self, brand):
        dispatch = brand.policy_object.dispatch
        if dispatch.rule == "cutoff":
            rule = f"ordered before {clock(dispatch.cutoff_local_time)} on a working day ships that day"
        else:
            rule = f"ships within {dispatch.within_working_hours} working hours"
        return table(("Rule", "Value"), [
            ("Dispatch", rule),
            ("Counted from", dispatch.counts_from),
            ("Working days", weekdays(dispatch.working_weekdays)),
            ("Public holidays of", dispatch.holidays_country),
            ("Pre-orders ship separately", "yes" if dispatch.split_preorders else "no"),
        ])

    @admin.display(description="methods")
    def shipping_methods(self, brand):
        policy = brand.policy_object
        rows = []
        for method in policy.shipping.methods:
            for rate in method.rates:
                rows.append((
                    method.code, method.name.en, method.carrier, method.kind, rate.zone,
                    Money(rate.price_minor, policy.currency).format("en"),
                    f"{rate.transit_working_days_min}–{rate.transit_working_days_max} working days",
                    weekdays(method.delivery_weekdays),
                    clock(method.order_cutoff_local_time) if method.order_cutoff_local_time else "",
                ))
        return table(("Code", "Name", "Carrier", "Kind", "Zone", "Price", "Transit", "Delivers", "Order cut-off"), rows)

    @admin.display(description="zones")
    def shipping_zones(self, brand):
        shipping = brand.policy_object.shipping
        rows = [(zone, ", ".join(countries)) for zone, countries in shipping.zones.items()]
        rows.append(("PO boxes", "refused" if shipping.refuse_po_boxes else "accepted"))
        return table(("Zone", "Countries"), rows)

    @admin.display(description="payment methods")
    def payment_methods(self, brand):
        payments = brand.policy_object.payments
        return table(("Rule", "Value"), [
            ("Methods", ", ".join(payments.methods)),
            ("Card networks", ", ".join(payments.card_networks) or "—"),
            ("3-D Secure", payments.three_d_secure),
        ])

    @admin.display(description="contact")
    def contact(self, brand):
        contact = brand.policy_object.contact
        rows = [("E-mail", contact.email), ("Phone", contact.phone or "—"),
                ("Contact form", "yes" if contact.contact_form else "no")]
        rows += [(f"Open {weekdays(hours.weekdays)}",
                  f"{clock(hours.opens_local_time)}–{clock(hours.closes_local_time)}")
                 for hours in contact.opening_hours]
        return table(("Channel", "Value"), rows)

    @admin.display(description="stores")
    def stores(self, brand):
        stores = brand.policy_object.stores
        if not stores:
            return "none"
        return table(("Code", "Name", "Address"), [
            (store.code, store.name, f"{store.address.line1}, {store.address.postal_code} {store.address.city}, "
                                     f"{store.address.country}") for store in stores])

    @admin.display(description="policy")
    def policy_json(self, brand):
        return format_html("<pre>{}</pre>", json.dumps(brand.policy, indent=2, ensure_ascii=False, sort_keys=True))
