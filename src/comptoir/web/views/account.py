"""My account: sign in, sign up, sign out, and my orders with their status (ALL-ORD-04)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from comptoir.accounts import services as accounts
from comptoir.core.errors import DomainError, InvalidInput, NotFound
from comptoir.core.rate_limit import limit_by_ip
from comptoir.loyalty.referrals import find_referrer, refer_friend
from comptoir.orders.emails import status_label
from comptoir.orders.queries import shopper_orders
from comptoir.web import session
from comptoir.web.pages import brand_page, message_of, show

ORDERS_SHOWN = 50


def _next(request, brand) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) \
            and target.startswith(f"/{brand.slug}/"):
        return target
    return f"/{brand.slug}/account/"


def _account_page(request, brand, *, errors: dict | None = None, values: dict | None = None, status: int = 200):
    context = {"errors": errors or {}, "values": values or {}, "next": _next(request, brand)}
    if request.customer is not None:
        total, orders = shopper_orders(brand, request.customer, offset=0, limit=ORDERS_SHOWN)
        context["orders"] = [{"order": order, "label": status_label(order.status, request.language)}
                             for order in orders]
        context["order_count"] = total
    return show(request, "web/account/account.html", context, status=status)


@brand_page
def account(request, brand):
    return _account_page(request, brand)


@require_POST
@brand_page
def sign_in(request, brand):
    email = request.POST.get("email", "")
    limit_by_ip(request, "sign_in_ip")  # per address here; the service limits per e-mail
    try:
        customer, _ = accounts.sign_in(brand, email=email, password=request.POST.get("password", ""), now=request.now)
    except DomainError as error:
        return _account_page(request, brand, errors={"sign_in": message_of(request, error)},
                             values={"sign_in_email": email}, status=error.status)
    session.sign_in(request, brand, customer)
    return redirect(_next(request, brand))


@require_POST
@brand_page
def sign_up(request, brand):
    values = {name: request.POST.get(name, "").strip() for name in ("email", "first_name", "last_name")}
    limit_by_ip(request, "sign_up_ip")
    try:
        if not values["first_name"] or not values["last_name"]:
            raise InvalidInput("invalid_input", fields=request.texts["first_name"] + ", "
                                        + request.texts["last_name"])
        customer = accounts.register_customer(
            brand, email=values["email"], password=request.POST.get("password", ""),
            first_name=values["first_name"][:100], last_name=values["last_name"][:100], language=request.language,
            newsletter_consent=request.POST.get("newsletter") == "on", now=request.now)
    except DomainError as error:
        return _account_page(request, brand, errors={"sign_up": message_of(request, error)}, values=values,
                             status=error.status)
    session.sign_in(request, brand, customer)
    _claim_referral(request, brand, customer)
    return redirect(_next(request, brand))


def _claim_referral(request, brand, customer) -> None:
    """She came through a member's link (AL-RAF-01): her friend's code is e-mailed to her new address. A link
    gone stale or an address already referred is not her problem at sign-up: the account stands either way."""
    code = session.referral_code(request, brand)
    if not code:
        return
    session.forget_referral(request, brand)
    try:
        refer_friend(brand, find_referrer(brand, code), email=customer.email, language=request.language,
                     now=request.now)
    except (DomainError, NotFound):
        pass


@require_POST
@brand_page
def sign_out(request, brand):
    session.sign_out(request, brand)
    return redirect("web:account", brand=brand.slug)
