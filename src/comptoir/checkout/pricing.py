"""Prices as the shopper pays them: VAT included in the EU, net of VAT for exports (OG-ORD-07),
discounts spread over the lines they apply to, VAT computed per line and per rate."""

from __future__ import annotations

from dataclasses import dataclass

from comptoir.brands.policy import BrandPolicy
from comptoir.core.money import allocate, net_of_vat

# Countries inside the EU VAT area; Monaco is part of the French VAT territory.
EU_VAT_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK MC".split()
)


@dataclass(frozen=True, slots=True)
class PriceItem:
    sku: str
    quantity: int
    unit_price_minor: int  # catalog price, VAT included
    vat_rate_basis_points: int  # 0 for items outside the scope of VAT (e-gift cards)
    discount_minor: int = 0  # VAT-inclusive reduction allocated to this line


@dataclass(frozen=True, slots=True)
class PricedLine:
    sku: str
    quantity: int
    unit_price_minor: int
    discount_minor: int
    total_minor: int
    vat_rate_basis_points: int
    vat_minor: int


@dataclass(frozen=True, slots=True)
class Quote:
    lines: tuple[PricedLine, ...]
    subtotal_minor: int  # before discounts
    discount_minor: int
    shipping_minor: int
    vat_minor: int
    total_minor: int
    prices_include_vat: bool

    def line(self, sku: str) -> PricedLine:
        return next(line for line in self.lines if line.sku == sku)


def charges_vat(policy: BrandPolicy, country: str) -> bool:
    """OG-ORD-07: exports outside the EU (Switzerland and Norway included) are sold net of VAT."""
    return not (policy.tax.exports_net_of_vat and country not in EU_VAT_COUNTRIES)


def spread_discount(amount_minor: int, line_totals: list[int]) -> list[int]:
    """Split a discount over the lines it applies to, in proportion to their totals."""
    return allocate(amount_minor, line_totals) if amount_minor else [0] * len(line_totals)


def quote(policy: BrandPolicy, items: list[PriceItem], shipping_minor: int, country: str) -> Quote:
    """Price `items` and shipping for a destination; amounts are what the shopper pays.

    VAT is computed once per rate on the gross amount at that rate (as the invoice shows it), then
    shared among the lines in proportion, so lines and totals agree to the cent.
    """
    with_vat = charges_vat(policy, country)
    shipping_rate = policy.tax.vat_rate_basis_points
    grosses = []
    for item in items:
        unit = item.unit_price_minor if with_vat else net_of_vat(item.unit_price_minor, item.vat_rate_basis_points)
        discount = item.discount_minor if with_vat else net_of_vat(item.discount_minor, item.vat_rate_basis_points)
        grosses.append((unit, discount, unit * item.quantity - discount))
    shipping = shipping_minor if with_vat else net_of_vat(shipping_minor, shipping_rate)
    shares = _vat_shares([(item.vat_rate_basis_points, total) for item, (_, _, total) in zip(items, grosses)]
                         + [(shipping_rate, shipping)]) if with_vat else [0] * (len(items) + 1)
    lines = tuple(
        PricedLine(item.sku, item.quantity, unit, discount, total, item.vat_rate_basis_points if with_vat else 0, vat)
        for item, (unit, discount, total), vat in zip(items, grosses, shares)
    )
    subtotal = sum(line.unit_price_minor * line.quantity for line in lines)
    discount = sum(line.discount_minor for line in lines)
    total = subtotal - discount + shipping
    return Quote(lines, subtotal, discount, shipping, sum(shares), total, with_vat)


def _vat_shares(amounts: list[tuple[int, int]]) -> list[int]:
    """VAT of each (rate, gross) amount: computed per rate on the sum, then allocated back."""
    shares = [0] * len(amounts)
    for rate in {rate for rate, _ in amounts if rate}:
        indexes = [i for i, (r, _) in enumerate(amounts) if r == rate]
        gross = sum(amounts[i][1] for i in indexes)
        for i, part in zip(indexes, allocate(gross - net_of_vat(gross, rate), [amounts[i][1] for i in indexes])):
            shares[i] = part
    return shares
