"""Newsletter, back-in-stock alerts and personal data: the shopper's endpoints and customer care's.

Links in e-mails call the GET forms (one click, no login); the POST forms take the token in the JSON
body or, as RFC 8058 one-click unsubscribe does, in the query string with a form body.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from comptoir.accounts.auth import optional_shopper, require_shopper, require_staff
from comptoir.brands.services import get_brand
from comptoir.consent import erasure, newsletter, stock_alerts
from comptoir.consent.models import DeletionRequest
from comptoir.consent.personal_data import export_personal_data
from comptoir.core.http import idempotency_key, request_language
from comptoir.core.messages import render_message
from comptoir.core.rate_limit import limit_by_ip

router = Router(tags=["newsletter and personal data"])
staff_router = Router(tags=["staff"])

TOKEN_BODY = {"requestBody": {"content": {"application/json": {"schema": {
    "type": "object", "properties": {"token": {"type": "string"}}}}}}}


class SubscribeIn(Schema):
    email: str = Field(max_length=254)
    language: Literal["en", "fr"] | None = None


class StockAlertIn(Schema):
    sku: str = Field(min_length=1, max_length=64)
    email: str = Field(max_length=254)
    language: Literal["en", "fr"] | None = None


class LinkToken(Schema):
    token: str = Field(default="", max_length=500)


class Notice(Schema):
    detail: str


class StockAlertOut(Schema):
    status: Literal["pending_confirmation", "active"]
    detail: str


class NewsletterChoice(Schema):
    subscribed: bool


class NewsletterStatus(Schema):
    subscribed: bool
    since: datetime | None


class Contact(Schema):
    email: str
    phone: str


class DeletionRequestOut(Schema):
    id: int
    status: str
    requested_at: datetime
    carried_out_at: datetime | None = None
    carried_out_by: str = ""


class DeletionPending(Schema):
    code: str
    message: str
    rule: str
    contact: Contact
    request: DeletionRequestOut


class Texts(Schema):
    en: str = Field(min_length=1, max_length=20000)
    fr: str = Field(min_length=1, max_length=20000)


class IssueIn(Schema):
    subject: Texts
    text: Texts


class IssueOut(Schema):
    recipients: int


NOTICES = {
    "subscription_requested": {
        "en": "Thank you. Please confirm with the link we have just e-mailed you; nothing is sent before.",
        "fr": "Merci. Veuillez confirmer grâce au lien que nous venons de vous envoyer ; rien ne vous sera envoyé avant.",
    },
    "subscribed": {"en": "You are subscribed to our newsletter.", "fr": "Vous êtes inscrit·e à notre newsletter."},
    "unsubscribed": {
        "en": "You are unsubscribed: you will receive no more newsletters.",
        "fr": "Vous êtes désinscrit·e : vous ne recevrez plus de newsletter.",
    },
    "pending_confirmation": {
        "en": "Please confirm your alert with the link we have just e-mailed you.",
        "fr": "Veuillez confirmer votre alerte grâce au lien que nous venons de vous envoyer.",
    },
    "active": {
        "en": "Your alert is set: we will e-mail you once, as soon as this size is back in stock.",
        "fr": "Votre alerte est enregistrée : nous vous écrirons une fois, dès le retour de cette taille.",
    },
    "alert_confirmed": {"en": "Your alert is confirmed.", "fr": "Votre alerte est confirmée."},
    "alert_cancelled": {"en": "Your alert is cancelled.", "fr": "Votre alerte est annulée."},
}


def _notice(request, brand, key: str) -> dict:
    return {"detail": NOTICES[key][request_language(request, brand.policy_object.default_language)]}


def _token(request, query_token: str) -> str:
    """The link's token: from the query string, else from a JSON body `{"token": ...}`."""
    if query_token or request.content_type != "application/json" or not request.body:
        return query_token
    try:
        body = json.loads(request.body)
    except ValueError:
        return ""
    token = body.get("token") if isinstance(body, dict) else None
    return token[:500] if isinstance(token, str) else ""


# --- newsletter (ALL-NEWS-01, AL-NEWS-02) -----------------------------------------------------------

@router.post("/brands/{slug}/newsletter/subscriptions", response={202: Notice},
             summary="Subscribe by e-mail: a confirmation link is sent first (ALL-NEWS-01)")
def subscribe(request, slug: str, payload: SubscribeIn):
    brand = get_brand(slug)
    limit_by_ip(request, "subscription_ip")
    language = payload.language or request_language(request, brand.policy_object.default_language)
    newsletter.request_subscription(brand, email=payload.email, language=language, now=request.now)
    return Status(202, _notice(request, brand, "subscription_requested"))


@router.api_operation(["GET", "POST"], "/brands/{slug}/newsletter/confirm", response=Notice,
                      summary="Follow the confirmation link (double opt-in)", openapi_extra=TOKEN_BODY)
def confirm_subscription(request, slug: str, query: Query[LinkToken]):
    brand = get_brand(slug)
    newsletter.confirm_subscription(brand, token=_token(request, query.token), now=request.now)
    return _notice(request, brand, "subscribed")


@router.api_operation(["GET", "POST"], "/brands/{slug}/newsletter/unsubscribe", response=Notice,
                      summary="One-click unsubscribe from a newsletter link, no login (ALL-NEWS-01, RFC 8058)",
                      openapi_extra=TOKEN_BODY)
def unsubscribe(request, slug: str, query: Query[LinkToken]):
    brand = get_brand(slug)
    newsletter.unsubscribe_by_link(brand, token=_token(request, query.token), now=request.now)
    return _notice(request, brand, "unsubscribed")


@router.get("/brands/{slug}/me/newsletter", response=NewsletterStatus)
def my_newsletter(request, slug: str):
    return newsletter.account_subscription(require_shopper(request, get_brand(slug)))


@router.put("/brands/{slug}/me/newsletter", response=NewsletterStatus,
            summary="Subscribe or unsubscribe from my account (ALL-NEWS-01)")
def set_my_newsletter(request, slug: str, payload: NewsletterChoice):
    customer = require_shopper(request, get_brand(slug))
    newsletter.set_account_subscription(customer, subscribed=payload.subscribed, now=request.now)
    return newsletter.account_subscription(customer)


# --- back-in-stock alerts (AL-STK-03) ---------------------------------------------------------------

@router.post("/brands/{slug}/stock-alerts", response={202: StockAlertOut},
             summary="Be e-mailed once when an out-of-stock size is back (AL-STK-03; not for sold-out, OG-STK-01)")
def create_stock_alert(request, slug: str, payload: StockAlertIn):
    brand = get_brand(slug)
    limit_by_ip(request, "subscription_ip")
    language = payload.language or request_language(request, brand.policy_object.default_language)
    status = stock_alerts.request_stock_alert(brand, sku=payload.sku, email=payload.email, language=language,
                                              customer=optional_shopper(request, brand), now=request.now)
    return Status(202, {"status": status, **_notice(request, brand, status)})


@router.api_operation(["GET", "POST"], "/brands/{slug}/stock-alerts/confirm", response=Notice,
                      summary="Follow the alert's confirmation link", openapi_extra=TOKEN_BODY)
def confirm_stock_alert(request, slug: str, query: Query[LinkToken]):
    brand = get_brand(slug)
    stock_alerts.confirm_stock_alert(brand, token=_token(request, query.token), now=request.now)
    return _notice(request, brand, "alert_confirmed")


@router.api_operation(["GET", "POST"], "/brands/{slug}/stock-alerts/unsubscribe", response=Notice,
                      summary="Cancel an alert from its e-mail, no login", openapi_extra=TOKEN_BODY)
def cancel_stock_alert(request, slug: str, query: Query[LinkToken]):
    brand = get_brand(slug)
    stock_alerts.cancel_stock_alert_by_link(brand, token=_token(request, query.token), now=request.now)
    return _notice(request, brand, "alert_cancelled")


# --- personal data (ALL-ACC-04, OG-ACC-03) ----------------------------------------------------------

@router.get("/brands/{slug}/me/data-export", response={200: dict},
            summary="Download everything held about me, as a JSON file (ALL-ACC-04)")
def data_export(request, slug: str):
    brand = get_brand(slug)
    customer = require_shopper(request, brand)
    document = export_personal_data(customer, now=request.now)
    response = HttpResponse(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    filename = f"{brand.slug}-personal-data-{request.now:%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def delete_me(request, slug: str):
    """Delete my account: at once where the brand allows it, else a request to customer care (OG-ACC-03)."""
    brand = get_brand(slug)
    customer = require_shopper(request, brand)
    pending = erasure.request_account_deletion(customer, now=request.now)
    if pending is None:
        return Status(204, None)
    contact = brand.policy_object.contact
    language = request_language(request, brand.policy_object.default_language)
    reach = " / ".join(part for part in (contact.email, contact.phone) if part)
    return Status(409, {
        "code": "deletion_through_customer_care", "rule": "OG-ACC-03",
        "message": render_message("deletion_through_customer_care", language, {"contact": reach}),
        "contact": {"email": contact.email, "phone": contact.phone}, "request": _request_out(pending),
    })


def mount_account_deletion(accounts_router: Router) -> None:
    """Add `DELETE /brands/{slug}/me` to the accounts router, which owns that path's GET and PATCH: Django
    sends a path to one router only, so a second router's DELETE there would answer 405. Call it before
    the accounts router is added to the API."""
    accounts_router.add_api_operation(
        "/brands/{slug}/me", ["DELETE"], delete_me, response={204: None, 409: DeletionPending}, tags=router.tags,
        summary="Delete my account: at once where the brand allows it, else through customer care "
                "(ALL-ACC-04, OG-ACC-03)",
    )


def _request_out(request: DeletionRequest) -> dict:
    return {"id": request.pk, "status": request.status, "requested_at": request.requested_at,
            "carried_out_at": request.carried_out_at, "carried_out_by": request.carried_out_by}


# --- customer care ----------------------------------------------------------------------------------

class DeletionQuery(Schema):
    status: Literal["open", "carried_out"] = "open"
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=50, ge=1, le=200)


@staff_router.get("/staff/brands/{slug}/deletion-requests", response=list[DeletionRequestOut],
                  summary="Account deletion requests to carry out (OG-ACC-03)")
def deletion_requests(request, slug: str, query: Query[DeletionQuery]):
    brand = get_brand(slug)
    require_staff(request, brand)
    rows = DeletionRequest.objects.filter(brand=brand, status=query.status).order_by("requested_at", "pk")
    return [_request_out(row) for row in rows[query.offset: query.offset + query.limit]]


@staff_router.post("/staff/brands/{slug}/deletion-requests/{request_id}/carry-out", response=DeletionRequestOut,
                   summary="Anonymise the account of a deletion request; invoices are kept (OG-ACC-03, ALL-ACC-04)")
def carry_out(request, slug: str, request_id: int):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    done = erasure.carry_out_deletion_request(request_id, brand=brand, actor=f"staff:{user.username}", now=request.now)
    return _request_out(done)


@staff_router.post("/staff/brands/{slug}/newsletter/issues", response={202: IssueOut},
                   summary="Send a newsletter to confirmed subscribers, each with a one-click unsubscribe link "
                           "(Idempotency-Key required)")
def send_issue(request, slug: str, payload: IssueIn):
    brand = get_brand(slug)
    require_staff(request, brand)
    key = idempotency_key(request)
    recipients = newsletter.send_newsletter_issue(brand, subject=payload.subject.dict(), text=payload.text.dict(),
                                                  issue_key=key, now=request.now)
    return Status(202, {"recipients": recipients})
