"""Availability of a variant, as the product page shows it (OG-STK-01, AL-STK-02)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

IN_STOCK = "in_stock"
PREORDER = "preorder"
SOLD_OUT = "sold_out"  # OG-STK-01: permanently out of stock, never replenished
COMING_SOON = "coming_soon"  # OG-STK-01: being restocked


@dataclass(frozen=True, slots=True)
class Availability:
    code: str
    purchasable: bool
    ships_on: date | None = None  # AL-STK-02: the planned shipping date of a pre-order


def availability(*, stock: int, when_out_of_stock: str, preorder_ships_on: date | None) -> Availability:
    """What a variant says: in stock, pre-order with its date, or one of the two unavailable codes."""
    if stock > 0:
        if preorder_ships_on is not None:
            return Availability(PREORDER, True, preorder_ships_on)
        return Availability(IN_STOCK, True)
    if when_out_of_stock == COMING_SOON:
        return Availability(COMING_SOON, False)
    return Availability(SOLD_OUT, False)
