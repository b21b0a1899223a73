"""Exchanges, through the API with the test clock (OG-EXC-01, AL-EXC-01..04, AL-RET-07).
Almé orders are delivered on Monday 2 November 2026, 3 pm Paris time; returns are declared as a guest."""

from comptoir.catalog.models import Product, Variant
from comptoir.notifications.models import OutboxMessage
from comptoir.orders.models import Order, OrderEvent
from comptoir.payments.models import Payment
from comptoir.refunds.models import Refund
from factories import VISA, stock_of
from return_journeys import AL, OG, declare, delivered_order, inspect_all, paris, staff_return

DELIVERED = paris(2, 15)
TEE, TEE_L, TEE_BLACK = "AL-TEE-WHT-M", "AL-TEE-WHT-L", "AL-TEE-BLK-M"
JEAN, DRESS = "AL-JEAN-BLU-38", "AL-FLORA-BLU-M"  # 109 € and 169 € (a tee is 45 €)
SOLD_OUT = "AL-DRESS-RED-L"
SHIRT_M, SHIRT_L, SHIRT_WHITE = "OG-SHIRT-OXF-BLU-M", "OG-SHIRT-OXF-BLU-L", "OG-SHIRT-OXF-WHT-M"


def al(api, sku=TEE):
    return delivered_order(api, AL, [(sku, 1)], placed_at=paris(1), delivered_at=DELIVERED, signed_in=False)


def al_return(api, order, *, now=None, reason="wrong_size"):
    items = [{"line_id": line["id"], "quantity": line["quantity"], "reason": reason} for line in order.lines]
    reply = declare(api, order, items, now=now or paris(4), as_guest=True)
    assert reply.status == 201, reply
    return reply


def ask(api, order, ret, sku, *, card=None, now=None):
    body = {"item_id": ret["items"][0]["id"], "sku": sku, **({"card": card} if card else {})}
    return api.post(f"/brands/{order.brand}/returns/{ret['id']}/exchange", body, query=order.guest,
                    now=now or paris(4, 11))


def arrive(api, order, ret, *, now=None):
    """The parcel is scanned in and every item accepted."""
    now = now or paris(10)
    assert staff_return(api, order, ret["id"], "receive", now=now, body={}).status == 200
    inspected = inspect_all(api, order, ret, now=now)
    assert inspected.status == 200, inspected
    return inspected


def exchanges_of(api, order, ret, *, now=None):
    return api.get(f"/brands/{order.brand}/returns/{ret['id']}/exchanges", query=order.guest, now=now or paris(10))


# --- OG-EXC-01 -------------------------------------------------------------------------------------------

def test_OG_EXC_01_an_exchange_is_asked_during_the_return_within_the_return_deadline(api):
    """"Exchanges are requested during the return process ... within the return deadlines.\""""
    order = al(api)
    ret = al_return(api, order, now=paris(10))

    late = ask(api, order, ret, TEE_L, now=paris(17))  # delivered 2 November: 14 days end on the 16th
    in_time = ask(api, order, ret, TEE_L, now=paris(16, 18))
    twice = ask(api, order, ret, TEE_BLACK, now=paris(16, 19))

    assert (late.status, late["code"], late["rule"]) == (409, "exchange_window_closed", "OG-EXC-01")
    assert (in_time.status, in_time["status"], in_time["channel"]) == (201, "requested", "online")
    assert (twice.status, twice["code"]) == (409, "exchange_already_requested")


def test_OG_EXC_01_no_exchange_once_the_parcel_has_arrived(api):
    order = al(api)
    ret = al_return(api, order)
    arrive(api, order, ret, now=paris(6))

    reply = ask(api, order, ret, TEE_L, now=paris(6, 12))

    assert (reply.status, reply["code"], reply["rule"]) == (409, "exchange_return_not_open", "OG-EXC-01")


def test_OG_EXC_01_customer_care_opens_a_size_exchange_within_the_return(api):
    """"please inform customer service along the return process": staff open it; another product is not
    offered; shipping is at the shopper's expense unless the brand erred (OG-RET-03), so a card is needed."""
    order = delivered_order(api, OG, [(SHIRT_M, 1)], placed_at=paris(1), delivered_at=DELIVERED)
    item = {"line_id": order.lines[0]["id"], "quantity": 1}
    size_ret = declare(api, order, [{**item, "reason": "size"}], now=paris(4))
    path = f"/staff/brands/{OG}/returns/{size_ret['id']}/exchange"
    body = {"item_id": size_ret["items"][0]["id"], "sku": SHIRT_L}

    other_product = api.post(path, {**body, "sku": SHIRT_WHITE}, token=order.team, now=paris(4, 12))
    no_card = api.post(path, body, token=order.team, now=paris(4, 12))
    with_card = api.post(path, {**body, "card": VISA}, token=order.team, now=paris(4, 13))

    assert (other_product.status, other_product["code"]) == (409, "product_exchange_not_offered")
    assert (no_card.status, no_card["code"], no_card["rule"]) == (422, "exchange_payment_required", "AL-EXC-02")
    assert with_card.status == 201, with_card
    assert (with_card["channel"], with_card["kind"], with_card["status"]) == ("customer_care", "size", "requested")
    assert with_card["supplement_minor"] == 0 and with_card["shipping_minor"] > 0
    assert with_card["amount_due_minor"] == with_card["shipping_minor"] and with_card["card_last4"] == "4242"
    assert with_card["promise"]["ships_free"] is False


# --- AL-EXC-01 -------------------------------------------------------------------------------------------

def test_AL_EXC_01_same_reference_other_size_is_a_size_exchange_a_colour_or_another_product_is_a_product_exchange(api):
    """"A size exchange consists of returning an item to obtain the same reference in a different size" /
    "Exchanging colors on the same reference constitutes a product exchange.\""""
    kinds = []
    for sku in (TEE_L, TEE_BLACK, JEAN):
        order = al(api)
        reply = ask(api, order, al_return(api, order), sku, card=VISA)
        assert reply.status == 201, reply
        kinds.append((reply["to_sku"], reply["kind"]))
    order = al(api)
    same = ask(api, order, al_return(api, order), TEE)

    assert kinds == [(TEE_L, "size"), (TEE_BLACK, "product"), (JEAN, "product")]
    assert (same.status, same["code"], same["rule"]) == (409, "exchange_same_item", "AL-EXC-01")


# --- AL-EXC-02 -------------------------------------------------------------------------------------------

def test_AL_EXC_02_a_size_exchange_keeps_the_price_paid_whatever_the_current_price(api):
    """"if the price of the product of the same reference has increased, no supplement will be required.
    Similarly, if the price has dropped, no refund will be made.\""""
    order = al(api)
    Product.objects.filter(variants__sku=TEE).update(price_minor=6500)  # the tee now costs 65 €

    reply = ask(api, order, al_return(api, order), TEE_L)
    arrive(api, order, {"id": reply["return_id"], "items": [{"id": reply["item_id"]}]})
    exchange = exchanges_of(api, order, {"id": reply["return_id"]})[0]
    exchange_order = Order.objects.get(number=exchange["exchange_order_number"])

    assert (reply.status, reply["supplement_minor"], reply["refund_minor"]) == (201, 0, 0)
    assert reply["paid_minor"] == reply["new_value_minor"] == 4500
    assert (exchange_order.total_minor, exchange_order.payments.count()) == (0, 0)
    assert exchange_order.lines.get().unit_price_minor == 4500
    assert not Refund.objects.filter(order__number=order.number).exists()


def test_AL_EXC_02_a_dearer_product_charges_the_difference_by_card(api):
    """"If you wish to exchange your product for a higher-priced one, you will have to pay the price difference.\""""
    order = al(api)
    ret = al_return(api, order)

    without_card = ask(api, order, ret, DRESS)
    with_card = ask(api, order, ret, DRESS, card=VISA)
    arrive(api, order, ret)
    exchange = exchanges_of(api, order, ret)[0]
    payment = Payment.objects.get(order__number=exchange["exchange_order_number"])

    assert (without_card.status, without_card["code"]) == (422, "exchange_payment_required")
    assert "124.00" in without_card["message"] or "124,00" in without_card["message"]
    assert (with_card.status, with_card["supplement_minor"], with_card["refund_minor"]) == (201, 12400, 0)
    assert exchange["status"] == "ordered" and exchange["exchange_order_status"] == "confirmed"
    assert (payment.method, payment.status, payment.amount_minor) == ("card", "captured", 12400)
    assert Order.objects.get(number=exchange["exchange_order_number"]).total_minor == 12400


def test_AL_EXC_02_a_cheaper_product_refunds_the_difference(api):
    """"if the product you wish to exchange is cheaper, a refund will be issued.\""""
    order = al(api, sku=JEAN)
    ret = al_return(api, order)

    reply = ask(api, order, ret, TEE)
    arrive(api, order, ret)
    refund = Refund.objects.get(order__number=order.number)

    assert (reply.status, reply["supplement_minor"], reply["refund_minor"]) == (201, 0, 6400)
    assert (refund.amount_minor, refund.reason, refund.items, refund.shipping_minor) == (6400, "exchange_difference",
                                                                                         [], 0)
    assert exchanges_of(api, order, ret)[0]["exchange_order_status"] == "confirmed"


# --- AL-EXC-03 -------------------------------------------------------------------------------------------

def test_AL_EXC_03_an_item_already_unavailable_turns_the_exchange_into_a_return(api):
    """"If the item you wish to exchange is no longer available, we invite you to return it.\""""
    order = al(api)
    ret = al_return(api, order)

    reply = ask(api, order, ret, SOLD_OUT)
    arrive(api, order, ret)
    refunded = api.get(f"/brands/{AL}/returns/{ret['id']}", query=order.guest, now=paris(10))

    assert (reply.status, reply["status"], reply["conversion_reason"]) == (201, "converted", "unavailable")
    assert reply["conversion_message"].startswith("The item you asked for is no longer available")
    assert refunded["status"] == "refunded"
    assert Refund.objects.get(order__number=order.number).amount_minor == order.lines[0]["total_minor"] + 390
    assert OutboxMessage.objects.filter(template="exchange_converted", recipient=order.email).count() == 1


def test_AL_EXC_03_an_item_sold_out_by_the_time_the_parcel_arrives_is_refunded_instead(api):
    order = al(api)
    ret = al_return(api, order)
    asked = ask(api, order, ret, TEE_L)
    Variant.objects.filter(sku=TEE_L).update(stock=0)  # sold meanwhile

    arrive(api, order, ret)
    exchange = exchanges_of(api, order, ret)[0]

    assert asked["status"] == "requested"
    assert (exchange["status"], exchange["conversion_reason"], exchange["exchange_order_number"]) == (
        "converted", "unavailable", None)
    assert api.get(f"/brands/{AL}/returns/{ret['id']}", query=order.guest, now=paris(10))["status"] == "refunded"
    assert stock_of(TEE_L) == 0


# --- AL-EXC-04 -------------------------------------------------------------------------------------------

def test_AL_EXC_04_the_exchange_order_is_created_after_inspection_ships_free_by_the_original_method(api):
    """"The exchange order is dispatched after receipt of the return" / "at our expense" / "We use the same
    shipping method as your original order" / "This usually takes between 7 and 14 working days.\""""
    order = al(api)
    original = Order.objects.get(number=order.number)
    ret = al_return(api, order)
    stock_before = stock_of(TEE_L)

    asked = ask(api, order, ret, TEE_L)
    before = exchanges_of(api, order, ret, now=paris(9))[0]
    stock_at_request = stock_of(TEE_L)
    arrive(api, order, ret)
    after = exchanges_of(api, order, ret)[0]
    exchange_order = Order.objects.get(number=after["exchange_order_number"])

    assert asked["promise"]["typical_working_days_min"] == 7 and asked["promise"]["typical_working_days_max"] == 14
    # Asked on Wednesday 4 November: 7 and 14 working days later, 11 November (a holiday) skipped.
    assert (asked["promise"]["arrives_between"], asked["promise"]["arrives_by"]) == ("2026-11-16", "2026-11-25")
    assert (before["status"], before["exchange_order_number"], stock_at_request) == ("requested", None, stock_before)
    assert after["status"] == "ordered" and stock_of(TEE_L) == stock_before - 1
    assert (exchange_order.payment_method, exchange_order.shipping_minor, exchange_order.total_minor) == (
        "exchange", 0, 0)
    assert exchange_order.shipping_method == original.shipping_method == "mondial_relay"
    assert exchange_order.shipping_address == original.shipping_address
    assert exchange_order.status == "confirmed" and exchange_order.delivery_latest_on is not None
    assert after["promise"]["arrives_by"] == exchange_order.delivery_latest_on.isoformat()
    assert OrderEvent.objects.filter(order=original, kind="exchange_order_created").count() == 1
    assert api.get(f"/brands/{AL}/returns/{ret['id']}", query=order.guest, now=paris(10))["status"] == "exchanged"
    assert OutboxMessage.objects.filter(template="exchange_ordered", recipient=order.email).count() == 1


def test_AL_EXC_04_customer_care_changes_the_exchange_address_until_it_leaves(api):
    """"If you wish to change your delivery address, please contact our customer service department.\""""
    order = al(api)
    ret = al_return(api, order)
    exchange = ask(api, order, ret, TEE_L)
    arrive(api, order, ret)
    new_address = {**Order.objects.get(number=order.number).shipping_address, "line1": "3 rue Oberkampf"}
    path = f"/staff/brands/{AL}/exchanges/{exchange['id']}/address"

    changed = api.post(path, new_address, token=order.team, now=paris(10, 12))
    number = changed["exchange_order_number"]
    shipped = api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "MR123"}, token=order.team,
                       now=paris(11))
    too_late = api.post(path, {**new_address, "line1": "1 rue de Rivoli"}, token=order.team, now=paris(11, 12))

    assert changed.status == 200 and changed["shipping_address"]["line1"] == "3 rue Oberkampf"
    assert Order.objects.get(number=number).shipping_address["line1"] == "3 rue Oberkampf"
    assert shipped.status == 200
    assert (too_late.status, too_late["code"]) == (409, "exchange_address_locked")


# --- AL-RET-07 -------------------------------------------------------------------------------------------

def test_AL_RET_07_returning_an_exchange_order_refunds_the_original_payment_and_the_supplement(api):
    """"Yes, you can request a return on an exchange order": a 45 € tee exchanged for a 169 € dress (124 € by
    card) comes back: 45 € go back on the original order's card, 124 € on the exchange order's card."""
    order = al(api)
    ret = al_return(api, order)
    ask(api, order, ret, DRESS, card=VISA)
    arrive(api, order, ret)
    number = exchanges_of(api, order, ret)[0]["exchange_order_number"]
    api.post(f"/staff/brands/{AL}/orders/{number}/ship", {"tracking_number": "MR124"}, token=order.team,
             now=paris(11))
    api.post(f"/staff/brands/{AL}/orders/{number}/deliver", token=order.team, now=paris(13, 15))
    line = Order.objects.get(number=number).lines.get()

    second = api.post(f"/brands/{AL}/orders/{number}/returns",
                      {"items": [{"line_id": line.id, "quantity": 1, "reason": "does_not_suit"}]},
                      query=order.guest, now=paris(16))
    arrive(api, order, second, now=paris(20))

    refunds = {refund.order.number: refund.amount_minor for refund in Refund.objects.select_related("order")}
    assert second.status == 201 and second["refund_preview"]["amount_minor"] == 16900
    assert refunds == {order.number: 4500, number: 12400}
    assert api.get(f"/brands/{AL}/returns/{second['id']}", query=order.guest, now=paris(20))["status"] == "refunded"
