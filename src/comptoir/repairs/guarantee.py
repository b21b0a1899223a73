"""OP-GAR-01: the legal guarantee against non-conformity and hidden defects, "limited to the amount excluding
tax paid by the buyer for the purchase of the product concerned"; no commercial guarantee. Pure functions."""

from __future__ import annotations

from decimal import Decimal

from comptoir.brands.policy import BrandPolicy
from comptoir.core.money import round_half_up


def guarantee_cap(policy: BrandPolicy, line) -> int:
    """The most a guarantee claim on a whole order line can give back: the price paid (after discounts), or
    that price excluding tax where the brand limits it so (OP-GAR-01). `line` has total_minor and vat_minor."""
    if policy.guarantee.liability_cap == "price_paid_excluding_tax":
        return line.total_minor - line.vat_minor
    return line.total_minor


def refund_cap(policy: BrandPolicy, lines: dict, items: list[tuple[int, int]]) -> int | None:
    """The cap on refunding `items` ((line id, quantity)) of these order lines: None where the brand refunds the
    price paid (no cap beyond the engine's own), else the per-unit share of each line's cap (OP-GAR-01)."""
    if policy.guarantee.liability_cap == "price_paid":
        return None
    return sum(round_half_up(Decimal(guarantee_cap(policy, lines[line_id])) * quantity / lines[line_id].quantity)
               for line_id, quantity in items if line_id in lines)


def describe_guarantee(policy: BrandPolicy) -> dict:
    """What the brand guarantees, for GET /brands/{slug}/guarantee (OP-GAR-01)."""
    excluding_tax = policy.guarantee.liability_cap == "price_paid_excluding_tax"
    return {
        "legal_guarantee": True,
        "covers": ["non_conformity", "hidden_defects"],
        "commercial_guarantee": policy.guarantee.commercial_guarantee,
        "liability_cap": policy.guarantee.liability_cap,
        "text": {
            "en": "We guarantee our products against any lack of conformity and any hidden defect (legal guarantee). "
                  + ("Our liability is limited to the price paid excluding tax for the product concerned. "
                     if excluding_tax else "Our liability is limited to the price paid for the product concerned. ")
                  + ("A commercial guarantee is also offered." if policy.guarantee.commercial_guarantee
                     else "We do not offer a commercial guarantee."),
            "fr": "Nos produits sont garantis contre tout défaut de conformité et tout vice caché (garantie légale). "
                  + ("Notre responsabilité est limitée au prix hors taxes payé pour le produit concerné. "
                     if excluding_tax else "Notre responsabilité est limitée au prix payé pour le produit concerné. ")
                  + ("Une garantie commerciale est également proposée." if policy.guarantee.commercial_guarantee
                     else "Nous ne proposons pas de garantie commerciale."),
        },
    }
