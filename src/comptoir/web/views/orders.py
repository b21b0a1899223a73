"""One order for its shopper (signed in, or the guest whose session placed or found it): status, parcels
with their tracking link (ALL-SHP-06), invoice PDF (OG-ORD-06), cancellation where allowed (AA-ORD-05)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from comptoir.core.errors import Conflict, DomainError
from comptoir.invoices.pdf import render_pdf
from comptoir.invoices.services import RULE as INVOICE_RULE
from comptoir.invoices.services import invoice_for_order
from comptoir.orders import queries
from comptoir.orders.emails import status_label
from comptoir.orders.rules import OrderFacts, check_shopper_cancellation
from comptoir.orders.services import cancel_order
from comptoir.orders.states import NOT_DISPATCHED
from comptoir.returns.queries import order_returns
from comptoir.returns.states import status_label as return_status_label
from comptoir.web import session
from comptoir.web.pages import brand_page, message_of, show
from comptoir.web.swatches import silhouette

# A repair is asked for an item the shopper has (AA-REP-01).
DISPATCHED_OR_DONE = ("shipped", "partially_shipped", "delivered")


def find_order(request, brand, number: str):
    """The order if the signed-in shopper owns it or the session holds its access token (else NotFound)."""
    token = request.GET.get("token") or session.order_token(request, brand, number)
    order = queries.shopper_order(brand, number, customer=request.customer, access_token=token)
    if token and request.customer is None:
        session.remember_order(request, brand, number, order.access_token)
    return order


def _order_page(request, brand, number: str, *, error: str = "", status: int = 200):
    order = find_order(request, brand, number)
    policy = brand.policy_object
    cancellable = check_shopper_cancellation(policy, OrderFacts(order.status, order.placed_at), request.now)
    pending = next((p for p in order.payments.all() if p.status == "requires_action"), None)
    method = policy.shipping_method(order.shipping_method) if order.shipping_method else None
    lines = [{"line": line, "name": line.product_name.get(request.language) or line.product_name.get("en", line.sku),
              "shape": silhouette(line.sku)} for line in order.lines.all()]
    return show(request, "web/orders/order.html", {
        "order": order, "lines": lines, "status_label": status_label(order.status, request.language),
        "shipments": list(order.shipments.all()), "cancellable": cancellable.allowed,
        "cancel_note": message_of(request, _refusal(cancellable))
        if not cancellable.allowed and order.status in NOT_DISPATCHED else "",
        "invoice": invoice_for_order(order), "pending_payment": pending, "method": method,
        "returns": [{"ret": ret, "label": return_status_label(ret.status, request.language)}
                    for ret in order_returns(order)],
        "may_return": policy.returns is not None and order.status in ("delivered", "shipped", "partially_shipped"),
        "may_exchange": policy.exchanges is not None and policy.returns is not None and order.status == "delivered",
        "may_repair": policy.repairs is not None and policy.repairs.offered and order.status in DISPATCHED_OR_DONE,
        "placed": request.GET.get("placed") == "1", "error": error, "currency": order.currency,
    }, status=status)


def _refusal(decision) -> DomainError:
    return Conflict(decision.code, rule=decision.rule, **decision.params)


@brand_page
def order_page(request, brand, number: str):
    return _order_page(request, brand, number)


@require_POST
@brand_page
def cancel(request, brand, number: str):
    order = find_order(request, brand, number)
    actor = f"customer:{request.customer.pk}" if request.customer else "guest"
    try:
        cancel_order(order, by_shopper=True, actor=actor, reason=request.POST.get("reason", "")[:500], now=request.now)
    except DomainError as error:
        return _order_page(request, brand, number, error=message_of(request, error), status=error.status)
    return redirect("web:order", brand=brand.slug, number=number)


@brand_page
def invoice(request, brand, number: str):
    """The order's invoice as PDF: the same file as the API's (OG-ORD-06)."""
    found = invoice_for_order(find_order(request, brand, number))
    if found is None:
        raise Conflict("invoice_not_available", rule=INVOICE_RULE)
    response = HttpResponse(render_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{found.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
