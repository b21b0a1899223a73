"""Personal data: export of everything held, deletion that anonymises the person but keeps invoices,
deletion through customer care where the brand wants it, and no data given to anyone else
(ALL-ACC-04, OG-ACC-03, OG-ACC-06)."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.accounts.models import Customer
from comptoir.consent.models import ConsentEvent, DeletionRequest, Subscription
from comptoir.invoices.models import Invoice
from comptoir.notifications.models import OutboxMessage
from comptoir.notifications.services import drain_outbox
from comptoir.orders.models import Order
from comptoir.orders.services import expire_payment_steps
from comptoir.payouts.models import Payout
from factories import PARIS, order, staff, staff_move
from payout_journeys import AA, EXPIRED_AT, WALLET, receive

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
LATER = MONDAY_10AM + timedelta(days=10)
AL, OG = "alme", "officine-generale"
PASSPHRASE = "a-long-enough-passphrase"
OG_SKU, AL_SKU = "OG-SHIRT-OXF-BLU-M", "AL-DRESS-BLK-S"


def register(api, brand: str, email: str, *, consent: bool = True) -> str:
    reply = api.post(f"/brands/{brand}/customers", {"email": email, "password": PASSPHRASE, "first_name": "Camille",
                                                     "last_name": "Martin", "newsletter_consent": consent},
                     now=MONDAY_10AM)
    assert reply.status == 201, reply
    return reply["token"]


def delivered_order(api, brand: str, token: str, email: str, *, method: str, sku: str) -> str:
    """An order placed, confirmed where the brand confirms by hand, shipped and delivered."""
    placed = order(api, brand, [(sku, 1)], now=MONDAY_10AM, method=method, token=token, email=email)
    assert placed.status == 201, placed
    team = staff(api, brand, now=MONDAY_10AM)
    moves = (["confirm"] if placed["status"] == "awaiting_confirmation" else []) + ["ship", "deliver"]
    for move in moves:
        moved = staff_move(api, brand, team, placed["number"], move, now=MONDAY_10AM + timedelta(hours=2))
        assert moved.status == 200, moved
    return placed["number"]


def export(client, brand: str, token: str):
    return client.get(f"/api/brands/{brand}/me/data-export", HTTP_AUTHORIZATION=f"Bearer {token}",
                      HTTP_X_COMPTOIR_NOW=LATER.isoformat())


# --- ALL-ACC-04: right of access ---------------------------------------------------------------------------

def test_ALL_ACC_04_the_shopper_downloads_everything_held_about_them(api, client):
    """"you have the right to access, correct and delete your personal data\""""
    token = register(api, AL, "camille@example.com")
    api.post(f"/brands/{AL}/me/addresses", {**PARIS, "label": "Home"}, token=token, now=MONDAY_10AM)
    number = delivered_order(api, AL, token, "camille@example.com", method="colissimo_home", sku=AL_SKU)
    api.post(f"/brands/{AL}/stock-alerts", {"sku": "AL-DRESS-BLK-L", "email": "camille@example.com"}, token=token,
             now=MONDAY_10AM)

    response = export(client, AL, token)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{AL}-personal-data-{LATER:%Y-%m-%d}.json"'
    document = json.loads(response.content)
    assert document["profile"]["email"] == "camille@example.com"
    assert document["profile"]["first_name"] == "Camille"
    assert [address["line1"] for address in document["addresses"]] == [PARIS["line1"]]
    [placed] = document["orders"]
    assert placed["number"] == number and placed["shipping_address"]["line1"] == PARIS["line1"]
    assert [line["sku"] for line in placed["lines"]] == [AL_SKU]
    assert placed["payments"][0]["card_last4"] == "4242"
    assert placed["shipments"][0]["tracking_number"] == "TRACK123456FR"
    assert document["newsletter"][0]["status"] == "subscribed"
    assert [(e["kind"], e["action"], e["source"]) for e in document["consent_history"]] == [
        ("newsletter", "given", "account creation"), ("stock_alert", "given", "stock alert form (AL-DRESS-BLK-L)")]
    assert [alert["sku"] for alert in document["stock_alerts"]] == ["AL-DRESS-BLK-L"]
    assert "4242424242424242" not in response.content.decode()  # never a card number


def test_ALL_ACC_04_the_export_needs_the_shopper_signed_in(api, client):
    response = client.get(f"/api/brands/{AL}/me/data-export")

    assert response.status_code == 401


def test_ALL_ACC_04_the_export_costs_the_same_queries_for_one_order_or_three(api, client):
    counts = []
    for orders, email in ((1, "one@example.com"), (3, "three@example.com")):
        token = register(api, AL, email)
        for _ in range(orders):
            delivered_order(api, AL, token, email, method="colissimo_home", sku=AL_SKU)
        with CaptureQueriesContext(connection) as queries:
            assert export(client, AL, token).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- ALL-ACC-04: deletion that anonymises the person and keeps the invoices ---------------------------------

def test_ALL_ACC_04_self_service_deletion_anonymises_the_person_and_keeps_the_invoice(api):
    token = register(api, AL, "camille@example.com")
    api.post(f"/brands/{AL}/me/addresses", PARIS, token=token, now=MONDAY_10AM)
    number = delivered_order(api, AL, token, "camille@example.com", method="colissimo_home", sku=AL_SKU)
    customer = Customer.objects.get(email="camille@example.com")

    reply = api.delete(f"/brands/{AL}/me", token=token, now=LATER)

    assert reply.status == 204, reply
    customer.refresh_from_db()
    assert (customer.first_name, customer.last_name, customer.phone) == ("", "", "")
    assert customer.email == f"erased-{customer.pk}@anonymised.invalid" and not customer.is_active
    assert customer.password.startswith("!")  # unusable: no password can match
    assert not customer.addresses.exists() and not customer.tokens.exists()
    assert api.get(f"/brands/{AL}/me", token=token, now=LATER).status == 401
    signed_in = api.post(f"/brands/{AL}/sessions", {"email": "camille@example.com", "password": PASSPHRASE}, now=LATER)
    assert signed_in.status == 401
    placed = Order.objects.get(number=number)
    assert placed.email == customer.email
    assert placed.shipping_address["line1"] == "" and placed.shipping_address["country"] == "FR"
    assert not Subscription.objects.filter(email="camille@example.com").exists()
    assert not ConsentEvent.objects.filter(email="camille@example.com").exists()
    # The invoice, issued before the erasure, is kept as it was: the law requires it (10 years).
    [invoice] = Invoice.objects.filter(order=placed)
    assert invoice.snapshot["buyer"]["name"] == "Camille Martin"
    assert invoice.snapshot["buyer"]["email"] == "camille@example.com"
    erased = ConsentEvent.objects.get(kind="account")
    assert (erased.action, erased.actor, erased.at) == ("erased", f"customer:{customer.pk}", LATER)


def test_ALL_ACC_04_deletion_waits_until_orders_in_progress_are_complete(api):
    token = register(api, AL, "camille@example.com")
    placed = order(api, AL, [(AL_SKU, 1)], now=MONDAY_10AM, method="colissimo_home", token=token,
                   email="camille@example.com")

    reply = api.delete(f"/brands/{AL}/me", token=token, now=LATER)

    assert reply.status == 409 and (reply["code"], reply["rule"]) == ("deletion_waits_for_orders", "ALL-ACC-04")
    assert api.get(f"/brands/{AL}/me", token=token, now=LATER)["email"] == "camille@example.com"
    assert Order.objects.get(number=placed["number"]).shipping_address["line1"] == PARIS["line1"]


# --- OG-ACC-03: deletion is requested from customer care, carried out by staff -------------------------------

def test_OG_ACC_03_deletion_is_asked_from_customer_care_and_not_done_at_once(api):
    """"To delete your customer account, please contact Officine Générale's customer care\""""
    token = register(api, OG, "paul@example.com")

    reply = api.delete(f"/brands/{OG}/me", token=token, now=LATER)

    assert reply.status == 409, reply
    assert (reply["code"], reply["rule"]) == ("deletion_through_customer_care", "OG-ACC-03")
    assert reply["contact"] == {"email": "eshop@officinegenerale.com", "phone": "+33 1 85 09 64 42"}
    assert "eshop@officinegenerale.com" in reply["message"]
    assert reply["request"]["status"] == "open"
    assert api.get(f"/brands/{OG}/me", token=token, now=LATER)["email"] == "paul@example.com"
    again = api.delete(f"/brands/{OG}/me", token=token, now=LATER + timedelta(hours=1))
    assert again["request"]["id"] == reply["request"]["id"]
    assert DeletionRequest.objects.count() == 1


def test_OG_ACC_03_staff_carry_out_the_request_and_it_is_recorded(api):
    token = register(api, OG, "paul@example.com")
    number = delivered_order(api, OG, token, "paul@example.com", method="colissimo_expert", sku=OG_SKU)
    request_id = api.delete(f"/brands/{OG}/me", token=token, now=LATER)["request"]["id"]
    team = staff(api, OG, now=LATER)
    assert [row["id"] for row in api.get(f"/staff/brands/{OG}/deletion-requests", token=team, now=LATER).body] == [request_id]

    done = api.post(f"/staff/brands/{OG}/deletion-requests/{request_id}/carry-out", token=team, now=LATER)

    assert done.status == 200, done
    assert done["status"] == "carried_out" and done["carried_out_by"].startswith("staff:staff-officine-generale")
    customer = Customer.objects.get(pk=DeletionRequest.objects.get().customer_id)
    assert customer.email.endswith("@anonymised.invalid") and customer.last_name == ""
    assert Order.objects.get(number=number).billing_address["last_name"] == ""
    # The invoice, issued when the order was confirmed or at the latest now, keeps the buyer (10-year retention).
    assert Invoice.objects.get(order__number=number).snapshot["buyer"]["name"] == "Camille Martin"
    erased = ConsentEvent.objects.get(kind="account")
    assert (erased.source, erased.actor, erased.at) == ("customer care", done["carried_out_by"], LATER)
    assert api.post(f"/staff/brands/{OG}/deletion-requests/{request_id}/carry-out", token=team, now=LATER).status == 200


def test_OG_ACC_03_staff_of_another_brand_cannot_carry_it_out(api):
    token = register(api, OG, "paul@example.com")
    request_id = api.delete(f"/brands/{OG}/me", token=token, now=LATER)["request"]["id"]

    other = staff(api, AL, now=LATER)
    refused = api.post(f"/staff/brands/{OG}/deletion-requests/{request_id}/carry-out", token=other, now=LATER)
    elsewhere = api.post(f"/staff/brands/{AL}/deletion-requests/{request_id}/carry-out", token=other, now=LATER)

    assert refused.status == 403 and elsewhere.status == 404
    assert DeletionRequest.objects.get().status == "open"
    assert api.get(f"/brands/{OG}/me", token=token, now=LATER).status == 200


# --- OG-ACC-06: personal data is never shared with other businesses -------------------------------------------

def test_OG_ACC_06_every_message_goes_to_the_shopper_or_the_brand_itself(api):
    """"Personal data is never shared with or sold to other businesses": after a whole journey (account,
    order, confirmation, shipping, delivery, newsletter, stock alert) every e-mail is addressed to the
    shopper and no webhook leaves for anyone."""
    token = register(api, OG, "paul@example.com")
    delivered_order(api, OG, token, "paul@example.com", method="colissimo_expert", sku=OG_SKU)
    api.post(f"/brands/{OG}/stock-alerts", {"sku": "OG-SHIRT-OXF-BLU-XL", "email": "paul@example.com"}, token=token,
             now=MONDAY_10AM)
    team = staff(api, OG, now=LATER)
    issue = {"subject": {"en": "News", "fr": "Nouvelles"}, "text": {"en": "Hello", "fr": "Bonjour"}}
    assert api.post(f"/staff/brands/{OG}/newsletter/issues", issue, token=team, now=LATER, key="n1")["recipients"] == 1
    drain_outbox(now=LATER)

    brand_addresses = {"eshop@officinegenerale.com"}
    messages = list(OutboxMessage.objects.all())
    assert {m.template for m in messages} >= {"order_received", "order_shipped", "newsletter_issue"}
    assert {m.recipient for m in messages if m.channel == "email"} <= {"paul@example.com"} | brand_addresses
    assert [m for m in messages if m.channel == "webhook"] == []
    assert {address for sent in mail.outbox for address in sent.to + sent.cc + sent.bcc} <= (
        {"paul@example.com"} | brand_addresses)


def test_ALL_ACC_04_the_export_lists_transfers_sent_back_with_the_iban_given_for_them(api, client):
    token = register(api, AA, "nadia@example.com")
    placed = order(api, AA, [(WALLET, 1)], now=MONDAY_10AM, method="chrono_13", payment_method="bank_transfer",
                   card=None, token=token, email="nadia@example.com")
    assert placed.status == 201, placed
    receive(api, staff(api, AA, now=MONDAY_10AM), Order.objects.get(number=placed["number"]), 3000, key="bank-1")
    assert expire_payment_steps(EXPIRED_AT) == 1
    Payout.objects.filter(order__number=placed["number"]).update(iban="FR7630006000011234567890189")

    document = json.loads(export(client, AA, token).content)

    assert [(t["order"], t["amount_minor"], t["iban"], t["status"]) for t in document["transfers_to_you"]] == [
        (placed["number"], 3000, "FR7630006000011234567890189", "pending")]
