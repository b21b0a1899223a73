"""Returns for shoppers: find the order (signed in, or number + e-mail for guests, AL-RET-01), declare items
with a reason each and the refund method where offered (AL-RFD-01), then follow the return: its status,
refusals with their reason (OG-RET-04) and the slip or label to download (AL-RET-03)."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from comptoir.core.errors import DomainError, NotFound
from comptoir.core.images import image_response
from comptoir.core.rate_limit import limit_by_ip
from comptoir.returns import photos, queries, services, states
from comptoir.returns.emails import DOCUMENT_NAMES, reason_label, refusal_label
from comptoir.returns.labels import check_label_downloadable, render_label
from comptoir.web import session
from comptoir.web.pages import brand_page, message_of, show
from comptoir.web.views.orders import find_order


def _actor(request) -> str:
    return f"customer:{request.customer.pk}" if request.customer else "guest"


@brand_page
def new_return(request, brand):
    number = (request.POST.get("order_number") or request.GET.get("order") or "").strip().upper()
    if request.method == "POST" and request.POST.get("step") == "lookup":
        return _lookup(request, brand, number)
    if request.method == "POST" and request.POST.get("step") == "declare":
        return _declare(request, brand, number)
    if not number:
        return _lookup_page(request, brand)
    try:
        order = find_order(request, brand, number)
    except NotFound:
        return _lookup_page(request, brand, values={"order_number": number})
    return _declaration_page(request, brand, order)


def _lookup_page(request, brand, *, error: str = "", values: dict | None = None, status: int = 200):
    policy = brand.policy_object
    return show(request, "web/returns/lookup.html", {
        "error": error, "values": values or {}, "offered": policy.returns is not None,
        "guest_allowed": policy.returns is not None and policy.returns.guest_declaration,
    }, status=status)


def _lookup(request, brand, number: str):
    email = request.POST.get("email", "")
    limit_by_ip(request, "guest_lookup_ip")
    try:
        order = services.find_order_for_guest(brand, order_number=number, email=email)
    except DomainError as error:
        return _lookup_page(request, brand, error=message_of(request, error),
                            values={"order_number": number, "email": email}, status=error.status)
    session.remember_order(request, brand, order.number, order.access_token)
    return redirect(reverse("web:new_return", kwargs={"brand": brand.slug}) + f"?order={order.number}")


def _declaration_page(request, brand, order, *, error: str = "", status: int = 200):
    policy = brand.policy_object
    returns = policy.returns
    lines = [{"line": line, "name": line.product_name.get(request.language) or line.product_name.get("en", line.sku),
              "quantities": range(1, line.quantity + 1)} for line in order.lines.all() if not line.is_gift_card]
    return show(request, "web/returns/declare.html", {
        "order": order, "lines": lines, "error": error, "returns_policy": returns, "key": uuid.uuid4().hex,
        "reasons": returns.reasons if returns else [], "currency": order.currency,
        "existing": [{"ret": ret, "label": states.status_label(ret.status, request.language)}
                     for ret in queries.order_returns(order)],
    }, status=status)


def _declare(request, brand, number: str):
    order = find_order(request, brand, number)
    items = []
    for line in order.lines.all():
        if request.POST.get(f"line_{line.id}") != "on":
            continue
        try:
            quantity = int(request.POST.get(f"quantity_{line.id}", "1"))
        except ValueError:
            quantity = 1
        items.append(services.ItemRequest(line.id, quantity, request.POST.get(f"reason_{line.id}", ""),
                                          request.POST.get(f"note_{line.id}", "")[:1000]))
    try:
        if request.customer is None or order.customer_id != request.customer.pk:
            services.check_guest_may_declare(brand.policy_object)
        ret = services.declare_return(
            order, items=items, refund_choice=request.POST.get("refund_choice", "original"),
            customer=request.customer, actor=_actor(request), key=f"web:{request.POST.get('key', '')}"[:100],
            now=request.now)
    except DomainError as error:
        return _declaration_page(request, brand, order, error=message_of(request, error), status=error.status)
    return redirect(reverse("web:return", kwargs={"brand": brand.slug, "return_id": ret.pk}) + f"?order={order.number}")


def _find_return(request, brand, return_id):
    """The return of the signed-in shopper, or of the guest holding its order's token: from her session, or
    from the link of a return e-mail (`?order=…&token=…`), which this session then remembers."""
    number, link_token = request.GET.get("order"), request.GET.get("token")
    ret = queries.shopper_return(brand, return_id, customer=request.customer,
                                 access_token=link_token or session.order_token(request, brand, number))
    if link_token and request.customer is None:
        session.remember_order(request, brand, ret.order.number, link_token)
    return ret


@brand_page
def return_page(request, brand, return_id):
    ret = _find_return(request, brand, return_id)
    policy = brand.policy_object
    items = [{"item": item, "name": item.order_line.product_name.get(request.language) or item.order_line.sku,
              "reason": reason_label(policy, item.reason_code, request.language),
              "refusal": refusal_label(policy, item.refusal_reason, request.language) if item.refusal_reason else ""}
             for item in ret.items.all()]
    return show(request, "web/returns/return.html", {
        "ret": ret, "items": items, "status_label": states.status_label(ret.status, request.language),
        "document": check_label_downloadable(ret, request.now).allowed,
        "document_name": DOCUMENT_NAMES.get(ret.label_kind, {}).get(request.language, "") if ret.label_kind else "",
        "currency": ret.order.currency,
    })


@brand_page
def label(request, brand, return_id):
    ret = _find_return(request, brand, return_id)
    check_label_downloadable(ret, request.now).enforce()
    response = HttpResponse(render_label(ret), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{ret.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@brand_page
def photo(request, brand, return_id, photo_id: int):
    """A photo taken when her item was inspected (OG-RET-04), for the shopper who may see the return."""
    found = photos.photo_of(_find_return(request, brand, return_id), photo_id)
    return image_response(found)
