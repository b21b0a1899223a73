"""My exchanges (OG-EXC-01, AL-EXC-01..04): the list with their status, and the request, started from a line
of a delivered order: the reason, the size or colour wanted, and a card when the new item costs more."""

from __future__ import annotations

from django.shortcuts import redirect

from comptoir.catalog.services import variant_label
from comptoir.core.errors import DomainError, NotFound
from comptoir.exchanges import states
from comptoir.exchanges.from_order import exchange_choices, quote_for_line, request_exchange_for_line, shopper_exchanges
from comptoir.web.pages import account_page, message_of, show
from comptoir.web.views.orders import find_order
from comptoir.web.views.payment_fields import card_from_post


@account_page
def exchanges(request, brand):
    rows = [{"exchange": exchange, "label": states.status_label(exchange.status, request.language),
             "name": _name(request, exchange.return_item.order_line)}
            for exchange in shopper_exchanges(brand, request.customer)]
    return show(request, "web/account/exchanges.html", {"rows": rows, "offered": brand.policy_object.exchanges})


def _name(request, line) -> str:
    return line.product_name.get(request.language) or line.product_name.get("en", line.sku)


def order_line(request, brand):
    """The order (the shopper's own, else 404) and the line the request starts from."""
    number = (request.POST.get("order") or request.GET.get("order") or "").strip().upper()[:20]
    order = find_order(request, brand, number)
    try:
        line_id = int(request.POST.get("line") or request.GET.get("line") or "0")
    except ValueError:
        line_id = 0
    line = next((line for line in order.lines.all() if line.id == line_id), None)
    if line is None:
        raise NotFound("not_found", thing="order line")
    return order, line


@account_page
def new_exchange(request, brand):
    """Three steps, no JavaScript: choose (another size, or another product where the brand allows it,
    AL-EXC-01), review what it costs (AL-EXC-02) or that it becomes a return (AL-EXC-03), confirm."""
    order, line = order_line(request, brand)
    if request.method != "POST":
        return _form(request, brand, order, line, values={})
    values = {name: request.POST.get(name, "")[:64] for name in ("reason", "sku", "quantity", "card_holder")}
    try:
        quantity = min(max(int(values["quantity"] or "1"), 1), line.quantity)
    except ValueError:
        quantity = 1
    values["quantity"] = str(quantity)
    try:
        quote = quote_for_line(order, line, sku=values["sku"], quantity=quantity, reason_code=values["reason"],
                               now=request.now)
    except DomainError as error:
        return _form(request, brand, order, line, values=values, error=message_of(request, error),
                     status=error.status)
    if request.POST.get("confirm") != "1":
        return _review(request, brand, order, line, quote, values=values)
    try:
        request_exchange_for_line(order, line_id=line.id, quantity=quantity, reason_code=values["reason"],
                                  sku=values["sku"], card=card_from_post(request), customer=request.customer,
                                  actor=f"customer:{request.customer.pk}", now=request.now)
    except DomainError as error:
        return _review(request, brand, order, line, quote, values=values, error=message_of(request, error),
                       status=error.status)
    return redirect("web:exchanges", brand=brand.slug)


def _form(request, brand, order, line, *, values: dict, error: str = "", status: int = 200):
    policy = brand.policy_object
    return show(request, "web/account/exchange_form.html", {
        "order": order, "line": line, "name": _name(request, line), "values": values,
        "sizes": [], "products": [], **exchange_choices(brand, line, request.language),
        "reasons": policy.returns.reasons if policy.returns else [], "offered": policy.exchanges,
        "quantities": range(1, line.quantity + 1), "error": error,
    }, status=status)


def _review(request, brand, order, line, quote, *, values: dict, error: str = "", status: int = 200):
    """What the exchange costs before it is confirmed (AL-EXC-02), or that it will be a return (AL-EXC-03)."""
    wanted = quote.wanted
    return show(request, "web/account/exchange_review.html", {
        "order": order, "line": line, "name": _name(request, line), "values": values, "quote": quote,
        "wanted_name": f"{wanted.product.name.get(request.language) or wanted.sku} · {variant_label(wanted)}",
        "size_exchange": quote.kind == "size", "error": error,
    }, status=status)
