"""Guest "track my order" (ALL-ORD-04, ALL-SHP-06): order number + e-mail open the order's page, with its
status and its parcels' tracking links. A wrong number and a wrong e-mail get the same answer."""

from __future__ import annotations

from django.shortcuts import redirect

from comptoir.core.errors import NotFound
from comptoir.core.rate_limit import limit_by_ip
from comptoir.orders.queries import find_guest_order
from comptoir.web import session
from comptoir.web.pages import brand_page, message_of, show


@brand_page
def track_order(request, brand):
    values = {"order_number": request.POST.get("order_number", "").strip()[:20],
              "email": request.POST.get("email", "").strip()[:254]}
    if request.method != "POST":
        return show(request, "web/orders/track.html", {"values": values, "error": ""})
    limit_by_ip(request, "guest_lookup_ip")
    try:
        order = find_guest_order(brand, number=values["order_number"], email=values["email"])
    except NotFound as error:
        return show(request, "web/orders/track.html", {"values": values, "error": message_of(request, error)},
                    status=error.status)
    session.remember_order(request, brand, order.number, order.access_token)
    return redirect("web:order", brand=brand.slug, number=order.number)
