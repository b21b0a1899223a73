"""Back-in-stock alerts (AL-STK-03): leave an e-mail on a "Coming soon" size, get one e-mail when it is back.

Guests confirm their address first (double opt-in, as Oscar's ProductAlert); a signed-in shopper asking
for their own address is active at once. The worker's sweep sends each alert exactly once: the alert is
locked and marked sent in the transaction that writes its outbox row, whose key is unique.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, connection, transaction

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand
from comptoir.brands.services import brand_contact
from comptoir.catalog.models import Variant
from comptoir.catalog.rules import availability
from comptoir.catalog.services import variant_label
from comptoir.consent import links
from comptoir.consent.models import ConsentEvent, StockAlert
from comptoir.consent.newsletter import normalise_email, record_consent
from comptoir.consent.rules import check_stock_alert_possible, confirmation_link_valid, may_send_confirmation
from comptoir.core.errors import InvalidInput
from comptoir.notifications.services import notify_email

RULE = "AL-STK-03"
SWEEP_BATCH = 200


def request_stock_alert(brand: Brand, *, sku: str, email: str, language: str, customer: Customer | None,
                        now: datetime) -> str:
    """Create the alert; returns its status ("active" for the signed-in owner of the address, else
    "pending_confirmation", whether or not an alert already existed: nothing reveals the address)."""
    email = normalise_email(email)
    variant = Variant.objects.select_related("product").filter(brand=brand, sku=sku, product__is_active=True).first()
    if variant is None:
        raise InvalidInput("unknown_sku", sku=sku)
    name = variant.product.name.get(language) or variant.product.name.get("en", sku)
    state = availability(stock=variant.stock, when_out_of_stock=variant.when_out_of_stock,
                         preorder_ships_on=variant.product.preorder_ships_on)
    check_stock_alert_possible(state.code, name=name, variant=variant_label(variant)).enforce()
    owner = customer if customer is not None and customer.email == email else None
    with transaction.atomic():
        alert = _live_alert(brand, variant, email, language=language, now=now)
        if alert.status == StockAlert.ACTIVE:
            return StockAlert.ACTIVE if owner else StockAlert.PENDING_CONFIRMATION
        actor = f"customer:{owner.pk}" if owner else "guest"
        record_consent(brand, email=email, customer=owner, kind=ConsentEvent.STOCK_ALERT,
                       action=ConsentEvent.GIVEN, source=f"stock alert form ({sku})", actor=actor, now=now)
        if owner is not None:
            alert.status, alert.customer, alert.confirmed_at, alert.token_hash = StockAlert.ACTIVE, owner, now, ""
            alert.save(update_fields=["status", "customer", "confirmed_at", "token_hash"])
            return StockAlert.ACTIVE
        if may_send_confirmation(alert.confirmation_sent_at, now):
            _send_confirmation(brand, alert, variant, name, now=now)
    return StockAlert.PENDING_CONFIRMATION


def _live_alert(brand: Brand, variant: Variant, email: str, *, language: str, now: datetime) -> StockAlert:
    live = StockAlert.objects.select_for_update().filter(variant=variant, email=email, status__in=StockAlert.LIVE)
    found = live.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return StockAlert.objects.create(brand=brand, variant=variant, email=email, language=language,
                                             status=StockAlert.PENDING_CONFIRMATION, created_at=now)
    except IntegrityError:  # a concurrent request created it
        return live.get()


def _send_confirmation(brand: Brand, alert: StockAlert, variant: Variant, name: str, *, now: datetime) -> None:
    secret, secret_hash = links.new_secret()
    alert.token_hash, alert.confirmation_sent_at = secret_hash, now
    alert.save(update_fields=["token_hash", "confirmation_sent_at"])
    notify_alert_email(brand, alert, variant, name, template="stock_alert_confirm", now=now,
                       key=f"stock-alert-confirm:{alert.pk}:{secret_hash[:24]}",
                       confirm_url=links.page_url(brand.slug, "stock-alerts/confirm", secret, alert.language))


def notify_alert_email(brand: Brand, alert: StockAlert, variant: Variant, name: str, *, template: str,
                       key: str, now: datetime, **extra) -> None:
    url = links.page_url(brand.slug, "stock-alerts/unsubscribe", links.unsubscribe_token(links.STOCK_ALERT, alert.pk),
                          alert.language)
    notify_email(
        brand_slug=brand.slug, to=alert.email, template=template, language=alert.language,
        context={"brand": brand_contact(brand), "unsubscribe_url": url, **extra,
                 "product": {"name": name, "size": variant.size, "colour": variant.colour,
                             "url": links.product_url(brand.slug, variant.product.slug)}},
        headers=links.list_unsubscribe_headers(url), idempotency_key=key, now=now,
    )


def confirm_stock_alert(brand: Brand, *, token: str, now: datetime) -> None:
    """Follow the confirmation link: the alert becomes active (double opt-in for guests)."""
    with transaction.atomic():
        alert = (
            StockAlert.objects.select_for_update()
            .filter(brand=brand, status=StockAlert.PENDING_CONFIRMATION, token_hash=links.hash_secret(token))
            .exclude(token_hash="").first()
        )
        if alert is None or not confirmation_link_valid(alert.confirmation_sent_at, now):
            raise InvalidInput("invalid_confirmation_link", rule=RULE)
        alert.status, alert.confirmed_at, alert.token_hash = StockAlert.ACTIVE, now, ""
        alert.save(update_fields=["status", "confirmed_at", "token_hash"])
        record_consent(brand, email=alert.email, customer=alert.customer, kind=ConsentEvent.STOCK_ALERT,
                       action=ConsentEvent.CONFIRMED, source="confirmation link", actor="guest", now=now)


def cancel_stock_alert_by_link(brand: Brand, *, token: str, now: datetime) -> None:
    """The unsubscribe link of an alert e-mail: no login; following it twice changes nothing."""
    alert_id = links.read_unsubscribe_token(links.STOCK_ALERT, token)
    if alert_id is None:
        raise InvalidInput("invalid_unsubscribe_link", rule=RULE)
    with transaction.atomic():
        alert = StockAlert.objects.select_for_update().filter(pk=alert_id, brand=brand,
                                                              status__in=StockAlert.LIVE).first()
        if alert is None:
            return
        alert.status, alert.cancelled_at, alert.token_hash = StockAlert.CANCELLED, now, ""
        alert.save(update_fields=["status", "cancelled_at", "token_hash"])
        record_consent(brand, email=alert.email, customer=alert.customer, kind=ConsentEvent.STOCK_ALERT,
                       action=ConsentEvent.WITHDRAWN, source="unsubscribe link", actor="link", now=now)


def send_back_in_stock_alerts(now: datetime) -> int:
    """Worker sweep: e-mail every active alert whose size has stock again, exactly once (AL-STK-03)."""
    due = (
        StockAlert.objects.filter(status=StockAlert.ACTIVE, variant__stock__gt=0, variant__product__is_active=True)
        .order_by("pk")
    )
    sent = 0
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        for alert in due.select_related("brand", "variant__product")[:SWEEP_BATCH]:
            variant = alert.variant
            name = variant.product.name.get(alert.language) or variant.product.name.get("en", variant.sku)
            notify_alert_email(alert.brand, alert, variant, name, template="back_in_stock",
                               key=f"back-in-stock:{alert.pk}", now=now)
            alert.status, alert.sent_at = StockAlert.SENT, now
            alert.save(update_fields=["status", "sent_at"])
            sent += 1
    return sent
