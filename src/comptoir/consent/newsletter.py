"""The newsletter: subscribe with double opt-in, confirm, unsubscribe in one click or from the account,
and send an issue that carries its own unsubscribe link (ALL-NEWS-01, AL-NEWS-02).

Every change of consent appends a ConsentEvent with its source and date. `Customer.newsletter_consent_at`
mirrors the subscription of the account's address, so the account page reads one column.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand
from comptoir.brands.services import brand_contact
from comptoir.consent import links
from comptoir.consent.models import ConsentEvent, Subscription
from comptoir.consent.rules import confirmation_link_valid, may_send_confirmation
from comptoir.core.errors import InvalidInput
from comptoir.notifications.services import notify_email

RULE = "ALL-NEWS-01"
SIGNUP_FORM, ACCOUNT_CREATION, ACCOUNT_SETTINGS = "signup form", "account creation", "account settings"
CONFIRMATION_LINK, UNSUBSCRIBE_LINK = "confirmation link", "unsubscribe link"


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("invalid_email") from None
    return email


def record_consent(brand: Brand, *, email: str, customer: Customer | None, kind: str, action: str, source: str,
                   actor: str, now: datetime) -> ConsentEvent:
    """Append one row to the consent history (AL-NEWS-02: consent recorded with its date)."""
    return ConsentEvent.objects.create(brand=brand, email=email, customer=customer, kind=kind, action=action,
                                       source=source, actor=actor, at=now)


def _locked_subscription(brand: Brand, email: str, *, language: str, now: datetime) -> tuple[Subscription, bool]:
    """The address's subscription row, locked, created as "unsubscribed" if new. Call in a transaction."""
    found = Subscription.objects.select_for_update().filter(brand=brand, email=email).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return Subscription.objects.create(brand=brand, email=email, language=language, created_at=now,
                                               status=Subscription.UNSUBSCRIBED), True
    except IntegrityError:  # created by a concurrent request: take that one
        return Subscription.objects.select_for_update().get(brand=brand, email=email), False


def request_subscription(brand: Brand, *, email: str, language: str, now: datetime) -> None:
    """Signup form: e-mail a confirmation link; nothing is sent before it is followed (double opt-in).

    The caller learns nothing about the address: an existing subscriber or account gets the same answer.
    """
    email = normalise_email(email)
    with transaction.atomic():
        subscription, _ = _locked_subscription(brand, email, language=language, now=now)
        if subscription.status == Subscription.SUBSCRIBED:
            return
        if not may_send_confirmation(subscription.confirmation_sent_at, now):
            return  # a link was sent moments ago: no flooding of someone else's inbox
        if subscription.status != Subscription.PENDING:
            record_consent(brand, email=email, customer=None, kind=ConsentEvent.NEWSLETTER,
                           action=ConsentEvent.GIVEN, source=SIGNUP_FORM, actor="guest", now=now)
        secret, secret_hash = links.new_secret()
        subscription.status, subscription.language = Subscription.PENDING, language
        subscription.token_hash, subscription.confirmation_sent_at = secret_hash, now
        subscription.save(update_fields=["status", "language", "token_hash", "confirmation_sent_at"])
        notify_email(
            brand_slug=brand.slug, to=email, template="newsletter_confirm", language=language,
            context={"brand": brand_contact(brand), "confirm_url": links.page_url(brand.slug, "newsletter/confirm", secret, language)},
            idempotency_key=f"newsletter-confirm:{subscription.pk}:{secret_hash[:24]}", now=now,
        )


def confirm_subscription(brand: Brand, *, token: str, now: datetime) -> None:
    """Follow the confirmation link: the address is subscribed from now (ALL-NEWS-01 double opt-in)."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(brand=brand, status=Subscription.PENDING, token_hash=links.hash_secret(token))
            .exclude(token_hash="").first()
        )
        if subscription is None or not confirmation_link_valid(subscription.confirmation_sent_at, now):
            raise InvalidInput("invalid_confirmation_link", rule=RULE)
        customer = Customer.objects.filter(brand=brand, email=subscription.email, is_active=True).first()
        _subscribe(subscription, customer=customer, now=now)
        record_consent(brand, email=subscription.email, customer=customer, kind=ConsentEvent.NEWSLETTER,
                       action=ConsentEvent.CONFIRMED, source=CONFIRMATION_LINK, actor="guest", now=now)


def subscribe_account(customer: Customer, *, source: str, actor: str, now: datetime) -> None:
    """Subscribe a signed-in shopper's address at once (their account asked): AL-NEWS-02 at account
    creation, "account settings" later. Policy-free, so a brand rule (AL-LOY-09) may call it too."""
    brand = customer.brand
    with transaction.atomic():
        subscription, _ = _locked_subscription(brand, customer.email, language=customer.language, now=now)
        if subscription.status == Subscription.SUBSCRIBED and subscription.customer_id == customer.pk:
            return
        _subscribe(subscription, customer=customer, now=now)
        record_consent(brand, email=customer.email, customer=customer, kind=ConsentEvent.NEWSLETTER,
                       action=ConsentEvent.GIVEN, source=source, actor=actor, now=now)


def _subscribe(subscription: Subscription, *, customer: Customer | None, now: datetime) -> None:
    already = subscription.status == Subscription.SUBSCRIBED
    subscription.status, subscription.token_hash, subscription.customer = Subscription.SUBSCRIBED, "", customer
    if not already:
        subscription.subscribed_at, subscription.unsubscribed_at = now, None
    subscription.save(update_fields=["status", "token_hash", "customer", "subscribed_at", "unsubscribed_at"])
    Customer.objects.filter(brand_id=subscription.brand_id, email=subscription.email,
                            newsletter_consent_at__isnull=True).update(newsletter_consent_at=now)


def unsubscribe_by_link(brand: Brand, *, token: str, now: datetime) -> None:
    """One click from any newsletter, no login (ALL-NEWS-01). Following it twice changes nothing."""
    subscription_id = links.read_unsubscribe_token(links.NEWSLETTER, token)
    if subscription_id is None:
        raise InvalidInput("invalid_unsubscribe_link", rule=RULE)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id, brand=brand).first()
        if subscription is not None:
            _withdraw(subscription, source=UNSUBSCRIBE_LINK, actor="link", now=now)


def set_account_subscription(customer: Customer, *, subscribed: bool, now: datetime) -> None:
    """The newsletter box of "my account" (ALL-NEWS-01: unsubscribe from the account)."""
    actor = f"customer:{customer.pk}"
    if subscribed:
        subscribe_account(customer, source=ACCOUNT_SETTINGS, actor=actor, now=now)
        return
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(brand_id=customer.brand_id,
                                                                       email=customer.email).first()
        if subscription is not None:
            _withdraw(subscription, source=ACCOUNT_SETTINGS, actor=actor, now=now)
        else:  # consent recorded on the account only (before this app existed): withdraw it there too
            Customer.objects.filter(pk=customer.pk).update(newsletter_consent_at=None)


def _withdraw(subscription: Subscription, *, source: str, actor: str, now: datetime) -> None:
    if subscription.status == Subscription.UNSUBSCRIBED:
        return
    was_subscribed = subscription.status == Subscription.SUBSCRIBED
    subscription.status, subscription.token_hash, subscription.unsubscribed_at = Subscription.UNSUBSCRIBED, "", now
    subscription.save(update_fields=["status", "token_hash", "unsubscribed_at"])
    Customer.objects.filter(brand_id=subscription.brand_id, email=subscription.email).update(newsletter_consent_at=None)
    if was_subscribed:
        record_consent(subscription.brand, email=subscription.email, customer=subscription.customer,
                       kind=ConsentEvent.NEWSLETTER, action=ConsentEvent.WITHDRAWN, source=source, actor=actor, now=now)


def account_subscription(customer: Customer) -> dict:
    """What "my account" shows: subscribed or not, and since when."""
    subscription = Subscription.objects.filter(brand_id=customer.brand_id, email=customer.email).first()
    if subscription is not None and subscription.status == Subscription.SUBSCRIBED:
        return {"subscribed": True, "since": subscription.subscribed_at}
    return {"subscribed": False, "since": None}


def send_newsletter_issue(brand: Brand, *, subject: dict, text: dict, issue_key: str, now: datetime) -> int:
    """E-mail an issue to every confirmed subscriber, each with a one-click unsubscribe link in the body
    and in the List-Unsubscribe headers (ALL-NEWS-01). Sending the same `issue_key` again sends nothing."""
    contact = brand_contact(brand)
    audience = Subscription.objects.filter(brand=brand, status=Subscription.SUBSCRIBED).order_by("pk")
    sent = 0
    with transaction.atomic():
        for subscription in audience.iterator(chunk_size=500):
            language = subscription.language if subscription.language in subject else next(iter(subject))
            url = links.page_url(brand.slug, "newsletter/unsubscribe",
                                 links.unsubscribe_token(links.NEWSLETTER, subscription.pk), language)
            notify_email(
                brand_slug=brand.slug, to=subscription.email, template="newsletter_issue", language=language,
                context={"brand": contact, "subject": subject[language], "text": text[language], "unsubscribe_url": url},
                headers=links.list_unsubscribe_headers(url),
                idempotency_key=f"newsletter-issue:{issue_key}:{subscription.pk}", now=now,
            )
            sent += 1
    return sent
