"""The legal guarantee of professional buyers at Opalook (OP-GAR-01): "our guarantee will be limited to the
amount excluding tax paid by the buyer for the purchase of the product concerned" / "Opalook does not offer a
commercial guarantee." Through the API with the test clock."""

from types import SimpleNamespace

from comptoir.brands.models import Brand
from comptoir.orders.models import OrderLine
from comptoir.refunds.models import Refund
from comptoir.repairs.guarantee import guarantee_cap
from return_journeys import AL, OP, declare, delivered_order, inspect_all, paris, staff_return

RING = "OP-RING-AUR-GLD-54"


def test_OP_GAR_01_the_guarantee_is_described_legal_only_and_limited_to_the_price_excluding_tax(api):
    opalook = api.get(f"/brands/{OP}/guarantee", now=paris(3))
    alme = api.get(f"/brands/{AL}/guarantee", now=paris(3))

    assert opalook.status == 200
    assert (opalook["legal_guarantee"], opalook["commercial_guarantee"], opalook["liability_cap"]) == (
        True, False, "price_paid_excluding_tax")
    assert opalook["covers"] == ["non_conformity", "hidden_defects"]
    assert "excluding tax" in opalook["text"]["en"] and "hors taxes" in opalook["text"]["fr"]
    assert alme["liability_cap"] == "price_paid"


def test_OP_GAR_01_the_cap_is_the_line_price_paid_excluding_tax(db):
    opalook = Brand.objects.get(slug=OP).policy_object
    alme = Brand.objects.get(slug=AL).policy_object
    line = SimpleNamespace(total_minor=12000, vat_minor=2000, quantity=2)

    assert (guarantee_cap(opalook, line), guarantee_cap(alme, line)) == (10000, 12000)


def test_OP_GAR_01_a_non_compliant_product_is_refunded_at_most_its_price_excluding_tax(api):
    order = delivered_order(api, OP, [(RING, 1)], placed_at=paris(1), delivered_at=paris(2, 15))
    line = OrderLine.objects.get(order__number=order.number)
    requested = declare(api, order, now=paris(3), reason="non_compliant")
    staff_return(api, order, requested["id"], "approve", now=paris(4))
    staff_return(api, order, requested["id"], "receive", now=paris(9), body={})
    inspected = inspect_all(api, order, requested, now=paris(9))

    refunded = staff_return(api, order, inspected["id"], "refund", now=paris(9, 11))
    refund = Refund.objects.get(order__number=order.number)

    assert refunded.status == 200, refunded
    assert line.vat_minor > 0
    goods = refund.amount_minor - refund.shipping_minor
    assert goods == line.total_minor - line.vat_minor
