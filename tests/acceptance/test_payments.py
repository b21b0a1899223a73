"""Payment: accepted methods and networks, when the money is taken, 3-D Secure, refusals, retries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from comptoir.checkout.models import Cart
from comptoir.orders.models import Order
from comptoir.orders.services import expire_payment_steps
from comptoir.payments.models import Payment
from factories import (
    AMEX, BAD_LUHN_CARD, DECLINED_CARD, EXPIRED_CARD, INCORRECT_CVC_CARD, INSUFFICIENT_FUNDS_CARD, VISA, cart,
    checkout, order, pass_challenge, shopper, stock_of,
)

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
MASTERCARD = {**VISA, "number": "5555 5555 5555 4444"}


def og_shopper(api):
    return shopper(api, "officine-generale", now=MONDAY_10AM)


# --- OG-PAY-01 ---------------------------------------------------------------------------------------

def test_OG_PAY_01_officine_generale_sells_in_euros_by_card_and_paypal(api):
    """"All transactions on the website take place in euros.\" "Credit Card, Visa, MasterCard as well as Paypal.\""""
    brand = api.get("/brands/officine-generale", now=MONDAY_10AM)

    assert brand["currency"] == "EUR"
    assert brand["payment_methods"] == ["card", "paypal"]
    assert brand["card_networks"] == ["cb", "visa", "mastercard"]


def test_OG_PAY_01_a_mastercard_is_accepted_and_the_order_is_in_euros(api):
    """"We accept the following credit cards as means of payment: Credit Card, Visa, MasterCard\""""
    camille = og_shopper(api)

    placed = order(api, "officine-generale", [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM,
                   method="colissimo_expert", card=MASTERCARD, token=camille["token"])

    assert placed.status == 201, placed
    assert placed["currency"] == "EUR"
    assert placed["total_minor"] == 18500 + 800
    assert (placed["payments"][0]["card_network"], placed["payments"][0]["card_last4"]) == ("mastercard", "4444")


def test_OG_PAY_01_paypal_is_accepted(api):
    """"... as well as Paypal.\": the shopper approves at PayPal, then the order waits for confirmation."""
    camille = og_shopper(api)
    placed = order(api, "officine-generale", [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM,
                   method="colissimo_expert", payment_method="paypal", card=None, token=camille["token"])
    assert placed.status == 201, placed
    assert placed["status"] == "awaiting_payment"
    assert placed["payments"][0]["challenge"]["type"] == "redirect"

    approved = pass_challenge(api, "officine-generale", placed, now=MONDAY_10AM + timedelta(minutes=2),
                              answer="approve", token=camille["token"])

    assert approved.status == 200, approved
    assert approved["status"] == "awaiting_confirmation"
    assert approved["payments"][0]["status"] == "authorised"


def test_OG_PAY_01_bank_transfer_is_refused(api):
    """OG accepts "Credit Card, Visa, MasterCard as well as Paypal\": no bank transfer."""
    camille = og_shopper(api)
    basket = cart(api, "officine-generale", [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM, token=camille["token"])
    before = stock_of("OG-SHIRT-OXF-BLU-M")

    refused = checkout(api, "officine-generale", basket, now=MONDAY_10AM, method="colissimo_expert",
                       payment_method="bank_transfer", card=None, token=camille["token"])

    assert refused.status == 422, refused
    assert refused["code"] == "payment_method_not_accepted"
    assert stock_of("OG-SHIRT-OXF-BLU-M") == before
    assert not Order.objects.filter(cart_id=basket).exists()


def test_OG_PAY_01_an_american_express_card_is_refused(api):
    """OG accepts "Credit Card, Visa, MasterCard\": American Express is not among them."""
    camille = og_shopper(api)
    basket = cart(api, "officine-generale", [("OG-SHIRT-OXF-BLU-M", 1)], now=MONDAY_10AM, token=camille["token"])
    before = stock_of("OG-SHIRT-OXF-BLU-M")

    refused = checkout(api, "officine-generale", basket, now=MONDAY_10AM, method="colissimo_expert", card=AMEX,
                       token=camille["token"])

    assert refused.status == 422, refused
    assert (refused["code"], refused["rule"]) == ("card_network_not_accepted", "OG-PAY-01")
    assert stock_of("OG-SHIRT-OXF-BLU-M") == before
    assert not Order.objects.filter(cart_id=basket).exists()


def test_AA_PAY_01_american_express_is_accepted_at_audrey_alexandre(api):
    """"Credit Card: Carte Bleue, Visa, Eurocard/MasterCard, American Express.\""""
    placed = order(api, "audrey-alexandre", [("AA-WALLET-BLK", 1)], now=MONDAY_10AM, method="chrono_13", card=AMEX)
    assert placed.status == 201, placed

    paid = pass_challenge(api, "audrey-alexandre", placed, now=MONDAY_10AM + timedelta(minutes=1))

    assert paid.status == 200, paid
    assert paid["currency"] == "EUR"
    assert (paid["payments"][0]["card_network"], paid["payments"][0]["status"]) == ("amex", "captured")


# --- When the money is taken -------------------------------------------------------------------------

def test_AA_PAY_01_card_payment_is_captured_at_order_and_the_order_confirmed(api):
    """"The payment will be completed immediately after you place your order.\""""
    placed = order(api, "audrey-alexandre", [("AA-PURSE-BLK", 1)], now=MONDAY_10AM, method="chrono_13")

    paid = pass_challenge(api, "audrey-alexandre", placed, now=MONDAY_10AM + timedelta(minutes=1))

    assert paid.status == 200, paid
    assert paid["status"] == "confirmed"
    assert paid["payments"][0]["status"] == "captured"
    assert paid["payments"][0]["amount_minor"] == paid["total_minor"] == 9500 + 990


def test_AL_PAY_01_the_debit_happens_when_the_order_is_placed(api):
    """"the debit is made when the order is placed and not when it is shipped.\""""
    placed = order(api, "alme", [("AL-JEAN-BLU-38", 1)], now=MONDAY_10AM, method="colissimo_home")

    assert placed.status == 201, placed
    assert placed["status"] == "confirmed"
    assert placed["payments"][0]["status"] == "captured"
    assert placed["payments"][0]["amount_minor"] == placed["total_minor"] == 10900 + 590


# --- AA-PAY-02: 3-D Secure ------------------------------------------------------------------------

def test_AA_PAY_02_checkout_waits_for_the_bank_to_confirm_the_cardholder(api):
    """"3D Secure is a secure online payment method required by banks, which make its use mandatory.\""""
    before = stock_of("AA-CARD-BLK")

    placed = order(api, "audrey-alexandre", [("AA-CARD-BLK", 1)], now=MONDAY_10AM, method="chrono_13")

    assert placed.status == 201, placed
    assert placed["status"] == "awaiting_payment"
    assert placed["payments"][0]["status"] == "requires_action"
    assert placed["payments"][0]["challenge"]["type"] == "3ds"
    assert datetime.fromisoformat(placed["payment_due_by"]) == MONDAY_10AM + timedelta(minutes=30)
    assert stock_of("AA-CARD-BLK") == before - 1


def test_AA_PAY_02_the_right_code_completes_the_payment(api):
    """"the bank confirms the cardholder (code by SMS) before payment completes\""""
    placed = order(api, "audrey-alexandre", [("AA-CARD-BLK", 1)], now=MONDAY_10AM, method="chrono_13")

    paid = pass_challenge(api, "audrey-alexandre", placed, now=MONDAY_10AM + timedelta(minutes=3))

    assert paid.status == 200, paid
    assert paid["status"] == "confirmed"
    assert paid["payments"][0]["status"] == "captured"
    assert paid["payments"][0]["challenge"] is None
    assert paid["payment_due_by"] is None


def test_AA_PAY_02_a_wrong_code_refuses_the_payment_and_frees_the_stock(api):
    """"the bank confirms the cardholder\": when it cannot, nothing is charged and the items go back."""
    before = stock_of("AA-CARD-BLK")
    placed = order(api, "audrey-alexandre", [("AA-CARD-BLK", 1)], now=MONDAY_10AM, method="chrono_13")

    refused = pass_challenge(api, "audrey-alexandre", placed, now=MONDAY_10AM + timedelta(minutes=3),
                             answer="000000")

    assert refused.status == 402, refused
    assert refused["code"] == "authentication_failed"
    seen = api.get(f"/brands/audrey-alexandre/orders/{placed['number']}", query={"token": placed["access_token"]},
                   now=MONDAY_10AM + timedelta(minutes=3))
    assert seen["status"] == "payment_failed"
    assert seen["payments"][0]["status"] == "refused"
    assert stock_of("AA-CARD-BLK") == before


def test_AA_PAY_02_an_abandoned_challenge_expires_after_the_time_limit(api):
    """An abandoned 3-D Secure step is released by the worker after payment_step_timeout_minutes (30)."""
    before = stock_of("AA-CARD-BLK")
    placed = order(api, "audrey-alexandre", [("AA-CARD-BLK", 1)], now=MONDAY_10AM, method="chrono_13")

    assert expire_payment_steps(MONDAY_10AM + timedelta(minutes=29)) == 0
    assert Order.objects.get(number=placed["number"]).status == "awaiting_payment"
    assert stock_of("AA-CARD-BLK") == before - 1

    assert expire_payment_steps(MONDAY_10AM + timedelta(minutes=31)) == 1

    assert Order.objects.get(number=placed["number"]).status == "payment_failed"
    assert stock_of("AA-CARD-BLK") == before
    late = pass_challenge(api, "audrey-alexandre", placed, now=MONDAY_10AM + timedelta(minutes=32))
    assert (late.status, late["code"]) == (409, "payment_step_expired")
    assert Payment.objects.get(order__number=placed["number"]).status == "refused"
    assert Order.objects.get(number=placed["number"]).status == "payment_failed"


# --- AL-PAY-06: a refusal says why --------------------------------------------------------------

@pytest.mark.parametrize("card, code", [
    (DECLINED_CARD, "card_declined"),
    (INSUFFICIENT_FUNDS_CARD, "insufficient_funds"),
    (EXPIRED_CARD, "expired_card"),
    (INCORRECT_CVC_CARD, "incorrect_cvc"),
    (BAD_LUHN_CARD, "incorrect_number"),
])
def test_AL_PAY_06_a_refused_payment_says_why_and_suggests_contacting_the_bank(api, card, code):
    """"Your payment may have been refused for the following reasons ... contact your bank\""""
    basket = cart(api, "alme", [("AL-TEE-BLK-M", 1)], now=MONDAY_10AM)
    before = stock_of("AL-TEE-BLK-M")

    english = checkout(api, "alme", basket, now=MONDAY_10AM, method="colissimo_home", card=card)
    french = api.post(f"/brands/alme/carts/{basket}/checkout", {
        "email": "lea@example.com", "shipping_address": {"first_name": "Léa", "last_name": "Petit",
                                                         "line1": "1 rue Oberkampf", "postal_code": "75011",
                                                         "city": "Paris", "country": "FR"},
        "shipping_method": "colissimo_home", "payment": {"method": "card", "card": card},
    }, now=MONDAY_10AM, key=f"fr-{code}", lang="fr")

    assert (english.status, english["code"], english["rule"]) == (402, code, "AL-PAY-06")
    assert english["message"].endswith("please contact your bank.")
    assert (french.status, french["code"]) == (402, code)
    assert french["message"].endswith("contactez votre banque.")
    assert stock_of("AL-TEE-BLK-M") == before
    assert Cart.objects.get(pk=basket).status == Cart.OPEN
    assert set(Order.objects.filter(cart_id=basket).values_list("status", flat=True)) == {"payment_failed"}


def test_AL_PAY_06_after_a_refusal_the_shopper_retries_with_another_card(api):
    """After a refused payment the cart is still there: another card and a new attempt succeed."""
    basket = cart(api, "alme", [("AL-TEE-BLK-M", 1)], now=MONDAY_10AM)
    before = stock_of("AL-TEE-BLK-M")
    refused = checkout(api, "alme", basket, now=MONDAY_10AM, method="colissimo_home", card=DECLINED_CARD,
                       key="first-try")
    assert refused.status == 402

    retried = checkout(api, "alme", basket, now=MONDAY_10AM + timedelta(minutes=1), method="colissimo_home",
                       card=VISA, key="second-try")

    assert retried.status == 201, retried
    assert retried["status"] == "confirmed"
    assert retried["payments"][0]["status"] == "captured"
    assert stock_of("AL-TEE-BLK-M") == before - 1
    assert Cart.objects.get(pk=basket).status == Cart.ORDERED


# --- Idempotency ---------------------------------------------------------------------------------

def test_the_same_checkout_sent_twice_places_one_order(api):
    """Every operation that moves money or stock takes an idempotency key: a retry returns the same order."""
    basket = cart(api, "alme", [("AL-BOOT-BLK-38", 1)], now=MONDAY_10AM)
    before = stock_of("AL-BOOT-BLK-38")

    first = checkout(api, "alme", basket, now=MONDAY_10AM, method="colissimo_home", key="double-click")
    second = checkout(api, "alme", basket, now=MONDAY_10AM, method="colissimo_home", key="double-click")

    assert (first.status, second.status) == (201, 200)
    assert second["number"] == first["number"]
    assert Order.objects.filter(cart_id=basket).count() == 1
    assert Payment.objects.filter(order__cart_id=basket).count() == 1
    assert stock_of("AL-BOOT-BLK-38") == before - 1


def test_AA_PAY_02_a_challenge_answered_after_the_order_was_cancelled_charges_nothing(api):
    """A shopper who cancels while the bank's code is pending is never charged by a late answer."""
    placed = order(api, "audrey-alexandre", [("AA-CARD-BLK", 1)], now=MONDAY_10AM, method="chrono_13")
    cancelled = api.post(f"/brands/audrey-alexandre/orders/{placed['number']}/cancel",
                         query={"token": placed["access_token"]}, now=MONDAY_10AM + timedelta(minutes=2))
    assert (cancelled.status, cancelled["status"]) == (200, "cancelled")

    late = pass_challenge(api, "audrey-alexandre", placed, now=MONDAY_10AM + timedelta(minutes=3))

    assert (late.status, late["code"]) == (409, "payment_step_expired")
    assert not Payment.objects.get(order__number=placed["number"]).entries.filter(kind="capture").exists()
    assert Order.objects.get(number=placed["number"]).status == "cancelled"


def test_AA_PAY_02_only_the_signed_in_shopper_answers_the_challenge_of_her_order(api):
    """The 3-D Secure step of a signed-in shopper's order is hers: anyone else is told it does not exist."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from factories import CHALLENGE_CARD, order, shopper

    now = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    claire = shopper(api, "audrey-alexandre", now=now)
    placed = order(api, "audrey-alexandre", [("AA-CROSS-BLK", 1)], now=now, method="chrono_13",
                   card=CHALLENGE_CARD, token=claire["token"], email=claire["email"])
    assert placed["status"] == "awaiting_payment", placed
    payment_id = placed["payments"][0]["id"]
    stranger = shopper(api, "audrey-alexandre", now=now)
    for token in (None, stranger["token"]):
        refused = api.post(f"/brands/audrey-alexandre/payments/{payment_id}/challenge", {"answer": "123456"},
                           token=token, now=now)
        assert (refused.status, refused["code"]) == (404, "not_found")
    answered = api.post(f"/brands/audrey-alexandre/payments/{payment_id}/challenge", {"answer": "123456"},
                        token=claire["token"], now=now)
    assert (answered.status, answered["status"]) == (200, "confirmed")
