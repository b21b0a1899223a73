"""What a return is worth: the price actually paid for the units sent back, and the shipping when the
whole order comes back (OG-RFD-01). Pure functions, integer minor units."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from comptoir.core.money import round_half_up


class ReturnedLine(NamedTuple):
    """One order line in a refund. `quantity_refunded_before` counts units of earlier refunds, so that
    refunding a line in several goes gives back exactly what the line cost (its last units take the
    rounding). A plain 4-tuple is accepted too (nothing refunded before)."""

    unit_price_minor: int
    discount_minor: int
    quantity_ordered: int
    quantity_returned: int
    quantity_refunded_before: int = 0


def paid_for_units(unit_price_minor: int, discount_minor: int, quantity_ordered: int, units: int) -> int:
    """What the first `units` units of a line cost, the line's discount shared pro rata per unit."""
    if not 0 <= units <= quantity_ordered:
        raise ValueError(f"{units} units of a line of {quantity_ordered}")
    line_paid = unit_price_minor * quantity_ordered - discount_minor
    if units == quantity_ordered:
        return line_paid
    return round_half_up(Decimal(line_paid) * units / quantity_ordered)


def line_refund(line: Iterable[int]) -> int:
    """What the units returned now are worth: cumulative value after minus cumulative value before."""
    unit, discount, ordered, returned, *rest = line
    before = rest[0] if rest else 0
    if returned < 0 or before < 0:
        raise ValueError("quantities cannot be negative")
    if before + returned > ordered:
        raise ValueError(f"returning {returned} after {before} of a line of {ordered}")
    return (paid_for_units(unit, discount, ordered, before + returned)
            - paid_for_units(unit, discount, ordered, before))


def refund_amount(lines: list[tuple], shipping_minor: int, *, whole_order_returned: bool,
                  refund_shipping_on_full_return: bool) -> int:
    """The refund of a return: each unit at the price actually paid, plus `shipping_minor` (the shipping
    not yet refunded) only when the whole order has come back and the brand refunds it then (OG-RFD-01
    "including the shipping cost when the whole order is returned")."""
    items = sum(line_refund(line) for line in lines)
    shipping = shipping_minor if whole_order_returned and refund_shipping_on_full_return else 0
    return items + shipping
