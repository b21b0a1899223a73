"""Without JavaScript: a guest on Almé tracks her order with its number and e-mail (ALL-SHP-06); a signed-in
shopper exchanges a delivered t-shirt for another size from her order page (OG-EXC-01, AL-EXC-01) and keeps an
address, then downloads her data (ALL-ACC-04)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import timezone

from browser_steps import load_brand
from comptoir.accounts.services import register_customer
from comptoir.checkout.placement import CheckoutDetails, place_order
from comptoir.checkout.services import create_cart
from comptoir.orders.services import mark_delivered, ship_order
from comptoir.payments.gateway import CardDetails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("presets_restored_afterwards")]

ALME = "alme"
PARIS = {"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Turenne", "postal_code": "75004",
         "city": "Paris", "country": "FR"}


def delivered(brand, *, email: str, customer=None):
    now = timezone.now()
    cart = create_cart(brand, customer=customer, lines=[("AL-TEE-WHT-M", 1)], now=now)
    placed = place_order(brand, cart.pk, CheckoutDetails(
        email=email, shipping_address=PARIS, billing_address=None, shipping_method="mondial_relay",
        payment_method="card", card=CardDetails("4242424242424242", 12, 2030, "123"), language="en",
    ), customer=customer, idempotency_key=f"browser-{email}", now=now)
    ship_order(placed.order, tracking_number="MR-TRACK-1", line_ids=None, actor="staff:browser", now=timezone.now())
    return mark_delivered(placed.order, actor="staff:browser", now=timezone.now())


def test_guest_tracks_her_order_without_javascript(browse):
    brand = load_brand(ALME)
    order = delivered(brand, email="guest.track@example.com")
    page = browse(javascript=False)
    page.goto(f"{page.base}/{ALME}/?lang=en")
    page.get_by_role("link", name="Track my order").click()
    page.get_by_label("Order number").fill(order.number)
    page.get_by_label("E-mail").fill("someone.else@example.com")
    page.get_by_role("button", name="Track my order").click()
    assert "We could not find an order with this number and e-mail address." in page.get_by_role("alert").inner_text()
    page.get_by_label("E-mail").fill("guest.track@example.com")
    page.get_by_role("button", name="Track my order").click()
    assert page.locator("[data-status]").get_attribute("data-status") == "delivered"
    assert page.get_by_role("link", name="Track the parcel").is_visible()


def test_shopper_exchanges_a_size_keeps_an_address_and_downloads_her_data(browse):
    brand = load_brand(ALME)
    customer = register_customer(brand, email="camille.x@example.com", password="a-long-enough-passphrase",
                                 first_name="Camille", last_name="Martin", language="en", newsletter_consent=False,
                                 now=timezone.now())
    order = delivered(brand, email=customer.email, customer=customer)
    page = browse(javascript=False)
    page.goto(f"{page.base}/{ALME}/account/?lang=en")
    page.get_by_label("E-mail").first.fill(customer.email)
    page.get_by_label("Password").first.fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Sign in").click()

    # From the delivered order, the t-shirt is exchanged for size S
    page.goto(f"{page.base}/{ALME}/orders/{order.number}/")
    page.get_by_role("link", name="Exchange").click()
    page.get_by_label("Instead").select_option(label="White / S")
    page.get_by_label("Reason").select_option("wrong_size")
    page.get_by_role("button", name="See what it costs").click()
    assert page.locator("[data-price]").get_attribute("data-price") == "same"  # AL-EXC-02: shown before confirming
    page.get_by_role("button", name="Ask for the exchange").click()
    page.wait_for_url("**/account/exchanges/")
    assert page.locator("[data-exchange] [data-status]").get_attribute("data-status") == "requested"

    # An address is kept in the account
    page.get_by_role("link", name="My addresses").click()
    page.get_by_label("First name").fill("Camille")
    page.get_by_label("Last name").fill("Martin")
    page.get_by_label("Address", exact=True).fill("3 rue Vieille du Temple")
    page.get_by_label("Postal code").fill("75004")
    page.get_by_label("City").fill("Paris")
    page.get_by_role("button", name="Add an address").click()
    assert page.locator("[data-address]").count() == 1
    assert "3 rue Vieille du Temple" in page.locator("[data-address] address").inner_text()

    # And her data downloads as one JSON file
    page.get_by_role("link", name="My data").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").click()
    document = json.loads(Path(download.value.path()).read_text())
    assert document["profile"]["email"] == customer.email and len(document["orders"]) == 1
