"""Returns for professional buyers at Opalook, through the API with the test clock (OP-RET-01..04)."""

from datetime import timedelta

from comptoir.returns.models import ReturnRequest
from factories import OSLO, PARIS, staff
from return_journeys import OP, declare, delivered_order, paris, staff_return

DELIVERED = paris(2, 15)
RING, CUFF = "OP-RING-AUR-GLD-54", "OP-EAR-NOV-GLD"


def op(api, skus=((RING, 1),), **kw):
    return delivered_order(api, OP, list(skus), placed_at=paris(1), delivered_at=DELIVERED, **kw)


def test_OP_RET_01_professionals_have_no_right_of_withdrawal(api):
    """"there is no reason to apply the right of withdrawal provided for by the Consumer Code\""""
    order = op(api)
    offered = api.get(f"/brands/{OP}/returns/options", now=paris(3))

    change_of_mind = declare(api, order, now=paris(3), reason="changed_mind")

    assert (change_of_mind.status, change_of_mind["code"], change_of_mind["rule"]) == (
        409, "no_right_of_withdrawal", "OP-RET-01")
    assert {reason["kind"] for reason in offered["reasons"]} == {"not_as_described", "defective", "damaged", "lost"}
    assert not ReturnRequest.objects.filter(order__number=order.number).exists()


def test_OP_RET_01_a_non_compliant_product_may_be_returned(api):
    """"products lost, damaged or not in conformity with the order will be refunded or exchanged.\""""
    order = op(api)

    requested = declare(api, order, now=paris(3), reason="non_compliant")

    assert (requested.status, requested["status"]) == (201, "requested")


def test_OP_RET_02_defective_products_within_15_days_of_receipt(api):
    """"We authorize the return of defective products within a maximum period of 15 days after receipt\""""
    order = op(api)

    on_day_15 = declare(api, order, now=paris(17, 20), reason="defective")
    on_day_16 = declare(api, op(api), now=paris(18, 9), reason="defective")

    assert on_day_15.status == 201
    assert (on_day_16.status, on_day_16["code"], on_day_16["rule"]) == (409, "return_window_closed", "OP-RET-02")


def test_OP_RET_02_a_reason_per_product_and_once_accepted_a_return_slip_in_france(api):
    """"Check the products you wish to return to us and write the reason." / "a return slip to include in your
    package, which you can find in the "Return of goods" section of your account\""""
    order = op(api, skus=((RING, 1), (CUFF, 1)))
    ring, cuff = (next(line["id"] for line in order.lines if line["sku"] == sku) for sku in (RING, CUFF))
    items = [{"line_id": ring, "quantity": 1, "reason": "defective", "note": "Clasp broken"},
             {"line_id": cuff, "quantity": 1, "reason": "non_compliant", "note": "Silver sent, gold ordered"}]

    requested = declare(api, order, items, now=paris(3))
    accepted = staff_return(api, order, requested["id"], "approve", now=paris(4))
    listed = api.get(f"/brands/{OP}/orders/{order.number}/returns", token=order.shopper_token, now=paris(4))

    assert sorted((i["sku"], i["reason"]) for i in requested["items"]) == [(CUFF, "non_compliant"), (RING, "defective")]
    assert (accepted["status"], accepted["document"]["kind"], accepted["refund_without_return"]) == (
        "approved", "return_slip", False)
    assert [r["number"] for r in listed.body] == [requested["number"]]


def test_OP_RET_02_a_buyer_outside_france_and_its_neighbours_is_refunded_without_returning(api):
    """"or a refund depending on your location" — counterproductive "from a professional located in a country
    other than France or a neighboring country\"."""
    order = op(api, address=OSLO, method="colissimo_international")

    requested = declare(api, order, now=paris(3), reason="defective")
    accepted = staff_return(api, order, requested["id"], "approve", now=paris(4))

    assert (accepted["status"], accepted["refund_without_return"], accepted["document"]) == ("refunded", True, None)
    assert accepted["refund_reference"]
    assert [i["inspection_status"] for i in accepted["items"]] == ["accepted"]


def test_OP_RET_03_refund_without_return_when_shipping_would_cost_more_than_the_product(api):
    """"if the shipping costs exceed the value of the product, Opalook reserves the right to directly reimburse
    the product without exchange." A €9.60 ear cuff at half price is worth less than the €9 postage."""
    team_code = _half_price_code(api)
    order = op(api, skus=((CUFF, 1),), address=PARIS, codes=[team_code])

    requested = declare(api, order, now=paris(3), reason="damaged")
    accepted = staff_return(api, order, requested["id"], "approve", now=paris(4))

    assert order.lines[0]["total_minor"] < 900
    assert (accepted["status"], accepted["refund_without_return"]) == ("refunded", True)


def test_OP_RET_04_customer_care_opens_a_return_for_an_order_placed_off_line(api):
    """"If you placed your order off the internet, please contact us directly ... (shipping costs are our
    responsibility in the event of a non-compliant product)"."""
    order = op(api)
    body = {"items": [{"line_id": order.lines[0]["id"], "quantity": 1, "reason": "non_compliant"}]}

    opened = api.post(f"/staff/brands/{OP}/orders/{order.number}/returns", body, token=order.team, now=paris(3))

    assert (opened.status, opened["channel"], opened["shipping_paid_by"]) == (201, "customer_care", "brand")


def _half_price_code(api) -> str:
    team = staff(api, OP, now=paris(1))
    created = api.post(f"/staff/brands/{OP}/discount-codes", {
        "code": "MOITIE", "kind": "percentage", "percentage_basis_points": 5000,
        "starts_at": (paris(1) - timedelta(days=1)).isoformat(),
    }, token=team, now=paris(1), key="create-moitie")
    assert created.status == 201, created
    return "MOITIE"
