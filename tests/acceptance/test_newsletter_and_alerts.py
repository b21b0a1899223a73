"""Newsletter and back-in-stock alerts: double opt-in, one-click unsubscribe, consent history, one alert
e-mail when a "Coming soon" size is back (ALL-NEWS-01, AL-NEWS-02, AL-STK-03, OG-STK-01)."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from django.core import mail

from comptoir.catalog.models import Variant
from comptoir.consent.models import ConsentEvent, StockAlert, Subscription
from comptoir.consent.stock_alerts import send_back_in_stock_alerts
from comptoir.notifications.models import OutboxMessage
from comptoir.notifications.services import drain_outbox
from comptoir.worker.tasks import SWEEP_TASKS
from factories import shopper, staff

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
AL, OG = "alme", "officine-generale"
COMING_SOON_SKU, SOLD_OUT_SKU, IN_STOCK_SKU = "AL-DRESS-BLK-L", "AL-DRESS-RED-L", "AL-DRESS-BLK-S"
ISSUE = {"subject": {"en": "The winter edit", "fr": "La sélection d'hiver"},
         "text": {"en": "Our coats are here.", "fr": "Nos manteaux sont arrivés."}}


def mails(template: str, to: str | None = None) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(template=template).order_by("id")
    return list(rows.filter(recipient=to) if to else rows)


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def link_path(url: str) -> str:
    """An e-mail's page link, /<brand>/newsletter/… → the API path behind the same action, /brands/<brand>/…
    (the pages themselves are tested in tests/integration/test_email_link_pages.py)."""
    return "/brands" + urlsplit(url).path


def send_issue(api, brand: str, *, now: datetime, key: str = "winter-edit"):
    return api.post(f"/staff/brands/{brand}/newsletter/issues", ISSUE, token=staff(api, brand, now=now), now=now, key=key)


def subscribe_and_confirm(api, email: str, *, now: datetime = MONDAY_10AM, brand: str = AL) -> None:
    assert api.post(f"/brands/{brand}/newsletter/subscriptions", {"email": email}, now=now).status == 202
    confirm_url = mails("newsletter_confirm", email)[-1].context["confirm_url"]
    assert api.get(link_path(confirm_url), query={"token": token_of(confirm_url)}, now=now).status == 200


# --- ALL-NEWS-01: subscribe by e-mail, double opt-in ----------------------------------------------------

def test_ALL_NEWS_01_subscribing_sends_only_a_confirmation_link(api):
    """"Newsletter subscribe by e-mail": nothing is sent before the address is confirmed."""
    reply = api.post(f"/brands/{AL}/newsletter/subscriptions", {"email": " Lea@Example.com "}, now=MONDAY_10AM)

    assert reply.status == 202, reply
    [confirmation] = mails("newsletter_confirm")
    assert confirmation.recipient == "lea@example.com"
    assert confirmation.context["confirm_url"].startswith("http")
    assert Subscription.objects.get(email="lea@example.com").status == "pending"
    assert send_issue(api, AL, now=MONDAY_10AM)["recipients"] == 0
    assert mails("newsletter_issue") == []


def test_ALL_NEWS_01_the_confirmation_link_subscribes_and_is_recorded(api):
    subscribe_and_confirm(api, "lea@example.com", now=MONDAY_10AM)

    subscription = Subscription.objects.get(email="lea@example.com")
    assert (subscription.status, subscription.subscribed_at) == ("subscribed", MONDAY_10AM)
    history = list(ConsentEvent.objects.filter(email="lea@example.com").values_list("action", "source", "at"))
    assert history == [("given", "signup form", MONDAY_10AM), ("confirmed", "confirmation link", MONDAY_10AM)]
    assert send_issue(api, AL, now=MONDAY_10AM)["recipients"] == 1


def test_ALL_NEWS_01_a_confirmation_link_expires_after_seven_days(api):
    api.post(f"/brands/{AL}/newsletter/subscriptions", {"email": "lea@example.com"}, now=MONDAY_10AM)
    url = mails("newsletter_confirm")[0].context["confirm_url"]

    late = api.post(f"/brands/{AL}/newsletter/confirm", {"token": token_of(url)}, now=MONDAY_10AM + timedelta(days=7))

    assert late.status == 422 and late["code"] == "invalid_confirmation_link", late
    assert Subscription.objects.get(email="lea@example.com").status == "pending"


def test_ALL_NEWS_01_subscribing_a_known_address_answers_the_same(api):
    """No account enumeration: a subscriber, an account holder and a stranger read the same answer."""
    subscribe_and_confirm(api, "known@example.com")
    holder = shopper(api, AL, now=MONDAY_10AM)
    later = MONDAY_10AM + timedelta(hours=1)

    answers = [api.post(f"/brands/{AL}/newsletter/subscriptions", {"email": email}, now=later)
               for email in ("known@example.com", holder["email"], "stranger@example.com")]

    assert {(answer.status, answer["detail"]) for answer in answers} == {(202, answers[0]["detail"])}
    assert len(mails("newsletter_confirm", "known@example.com")) == 1  # already subscribed: nothing new


def test_ALL_NEWS_01_asking_again_at_once_does_not_flood_the_inbox(api):
    for minutes in (0, 1, 2):
        api.post(f"/brands/{AL}/newsletter/subscriptions", {"email": "lea@example.com"},
                 now=MONDAY_10AM + timedelta(minutes=minutes))
    api.post(f"/brands/{AL}/newsletter/subscriptions", {"email": "lea@example.com"},
             now=MONDAY_10AM + timedelta(minutes=15))

    assert len(mails("newsletter_confirm", "lea@example.com")) == 2


# --- ALL-NEWS-01: unsubscribe in one click from every newsletter, or from the account ---------------------

def test_ALL_NEWS_01_every_newsletter_carries_a_one_click_unsubscribe_link(api):
    subscribe_and_confirm(api, "lea@example.com")
    subscribe_and_confirm(api, "sam@example.com")

    assert send_issue(api, AL, now=MONDAY_10AM)["recipients"] == 2
    drain_outbox(now=MONDAY_10AM)

    sent = [message for message in mail.outbox if message.subject in ISSUE["subject"].values()]
    assert sorted(message.to[0] for message in sent) == ["lea@example.com", "sam@example.com"]
    for message in sent:
        url = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert url in message.body and "/newsletter/unsubscribe?token=" in url


def test_ALL_NEWS_01_the_mail_client_unsubscribe_button_works_without_login(api, client):
    """RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the link; no sign-in."""
    subscribe_and_confirm(api, "lea@example.com")
    send_issue(api, AL, now=MONDAY_10AM)
    url = mails("newsletter_issue", "lea@example.com")[0].headers["List-Unsubscribe"].strip("<>")
    later = MONDAY_10AM + timedelta(days=2)

    response = client.post(urlsplit(url).path + "?" + urlsplit(url).query, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded", HTTP_X_COMPTOIR_NOW=later.isoformat())

    assert response.status_code == 200, response.content
    assert Subscription.objects.get(email="lea@example.com").status == "unsubscribed"
    assert ConsentEvent.objects.filter(email="lea@example.com").latest("id").source == "unsubscribe link"
    assert send_issue(api, AL, now=later, key="spring-edit")["recipients"] == 0


def test_ALL_NEWS_01_the_unsubscribe_link_opens_in_a_browser_and_twice_is_harmless(api):
    subscribe_and_confirm(api, "lea@example.com")
    send_issue(api, AL, now=MONDAY_10AM)
    url = mails("newsletter_issue")[0].context["unsubscribe_url"]

    first = api.get(link_path(url), query={"token": token_of(url)}, now=MONDAY_10AM)
    second = api.get(link_path(url), query={"token": token_of(url)}, now=MONDAY_10AM)

    assert (first.status, second.status) == (200, 200)
    assert ConsentEvent.objects.filter(email="lea@example.com", action="withdrawn").count() == 1


def test_ALL_NEWS_01_a_forged_unsubscribe_link_is_refused(api):
    subscribe_and_confirm(api, "lea@example.com")
    subscription = Subscription.objects.get(email="lea@example.com")

    for token in (str(subscription.pk), f"{subscription.pk}:forged", ""):
        reply = api.post(f"/brands/{AL}/newsletter/unsubscribe", {"token": token}, now=MONDAY_10AM)
        assert reply.status == 422 and reply["code"] == "invalid_unsubscribe_link", reply
    assert Subscription.objects.get(email="lea@example.com").status == "subscribed"


def test_ALL_NEWS_01_a_link_of_one_brand_does_nothing_at_another(api):
    subscribe_and_confirm(api, "lea@example.com", brand=AL)
    send_issue(api, AL, now=MONDAY_10AM)
    url = mails("newsletter_issue")[0].context["unsubscribe_url"]

    api.post(f"/brands/{OG}/newsletter/unsubscribe", {"token": token_of(url)}, now=MONDAY_10AM)

    assert Subscription.objects.get(email="lea@example.com").status == "subscribed"


def test_ALL_NEWS_01_unsubscribe_from_the_account(api):
    reply = api.post(f"/brands/{OG}/customers", {"email": "paul@example.com", "password": "a-long-enough-passphrase",
                                                   "first_name": "Paul", "last_name": "Durand",
                                                   "newsletter_consent": True}, now=MONDAY_10AM)
    token = reply["token"]
    later = MONDAY_10AM + timedelta(days=20)

    changed = api.put(f"/brands/{OG}/me/newsletter", {"subscribed": False}, token=token, now=later)

    assert changed.status == 200 and changed.body == {"subscribed": False, "since": None}, changed
    assert api.get(f"/brands/{OG}/me", token=token, now=later)["newsletter_consent"] is False
    assert list(ConsentEvent.objects.filter(email="paul@example.com").values_list("action", "source", "at")) == [
        ("given", "account creation", MONDAY_10AM), ("withdrawn", "account settings", later)]
    resubscribed = api.put(f"/brands/{OG}/me/newsletter", {"subscribed": True}, token=token, now=later)
    assert resubscribed["subscribed"] is True and datetime.fromisoformat(resubscribed["since"]) == later
    assert Subscription.objects.get(email="paul@example.com").status == "subscribed"


# --- AL-NEWS-02: an account subscribes only with consent, recorded with its date ----------------------------

def test_AL_NEWS_02_an_account_created_without_consent_is_not_subscribed(api):
    camille = shopper(api, AL, now=MONDAY_10AM)

    assert api.get(f"/brands/{AL}/me/newsletter", token=camille["token"], now=MONDAY_10AM).body == {
        "subscribed": False, "since": None}
    assert not Subscription.objects.filter(email=camille["email"]).exists()
    assert not ConsentEvent.objects.filter(email=camille["email"]).exists()
    assert send_issue(api, AL, now=MONDAY_10AM)["recipients"] == 0


def test_AL_NEWS_02_consent_at_account_creation_is_recorded_with_its_date(api):
    reply = api.post(f"/brands/{AL}/customers", {"email": "lea@example.com", "password": "a-long-enough-passphrase",
                                                   "first_name": "Léa", "last_name": "Petit",
                                                   "newsletter_consent": True}, now=MONDAY_10AM)

    assert reply.status == 201 and reply["customer"]["newsletter_consent"] is True
    [event] = ConsentEvent.objects.filter(email="lea@example.com")
    assert (event.kind, event.action, event.source, event.at) == ("newsletter", "given", "account creation", MONDAY_10AM)
    status = api.get(f"/brands/{AL}/me/newsletter", token=reply["token"], now=MONDAY_10AM)
    assert status["subscribed"] is True and datetime.fromisoformat(status["since"]) == MONDAY_10AM
    assert send_issue(api, AL, now=MONDAY_10AM)["recipients"] == 1


# --- AL-STK-03 / OG-STK-01: back-in-stock alerts ------------------------------------------------------------

def restock(sku: str, units: int = 5) -> None:
    Variant.objects.filter(sku=sku).update(stock=units)


def test_AL_STK_03_a_guest_confirms_the_alert_and_gets_one_email_when_the_size_is_back(api):
    """"Select the size you want, click 'Create alert' and enter your e-mail address. You will receive an
    e-mail as soon as it is back in stock.\""""
    reply = api.post(f"/brands/{AL}/stock-alerts", {"sku": COMING_SOON_SKU, "email": "lea@example.com"}, now=MONDAY_10AM)
    assert reply.status == 202 and reply["status"] == "pending_confirmation", reply
    restock(COMING_SOON_SKU)
    assert send_back_in_stock_alerts(MONDAY_10AM) == 0  # not confirmed yet: nothing is sent

    url = mails("stock_alert_confirm", "lea@example.com")[0].context["confirm_url"]
    assert api.get(link_path(url), query={"token": token_of(url)}, now=MONDAY_10AM).status == 200
    later = MONDAY_10AM + timedelta(hours=1)
    assert send_back_in_stock_alerts(later) == 1
    assert send_back_in_stock_alerts(later + timedelta(minutes=1)) == 0

    [email] = mails("back_in_stock")
    assert email.recipient == "lea@example.com"
    assert email.context["product"]["url"].endswith(f"/{AL}/products/robe-lou/")  # the page itself, no redirect
    assert email.context["product"]["size"] == "L" and email.context["unsubscribe_url"]
    alert = StockAlert.objects.get(email="lea@example.com")
    assert (alert.status, alert.sent_at) == ("sent", later)


def test_AL_STK_03_a_signed_in_shopper_alert_is_active_at_once(api):
    camille = shopper(api, AL, now=MONDAY_10AM)

    reply = api.post(f"/brands/{AL}/stock-alerts", {"sku": COMING_SOON_SKU, "email": camille["email"]},
                     token=camille["token"], now=MONDAY_10AM)

    assert reply.status == 202 and reply["status"] == "active", reply
    assert mails("stock_alert_confirm") == []
    restock(COMING_SOON_SKU)
    assert send_back_in_stock_alerts(MONDAY_10AM) == 1


def test_AL_STK_03_asking_twice_makes_one_alert_and_one_email(api):
    for minutes in (0, 1):
        api.post(f"/brands/{AL}/stock-alerts", {"sku": COMING_SOON_SKU, "email": "lea@example.com"},
                 now=MONDAY_10AM + timedelta(minutes=minutes))

    assert StockAlert.objects.filter(email="lea@example.com").count() == 1
    assert len(mails("stock_alert_confirm")) == 1


def test_AL_STK_03_the_worker_sends_the_alerts(api):
    assert send_back_in_stock_alerts in SWEEP_TASKS


def test_AL_STK_03_the_unsubscribe_link_cancels_the_alert_without_login(api):
    camille = shopper(api, AL, now=MONDAY_10AM)
    api.post(f"/brands/{AL}/stock-alerts", {"sku": "AL-TROUSER-BEI-40", "email": "lea@example.com"},
             token=camille["token"], now=MONDAY_10AM)  # another address than the account's: confirmation first
    url = mails("stock_alert_confirm", "lea@example.com")[0].context["unsubscribe_url"]

    reply = api.post(link_path(url), {"token": token_of(url)}, now=MONDAY_10AM)

    assert reply.status == 200, reply
    assert StockAlert.objects.get(email="lea@example.com").status == "cancelled"
    restock("AL-TROUSER-BEI-40")
    assert send_back_in_stock_alerts(MONDAY_10AM) == 0


def test_OG_STK_01_no_alert_for_a_sold_out_size_it_will_never_come_back(api):
    """"Sold out" is never restocked: an alert would never be sent."""
    reply = api.post(f"/brands/{AL}/stock-alerts", {"sku": SOLD_OUT_SKU, "email": "lea@example.com"}, now=MONDAY_10AM)

    assert reply.status == 409, reply
    assert (reply["code"], reply["rule"]) == ("sold_out", "OG-STK-01")
    assert not StockAlert.objects.exists() and not ConsentEvent.objects.exists()
    assert mails("stock_alert_confirm") == []


def test_AL_STK_03_no_alert_for_a_size_in_stock(api):
    reply = api.post(f"/brands/{AL}/stock-alerts", {"sku": IN_STOCK_SKU, "email": "lea@example.com"}, now=MONDAY_10AM)

    assert reply.status == 409 and reply["code"] == "variant_in_stock", reply
    assert not StockAlert.objects.exists()


def test_AL_STK_03_an_unknown_size_or_a_bad_address_is_refused(api):
    unknown = api.post(f"/brands/{AL}/stock-alerts", {"sku": "NOPE", "email": "lea@example.com"}, now=MONDAY_10AM)
    bad = api.post(f"/brands/{AL}/stock-alerts", {"sku": COMING_SOON_SKU, "email": "not-an-address"}, now=MONDAY_10AM)

    assert (unknown.status, unknown["code"]) == (422, "unknown_sku")
    assert (bad.status, bad["code"]) == (422, "invalid_email")
