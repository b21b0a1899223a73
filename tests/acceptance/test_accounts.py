"""Accounts: who may order without an account, profile, password and addresses, password reset."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from comptoir.checkout.models import Cart
from comptoir.notifications.models import OutboxMessage
from comptoir.orders.models import Order
from factories import PARIS, cart, checkout, order, shopper, stock_of

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
PASSPHRASE = "a-long-enough-passphrase"


def test_OG_ACC_01_a_guest_cannot_place_an_order(api):
    """"To place an order online, you must create a customer account.\""""
    basket = cart(api, "officine-generale", [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM)
    before = stock_of("OG-SHIRT-OXF-BLU-M")

    refused = checkout(api, "officine-generale", basket, now=MONDAY_10AM, method="colissimo_expert")

    assert refused.status == 401, refused
    assert refused["code"] == "account_required"
    assert refused["rule"] == "OG-ACC-01"
    assert stock_of("OG-SHIRT-OXF-BLU-M") == before
    assert not Order.objects.filter(cart_id=basket).exists()
    assert Cart.objects.get(pk=basket).status == Cart.OPEN


def test_OG_ACC_01_with_an_account_the_order_is_placed(api):
    """"To place an order online, you must create a customer account.\""""
    camille = shopper(api, "officine-generale", now=MONDAY_10AM)
    before = stock_of("OG-SHIRT-OXF-BLU-M")

    placed = order(api, "officine-generale", [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM,
                   method="colissimo_expert", token=camille["token"], email=camille["email"])

    assert placed.status == 201, placed
    assert placed["status"] == "awaiting_confirmation"
    assert placed["email"] == camille["email"]
    assert stock_of("OG-SHIRT-OXF-BLU-M") == before - 1


def test_AA_ACC_01_a_guest_orders_and_reads_the_order_with_its_access_token(api):
    """"You do not need to create an account to place an order.\""""
    placed = order(api, "audrey-alexandre", [("AA-WALLET-BLK", 1)], now=MONDAY_10AM, method="chrono_13")
    assert placed.status == 201, placed

    seen = api.get(f"/brands/audrey-alexandre/orders/{placed['number']}", query={"token": placed["access_token"]},
                   now=MONDAY_10AM)

    assert seen.status == 200, seen
    assert seen["number"] == placed["number"]
    assert seen["email"] == "guest@example.com"


def test_AA_ACC_01_a_wrong_or_missing_token_does_not_reveal_the_order(api):
    """"You do not need to create an account to place an order.\" (a guest's order stays private)"""
    placed = order(api, "audrey-alexandre", [("AA-WALLET-BLK", 1)], now=MONDAY_10AM, method="chrono_13")

    wrong = api.get(f"/brands/audrey-alexandre/orders/{placed['number']}", query={"token": "not-the-token"},
                    now=MONDAY_10AM)
    missing = api.get(f"/brands/audrey-alexandre/orders/{placed['number']}", now=MONDAY_10AM)

    assert (wrong.status, wrong["code"]) == (404, "not_found")
    assert (missing.status, missing["code"]) == (404, "not_found")


def test_AL_ACC_01_guest_orders_are_allowed(api):
    """"Enter your order number and the order email and click on "Find my order".\""""
    before = stock_of("AL-TEE-WHT-M")

    placed = order(api, "alme", [("AL-TEE-WHT-M", 2)], now=MONDAY_10AM, method="colissimo_home",
                   email="lea@example.com")

    assert placed.status == 201, placed
    assert placed["status"] == "confirmed"
    assert placed["email"] == "lea@example.com"
    assert stock_of("AL-TEE-WHT-M") == before - 2
    seen = api.get(f"/brands/alme/orders/{placed['number']}", query={"token": placed["access_token"]},
                   now=MONDAY_10AM)
    assert seen.status == 200, seen
    assert seen["status"] == "confirmed"
    assert [line["sku"] for line in seen["lines"]] == ["AL-TEE-WHT-M"]


def test_AL_ACC_01_a_wrong_token_gets_not_found(api):
    """"Enter your order number and the order email\": without the right key, no order is shown."""
    placed = order(api, "alme", [("AL-TEE-WHT-M", 1)], now=MONDAY_10AM, method="colissimo_home")
    other = order(api, "alme", [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM, method="colissimo_home")

    reply = api.get(f"/brands/alme/orders/{placed['number']}", query={"token": other["access_token"]},
                    now=MONDAY_10AM)

    assert (reply.status, reply["code"]) == (404, "not_found")


def test_ALL_ACC_02_a_customer_updates_the_profile(api):
    """"A customer can update profile, password and several delivery addresses.\""""
    camille = shopper(api, "alme", now=MONDAY_10AM)

    updated = api.patch("/brands/alme/me", {"first_name": "Camille-Anne", "phone": "+33 6 00 00 00 01",
                                            "language": "fr"}, token=camille["token"], now=MONDAY_10AM)

    assert updated.status == 200, updated
    assert updated["first_name"] == "Camille-Anne"
    assert updated["last_name"] == "Martin"
    assert updated["phone"] == "+33 6 00 00 00 01"
    assert updated["language"] == "fr"
    assert api.get("/brands/alme/me", token=camille["token"], now=MONDAY_10AM)["first_name"] == "Camille-Anne"


def test_ALL_ACC_02_a_customer_changes_the_password(api):
    """"A customer can update profile, password and several delivery addresses.\""""
    camille = shopper(api, "officine-generale", now=MONDAY_10AM)

    wrong = api.post("/brands/officine-generale/me/password",
                     {"current_password": "not-my-password", "new_password": "another-long-passphrase"},
                     token=camille["token"], now=MONDAY_10AM)
    changed = api.post("/brands/officine-generale/me/password",
                       {"current_password": PASSPHRASE, "new_password": "another-long-passphrase"},
                       token=camille["token"], now=MONDAY_10AM)

    assert (wrong.status, wrong["code"]) == (401, "invalid_credentials")
    assert changed.status == 204
    old = api.post("/brands/officine-generale/sessions", {"email": camille["email"], "password": PASSPHRASE},
                   now=MONDAY_10AM)
    new = api.post("/brands/officine-generale/sessions",
                   {"email": camille["email"], "password": "another-long-passphrase"}, now=MONDAY_10AM)
    assert (old.status, old["code"]) == (401, "invalid_credentials")
    assert new.status == 201


def test_ALL_ACC_02_a_customer_keeps_several_delivery_addresses(api):
    """"A customer can update profile, password and several delivery addresses.\""""
    camille = shopper(api, "officine-generale", now=MONDAY_10AM)
    office = {**PARIS, "label": "Office", "line1": "3 avenue de l'Opéra", "postal_code": "75001"}

    home = api.post("/brands/officine-generale/me/addresses", {**PARIS, "label": "Home"},
                    token=camille["token"], now=MONDAY_10AM)
    work = api.post("/brands/officine-generale/me/addresses", office, token=camille["token"], now=MONDAY_10AM)
    listed = api.get("/brands/officine-generale/me/addresses", token=camille["token"], now=MONDAY_10AM)

    assert (home.status, work.status) == (201, 201)
    assert [(a["label"], a["line1"]) for a in listed.body] == [
        ("Home", "12 rue de Turenne"), ("Office", "3 avenue de l'Opéra"),
    ]
    removed = api.delete(f"/brands/officine-generale/me/addresses/{home['id']}", token=camille["token"],
                         now=MONDAY_10AM)
    assert removed.status == 204
    assert [a["label"] for a in api.get("/brands/officine-generale/me/addresses", token=camille["token"],
                                        now=MONDAY_10AM).body] == ["Office"]


def test_ALL_ACC_02_password_reset_answers_the_same_for_known_and_unknown_addresses(api):
    """"Forgotten password by e-mail link\": the answer never tells whether an account exists."""
    camille = shopper(api, "officine-generale", now=MONDAY_10AM)

    known = api.post("/brands/officine-generale/password-reset", {"email": camille["email"]}, now=MONDAY_10AM)
    unknown = api.post("/brands/officine-generale/password-reset", {"email": "nobody@example.com"},
                       now=MONDAY_10AM)

    assert (known.status, unknown.status) == (202, 202)
    assert known.body == unknown.body
    assert OutboxMessage.objects.filter(template="password_reset", recipient=camille["email"]).count() == 1
    assert not OutboxMessage.objects.filter(recipient="nobody@example.com").exists()


def test_ALL_ACC_02_the_reset_e_mail_carries_a_link_never_a_password(api):
    """OG's "new password by e-mail" becomes a reset link: never a password sent in clear."""
    camille = shopper(api, "officine-generale", now=MONDAY_10AM)

    api.post("/brands/officine-generale/password-reset", {"email": camille["email"]}, now=MONDAY_10AM)

    mail = OutboxMessage.objects.get(template="password_reset", recipient=camille["email"])
    url = mail.context["reset_url"]
    assert url.startswith("http") and "/officine-generale/account/reset?token=" in url
    assert len(parse_qs(urlsplit(url).query)["token"][0]) >= 32
    assert "password" not in {key.lower() for key in mail.context}
    assert PASSPHRASE not in str(mail.context)


def test_ALL_ACC_02_the_reset_link_sets_a_new_password_once(api):
    """"Forgotten password by e-mail link\": the link sets a new password and works only once."""
    camille = shopper(api, "officine-generale", now=MONDAY_10AM)
    api.post("/brands/officine-generale/password-reset", {"email": camille["email"]}, now=MONDAY_10AM)
    mail = OutboxMessage.objects.get(template="password_reset", recipient=camille["email"])
    token = parse_qs(urlsplit(mail.context["reset_url"]).query)["token"][0]
    later = MONDAY_10AM + timedelta(minutes=10)

    reset = api.post("/brands/officine-generale/password-reset/confirm",
                     {"token": token, "new_password": "brand-new-passphrase"}, now=later)
    again = api.post("/brands/officine-generale/password-reset/confirm",
                     {"token": token, "new_password": "yet-another-passphrase"}, now=later)

    assert reset.status == 204
    assert (again.status, again["code"]) == (422, "invalid_reset_link")
    signed_in = api.post("/brands/officine-generale/sessions",
                         {"email": camille["email"], "password": "brand-new-passphrase"}, now=later)
    assert signed_in.status == 201
    refused = api.post("/brands/officine-generale/sessions",
                       {"email": camille["email"], "password": "yet-another-passphrase"}, now=later)
    assert refused.status == 401
