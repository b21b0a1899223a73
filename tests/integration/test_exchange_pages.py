"""Exchanging for another product on the page (AL-EXC-01/02/03): the brand's other products are offered
where its policy allows, the price difference is shown before confirming, an unavailable item becomes a
return with a clear message; and the card is registered outside any database transaction (design)."""

from __future__ import annotations

import html

import pytest
from django.db import connection

from comptoir.exchanges import services as exchange_services
from comptoir.exchanges.models import ExchangeRequest
from comptoir.returns.models import ReturnRequest
from test_account_pages import delivered_order, signed_in

pytestmark = pytest.mark.django_db
CARD = {"card_number": "4242 4242 4242 4242", "card_expiry_month": "12", "card_expiry_year": "2030",
        "card_cvc": "123", "card_holder": "Camille Martin"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def choose(client, order, sku: str, language: str = "en", **extra):
    return client.post(f"/alme/account/exchanges/new?lang={language}", {
        "order": order.number, "line": order.lines.get().id, "sku": sku, "reason": "does_not_suit", **extra})


def test_AL_EXC_01_the_form_offers_other_products_of_the_brand_with_their_price(client):
    customer = signed_in(client, "alme")
    order = delivered_order("alme", customer=customer, email=customer.email)

    form = text(client.get("/alme/account/exchanges/new", {"order": order.number, "line": order.lines.get().id,
                                                          "lang": "en"}))

    assert '<optgroup label="Another size">' in form and 'value="AL-TEE-WHT-S"' in form
    assert 'value="AL-DRESS-BLK-M"' in form and "€149.00" in form  # another product, with its price
    assert 'value="AL-TEE-BLK-M"' in form  # another colour of the same reference is a product exchange
    assert "you pay the difference if it costs more" in form


def test_OG_EXC_01_a_brand_without_product_exchange_offers_only_sizes(client):
    customer = signed_in(client, "officine-generale")
    order = delivered_order("officine-generale", customer=customer, email=customer.email)

    form = text(client.get("/officine-generale/account/exchanges/new",
                           {"order": order.number, "line": order.lines.get().id, "lang": "en"}))

    assert "<optgroup label=\"Another size\">" in form and form.count("<optgroup") == 1


@pytest.mark.parametrize(("language", "words"), [("en", "you will pay the difference of"),
                                                 ("fr", "vous paierez la différence de")])
def test_AL_EXC_02_the_difference_is_shown_before_confirming_then_charged_on_the_exchange_order(client, language,
                                                                                               words):
    customer = signed_in(client, "alme", language=language)
    order = delivered_order("alme", customer=customer, email=customer.email)

    review = choose(client, order, "AL-DRESS-BLK-M", language)

    body = text(review)
    assert review.status_code == 200 and words in body and 'data-price="supplement"' in body
    assert ("€104.00" if language == "en" else "104,00\u00a0€") in body  # 149.00 - 45.00
    assert 'for="f-card_number"' in body
    assert not ReturnRequest.objects.filter(order=order).exists()  # nothing written before confirming

    confirmed = choose(client, order, "AL-DRESS-BLK-M", language, confirm="1", **CARD)

    assert confirmed.status_code == 302, text(confirmed)
    exchange = ExchangeRequest.objects.get(original_order=order)
    assert (exchange.kind, exchange.supplement_minor, exchange.status) == ("product", 10400, "requested")
    assert exchange.card_last4 == "4242"


def test_AL_EXC_02_confirming_without_a_card_says_how_much_is_due_and_writes_nothing(client):
    customer = signed_in(client, "alme")
    order = delivered_order("alme", customer=customer, email=customer.email)

    response = choose(client, order, "AL-DRESS-BLK-M", confirm="1")

    assert response.status_code == 422 and "€104.00" in text(response)
    assert not ReturnRequest.objects.filter(order=order).exists()


@pytest.mark.parametrize(("language", "words"), [("en", "no longer available"), ("fr", "n'est plus disponible")])
def test_AL_EXC_03_an_unavailable_item_becomes_a_return_with_a_clear_message(client, language, words):
    customer = signed_in(client, "alme", language=language)
    order = delivered_order("alme", customer=customer, email=customer.email)

    review = choose(client, order, "AL-DRESS-BLK-L", language)  # "coming soon": no stock

    assert review.status_code == 200 and words in text(review) and 'data-outcome="return"' in text(review)
    assert 'for="f-card_number"' not in text(review)  # nothing is due for a return
    assert choose(client, order, "AL-DRESS-BLK-L", language, confirm="1").status_code == 302
    exchange = ExchangeRequest.objects.get(original_order=order)
    assert (exchange.status, exchange.conversion_reason) == ("converted", "unavailable")
    assert ReturnRequest.objects.filter(order=order).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_card_is_registered_outside_any_database_transaction(client, monkeypatch, presets_in_place):
    """Design: no gateway call inside a transaction. A real (non test-wrapped) database, so
    `in_atomic_block` tells whether the service opened one around the call."""
    real = exchange_services.get_gateway()
    seen: list[bool] = []

    class Watching:
        def __getattr__(self, name):
            return getattr(real, name)

        def register_card(self, **kwargs):
            seen.append(connection.in_atomic_block)
            return real.register_card(**kwargs)

    monkeypatch.setattr(exchange_services, "get_gateway", lambda: Watching())
    customer = signed_in(client, "alme")
    order = delivered_order("alme", customer=customer, email=customer.email)

    response = choose(client, order, "AL-DRESS-BLK-M", confirm="1", **CARD)

    assert response.status_code == 302, text(response)
    assert seen == [False]
    assert ExchangeRequest.objects.get(original_order=order).card_last4 == "4242"
