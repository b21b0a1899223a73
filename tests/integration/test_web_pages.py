"""The shopper pages through Django's test client: every page renders in both languages, refusals show
the domain message in the page's language (never a traceback), forms carry CSRF protection. The journeys
themselves, in a real browser, are in tests/browser/."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from comptoir.accounts.services import register_customer
from comptoir.brands.models import Brand
from comptoir.core.clock import wall_clock

pytestmark = pytest.mark.django_db

BRANDS = ("alme", "audrey-alexandre", "officine-generale", "opalook")
PAGES = ("", "products/", "cart/", "account/", "help/", "help/ask", "returns/new/")


@pytest.mark.parametrize("brand", BRANDS)
@pytest.mark.parametrize("language", ("en", "fr"))
def test_every_page_of_every_brand_renders_in_both_languages(client, brand, language):
    for page in PAGES:
        response = client.get(f"/{brand}/{page}", {"lang": language})
        assert response.status_code == 200, page
        assert f'<html lang="{language}">' in response.content.decode(), page


def test_the_language_chosen_once_is_kept_for_the_session(client):
    client.get("/alme/", {"lang": "en"})
    assert "Add to bag" in client.get("/alme/products/robe-lou/").content.decode()
    client.get("/alme/", {"lang": "fr"})
    assert "Ajouter au panier" in client.get("/alme/products/robe-lou/").content.decode()


def test_front_door_lists_the_brands_with_links_to_their_shops(client):
    body = client.get("/").content.decode()
    for brand in Brand.objects.all():
        assert f'href="/{brand.slug}/"' in body


def test_an_unknown_brand_is_the_404_page(client):
    response = client.get("/no-such-brand/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_unknown_product_says_so_in_the_shoppers_language(client):
    response = client.get("/alme/products/no-such-dress/", {"lang": "fr"})
    assert response.status_code == 404
    assert "Nous n'avons pas trouvé cet élément (product)." in html.unescape(response.content.decode())


def test_OG_ORD_07_product_price_is_net_of_vat_for_switzerland(client):
    body = client.get("/officine-generale/products/gaspard-oxford-shirt/", {"lang": "en", "country": "CH"}).content
    assert "€154.17" in body.decode()  # 185.00 / 1.2
    assert "Excluding VAT" in body.decode()


def test_AA_CAT_05_the_colour_notice_shows_on_product_pages(client):
    body = client.get("/audrey-alexandre/products/cabas-audrey/", {"lang": "en"}).content.decode()
    assert "product colours may vary" in body


def test_OG_STK_01_variants_show_their_availability_code(client):
    body = client.get("/officine-generale/products/gaspard-oxford-shirt/", {"lang": "en"}).content.decode()
    assert 'data-code="coming_soon"' in body and 'data-code="in_stock"' in body


def test_AL_STK_03_a_guest_asks_for_a_back_in_stock_alert(client):
    response = client.post("/audrey-alexandre/products/cabas-audrey/alert?lang=en",
                           {"sku": "AA-TOTE-COG-L", "email": "alert@example.com"})
    assert response.status_code == 200
    assert "confirm your address" in response.content.decode()


def test_adding_without_a_size_asks_for_one(client):
    response = client.post("/alme/cart/add?lang=en", {"product": "robe-lou", "quantity": "1"})
    assert response.status_code == 422
    assert "Please choose a size." in response.content.decode()


def test_a_sold_out_size_is_refused_with_its_message(client):
    response = client.post("/alme/cart/add?lang=en", {"product": "robe-lou", "sku": "AL-DRESS-RED-L", "quantity": "1"})
    assert response.status_code == 409
    assert "sold out" in response.content.decode().lower()


def test_OG_SHP_04_a_post_office_box_is_refused_beside_the_address_field(client):
    brand = Brand.objects.get(slug="officine-generale")
    customer = register_customer(brand, email="po.box@example.com", password="a-long-passphrase", first_name="Paul",
                                 last_name="Box", language="en", newsletter_consent=False, now=wall_clock())
    client.post("/officine-generale/account/sign-in", {"email": customer.email, "password": "a-long-passphrase"})
    client.post("/officine-generale/cart/add", {"sku": "OG-SHIRT-OXF-BLU-M", "quantity": "1"})
    response = client.post("/officine-generale/checkout/?lang=en", {
        "first_name": "Paul", "last_name": "Box", "line1": "Boîte postale 12", "postal_code": "75004",
        "city": "Paris", "country": "FR", "shipping_method": "colissimo_expert", "payment_method": "paypal",
        "key": "po-box"})
    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="e-line1"' in body and "post office boxes" in body


def test_forms_refuse_a_post_without_its_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/alme/cart/add", {"sku": "AL-TEE-WHT-M", "quantity": "1"})
    assert response.status_code == 403


def test_another_shoppers_order_is_not_found(client):
    response = client.get("/alme/orders/AL-NOTMINE1/", {"lang": "en"})
    assert response.status_code == 404
    assert "We could not find this order." in response.content.decode()


def test_the_assistant_answers_with_the_passage_and_a_link(client):
    response = client.post("/alme/help/ask?lang=en", {"question": "How long do I have to return an item?"})
    body = response.content.decode()
    assert "14 days" in body and 'href="/alme/help/' in body


def test_the_assistant_fragment_is_only_the_answer(client):
    response = client.post("/alme/help/ask?lang=en", {"question": "How long do I have to return an item?"},
                           HTTP_X_COMPTOIR_FRAGMENT="1")
    body = response.content.decode()
    assert "14 days" in body and "<html" not in body


def test_AL_LOY_04_the_loyalty_page_in_my_account_shows_balance_status_and_referral_link(client, api):
    """"The loyalty page is your reference for all your points and benefits" — in "my account"."""
    from comptoir.accounts.models import Customer
    from factories import shopper as new_shopper

    member = new_shopper(api, "alme", now=wall_clock())
    page = client.post("/alme/account/sign-in", {"email": member["email"], "password": "a-long-enough-passphrase"})
    assert page.status_code == 302
    loyalty = client.get("/alme/account/loyalty/")
    assert loyalty.status_code == 200
    body = loyalty.content.decode()
    assert "Flirt" in body and "referral" in body.lower()
    assert Customer.objects.filter(email=member["email"]).exists()


def test_a_brand_without_loyalty_has_no_loyalty_page(client, api):
    from factories import shopper as new_shopper

    member = new_shopper(api, "officine-generale", now=wall_clock())
    client.post("/officine-generale/account/sign-in", {"email": member["email"], "password": "a-long-enough-passphrase"})
    assert client.get("/officine-generale/account/loyalty/").status_code == 404
