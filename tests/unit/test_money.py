"""Money is integer minor units plus a currency; rounding happens in one place."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comptoir.core.money import Money, allocate, net_of_vat


def test_amounts_are_formatted_in_the_shoppers_language():
    price = Money(14900, "EUR")
    assert price.format("en") == "€149.00"
    assert price.format("fr") == "149,00\xa0€"


def test_money_refuses_floats_and_mixed_currencies():
    with pytest.raises(TypeError):
        Money(12.5, "EUR")
    with pytest.raises(ValueError):
        Money(100, "EUR") + Money(100, "GBP")


def test_from_decimal_rounds_half_up_to_the_cent():
    assert Money.from_decimal(Decimal("10.005"), "EUR") == Money(1001, "EUR")
    assert Money.from_decimal("149", "EUR").amount == 14900


def test_net_of_vat_at_twenty_percent():
    assert net_of_vat(14900, 2000) == 12417  # 149.00 / 1.2 = 124.1666…
    assert net_of_vat(12000, 2000) == 10000


@given(st.integers(min_value=-10**9, max_value=10**9),
       st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12))
def test_allocate_always_sums_to_the_total(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)


def test_allocate_splits_in_proportion():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(1000, [3000, 1000]) == [750, 250]
