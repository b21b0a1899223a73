"""A shopper on Officine Générale signs up (OG-ACC-01: an account is required), is refused a post-office box
(OG-SHP-04), orders; staff confirm (OG-ORD-02) and ship; the shopper follows the parcel (ALL-SHP-06) and
downloads the invoice (OG-ORD-06)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from browser_steps import add_to_bag, fill_checkout, load_brand
from comptoir.invoices.services import issue_pending_invoices
from comptoir.orders.models import Order
from comptoir.orders.services import confirm_order, ship_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("presets_restored_afterwards")]

OG = "officine-generale"


def test_shopper_signs_up_orders_and_follows_the_parcel_and_invoice(browse):
    load_brand(OG)
    page = browse()
    add_to_bag(page, OG, "gaspard-oxford-shirt", "M", colour="Blue")

    # Given a bag, checkout asks for an account first (OG-ACC-01)
    page.get_by_role("link", name="Checkout").click()
    page.get_by_role("link", name="Sign in or create an account").click()
    signup = page.locator("section", has=page.get_by_role("heading", name="Create an account"))
    signup.get_by_label("First name").fill("Louis")
    signup.get_by_label("Last name").fill("Garnier")
    signup.get_by_label("E-mail").fill("louis.garnier@example.com")
    signup.get_by_label("Password").fill("a-long-enough-passphrase")
    signup.get_by_role("button", name="Create an account").click()
    page.wait_for_url("**/checkout/")
    assert page.get_by_label("E-mail").input_value() == "louis.garnier@example.com"

    # When the shopper gives a post-office box, the address field says why it is refused (OG-SHP-04)
    fill_checkout(page, email=None, method_label="Colissimo Expert", payment="Card",
                  card_number="4242 4242 4242 4242", street={"line1": "BP 42"})
    page.get_by_role("button", name="Place order and pay").click()
    address = page.get_by_label("Address", exact=True)
    assert address.get_attribute("aria-invalid") == "true"
    assert "post office boxes" in page.locator("#e-line1").inner_text()

    # And with a street address the order is placed, waiting for the brand's confirmation (OG-ORD-02)
    fill_checkout(page, email=None, method_label="Colissimo Expert", payment="Card",
                  card_number="4242 4242 4242 4242")
    page.get_by_role("button", name="Place order and pay").click()
    page.get_by_role("heading", name="Thank you for your order").wait_for()
    number = page.locator("[data-order-number]").get_attribute("data-order-number")
    assert page.locator("[data-status]").get_attribute("data-status") == "awaiting_confirmation"

    # When staff confirm and ship it, and the invoice sweep runs
    order = Order.objects.select_related("brand").get(number=number)
    order = confirm_order(order, actor="staff:browser", now=timezone.now())
    ship_order(order, tracking_number="6A12345678901", line_ids=None, actor="staff:browser", now=timezone.now())
    assert issue_pending_invoices(timezone.now()) == 1

    # Then "my orders" shows it shipped, with the carrier's tracking link and the invoice
    page.get_by_role("link", name="Louis").click()
    assert page.get_by_role("row", name=number).get_by_text("Shipped").is_visible()
    page.get_by_role("link", name=number).click()
    track = page.get_by_role("link", name="Track the parcel")
    assert track.get_attribute("href") == "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the invoice (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
