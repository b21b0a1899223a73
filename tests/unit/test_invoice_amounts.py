"""The figures of an invoice (OG-ORD-06): VAT per line and per rate, exact to the cent, no database."""

from hypothesis import given
from hypothesis import strategies as st

from comptoir.core.money import net_of_vat
from comptoir.invoices.amounts import Item, invoice_figures, share


def test_OG_ORD_06_vat_per_rate_sums_the_vat_the_order_charged_on_its_lines():
    """A €149 dress, a €45 gift card (out of scope of VAT) and €5.90 shipping at 20 %: checkout charged
    25.82 of VAT at 20 % (154.90 − 154.90 / 1.2), shared 24.84 + 0.98."""
    figures = invoice_figures([
        Item("Robe Lou", 1, 14900, 14900, 2000, 2484, "AL-DRESS-BLK-S", 1),
        Item("E-gift card", 1, 4500, 4500, 0, 0, "AL-GIFT-45", 2),
        Item("Shipping", 1, 590, 590, 2000, 98),
    ])

    assert [(line["total_excl_vat_minor"], line["vat_minor"]) for line in figures["lines"]] == [
        (12416, 2484), (4500, 0), (492, 98)]
    assert figures["vat_per_rate"] == [
        {"rate_basis_points": 2000, "base_minor": 12908, "vat_minor": 2582},
        {"rate_basis_points": 0, "base_minor": 4500, "vat_minor": 0},
    ]
    assert figures["totals"] == {"excl_vat_minor": 17408, "vat_minor": 2582, "incl_vat_minor": 19990}


def test_OG_ORD_06_a_discounted_line_shows_its_unit_price_and_discount_excl_vat():
    """Two €119 cardigans with €23.80 off: €214.20 incl. VAT, 178.50 net."""
    [line] = invoice_figures([Item("Cardigan", 2, 11900, 21420, 2000, 3570, "AL-CARDI-NVY-S", 7)])["lines"]

    assert (line["unit_price_excl_vat_minor"], line["discount_excl_vat_minor"]) == (9917, 1983)
    assert (line["total_excl_vat_minor"], line["vat_minor"], line["total_incl_vat_minor"]) == (17850, 3570, 21420)


def test_a_share_rounds_half_up():
    assert (share(2483, 1, 2), share(2483, 1, 3), share(-5, 1, 2)) == (1242, 828, -3)


amounts = st.integers(min_value=1, max_value=500_000)
rates = st.sampled_from([0, 210, 550, 1000, 2000])
rows = st.lists(st.tuples(st.integers(min_value=1, max_value=9), amounts, rates), min_size=1, max_size=12)


def _items(rows) -> list[Item]:
    return [Item(f"item {n}", quantity, unit, unit * quantity, rate, unit * quantity - net_of_vat(unit * quantity, rate),
                 f"SKU-{n}", n) for n, (quantity, unit, rate) in enumerate(rows, start=1)]


@given(rows)
def test_net_plus_vat_is_the_total_for_every_line_rate_and_invoice(rows):
    items = _items(rows)

    figures = invoice_figures(items)

    for line in figures["lines"]:
        assert line["total_excl_vat_minor"] + line["vat_minor"] == line["total_incl_vat_minor"]
    for row in figures["vat_per_rate"]:
        same_rate = [line for line in figures["lines"] if line["vat_rate_basis_points"] == row["rate_basis_points"]]
        assert row["base_minor"] == sum(line["total_excl_vat_minor"] for line in same_rate)
        assert row["vat_minor"] == sum(line["vat_minor"] for line in same_rate)
    totals = figures["totals"]
    assert totals["incl_vat_minor"] == sum(item.total_minor for item in items)
    assert totals["vat_minor"] == sum(item.vat_minor for item in items)
    assert totals["excl_vat_minor"] + totals["vat_minor"] == totals["incl_vat_minor"]


@given(rows)
def test_a_credit_note_for_everything_is_the_exact_negative_of_the_invoice(rows):
    items = _items(rows)

    invoice, credit = invoice_figures(items), invoice_figures(items, sign=-1)

    assert credit["totals"] == {key: -value for key, value in invoice["totals"].items()}
    assert [row["vat_minor"] for row in credit["vat_per_rate"]] == [-row["vat_minor"] for row in invoice["vat_per_rate"]]
