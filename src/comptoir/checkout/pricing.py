"""Prices as the shopper pays them: VAT included in the EU, net of VAT for exports (OG-ORD-07)."""

from __future__ import annotations

from dataclasses import dataclass

from comptoir.brands.policy import BrandPolicy
from comptoir.core.money import net_of_vat

# Countries inside the EU VAT area; Monaco is part of the French VAT territory.
EU_VAT_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK MC".split()
)


@dataclass(frozen=True, slots=True)
class PricedLine:
    sku: str
    quantity: int
    unit_price_minor: int
    total_minor: int


@dataclass(frozen=True, slots=True)
class Quote:
    lines: tuple[PricedLine, ...]
    subtotal_minor: int
    shipping_minor: int
    vat_minor: int
    total_minor: int
    prices_include_vat: bool
    vat_rate_basis_points: int


def charges_vat(policy: BrandPolicy, country: str) -> bool:
    """OG-ORD-07: exports outside the EU (Switzerland and Norway included) are sold net of VAT."""
    return not (policy.tax.exports_net_of_vat and country not in EU_VAT_COUNTRIES)


def quote(policy: BrandPolicy, items: list[tuple[str, int, int]], shipping_minor: int, country: str) -> Quote:
    """Price `items` (sku, quantity, VAT-inclusive unit price) and shipping for a destination."""
    rate = policy.tax.vat_rate_basis_points
    with_vat = charges_vat(policy, country)

    def price(amount: int) -> int:
        return amount if with_vat else net_of_vat(amount, rate)

    lines = tuple(
        PricedLine(sku, quantity, price(unit), price(unit) * quantity) for sku, quantity, unit in items
    )
    subtotal = sum(line.total_minor for line in lines)
    shipping = price(shipping_minor)
    total = subtotal + shipping
    vat = total - net_of_vat(total, rate) if with_vat else 0
    return Quote(lines, subtotal, shipping, vat, total, with_vat, rate if with_vat else 0)
