"""The pages added to "my account" and the guest pages, through Django's test client, in English and French:
track my order, addresses, gift cards and credit notes, exchanges, repairs, newsletter, data export, account
deletion, the referral landing page, the contact form, and the per-address limits on the page forms.
Bad input gets a clear message with what was typed kept; another shopper's data is not found."""

from __future__ import annotations

import html
import json

import pytest

from comptoir.accounts.models import Address, Customer
from comptoir.accounts.services import register_customer
from comptoir.brands.models import Brand
from comptoir.care.models import Case
from comptoir.checkout.placement import CheckoutDetails, place_order
from comptoir.checkout.services import create_cart
from comptoir.consent.models import DeletionRequest, Subscription
from comptoir.core.clock import wall_clock
from comptoir.exchanges.models import ExchangeRequest
from comptoir.giftcards.services import issue_card
from comptoir.loyalty.models import Membership, Referral
from comptoir.notifications.models import OutboxMessage
from comptoir.orders.models import Order
from comptoir.orders.services import complete_payment_step, confirm_order, mark_delivered, ship_order
from comptoir.payments.gateway import CardDetails
from comptoir.repairs.models import RepairRequest
from comptoir.returns.models import ReturnRequest

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase"
PARIS = {"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Turenne", "postal_code": "75004",
         "city": "Paris", "country": "FR"}
METHODS = {"alme": "mondial_relay", "audrey-alexandre": "chrono_13", "officine-generale": "colissimo_expert"}
SKUS = {"alme": "AL-TEE-WHT-M", "audrey-alexandre": "AA-TOTE-COG-S", "officine-generale": "OG-SHIRT-OXF-BLU-M"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(client, brand: str, email: str = "camille@example.com", language: str = "en") -> Customer:
    customer = register_customer(Brand.objects.get(slug=brand), email=email, password=PASSWORD, first_name="Camille",
                                 last_name="Martin", language=language, newsletter_consent=False, now=wall_clock())
    assert client.post(f"/{brand}/account/sign-in", {"email": email, "password": PASSWORD}).status_code == 302
    return customer


def delivered_order(brand_slug: str, *, customer=None, email: str = "camille@example.com", sku: str | None = None):
    brand = Brand.objects.get(slug=brand_slug)
    now = wall_clock()
    cart = create_cart(brand, customer=customer, lines=[(sku or SKUS[brand_slug], 1)], now=now)
    placed = place_order(brand, cart.pk, CheckoutDetails(
        email=email, shipping_address=PARIS, billing_address=None, shipping_method=METHODS[brand_slug],
        payment_method="card", card=CardDetails("4242424242424242", 12, 2030, "123"), language="en",
    ), customer=customer, idempotency_key=f"pages-{email}-{brand_slug}", now=now)
    order = Order.objects.select_related("brand").get(pk=placed.order.pk)
    if order.status == "awaiting_payment":  # the brand's 3-D Secure step (AA-PAY-02)
        payment = order.payments.get(status="requires_action")
        complete_payment_step(brand, payment.pk, answer="123456", customer=customer, actor="test", now=now)
        order = Order.objects.select_related("brand").get(pk=order.pk)
    if order.status == "awaiting_confirmation":
        order = confirm_order(order, actor="staff:test", now=now)
    ship_order(order, tracking_number="6A12345678901", line_ids=None, actor="staff:test", now=now)
    return mark_delivered(order, actor="staff:test", now=now)


# --- Track my order ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ("en", "fr"))
def test_track_order_page_renders_with_labelled_fields(client, language):
    body = text(client.get("/alme/orders/track/", {"lang": language}))
    assert 'for="track-number"' in body and 'for="track-email"' in body
    assert ("Track my order" if language == "en" else "Suivre ma commande") in body


def test_a_guest_tracks_her_order_with_number_and_email_and_sees_the_tracking_link(client):
    order = delivered_order("alme", email="guest.track@example.com")
    response = client.post("/alme/orders/track/?lang=en", {"order_number": order.number.lower(),
                                                            "email": " Guest.Track@example.com "})
    assert response.status_code == 302 and response["Location"] == f"/alme/orders/{order.number}/"
    body = text(client.get(response["Location"]))
    assert 'data-status="delivered"' in body and "Track the parcel" in body and "6A12345678901" in body


@pytest.mark.parametrize("language, message", [
    ("en", "We could not find an order with this number and e-mail address."),
    ("fr", "Aucune commande ne correspond à ce numéro et à cette adresse e-mail."),
])
def test_a_wrong_number_and_a_wrong_email_get_the_same_answer(client, language, message):
    order = delivered_order("alme", email="guest.track@example.com")
    wrong_email = client.post(f"/alme/orders/track/?lang={language}", {"order_number": order.number,
                                                                         "email": "someone.else@example.com"})
    wrong_number = client.post(f"/alme/orders/track/?lang={language}", {"order_number": "AL-NOSUCH1",
                                                                          "email": "guest.track@example.com"})
    assert wrong_email.status_code == wrong_number.status_code == 404
    assert message in text(wrong_email) and message in text(wrong_number)
    assert 'value="guest.track@example.com"' in text(wrong_number)  # what was typed is kept
    assert client.get(f"/alme/orders/{order.number}/").status_code == 404  # and nothing was opened


def test_track_order_is_limited_per_address_with_a_friendly_page(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "guest_lookup_ip": (2, 300)}
    for _ in range(2):
        assert client.post("/alme/orders/track/", {"order_number": "X", "email": "a@example.com"}).status_code == 404
    response = client.post("/alme/orders/track/?lang=fr", {"order_number": "X", "email": "a@example.com"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "Trop de tentatives" in text(response) and "Traceback" not in text(response)


@pytest.mark.parametrize("url, data, scope", [
    ("/alme/account/sign-in", {"email": "x@example.com", "password": "wrong"}, "sign_in_ip"),
    ("/alme/account/sign-up", {"email": "x@example.com", "password": "short", "first_name": "A", "last_name": "B"},
     "sign_up_ip"),
    ("/alme/returns/new/", {"step": "lookup", "order_number": "X", "email": "x@example.com"}, "guest_lookup_ip"),
    ("/alme/help/ask", {"question": "How long do I have to return an item?"}, "assistant_ip"),
    ("/opalook/help/contact", {"kind": "question", "email": "x@example.com", "message": "Hello"}, "contact_ip"),
    ("/alme/referral/NOSUCHCODE", {"email": "x@example.com"}, None),
])
def test_page_forms_are_limited_per_address(client, settings, url, data, scope):
    if scope is None:  # an unknown referral code is refused before anything is counted or sent
        assert client.post(url, data).status_code == 404
        return
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, scope: (1, 600)}
    assert client.post(url + "?lang=en", data).status_code != 429
    response = client.post(url + "?lang=en", data)
    assert response.status_code == 429
    assert "Too many attempts" in text(response)


# --- Addresses --------------------------------------------------------------------------------------------

def test_account_pages_ask_a_signed_out_visitor_to_sign_in_first(client):
    for page in ("addresses/", "gift-cards/", "exchanges/", "repairs/", "newsletter/", "privacy/",
                 "privacy/my-data.json"):
        response = client.get(f"/alme/account/{page}")
        assert response.status_code == 302, page
        assert response["Location"].startswith("/alme/account/?next=%2Falme%2Faccount%2F"), page


@pytest.mark.parametrize("language", ("en", "fr"))
def test_every_account_page_renders_in_both_languages(client, language):
    signed_in(client, "alme", language=language)
    for page in ("", "addresses/", "gift-cards/", "exchanges/", "repairs/", "newsletter/", "privacy/"):
        response = client.get(f"/alme/account/{page}", {"lang": language})
        assert response.status_code == 200, page
        assert f'<html lang="{language}">' in response.content.decode(), page


def test_a_shopper_adds_changes_and_deletes_an_address(client):
    customer = signed_in(client, "alme")
    response = client.post("/alme/account/addresses/", {**PARIS, "label": "Home", "country": "fr"})
    assert response.status_code == 302
    address = Address.objects.get(customer=customer)
    assert (address.label, address.country) == ("Home", "FR")
    assert client.post(f"/alme/account/addresses/{address.pk}/", {**PARIS, "line1": "3 rue Vieille du Temple"}
                       ).status_code == 302
    address.refresh_from_db()
    assert address.line1 == "3 rue Vieille du Temple"
    assert "3 rue Vieille du Temple" in text(client.get("/alme/account/addresses/?lang=en"))
    assert client.post(f"/alme/account/addresses/{address.pk}/delete").status_code == 302
    assert not Address.objects.filter(customer=customer).exists()


@pytest.mark.parametrize("language, message", [("en", "post office boxes"), ("fr", "boîtes postales")])
def test_OG_SHP_04_a_po_box_address_is_refused_and_the_form_keeps_what_was_typed(client, language, message):
    customer = signed_in(client, "officine-generale")
    response = client.post(f"/officine-generale/account/addresses/?lang={language}",
                           {**PARIS, "line1": "Boîte postale 12", "city": "Lyon"})
    assert response.status_code == 422
    body = text(response)
    assert message in body.lower() and 'id="e-line1"' in body and 'value="Boîte postale 12"' in body and 'value="Lyon"' in body
    assert body.count('aria-invalid="true"') == 1
    assert not Address.objects.filter(customer=customer).exists()


def test_a_brand_delivering_to_po_boxes_keeps_one(client):
    customer = signed_in(client, "alme")
    assert client.post("/alme/account/addresses/", {**PARIS, "line1": "BP 42"}).status_code == 302
    assert Address.objects.get(customer=customer).line1 == "BP 42"


def test_a_missing_field_is_named_and_nothing_is_stored(client):
    customer = signed_in(client, "alme")
    response = client.post("/alme/account/addresses/?lang=en", {**PARIS, "city": "  "})
    assert response.status_code == 422 and "city" in text(response)
    assert not Address.objects.filter(customer=customer).exists()


def test_another_shoppers_address_is_not_found(client):
    other = register_customer(Brand.objects.get(slug="alme"), email="other@example.com", password=PASSWORD,
                              first_name="O", last_name="Ther", language="en", newsletter_consent=False,
                              now=wall_clock())
    theirs = Address.objects.create(customer=other, created_at=wall_clock(), **PARIS)
    signed_in(client, "alme")
    assert client.get(f"/alme/account/addresses/{theirs.pk}/").status_code == 404
    assert client.post(f"/alme/account/addresses/{theirs.pk}/", PARIS).status_code == 404
    assert client.post(f"/alme/account/addresses/{theirs.pk}/delete").status_code == 404
    assert Address.objects.filter(pk=theirs.pk).exists()


# --- Gift cards and credit notes --------------------------------------------------------------------------

@pytest.mark.parametrize("language, words", [("en", ("Gift card", "left", "Issued")),
                                             ("fr", ("Carte cadeau", "restants", "Émission"))])
def test_my_gift_cards_show_balance_expiry_and_history(client, language, words):
    customer = signed_in(client, "alme", language=language)
    brand = Brand.objects.get(slug="alme")
    card, _ = issue_card(brand, kind="gift_card", amount_minor=5000, recipient_email=customer.email,
                         language=language, source_order=None, idempotency_key="pages-card", now=wall_clock())
    issue_card(brand, kind="gift_card", amount_minor=7000, recipient_email="someone.else@example.com",
               language="en", source_order=None, idempotency_key="pages-card-2", now=wall_clock())
    body = text(client.get("/alme/account/gift-cards/", {"lang": language}))
    assert f'data-card="{card.code_last4}"' in body and body.count("data-card=") == 1
    assert all(word in body for word in words)
    assert ("€50.00" if language == "en" else "50,00\u00a0€") in body


# --- Exchanges --------------------------------------------------------------------------------------------

def test_OG_EXC_01_a_shopper_exchanges_a_line_for_another_size(client):
    customer = signed_in(client, "alme")
    order = delivered_order("alme", customer=customer, email=customer.email)
    line = order.lines.get()
    page = text(client.get(f"/alme/orders/{order.number}/?lang=en"))
    assert f"/alme/account/exchanges/new?order={order.number}&line={line.id}" in page
    form = text(client.get("/alme/account/exchanges/new", {"order": order.number, "line": line.id, "lang": "en"}))
    assert 'for="f-sku"' in form and 'value="AL-TEE-WHT-S"' in form and 'value="AL-TEE-WHT-M"' not in form
    choice = {"order": order.number, "line": line.id, "sku": "AL-TEE-WHT-S", "reason": "wrong_size"}
    review = client.post("/alme/account/exchanges/new?lang=en", choice)
    assert review.status_code == 200 and 'data-price="same"' in text(review)
    response = client.post("/alme/account/exchanges/new?lang=en", {**choice, "confirm": "1"})
    assert response.status_code == 302, text(response)
    exchange = ExchangeRequest.objects.get(original_order=order)
    assert (exchange.wanted_sku, exchange.kind, exchange.status) == ("AL-TEE-WHT-S", "size", "requested")
    listing = text(client.get("/alme/account/exchanges/?lang=fr"))
    assert "Échange demandé" in listing and order.number in listing


def test_a_refused_exchange_leaves_no_return_behind_and_keeps_the_choices(client):
    customer = signed_in(client, "alme")
    order = delivered_order("alme", customer=customer, email=customer.email)
    line = order.lines.get()
    response = client.post("/alme/account/exchanges/new?lang=en", {
        "order": order.number, "line": line.id, "sku": "AL-TEE-WHT-S", "reason": ""})
    assert response.status_code in (409, 422)
    assert 'value="AL-TEE-WHT-S" selected' in text(response)
    assert not ReturnRequest.objects.filter(order=order).exists()
    assert not ExchangeRequest.objects.filter(original_order=order).exists()


def test_another_shoppers_order_line_cannot_be_exchanged(client):
    owner = register_customer(Brand.objects.get(slug="alme"), email="owner@example.com", password=PASSWORD,
                              first_name="O", last_name="W", language="en", newsletter_consent=False,
                              now=wall_clock())
    order = delivered_order("alme", customer=owner, email=owner.email)
    signed_in(client, "alme")
    query = {"order": order.number, "line": order.lines.get().id}
    assert client.get("/alme/account/exchanges/new", query).status_code == 404
    assert client.post("/alme/account/exchanges/new", {**query, "sku": "AL-TEE-WHT-S", "reason": "wrong_size"}
                       ).status_code == 404
    assert not ReturnRequest.objects.filter(order=order).exists()


# --- Repairs ----------------------------------------------------------------------------------------------

def test_AA_REP_01_a_shopper_asks_for_a_repair_from_an_order_line_and_follows_it(client):
    customer = signed_in(client, "audrey-alexandre")
    order = delivered_order("audrey-alexandre", customer=customer, email=customer.email)
    line = order.lines.get()
    page = text(client.get(f"/audrey-alexandre/orders/{order.number}/?lang=en"))
    assert f"/audrey-alexandre/account/repairs/new?order={order.number}&line={line.id}" in page
    response = client.post("/audrey-alexandre/account/repairs/new?lang=en", {
        "order": order.number, "line": line.id, "description": "The handle came off"})
    assert response.status_code == 302
    repair = RepairRequest.objects.get(customer=customer)
    assert (repair.order_line_id, repair.status) == (line.id, "requested")
    body = text(client.get(response["Location"] + "?lang=fr"))
    assert "Réparation demandée" in body and "The handle came off" in body


def test_a_repair_without_an_item_or_description_is_refused_with_its_message(client):
    customer = signed_in(client, "audrey-alexandre")
    response = client.post("/audrey-alexandre/account/repairs/new?lang=en", {"description": "   "})
    assert response.status_code == 422
    assert not RepairRequest.objects.filter(customer=customer).exists()


def test_another_shoppers_repair_is_not_found(client):
    owner = signed_in(client, "audrey-alexandre", email="owner@example.com")
    client.post("/audrey-alexandre/account/repairs/new", {"description": "A strap is torn"})
    repair = RepairRequest.objects.get(customer=owner)
    client.post("/audrey-alexandre/account/sign-out")
    signed_in(client, "audrey-alexandre", email="intruder@example.com")
    assert client.get(f"/audrey-alexandre/account/repairs/{repair.pk}/").status_code == 404
    assert client.post(f"/audrey-alexandre/account/repairs/{repair.pk}/quote", {"action": "decline"}
                       ).status_code == 404


def test_a_brand_without_repairs_says_so(client):
    signed_in(client, "alme")
    response = client.post("/alme/account/repairs/new?lang=en", {"description": "A strap is torn"})
    assert response.status_code == 409
    assert "repair" in text(response).lower()


# --- Newsletter, data, deletion ---------------------------------------------------------------------------

def test_ALL_NEWS_01_subscribing_from_the_account_is_a_double_opt_in(client):
    customer = signed_in(client, "alme")
    response = client.post("/alme/account/newsletter/?lang=en", {"action": "subscribe"})
    assert "confirm with the link" in text(response)
    subscription = Subscription.objects.get(brand__slug="alme", email=customer.email)
    assert subscription.status == Subscription.PENDING
    assert OutboxMessage.objects.filter(recipient=customer.email, template="newsletter_confirm").count() == 1
    assert 'data-subscribed="no"' in text(response)


def test_unsubscribing_from_the_account(client):
    brand = Brand.objects.get(slug="alme")
    register_customer(brand, email="news@example.com", password=PASSWORD, first_name="N", last_name="Ews",
                      language="fr", newsletter_consent=True, now=wall_clock())
    client.post("/alme/account/sign-in", {"email": "news@example.com", "password": PASSWORD})
    assert 'data-subscribed="yes"' in text(client.get("/alme/account/newsletter/"))
    response = client.post("/alme/account/newsletter/?lang=fr", {"action": "unsubscribe"})
    assert "désinscrit" in text(response) and 'data-subscribed="no"' in text(response)
    assert Subscription.objects.get(brand=brand, email="news@example.com").status == Subscription.UNSUBSCRIBED


def test_ALL_ACC_04_the_data_export_downloads_as_a_file(client):
    customer = signed_in(client, "alme")
    response = client.get("/alme/account/privacy/my-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="alme-personal-data-')
    assert json.loads(response.content)["profile"]["email"] == customer.email


@pytest.mark.parametrize("language, message", [("en", "This password is not the one of your account."),
                                               ("fr", "Ce mot de passe n'est pas celui de votre compte.")])
def test_deleting_the_account_needs_the_password(client, language, message):
    customer = signed_in(client, "alme")
    response = client.post(f"/alme/account/privacy/delete?lang={language}", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 401 and message in text(response)
    customer.refresh_from_db()
    assert customer.is_active


def test_deleting_the_account_needs_the_box_ticked(client):
    customer = signed_in(client, "alme")
    response = client.post("/alme/account/privacy/delete?lang=en", {"password": PASSWORD})
    assert response.status_code == 422 and "Tick the box" in text(response)
    customer.refresh_from_db()
    assert customer.is_active


def test_ALL_ACC_04_self_service_deletion_erases_the_person_and_keeps_the_invoices(client):
    customer = signed_in(client, "alme")
    response = client.post("/alme/account/privacy/delete?lang=en", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and "Your account is deleted" in text(response)
    customer.refresh_from_db()
    assert not customer.is_active and customer.email.endswith("@anonymised.invalid")
    assert client.get("/alme/account/addresses/").status_code == 302  # signed out


def test_OG_ACC_03_deletion_goes_to_customer_care_where_the_brand_says_so(client):
    customer = signed_in(client, "officine-generale")
    response = client.post("/officine-generale/account/privacy/delete?lang=fr", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and "Votre demande est enregistrée" in text(response)
    assert DeletionRequest.objects.filter(customer=customer, status=DeletionRequest.OPEN).count() == 1
    customer.refresh_from_db()
    assert customer.is_active


# --- Referral landing page --------------------------------------------------------------------------------

def _member_code(email: str = "member@example.com") -> str:
    member = register_customer(Brand.objects.get(slug="alme"), email=email, password=PASSWORD, first_name="Inès",
                               last_name="Member", language="fr", newsletter_consent=False, now=wall_clock())
    return Membership.objects.get(customer=member).referral_code


@pytest.mark.parametrize("language, words", [("en", ("Inès invites you", "off with your personal code")),
                                             ("fr", ("Inès vous invite", "de réduction avec votre code"))])
def test_AL_RAF_01_the_referral_page_explains_the_offer_from_the_policy(client, language, words):
    code = _member_code()
    body = text(client.get(f"/alme/referral/{code}", {"lang": language}))
    assert all(word in body for word in words)
    offer = Brand.objects.get(slug="alme").policy_object.referral
    assert str(offer.friend_code_validity_days) in body


def test_a_friend_leaves_her_address_and_gets_her_code(client):
    code = _member_code()
    response = client.post(f"/alme/referral/{code}?lang=en", {"email": "friend@example.com"})
    assert response.status_code == 302
    assert Referral.objects.filter(friend_email="friend@example.com").count() == 1
    assert "your code is on its way" in text(client.get(response["Location"]))


def test_the_referral_code_is_kept_for_the_friends_sign_up(client):
    code = _member_code()
    client.get(f"/alme/referral/{code}")
    client.post("/alme/account/sign-up", {"email": "new.friend@example.com", "password": PASSWORD,
                                          "first_name": "Léa", "last_name": "Amie"})
    assert Referral.objects.filter(friend_email="new.friend@example.com", referrer__referral_code=code).exists()


@pytest.mark.parametrize("language, message", [
    ("en", "We do not know this referral link"), ("fr", "Nous ne connaissons pas ce lien de parrainage")])
def test_an_unknown_referral_code_is_refused_with_a_clear_message(client, language, message):
    response = client.get("/alme/referral/NOSUCHCODE", {"lang": language})
    assert response.status_code == 404 and message in text(response)


def test_a_brand_without_a_referral_programme_says_so(client):
    response = client.get("/opalook/referral/ANYCODE", {"lang": "en"})
    assert response.status_code == 404 and "no referral programme" in text(response)


# --- Contact form -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ("en", "fr"))
def test_ALL_CARE_02_a_guest_writes_through_the_contact_form(client, language):
    response = client.post(f"/opalook/help/contact?lang={language}", {
        "kind": "question", "email": "pro@example.com", "subject": "Opening an account", "message": "Hello"})
    assert response.status_code == 200
    case = Case.objects.get(email="pro@example.com")
    assert f'data-case="{case.pk}"' in text(response)


def test_an_empty_message_is_refused_and_the_rest_is_kept(client):
    response = client.post("/opalook/help/contact?lang=en", {"kind": "question", "email": "pro@example.com",
                                                              "subject": "Opening an account", "message": ""})
    assert response.status_code == 422 and 'value="Opening an account"' in text(response)
    assert not Case.objects.filter(email="pro@example.com").exists()


def test_AA_CARE_01_without_a_contact_form_a_guest_is_sent_to_the_email(client):
    response = client.post("/alme/help/contact?lang=en", {"kind": "question", "email": "g@example.com",
                                                           "message": "Hello"})
    assert response.status_code == 403
    assert Brand.objects.get(slug="alme").policy_object.contact.email in text(response)
