"""A guest on Almé declares a return in French (AL-RET-01); staff receive the parcel and refuse the item in the
back office's inspection form with one of the brand's reasons, a note and a photo (AL-RET-05, OG-RET-04); the
guest reads the refusal, its reason in French and the photo on her return page."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image

from browser_steps import admin_messages, expect, load_brand, run_admin_action, sign_in_staff
from comptoir.checkout.placement import CheckoutDetails, place_order
from comptoir.checkout.services import create_cart
from comptoir.orders.models import Order
from comptoir.orders.services import mark_delivered, ship_order
from comptoir.payments.gateway import CardDetails
from comptoir.returns.models import ReturnRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("presets_restored_afterwards", "media_root")]

ALME = "alme"
EMAIL = "guest.inspection@example.com"
TEE = "AL-TEE-WHT-M"
PARIS = {"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Turenne", "postal_code": "75004",
         "city": "Paris", "country": "FR"}


def delivered_guest_order(brand) -> Order:
    """A guest's order of one t-shirt, paid by card, shipped and delivered."""
    now = timezone.now()
    cart = create_cart(brand, customer=None, lines=[(TEE, 1)], now=now)
    placed = place_order(brand, cart.pk, CheckoutDetails(
        email=EMAIL, shipping_address=PARIS, billing_address=None, shipping_method="mondial_relay",
        payment_method="card", card=CardDetails("4242424242424242", 12, 2030, "123"), language="fr",
    ), customer=None, idempotency_key="browser-inspection", now=now)
    order = Order.objects.select_related("brand").get(pk=placed.order.pk)
    ship_order(order, tracking_number="MR-INSPECT-1", line_ids=None, actor="staff:browser", now=timezone.now())
    return mark_delivered(order, actor="staff:browser", now=timezone.now())


def photo_file() -> dict:
    """A small PNG, as a phone would upload it."""
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, format="PNG")
    return {"name": "pilling.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_staff_inspect_and_refuse_a_return_with_a_reason_and_the_guest_sees_it(browse):
    """Issue 7: "staff inspects and refuses a return with a reason, and the shopper sees it" — the guest
    declares on the pages, staff receive and inspect in the back office."""
    brand = load_brand(ALME)
    order = delivered_guest_order(brand)

    # Given the guest declares a return of her t-shirt, in French, with her order number and e-mail
    guest = browse()
    guest.goto(f"{guest.base}/{ALME}/returns/new/?lang=fr")
    guest.get_by_label("Numéro de commande").fill(order.number)
    guest.get_by_label("E-mail").fill(EMAIL)
    guest.get_by_role("button", name="Retrouver ma commande").click()
    guest.get_by_role("checkbox", name="T-shirt col rond Léon").check()
    guest.get_by_label("Motif").select_option(label="L'article ne me convient pas")
    guest.get_by_role("button", name="Confirmer mon retour").click()
    expect(guest.locator("[data-status]")).to_have_attribute("data-status", "approved")  # AL-RET-01: no approval
    ret = ReturnRequest.objects.get(order=order)

    # When a staff member of the brand marks the parcel received from the returns queue
    staff = browse()
    sign_in_staff(staff, brand, "salome")
    staff.goto(f"{staff.base}/admin/returns/returnrequest/")
    run_admin_action(staff, ret.number, "Mark received in the warehouse")
    assert f"Received: {ret.number}." in admin_messages(staff)

    # And, from the return's page, refuses the item with one of the brand's reasons, a note and a photo
    staff.get_by_role("link", name=ret.number, exact=True).click()
    staff.get_by_role("link", name="Inspect the items").click()
    staff.get_by_label(f"Outcome of {TEE}").select_option(label="Refuse")
    staff.get_by_label(f"Refusal reason of {TEE}").select_option(label="The product shows signs of wear")
    staff.get_by_label(f"Note on {TEE}").fill("Pilling under the arms")
    staff.get_by_label(f"Photos of {TEE}").set_input_files(photo_file())
    staff.get_by_role("button", name="Save inspection").click()
    assert f"Return {ret.number}: inspection saved (closed)." in admin_messages(staff)

    # Then the guest's return page says the item was refused, why (in French), with the inspector's note and photo
    guest.reload()
    expect(guest.locator("[data-status]")).to_have_attribute("data-status", "closed")
    refusal = guest.locator(".refusal")
    expect(refusal).to_contain_text("Refusé : Le produit présente des signes d'usure — Pilling under the arms")
    photo = guest.get_by_role("img", name="Contrôle 1")
    expect(photo).to_be_visible()
    assert photo.evaluate("image => image.complete && image.naturalWidth") == 64  # the photo itself, not a 404
