"""The legal guarantee of professional buyers at Opalook (OP-GAR-01): "our guarantee will be limited to the
amount excluding tax paid by the buyer for the purchase of the product concerned" / "Opalook does not offer a
commercial guarantee." Through the API with the test clock."""

from types import SimpleNamespace

from comptoir.brands.models import Brand
from comptoir.core.money import net_of_vat
from comptoir.invoices.services import credit_notes_for_order, issue_invoice
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


def test_OP_GAR_01_the_credit_note_credits_exactly_the_capped_amount_with_its_vat(api):
    """"limited to the amount excluding tax paid by the buyer": the credit note carries what was refunded — the
    ring's price excluding tax, as a VAT-inclusive credit split at the ring's rate — not the whole line."""
    order = delivered_order(api, OP, [(RING, 1)], placed_at=paris(1), delivered_at=paris(2, 15))
    line = OrderLine.objects.select_related("order").get(order__number=order.number)
    issue_invoice(line.order, now=paris(2))
    requested = declare(api, order, now=paris(3), reason="non_compliant")
    staff_return(api, order, requested["id"], "approve", now=paris(4))
    staff_return(api, order, requested["id"], "receive", now=paris(9), body={})
    inspected = inspect_all(api, order, requested, now=paris(9))

    staff_return(api, order, inspected["id"], "refund", now=paris(9, 11))

    refund = Refund.objects.get(order__number=order.number)
    [note] = credit_notes_for_order(line.order)
    capped = line.total_minor - line.vat_minor
    [ring] = [row for row in note.snapshot["lines"] if row["order_line_id"] == line.pk]
    assert (ring["total_incl_vat_minor"], ring["vat_minor"]) == (
        -capped, -(capped - net_of_vat(capped, line.vat_rate_basis_points)))
    assert note.total_minor == -refund.amount_minor
    assert note.vat_minor == sum(row["vat_minor"] for row in note.snapshot["lines"])
