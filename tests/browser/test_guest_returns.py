"""A guest on Almé: buys with a gift card and a card, then returns one item and downloads the label
(AL-PAY-07, AL-RET-01/03). The refusal after inspection is test_return_refusal.py's journey."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from browser_steps import add_to_bag, fill_checkout, load_brand
from comptoir.giftcards.services import issue_card
from comptoir.orders.models import Order
from comptoir.orders.services import mark_delivered, ship_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("presets_restored_afterwards")]

ALME = "alme"
EMAIL = "guest.browser@example.com"


def _ship_and_deliver(number: str) -> Order:
    order = Order.objects.select_related("brand").get(number=number)
    ship_order(order, tracking_number="MR-BROWSER-1", line_ids=None, actor="staff:browser", now=timezone.now())
    return mark_delivered(order, actor="staff:browser", now=timezone.now())


def test_guest_buys_with_a_gift_card_and_a_card_then_returns_one_item(browse):
    brand = load_brand(ALME)
    _, code = issue_card(brand, kind="gift_card", amount_minor=5000, recipient_email=EMAIL, language="en",
                         source_order=None, idempotency_key="browser-gift-card", now=timezone.now())
    page = browse()

    # Given a bag with a dress and two t-shirts
    add_to_bag(page, ALME, "robe-lou", "S", colour="Black")
    add_to_bag(page, ALME, "tshirt-col-rond-leon", "M", colour="White")
    assert page.get_by_role("link", name="Lou dress").is_visible()

    # When the guest pays with the gift card and a card
    page.get_by_role("link", name="Checkout").click()
    fill_checkout(page, email=EMAIL, method_label="Mondial Relay", payment="Card", card_number="4242 4242 4242 4242",
                  codes=code)
    page.get_by_role("button", name="Place order and pay").click()

    # Then the order is confirmed and both tenders show
    page.get_by_role("heading", name="Thank you for your order").wait_for()
    number = page.locator("[data-order-number]").get_attribute("data-order-number")
    summary = page.locator("aside.summary").inner_text()
    assert "Gift card" in summary and "Card ···· 4242" in summary
    assert "€50.00" in summary  # the gift card's part
    assert page.locator("[data-status]").get_attribute("data-status") == "confirmed"

    # When the parcel is delivered and the guest comes back from another browser with number + e-mail
    _ship_and_deliver(number)
    guest = browse()
    guest.goto(f"{guest.base}/{ALME}/returns/new/?lang=en")
    guest.get_by_label("Order number").fill(number)
    guest.get_by_label("E-mail").fill(EMAIL)
    guest.get_by_role("button", name="Find my order").click()

    # And declares a return of the dress only, refunded as a credit note
    dress = guest.locator("fieldset.return-line", has_text="Lou dress")
    dress.get_by_role("checkbox").check()
    dress.get_by_label("Reason").select_option("wrong_size")
    guest.get_by_label("As a credit note").check()
    guest.get_by_role("button", name="Confirm my return").click()

    # Then the return is accepted at once with its prepaid label to download (AL-RET-01, AL-RET-03)
    assert guest.locator("[data-status]").get_attribute("data-status") == "approved"
    assert guest.get_by_role("cell", name="Wrong size").is_visible()
    assert "Léon crew-neck t-shirt" not in guest.locator("table").inner_text()
    with guest.expect_download() as download:
        guest.get_by_role("link", name="Download your prepaid return label (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.startswith("R-")

