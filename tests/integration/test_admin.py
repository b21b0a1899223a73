"""The back office (Django admin): the order queue and its actions, brand scoping, read-only ledgers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from comptoir.accounts.models import Customer
from comptoir.brands.models import Brand
from comptoir.catalog.models import Product, Variant
from comptoir.orders.models import Order
from comptoir.payments.models import Payment
from comptoir.shipping.models import Shipment
from factories import order, shopper, staff_client

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
WEDNESDAY_10AM = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS_TZ)
ORDERS = "/admin/orders/order/"
OG = "officine-generale"



def place_og_order(api, *, now=MONDAY_10AM) -> Order:
    """An Officine Générale order waiting for confirmation (OG-ORD-02: manual confirmation)."""
    camille = shopper(api, OG, now=now)
    placed = order(api, OG, [("OG-SHIRT-OXF-BLU-M", 1)], now=now, method="colissimo_expert",
                   token=camille["token"], email=camille["email"])
    assert placed.status == 201, placed
    return Order.objects.get(number=placed["number"])


def act(client: Client, action: str, orders: list[Order], *, now=MONDAY_10AM, **fields):
    data = {"action": action, "_selected_action": [str(o.pk) for o in orders], **fields}
    return client.post(ORDERS, data, HTTP_X_COMPTOIR_NOW=now.isoformat())


def texts(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def og_staff(db):
    return staff_client(OG, "lea")


def test_the_order_changelist_loads_with_each_filter(admin_client, api):
    place_og_order(api)
    brand = Brand.objects.get(slug=OG)
    for query in ("", "?status=awaiting_confirmation", "?queue=to_confirm", "?queue=late_to_ship",
                  f"?brand={brand.pk}", "?brand=nope", "?q=Martin", "?placed_at__year=2026"):
        response = admin_client.get(ORDERS + query, HTTP_X_COMPTOIR_NOW=MONDAY_10AM.isoformat())
        assert response.status_code == 200, query


def test_to_confirm_lists_the_orders_waiting_for_confirmation(og_staff, api):
    waiting = place_og_order(api)

    response = og_staff.get(ORDERS + "?queue=to_confirm")

    assert list(response.context["cl"].result_list) == [waiting]


def test_late_to_ship_lists_confirmed_orders_past_their_dispatch_day_in_brand_time(og_staff, api):
    placed = place_og_order(api)
    act(og_staff, "confirm", [placed], now=MONDAY_10AM)
    assert Order.objects.get(pk=placed.pk).dispatch_due_on.isoformat() == "2026-11-23"

    on_the_day = og_staff.get(ORDERS + "?queue=late_to_ship", HTTP_X_COMPTOIR_NOW=MONDAY_10AM.isoformat())
    two_days_later = og_staff.get(ORDERS + "?queue=late_to_ship", HTTP_X_COMPTOIR_NOW=WEDNESDAY_10AM.isoformat())

    assert list(on_the_day.context["cl"].result_list) == []
    assert list(two_days_later.context["cl"].result_list) == [placed]


def test_confirm_action_confirms_an_order_waiting_for_confirmation(og_staff, api):
    placed = place_og_order(api)

    response = act(og_staff, "confirm", [placed])

    assert response.status_code == 302
    confirmed = Order.objects.get(pk=placed.pk)
    assert confirmed.status == "confirmed"
    assert confirmed.payments.get().status == "authorised"
    assert confirmed.events.last().actor == "staff:lea"
    assert texts(response) == [("success", f"Confirmed: {placed.number}.")]


def test_ship_action_asks_for_the_tracking_number_then_creates_the_shipment(og_staff, api):
    placed = place_og_order(api)
    act(og_staff, "confirm", [placed])

    form = act(og_staff, "ship", [placed])
    assert form.status_code == 200
    assert f'name="tracking_number_{placed.pk}"' in form.content.decode()
    assert not Shipment.objects.filter(order=placed).exists()

    response = act(og_staff, "ship", [placed], apply="ship", **{f"tracking_number_{placed.pk}": "6A12345678901"})

    assert response.status_code == 302
    shipment = Shipment.objects.get(order=placed)
    assert shipment.tracking_number == "6A12345678901"
    assert shipment.carrier == Order.objects.get(pk=placed.pk).brand.policy_object.shipping_method(
        "colissimo_expert").carrier
    assert Order.objects.get(pk=placed.pk).status == "shipped"
    assert placed.lines.filter(shipment=shipment).count() == 1


def test_ship_action_without_tracking_number_reports_the_error(og_staff, api):
    placed = place_og_order(api)
    act(og_staff, "confirm", [placed])

    response = act(og_staff, "ship", [placed], apply="ship", **{f"tracking_number_{placed.pk}": " "})

    assert texts(response)[-1] == (
        "error", f"Order {placed.number}: A tracking number is required to ship by Colissimo.")
    assert Order.objects.get(pk=placed.pk).status == "confirmed"
    assert not Shipment.objects.filter(order=placed).exists()


def test_an_illegal_action_shows_an_error_message_not_a_500(og_staff, api):
    placed = place_og_order(api)

    response = act(og_staff, "deliver", [placed])

    assert response.status_code == 302
    assert texts(response) == [
        ("error", f"Order {placed.number}: This order is awaiting confirmation: “deliver” is not possible from there.")
    ]
    assert Order.objects.get(pk=placed.pk).status == "awaiting_confirmation"
    assert og_staff.get(response.url).status_code == 200


def test_cancel_action_needs_a_reason_then_cancels(og_staff, api):
    placed = place_og_order(api)
    stock_before = Variant.objects.get(sku="OG-SHIRT-OXF-BLU-M").stock

    without_reason = act(og_staff, "cancel", [placed], apply="cancel", reason="")
    assert without_reason.status_code == 200
    assert Order.objects.get(pk=placed.pk).status == "awaiting_confirmation"

    act(og_staff, "cancel", [placed], apply="cancel", reason="The customer called to cancel.")

    cancelled = Order.objects.get(pk=placed.pk)
    assert cancelled.status == "cancelled"
    assert cancelled.events.last().data == {"reason": "The customer called to cancel."}
    assert Variant.objects.get(sku="OG-SHIRT-OXF-BLU-M").stock == stock_before + 1


def test_a_staff_member_of_one_brand_cannot_see_another_brands_orders_or_customers(api):
    placed = place_og_order(api)
    alme_staff = staff_client("alme", "nina")
    customer = placed.customer

    orders = alme_staff.get(ORDERS + "?q=" + placed.number)
    customers = alme_staff.get("/admin/accounts/customer/?q=" + customer.email)
    order_page = alme_staff.get(f"{ORDERS}{placed.pk}/change/")
    customer_page = alme_staff.get(f"/admin/accounts/customer/{customer.pk}/change/")

    assert list(orders.context["cl"].result_list) == []
    assert list(customers.context["cl"].result_list) == []
    assert order_page.status_code == 302 and customer_page.status_code == 302  # "doesn't exist"
    assert act(alme_staff, "confirm", [placed]).status_code == 302
    assert Order.objects.get(pk=placed.pk).status == "awaiting_confirmation"


def test_the_brand_staff_member_sees_the_order_page_read_only(og_staff, api):
    placed = place_og_order(api)

    response = og_staff.get(f"{ORDERS}{placed.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert placed.number in page and "OG-SHIRT-OXF-BLU-M" in page and "12 rue de Turenne" in page
    assert 'name="_save"' not in page


def test_OG_ACC_05_staff_find_an_online_account_by_last_name(og_staff, api):
    camille = shopper(api, OG, now=MONDAY_10AM, first_name="Camille")
    Customer.objects.filter(email=camille["email"]).update(last_name="Delacourt")

    response = og_staff.get("/admin/accounts/customer/?q=Camille+Delacourt")

    assert [customer.email for customer in response.context["cl"].result_list] == [camille["email"]]
    assert "md5$" not in og_staff.get(
        f"/admin/accounts/customer/{response.context['cl'].result_list[0].pk}/change/").content.decode()


def test_the_brand_policy_page_renders_read_only(og_staff):
    brand = Brand.objects.get(slug=OG)

    response = og_staff.get(f"/admin/brands/brand/{brand.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "colissimo_expert" in page and "authorise_at_confirmation" in page
    assert "It cannot be edited here" in page
    assert og_staff.get("/admin/brands/brand/").status_code == 200


def test_payments_are_read_only_no_add_and_no_delete(og_staff, admin_client, api):
    placed = place_og_order(api)
    payment = Payment.objects.get(order=placed)

    assert admin_client.get(f"/admin/payments/payment/{payment.pk}/change/").status_code == 200
    assert admin_client.get("/admin/payments/payment/add/").status_code == 403
    assert admin_client.get(f"/admin/payments/payment/{payment.pk}/delete/").status_code == 403
    listing = og_staff.get("/admin/payments/payment/")
    assert listing.status_code == 200
    assert "delete_selected" not in listing.content.decode()


def test_a_stock_edit_keeps_units_sold_while_the_form_was_open(og_staff, api):
    variant = Variant.objects.get(sku="OG-SHIRT-OXF-BLU-M")
    product = Product.objects.get(pk=variant.product_id)
    variants = list(product.variants.order_by("position", "id"))
    shown = {v.pk: v.stock for v in variants}
    place_og_order(api)  # sells one unit of the variant after the page was read

    data = {"price_minor": product.price_minor, "preorder_ships_on": "", "is_active": "on",
            "position": product.position, "variants-TOTAL_FORMS": len(variants),
            "variants-INITIAL_FORMS": len(variants), "variants-MIN_NUM_FORMS": 0, "variants-MAX_NUM_FORMS": 1000}
    for index, each in enumerate(variants):
        data |= {f"variants-{index}-id": each.pk, f"variants-{index}-product": product.pk,
                 f"variants-{index}-stock": shown[each.pk] + (10 if each.pk == variant.pk else 0),
                 f"variants-{index}-when_out_of_stock": each.when_out_of_stock}
        data[f"initial-variants-{index}-stock"] = shown[each.pk]
    response = og_staff.post(f"/admin/catalog/product/{product.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Variant.objects.get(pk=variant.pk).stock == shown[variant.pk] - 1 + 10


@pytest.mark.parametrize("page", ["brands/brand", "catalog/product", "accounts/customer", "checkout/cart",
                                  "orders/order", "payments/payment", "shipping/shipment", "care/faqentry"])
def test_every_back_office_page_loads_for_brand_staff_and_superusers(og_staff, admin_client, api, page):
    placed = place_og_order(api)
    act(og_staff, "confirm", [placed])
    act(og_staff, "ship", [placed], apply="ship", **{f"tracking_number_{placed.pk}": "6A12345678901"})
    for client in (og_staff, admin_client):
        listing = client.get(f"/admin/{page}/")
        assert listing.status_code == 200, page
        first = listing.context["cl"].result_list[0]
        assert client.get(f"/admin/{page}/{first.pk}/change/").status_code == 200, page
