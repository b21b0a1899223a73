"""The order queue of the back office: find orders, read them whole, move them on.

Actions are thin: each parses the form, calls one service per selected order with the request's
clock (`request.now`, read once at the edge) and the actor "staff:<username>", and reports a
refusal per order in the staff member's language instead of failing the page.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import admin, messages
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from comptoir.brands.admin_scope import BrandFilter, BrandScopedAdmin, ScopedInline, staff_brands, works_for_a_brand
from comptoir.core.admin_actions import STAFF_LANGUAGE, ServiceActionsMixin
from comptoir.core.admin_readonly import ReadOnlyAdminMixin, ReadOnlyTabularInline
from comptoir.core.errors import DomainError
from comptoir.core.money import Money
from comptoir.orders import services, states
from comptoir.orders.models import Order, OrderEvent, OrderLine
from comptoir.payments.models import Payment
from comptoir.shipping.models import Shipment


def late_to_ship(brands, now: datetime) -> Q:
    """Confirmed or being prepared, and the promised dispatch day is past in the brand's time zone."""
    late = Q(pk__in=[])
    for brand in brands:
        today = now.astimezone(brand.policy_object.tz).date()
        late |= Q(brand=brand, dispatch_due_on__lt=today)
    return Q(status__in=[states.CONFIRMED, states.PREPARING]) & late


class WorkQueueFilter(admin.SimpleListFilter):
    title = "work queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("to_confirm", "To confirm"), ("late_to_ship", "Late to ship")]

    def queryset(self, request, queryset):
        if self.value() == "to_confirm":
            return queryset.filter(status=states.AWAITING_CONFIRMATION)
        if self.value() == "late_to_ship":
            return queryset.filter(late_to_ship(staff_brands(request), request.now))
        return queryset


def money(amount_minor: int, currency: str) -> str:
    return Money(amount_minor, currency).format(STAFF_LANGUAGE)


def address_lines(address: dict | None) -> str:
    if not address:
        return "—"
    name = f"{address.get('first_name', '')} {address.get('last_name', '')}".strip()
    city = f"{address.get('postal_code', '')} {address.get('city', '')}".strip()
    lines = [name, address.get("line1", ""), address.get("line2", ""), city, address.get("country", ""),
             address.get("phone", "")]
    return format_html_join("", "{}<br>", ((line,) for line in lines if line))


class OrderLineInline(ScopedInline, ReadOnlyTabularInline):
    model = OrderLine
    fields = ("sku", "product", "size", "colour", "quantity", "unit_price", "total", "ships_on", "parcel")
    readonly_fields = ("product", "unit_price", "total", "parcel")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order", "shipment")

    @admin.display(description="product")
    def product(self, line):
        return line.product_name.get(STAFF_LANGUAGE) or line.sku

    @admin.display(description="unit price")
    def unit_price(self, line):
        return money(line.unit_price_minor, line.order.currency)

    @admin.display(description="total")
    def total(self, line):
        return money(line.total_minor, line.order.currency)

    @admin.display(description="parcel")
    def parcel(self, line):
        return line.shipment.tracking_number if line.shipment else "not shipped"


class ShipmentInline(ScopedInline, ReadOnlyTabularInline):
    model = Shipment
    fields = ("carrier", "method", "tracking", "shipped_at", "delivered_at")
    readonly_fields = ("tracking",)

    @admin.display(description="tracking number")
    def tracking(self, shipment):
        if shipment.tracking_url:
            return format_html('<a href="{}" rel="noopener">{}</a>', shipment.tracking_url, shipment.tracking_number)
        return shipment.tracking_number


class PaymentInline(ScopedInline, ReadOnlyTabularInline):
    model = Payment
    fields = ("method", "status", "amount", "card", "psp_reference", "refusal_code", "created_at")
    readonly_fields = ("amount", "card")
    show_change_link = True

    @admin.display(description="amount")
    def amount(self, payment):
        return money(payment.amount_minor, payment.currency)

    @admin.display(description="card")
    def card(self, payment):
        return f"{payment.card_network} •••• {payment.card_last4}" if payment.card_last4 else "—"


class OrderEventInline(ScopedInline, ReadOnlyTabularInline):
    model = OrderEvent
    fields = ("at", "kind", "from_status", "to_status", "actor", "data")
    verbose_name_plural = "history"


@admin.register(Order)
class OrderAdmin(ServiceActionsMixin, ReadOnlyAdminMixin, BrandScopedAdmin):
    list_display = ("number", "brand", "status", "placed_at", "total", "dispatch_due_on", "email")
    list_filter = (BrandFilter, "status", WorkQueueFilter)
    list_select_related = ("brand",)
    search_fields = ("number", "email", "customer__last_name", "shipping_address__last_name")
    date_hierarchy = "placed_at"
    list_per_page = 50
    show_full_result_count = False  # the queue can be long; one COUNT per page is enough
    inlines = (OrderLineInline, ShipmentInline, PaymentInline, OrderEventInline)
    actions = ("confirm", "prepare", "ship", "make_ready_for_pickup", "deliver", "cancel")
    fieldsets = (
        (None, {"fields": ("number", "brand", "status", "next_moves", "email", "customer", "language",
                           "placed_at", "confirmed_at")}),
        ("Amounts", {"fields": ("subtotal", "shipping", "vat", "total", "prices_include_vat")}),
        ("Delivery", {"fields": ("shipping_method", "shipping_address_text", "dispatch_due_on",
                                 "delivery_earliest_on", "delivery_latest_on")}),
        ("Payment", {"fields": ("payment_method", "billing_address_text", "payment_due_by")}),
    )
    readonly_fields = ("next_moves", "subtotal", "shipping", "vat", "total", "shipping_address_text",
                       "billing_address_text")

    def has_act_permission(self, request):
        return works_for_a_brand(request) or request.user.has_perm("orders.change_order")

    @admin.display(description="total", ordering="total_minor")
    def total(self, order):
        return money(order.total_minor, order.currency)

    @admin.display(description="subtotal")
    def subtotal(self, order):
        return money(order.subtotal_minor, order.currency)

    @admin.display(description="shipping")
    def shipping(self, order):
        return money(order.shipping_minor, order.currency)

    @admin.display(description="VAT included")
    def vat(self, order):
        return money(order.vat_minor, order.currency)

    @admin.display(description="shipping address")
    def shipping_address_text(self, order):
        return address_lines(order.shipping_address)

    @admin.display(description="billing address")
    def billing_address_text(self, order):
        return address_lines(order.billing_address)

    @admin.display(description="possible moves")
    def next_moves(self, order):
        return ", ".join(states.allowed_moves(order.status)) or "none (final state)"

    # --- actions: one service call per selected order -------------------------------------------

    action_noun = "Order"
    action_related = ("brand",)

    @admin.action(description="Confirm (asks the bank for the pre-authorisation)", permissions=["act"])
    def confirm(self, request, queryset):
        self.apply_service(request, queryset, services.confirm_order, "Confirmed")

    @admin.action(description="Mark being prepared", permissions=["act"])
    def prepare(self, request, queryset):
        self.apply_service(request, queryset, services.prepare_order, "Being prepared")

    @admin.action(description="Mark ready for pick-up at the store", permissions=["act"])
    def make_ready_for_pickup(self, request, queryset):
        self.apply_service(request, queryset, services.mark_ready_for_pickup, "Ready for pick-up")

    @admin.action(description="Mark delivered", permissions=["act"])
    def deliver(self, request, queryset):
        self.apply_service(request, queryset, services.mark_delivered, "Delivered")

    @admin.action(description="Ship with a tracking number…", permissions=["act"])
    def ship(self, request, queryset):
        orders = list(queryset.select_related("brand"))
        if request.POST.get("apply") != "ship":
            return self._form(request, "ship", orders, "Ship orders",
                              parcels=[(order, order.brand.policy_object.shipping_method(order.shipping_method))
                                       for order in orders])
        actor = f"staff:{request.user.username}"
        shipped = []
        for order in orders:
            tracking_number = request.POST.get(f"tracking_number_{order.pk}", "")
            try:
                shipment = services.ship_order(order, tracking_number=tracking_number, line_ids=None, actor=actor,
                                               now=request.now)
            except DomainError as error:
                self.message_user(request, f"Order {order.number}: {error.message(STAFF_LANGUAGE)}", messages.ERROR)
            else:
                shipped.append(f"{order.number} ({shipment.carrier} {shipment.tracking_number})")
        if shipped:
            self.message_user(request, f"Shipped: {', '.join(shipped)}.", messages.SUCCESS)
        return None

    @admin.action(description="Cancel with a reason…", permissions=["act"])
    def cancel(self, request, queryset):
        orders = list(queryset.select_related("brand"))
        reason = request.POST.get("reason", "").strip()
        if request.POST.get("apply") != "cancel" or not reason:
            error = "Give the reason: the shopper reads it in the cancellation e-mail." \
                if request.POST.get("apply") == "cancel" else ""
            return self._form(request, "cancel", orders, "Cancel orders", reason=reason, error=error)
        self.apply_service(request, queryset, services.cancel_order, "Cancelled", by_shopper=False, reason=reason[:500])
        return None

    def _form(self, request, action: str, orders: list[Order], title: str, **context) -> TemplateResponse:
        """The intermediate page of an action: it posts back to the changelist with `apply`."""
        return TemplateResponse(request, f"admin/orders/order/{action}.html", {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "orders": orders,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **context,
        })
