"""The figures of an invoice from amounts as charged: net and VAT per line, VAT per rate, totals.

Pure functions, no database. An invoice states the VAT the order charged: each line arrives with its
VAT-inclusive total and its VAT as checkout computed them (`checkout.pricing.quote`: per rate on the
rate's total, shared among its lines), so the invoice's VAT is the order's VAT to the cent, every line
and rate has net + VAT = total, and the VAT per rate is the sum of its lines' VAT.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from comptoir.core.money import allocate, net_of_vat, round_half_up


@dataclass(frozen=True, slots=True)
class Item:
    """One invoiced line as charged, VAT included at `vat_rate_basis_points` (0: exempt or out of scope)."""

    description: str
    quantity: int
    unit_price_minor: int  # before discount
    total_minor: int  # after discount: unit_price_minor × quantity − discount
    vat_rate_basis_points: int
    vat_minor: int  # the VAT included in total_minor
    sku: str = ""
    order_line_id: int | None = None  # None for shipping

    @property
    def discount_minor(self) -> int:
        return self.unit_price_minor * self.quantity - self.total_minor


def share(amount_minor: int, part: int, whole: int) -> int:
    """`part`/`whole` of an amount, rounded half up (the remainder goes to whoever takes the last part)."""
    return round_half_up(Decimal(amount_minor) * part / whole)


def invoice_figures(items: list[Item], *, sign: int = 1) -> dict:
    """Lines, VAT per rate (highest rate first) and totals; `sign=-1` gives a credit note's figures."""
    if sign not in (1, -1):
        raise ValueError("sign is 1 (invoice) or -1 (credit note)")
    lines = []
    per_rate: dict[int, list[int]] = {}
    for item in items:
        rate, net = item.vat_rate_basis_points, item.total_minor - item.vat_minor
        discount = net_of_vat(item.discount_minor, rate)
        base_and_vat = per_rate.setdefault(rate, [0, 0])
        base_and_vat[0] += net
        base_and_vat[1] += item.vat_minor
        lines.append({
            "description": item.description,
            "sku": item.sku,
            "order_line_id": item.order_line_id,
            "quantity": item.quantity,
            "unit_price_incl_vat_minor": sign * item.unit_price_minor,
            # Shown for information, derived from the exact line total: quantity × unit − discount = net
            # whenever the quantity is 1, within a cent per unit otherwise.
            "unit_price_excl_vat_minor": sign * share(net + discount, 1, item.quantity),
            "discount_excl_vat_minor": sign * discount,
            "vat_rate_basis_points": rate,
            "total_excl_vat_minor": sign * net,
            "vat_minor": sign * item.vat_minor,
            "total_incl_vat_minor": sign * item.total_minor,
        })
    vat_per_rate = [
        {"rate_basis_points": rate, "base_minor": sign * base, "vat_minor": sign * vat}
        for rate, (base, vat) in sorted(per_rate.items(), reverse=True)
    ]
    total_net = sum(row["base_minor"] for row in vat_per_rate)
    total_vat = sum(row["vat_minor"] for row in vat_per_rate)
    totals = {"excl_vat_minor": total_net, "vat_minor": total_vat, "incl_vat_minor": total_net + total_vat}
    return {"lines": lines, "vat_per_rate": vat_per_rate, "totals": totals}


def capped_amounts(lines: list[tuple[int, int]], goods_minor: int) -> list[tuple[int, int]]:
    """(amount, VAT) per line when a credit gives back only `goods_minor` of lines worth their (amount, VAT rate
    in basis points): the amount shared in proportion to each line, each share carrying the VAT its rate puts
    in it (OP-GAR-01: a refund limited to the price paid excluding tax is a price reduction of that amount)."""
    whole = sum(amount for amount, _ in lines)
    if not 0 <= goods_minor <= whole:
        raise ValueError(f"{goods_minor} is not within the lines' {whole}")
    shares = allocate(goods_minor, [amount for amount, _ in lines]) if whole else [0] * len(lines)
    return [(amount, amount - net_of_vat(amount, rate)) for amount, (_, rate) in zip(shares, lines)]
