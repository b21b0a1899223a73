"""Forgot my password (ALL-ACC-02): ask for a link by e-mail, then choose a new password on the page the
link opens. The request answers the same whether or not an account exists for the address."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect

from comptoir.accounts import services as accounts
from comptoir.core.errors import DomainError
from comptoir.core.rate_limit import limit_by_ip
from comptoir.web.pages import brand_page, message_of, show

TEMPLATE = "web/account/password_reset.html"


@brand_page
def password_reset(request, brand):
    token = (request.POST.get("token") or request.GET.get("token") or "")[:200]
    context = {"token": token, "email": "", "error": "", "sent": request.GET.get("sent") == "1", "done": False}
    if request.method != "POST":
        return show(request, TEMPLATE, context)
    if not token:  # asking for a link
        email = request.POST.get("email", "").strip()[:254]
        limit_by_ip(request, "password_reset_ip")
        try:
            accounts.request_password_reset(brand, email=email, base_url=settings.BASE_URL, now=request.now)
        except DomainError as error:
            return show(request, TEMPLATE, {**context, "email": email, "error": message_of(request, error)},
                        status=error.status)
        return redirect(f"{request.path}?sent=1&lang={request.language}")
    try:
        accounts.reset_password(brand, token=token, new_password=request.POST.get("password", ""), now=request.now)
    except DomainError as error:
        return show(request, TEMPLATE, {**context, "error": message_of(request, error), "code": error.code},
                    status=error.status)
    return show(request, TEMPLATE, {**context, "token": "", "done": True})
