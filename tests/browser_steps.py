"""Steps the browser journeys share: loading a brand into the flushed database, what a shopper does on the
pages (add to bag, check out) and what staff do in the back office (sign in, run an action on a row).
Selectors are the pages' labels and roles, as a person reads them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from comptoir.brands.models import StaffMembership
from comptoir.brands.presets import bundled_preset_folders, load_preset

# Playwright's auto-waiting assertions; without Playwright the browser modules skip, as the fixtures do.
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

STREET = {"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Turenne", "postal_code": "75004",
          "city": "Paris"}


def load_brand(slug: str):
    """Load one bundled preset, stamped with the wall clock (the live server's clock): per-process caches
    keyed by the brand row's version then never serve a row from before the last flush."""
    folder = next(folder for folder in bundled_preset_folders() if folder.name == slug)
    return load_preset(folder, now=timezone.now())


def add_to_bag(page, brand: str, product: str, size: str, *, colour: str | None = None) -> None:
    """Open the product page in English, pick the size (in the colour's group) and add it to the bag."""
    page.goto(f"{page.base}/{brand}/products/{product}/?lang=en")
    group = page.locator("fieldset.sizes", has_text=colour) if colour else page.locator("fieldset.sizes").first
    group.locator("label.size", has=page.get_by_text(size, exact=True)).first.click()
    page.get_by_role("button", name="Add to bag").click()
    page.wait_for_url("**/cart/")


def fill_checkout(page, *, email: str | None, method_label: str, payment: str, card_number: str = "",
                  codes: str = "", street: dict | None = None) -> None:
    """Fill the checkout form as a shopper does; the caller submits it."""
    street = {**STREET, **(street or {})}
    if email is not None:
        page.get_by_label("E-mail").fill(email)
    page.get_by_label("First name").fill(street["first_name"])
    page.get_by_label("Last name").fill(street["last_name"])
    page.get_by_label("Address", exact=True).fill(street["line1"])
    page.get_by_label("Postal code").fill(street["postal_code"])
    page.get_by_label("City").fill(street["city"])
    page.locator("label.choice", has_text=method_label).click()
    page.locator("label.choice", has_text=payment).first.click()
    if card_number:
        page.get_by_label("Card number").fill(card_number)
        page.get_by_label("Expiry month (MM)").fill("12")
        page.get_by_label("Expiry year (YY)").fill("30")
        page.get_by_label("Security code (CVC)").fill("123")
        page.get_by_label("Name on the card").fill(f"{street['first_name']} {street['last_name']}")
    if codes:
        page.get_by_label("Discount code or gift card").fill(codes)


STAFF_PASSWORD = "staff-passphrase-1"


def sign_in_staff(page, brand, username: str) -> None:
    """A staff member of one brand (a StaffMembership, no Django model permissions) signs in to the back office."""
    user = User.objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=True)
    StaffMembership.objects.create(user=user, brand=brand)
    page.goto(f"{page.base}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out")).wait_for()


def run_admin_action(page, row: str, action: str) -> None:
    """On a changelist, tick the row named `row` and run the action whose label starts with `action`."""
    page.get_by_role("checkbox", name=f"Select this object for an action - {row}").check()
    select = page.get_by_role("combobox", name="Action")
    label = next(text for text in select.locator("option").all_inner_texts() if text.startswith(action))
    select.select_option(label=label)
    page.get_by_role("button", name="Go").click()


def admin_messages(page) -> str:
    """The messages the back office shows after an action ("Confirmed: …", errors by row)."""
    return page.locator("ul.messagelist").inner_text()
