"""The links of e-mails open shopper pages in the recipient's language, never JSON (ALL-NEWS-01, AL-STK-03,
ALL-ACC-02): confirm, unsubscribe (RFC 8058 one-click POST still honoured), a refused link says why and
offers a way back, and the other e-mails link to pages that exist."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from comptoir.brands.models import Brand
from comptoir.accounts.services import register_customer, request_password_reset
from comptoir.consent import newsletter, stock_alerts
from comptoir.consent.models import ConsentEvent, StockAlert, Subscription
from comptoir.notifications.models import OutboxMessage
from factories import order

pytestmark = pytest.mark.django_db

MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
AL = "alme"
COMING_SOON_SKU = "AL-DRESS-BLK-L"


def at(now: datetime) -> dict:
    return {"HTTP_X_COMPTOIR_NOW": now.isoformat()}


def page_of(url: str) -> str:
    """The path and query of an e-mail's absolute link, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def text(response) -> str:
    return html.unescape(response.content.decode())


def last_link(template: str, key: str) -> str:
    return OutboxMessage.objects.filter(template=template).latest("id").context[key]


def pending_subscription(email: str, language: str) -> str:
    newsletter.request_subscription(Brand.objects.get(slug=AL), email=email, language=language, now=MONDAY_10AM)
    return last_link("newsletter_confirm", "confirm_url")


def subscribed(email: str, language: str) -> str:
    """A confirmed subscriber; returns the unsubscribe link of the issue she was sent."""
    brand = Brand.objects.get(slug=AL)
    confirm = pending_subscription(email, language)
    newsletter.confirm_subscription(brand, token=parse_qs(urlsplit(confirm).query)["token"][0], now=MONDAY_10AM)
    newsletter.send_newsletter_issue(brand, subject={"en": "News", "fr": "Nouvelles"}, text={"en": "x", "fr": "x"},
                                     issue_key="issue-1", now=MONDAY_10AM)
    return OutboxMessage.objects.get(template="newsletter_issue", recipient=email).headers["List-Unsubscribe"].strip("<>")


# --- newsletter confirmation -------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "title"), [("en", "Your subscription is confirmed"),
                                                 ("fr", "Votre inscription est confirmée")])
def test_ALL_NEWS_01_the_confirmation_link_opens_a_page_in_her_language(client: Client, language, title):
    url = pending_subscription("lea@example.com", language)
    assert urlsplit(url).path == f"/{AL}/newsletter/confirm" and f"lang={language}" in url

    response = client.get(page_of(url), **at(MONDAY_10AM))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in text(response) and title in text(response)
    assert Subscription.objects.get(email="lea@example.com").status == "subscribed"


@pytest.mark.parametrize(("language", "message", "again"), [
    ("en", "This confirmation link is invalid or has expired.", "Subscribe again"),
    ("fr", "Ce lien de confirmation est invalide ou a expiré.", "Se réinscrire"),
])
def test_ALL_NEWS_01_an_expired_confirmation_link_says_so_and_offers_to_subscribe_again(client, language, message,
                                                                                       again):
    url = pending_subscription("lea@example.com", language)

    response = client.get(page_of(url), **at(MONDAY_10AM + timedelta(days=7)))

    assert response.status_code == 422
    body = text(response)
    assert message in body and again in body and f'href="/{AL}/newsletter/?lang={language}"' in body
    assert 'data-code="invalid_confirmation_link"' in body
    assert Subscription.objects.get(email="lea@example.com").status == "pending"


@pytest.mark.parametrize("token", ["", "forged", "x" * 600])
def test_ALL_NEWS_01_a_bad_confirmation_token_is_a_page_not_an_error(client, token):
    response = client.get(f"/{AL}/newsletter/confirm", {"token": token, "lang": "en"})
    assert response.status_code == 422 and "This link no longer works" in text(response)


# --- newsletter unsubscribe ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "ask", "done"), [
    ("en", "Unsubscribe from the newsletter?", "You are unsubscribed"),
    ("fr", "Se désinscrire de la newsletter ?", "Vous êtes désinscrit·e"),
])
def test_ALL_NEWS_01_the_unsubscribe_link_asks_once_then_unsubscribes(client, language, ask, done):
    url = subscribed("lea@example.com", language)

    shown = client.get(page_of(url), **at(MONDAY_10AM))
    assert shown.status_code == 200 and ask in text(shown)
    assert Subscription.objects.get(email="lea@example.com").status == "subscribed"  # a link scanner changes nothing

    token = parse_qs(urlsplit(url).query)["token"][0]
    response = client.post(urlsplit(url).path + f"?lang={language}", {"token": token}, **at(MONDAY_10AM))

    assert response.status_code == 200 and done in text(response)
    assert Subscription.objects.get(email="lea@example.com").status == "unsubscribed"


def test_ALL_NEWS_01_the_mail_client_one_click_post_works_without_a_session_or_csrf_token(client):
    """RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the List-Unsubscribe URL."""
    url = subscribed("lea@example.com", "en")
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(page_of(url), data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded", **at(MONDAY_10AM))
    again = strict.post(page_of(url), data="List-Unsubscribe=One-Click",
                        content_type="application/x-www-form-urlencoded", **at(MONDAY_10AM))

    assert (response.status_code, again.status_code) == (200, 200)
    assert Subscription.objects.get(email="lea@example.com").status == "unsubscribed"
    assert ConsentEvent.objects.filter(email="lea@example.com", action="withdrawn").count() == 1


@pytest.mark.parametrize(("language", "message"), [
    ("en", "This unsubscribe link is not valid."), ("fr", "Ce lien de désinscription n'est pas valide."),
])
def test_ALL_NEWS_01_a_forged_unsubscribe_link_is_refused_on_a_page(client, language, message):
    subscribed("lea@example.com", language)

    response = client.post(f"/{AL}/newsletter/unsubscribe?lang={language}", {"token": "forged"})

    assert response.status_code == 422 and message in text(response)
    assert Subscription.objects.get(email="lea@example.com").status == "subscribed"


def test_ALL_NEWS_01_a_guest_subscribes_again_from_the_page(client):
    page = client.get(f"/{AL}/newsletter/", {"lang": "fr"})
    assert page.status_code == 200 and '<label for="f-email">E-mail</label>' in text(page)

    response = client.post(f"/{AL}/newsletter/?lang=fr", {"email": "lea@example.com"}, follow=True)

    assert "confirmez avec le lien" in text(response).lower() or "lien que nous venons" in text(response)
    assert Subscription.objects.get(email="lea@example.com").status == "pending"
    refused = client.post(f"/{AL}/newsletter/?lang=en", {"email": "not-an-address"})
    assert refused.status_code == 422 and "does not look valid" in text(refused)


# --- back-in-stock alerts ---------------------------------------------------------------------------------

def pending_alert(language: str) -> OutboxMessage:
    stock_alerts.request_stock_alert(Brand.objects.get(slug=AL), sku=COMING_SOON_SKU, email="lea@example.com",
                                     language=language, customer=None, now=MONDAY_10AM)
    return OutboxMessage.objects.filter(template="stock_alert_confirm").latest("id")


@pytest.mark.parametrize(("language", "title"), [("en", "Your alert is confirmed"), ("fr", "Votre alerte est confirmée")])
def test_AL_STK_03_the_alert_confirmation_link_opens_a_page(client, language, title):
    email = pending_alert(language)

    response = client.get(page_of(email.context["confirm_url"]), **at(MONDAY_10AM))

    assert response.status_code == 200 and title in text(response)
    assert StockAlert.objects.get(email="lea@example.com").status == "active"
    assert email.context["product"]["url"].endswith(f"/{AL}/products/robe-lou/")


@pytest.mark.parametrize(("language", "done"), [("en", "Your alert is cancelled"), ("fr", "Votre alerte est annulée")])
def test_AL_STK_03_the_alert_unsubscribe_link_cancels_on_a_page(client, language, done):
    email = pending_alert(language)
    url = email.context["unsubscribe_url"]
    assert email.headers["List-Unsubscribe"] == f"<{url}>"

    assert client.get(page_of(url)).status_code == 200
    response = client.post(page_of(url), data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded", **at(MONDAY_10AM))

    assert response.status_code == 200 and done in text(response)
    assert StockAlert.objects.get(email="lea@example.com").status == "cancelled"


@pytest.mark.parametrize("path", ["stock-alerts/confirm", "stock-alerts/unsubscribe"])
def test_AL_STK_03_bad_alert_tokens_say_how_to_ask_again(client, path):
    response = client.post(f"/{AL}/{path}?lang=fr", {"token": "forged"}) if path.endswith("unsubscribe") \
        else client.get(f"/{AL}/{path}", {"token": "forged", "lang": "fr"})
    assert response.status_code == 422 and "depuis la fiche produit" in text(response)


# --- password reset ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "done"), [("en", "Your password is changed"), ("fr", "Votre mot de passe est modifié")])
def test_ALL_ACC_02_the_reset_link_opens_a_page_to_choose_a_new_password(client, language, done):
    brand = Brand.objects.get(slug=AL)
    register_customer(brand, email="lea@example.com", password="an old secret 123", first_name="Léa",
                      last_name="Martin", language=language, newsletter_consent=False, now=MONDAY_10AM)
    request_password_reset(brand, email="lea@example.com", base_url="http://shop.test", now=MONDAY_10AM)
    url = last_link("password_reset", "reset_url")

    page = client.get(page_of(url), **at(MONDAY_10AM))
    assert page.status_code == 200 and f'<html lang="{language}">' in text(page)
    assert '<label for="f-password">' in text(page)
    token = parse_qs(urlsplit(url).query)["token"][0]
    response = client.post(urlsplit(url).path, {"token": token, "password": "a brand new secret 456"},
                           **at(MONDAY_10AM))

    assert response.status_code == 200 and done in text(response)
    replayed = client.post(urlsplit(url).path + f"?lang={language}", {"token": token, "password": "x" * 20},
                           **at(MONDAY_10AM))
    assert replayed.status_code == 422 and 'data-code="invalid_reset_link"' in text(replayed)


# --- every other e-mail link lands on a page ------------------------------------------------------------

def test_ALL_ORD_04_the_order_email_of_a_guest_opens_her_order_page(api):
    placed = order(api, AL, [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM, method="colissimo_home", language="fr")
    assert placed.status == 201, placed
    url = OutboxMessage.objects.filter(template__startswith="order_").latest("id").context["order"]["url"]
    assert url.startswith("http") and f"/{AL}/orders/{placed['number']}/" in url

    response = Client().get(page_of(url), **at(MONDAY_10AM))  # a fresh browser: no session, no account

    assert response.status_code == 200 and '<html lang="fr">' in text(response)
    assert placed["number"] in text(response)
