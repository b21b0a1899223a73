"""My newsletter subscription (ALL-NEWS-01: double opt-in, unsubscribe from the account), my data as a file
(ALL-ACC-04) and deleting my account, confirmed with the password (ALL-ACC-04, OG-ACC-03; invoices kept)."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from comptoir.accounts.services import confirm_password
from comptoir.consent import erasure, newsletter
from comptoir.consent.personal_data import export_personal_data
from comptoir.core.errors import DomainError, InvalidInput
from comptoir.core.rate_limit import limit_by_ip
from comptoir.web import session
from comptoir.web.pages import account_page, message_of, show


def _newsletter_page(request, *, notice: str = "", status: int = 200):
    return show(request, "web/account/newsletter.html", {
        "subscription": newsletter.account_subscription(request.customer), "notice": notice}, status=status)


@account_page
def newsletter_page(request, brand):
    if request.method != "POST":
        return _newsletter_page(request)
    if request.POST.get("action") == "unsubscribe":
        newsletter.set_account_subscription(request.customer, subscribed=False, now=request.now)
        return _newsletter_page(request, notice=request.texts["newsletter_unsubscribed"])
    limit_by_ip(request, "subscription_ip")  # each request may e-mail a confirmation link
    newsletter.request_subscription(brand, email=request.customer.email, language=request.language, now=request.now)
    return _newsletter_page(request, notice=request.texts["newsletter_confirm_sent"])


def _privacy_page(request, *, error: str = "", status: int = 200):
    return show(request, "web/account/privacy.html", {"error": error}, status=status)


@account_page
def privacy(request, brand):
    return _privacy_page(request)


@account_page
def data_export(request, brand):
    document = export_personal_data(request.customer, now=request.now)
    response = HttpResponse(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{brand.slug}-personal-data-{request.now:%Y-%m-%d}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@account_page
def delete_account(request, brand):
    customer = request.customer
    try:
        if request.POST.get("confirm") != "on":
            raise InvalidInput("deletion_not_confirmed")
        confirm_password(customer, request.POST.get("password", ""), now=request.now)
        pending = erasure.request_account_deletion(customer, now=request.now)
    except DomainError as error:
        return _privacy_page(request, error=message_of(request, error), status=error.status)
    if pending is not None:  # OG-ACC-03: customer care carries it out
        return show(request, "web/account/deleted.html", {"pending": pending})
    kept = erasure.invoices_kept(customer)
    session.sign_out(request, brand)
    request.customer = None
    return show(request, "web/account/deleted.html", {"pending": None, "invoices_kept": kept})
