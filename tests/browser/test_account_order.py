"""A shopper on Officine Générale signs up (OG-ACC-01: an account is required), is refused a post-office box
(OG-SHP-04), orders; staff confirm (OG-ORD-02) and ship in the back office; the shopper follows the parcel (ALL-SHP-06) and
downloads the invoice (OG-ORD-06)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from browser_steps import (add_to_bag, admin_messages, expect, fill_checkout, load_brand, run_admin_action,
                           sign_in_staff)
from comptoir.invoices.models import Invoice
from comptoir.worker.loop import run_round
from comptoir.worker.tasks import SWEEP_TASKS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("presets_restored_afterwards")]

OG = "officine-generale"


def test_shopper_signs_up_orders_and_follows_the_parcel_and_invoice(browse):
    """Issue 7: "a shopper on OG orders, staff confirms and ships, the shopper sees tracking and downloads the
    invoice" — the staff side is clicks in the back office."""
    brand = load_brand(OG)
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

    # When a staff member of the brand finds it in the back office's "to confirm" queue and confirms it
    staff = browse()
    sign_in_staff(staff, brand, "lea")
    staff.goto(f"{staff.base}/admin/orders/order/")
    staff.get_by_role("link", name="To confirm").click()
    expect(staff.get_by_role("row", name=number)).to_be_visible()
    run_admin_action(staff, number, "Confirm")
    assert f"Confirmed: {number}." in admin_messages(staff)
    expect(staff.get_by_role("row", name=number)).to_have_count(0)  # no longer waiting in the queue

    # And, leaving the queue and finding the order by its number, ships it with the carrier's tracking number
    staff.locator("details", has_text="By work queue").get_by_role("link", name="All", exact=True).click()
    staff.get_by_role("textbox", name="Search").fill(number)
    staff.get_by_role("button", name="Search").click()
    run_admin_action(staff, number, "Ship with a tracking number")
    staff.get_by_label(f"Tracking number of {number}").fill("6A12345678901")
    staff.get_by_role("button", name="Ship").click()
    assert f"Shipped: {number} (Colissimo 6A12345678901)." in admin_messages(staff)
    expect(staff.get_by_role("row", name=number).get_by_text("shipped")).to_be_visible()

    # And the worker's round issues the invoice of the shipped order (OG-ORD-06)
    run_round(tasks=SWEEP_TASKS, now=timezone.now(), log=lambda line: None)
    assert Invoice.objects.filter(order__number=number).count() == 1

    # Then "my orders" shows it shipped, with the carrier's tracking link and the invoice
    page.get_by_role("link", name="Louis").click()
    assert page.get_by_role("row", name=number).get_by_text("Shipped").is_visible()
    page.get_by_role("link", name=number).click()
    track = page.get_by_role("link", name="Track the parcel")
    assert track.get_attribute("href") == "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the invoice (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
