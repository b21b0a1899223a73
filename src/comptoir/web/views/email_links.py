"""The pages behind the buttons of consent e-mails (ALL-NEWS-01, AL-STK-03): confirm a subscription or an
alert, unsubscribe, and subscribe again; all without signing in, in the language the link carries.

Unsubscribing takes a POST: mail clients send one for RFC 8058 one-click (List-Unsubscribe-Post), and a
GET shows the button first, because link scanners open every URL of a message and must not unsubscribe
anyone. The POST needs no CSRF token: the signed token in the link is what authorises it, and a mail
client has no session to carry one.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt

from comptoir.consent import newsletter, stock_alerts
from comptoir.core.errors import DomainError
from comptoir.core.rate_limit import limit_by_ip
from comptoir.web.pages import brand_page, message_of, show

TEMPLATE = "web/links/outcome.html"


def _token(request) -> str:
    return (request.POST.get("token") or request.GET.get("token") or "")[:500]


def _outcome(request, *, title: str, lead: str, kind: str, error: DomainError | None = None, form: str = ""):
    """One page for every outcome; a refused link says why and offers to subscribe again."""
    context = {"title": title, "lead": lead, "kind": kind, "form": form, "token": _token(request),
               "error": message_of(request, error) if error else "", "code": error.code if error else ""}
    return show(request, TEMPLATE, context, status=error.status if error else 200)


@brand_page
def newsletter_signup(request, brand):
    """Subscribe by e-mail without an account (ALL-NEWS-01 double opt-in): where a refused link leads."""
    t = request.texts
    context = {"email": "", "error": "", "sent": request.GET.get("sent") == "1"}
    if request.method == "POST":
        email = request.POST.get("email", "").strip()[:254]
        limit_by_ip(request, "subscription_ip")  # each request may e-mail a confirmation link
        try:
            newsletter.request_subscription(brand, email=email, language=request.language, now=request.now)
        except DomainError as error:
            return show(request, "web/links/newsletter_signup.html", {**context, "email": email,
                                                                      "error": message_of(request, error)},
                        status=error.status)
        return redirect(f"{request.path}?sent=1&lang={request.language}")
    return show(request, "web/links/newsletter_signup.html", {**context, "title": t["newsletter_title"]})


@brand_page
def newsletter_confirm(request, brand):
    t = request.texts
    try:
        newsletter.confirm_subscription(brand, token=_token(request), now=request.now)
    except DomainError as error:
        return _outcome(request, title=t["link_confirm_failed"], lead="", kind="newsletter", error=error)
    return _outcome(request, title=t["newsletter_confirmed"], lead=t["newsletter_confirmed_lead"], kind="newsletter")


@csrf_exempt
@brand_page
def newsletter_unsubscribe(request, brand):
    t = request.texts
    if request.method != "POST":
        return _outcome(request, title=t["newsletter_unsubscribe_title"], lead=t["newsletter_unsubscribe_lead"],
                        kind="newsletter", form="newsletter")
    try:
        newsletter.unsubscribe_by_link(brand, token=_token(request), now=request.now)
    except DomainError as error:
        return _outcome(request, title=t["link_unsubscribe_failed"], lead="", kind="newsletter", error=error)
    return _outcome(request, title=t["newsletter_unsubscribed_title"], lead=t["newsletter_unsubscribed"],
                    kind="newsletter")


@brand_page
def stock_alert_confirm(request, brand):
    t = request.texts
    try:
        stock_alerts.confirm_stock_alert(brand, token=_token(request), now=request.now)
    except DomainError as error:
        return _outcome(request, title=t["link_confirm_failed"], lead=t["alert_ask_again"], kind="alert", error=error)
    return _outcome(request, title=t["alert_confirmed"], lead=t["alert_active"], kind="alert")


@csrf_exempt
@brand_page
def stock_alert_unsubscribe(request, brand):
    t = request.texts
    if request.method != "POST":
        return _outcome(request, title=t["alert_cancel_title"], lead=t["alert_cancel_lead"], kind="alert",
                        form="alert")
    try:
        stock_alerts.cancel_stock_alert_by_link(brand, token=_token(request), now=request.now)
    except DomainError as error:
        return _outcome(request, title=t["link_unsubscribe_failed"], lead=t["alert_ask_again"], kind="alert",
                        error=error)
    return _outcome(request, title=t["alert_cancelled_title"], lead=t["alert_cancelled_lead"], kind="alert")
