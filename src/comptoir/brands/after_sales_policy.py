"""Brand policy for after-sales: returns, exchanges, repairs and the guarantee (issue: returns).

Each field quotes the promise it encodes; presets set the values per brand.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from comptoir.brands.policy_base import Schema, Text


class ReturnReason(Schema):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    label: Text
    # What the reason means for who pays and how fast it must be reported.
    kind: Literal["change_of_mind", "defective", "damaged", "wrong_item", "not_as_described", "lost"]


class RefusalReason(Schema):
    """A reason inspection may refuse an item for (OG-RET-04, AA-RET-02, AL-RET-05)."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    label: Text


class ReturnLabelPolicy(Schema):
    # "prepaid_label": a carrier label paid by the brand (AL-RET-02); "rma_slip": a slip to put in the box,
    # shipped by any carrier at the customer's expense (OG-RET-01/03); "return_slip": OP-RET-02.
    kind: Literal["prepaid_label", "rma_slip", "return_slip"]
    carrier: str = ""
    downloadable_days: int | None = Field(default=None, ge=1)  # AL-RET-03
    # Countries the prepaid carrier serves; elsewhere the customer advances the cost (AL-RET-02).
    served_countries: list[str] = []
    reimbursement_cap_minor: int = Field(default=0, ge=0)  # AL-RET-02: up to 6 euros
    also_emailed: bool = False  # AL-RET-03


class ReturnsPolicy(Schema):
    # OP-RET-01: professionals have no right of withdrawal: only non-compliant, damaged or defective items.
    right_of_withdrawal: bool = True
    # Days from delivery to declare a return (OG-RET-02 14, AA-RET-01 14, OP-RET-02 15, AL-RET-02 14).
    request_window_days: int = Field(ge=1)
    # Days from the declaration (or its approval) to send the parcel (OG-RET-02); None: no separate limit.
    ship_within_days: int | None = Field(default=None, ge=1)
    # "manual": staff accept each request before the slip is issued (OG-RET-01, OP-RET-02); "automatic".
    approval: Literal["manual", "automatic"]
    # Who may declare online: account holders only, or anyone with order number + e-mail (AL-ACC-01).
    guest_declaration: bool = False
    reasons: list[ReturnReason] = Field(min_length=1)
    refusal_reasons: list[RefusalReason] = []
    # Return shipping: "customer" pays unless the reason kind is listed in `brand_pays_for` (OG-RET-03, AA-RET-03).
    return_shipping_paid_by: Literal["customer", "brand"]
    brand_pays_for: list[Literal["defective", "damaged", "wrong_item", "not_as_described", "lost"]] = []
    label: ReturnLabelPolicy
    # AL-RET-06: defects must be reported within this many hours of delivery.
    defect_report_within_hours: int | None = Field(default=None, ge=1)
    # AL-RET-04 / OG-RET-06: returns may be dropped in a store.
    store_drop_off: bool = False
    # AL-RFD-01: the shopper chooses a credit note or the original payment method.
    refund_method_choice: bool = False
    # When the refund is made after the return is validated, in working days (OG-RFD-01 2–3, AL "immediately").
    refund_within_working_days: int = Field(default=3, ge=0)
    # AA-RFD-01: counted from when the customer informed customer care, in calendar days.
    refund_within_days_of_notice: int | None = Field(default=None, ge=1)
    # OG-RFD-01: shipping is refunded when the whole order is returned.
    refund_shipping_on_full_return: bool = True
    # OP-RET-03: refund without return when shipping back would cost more than the item.
    refund_without_return_when_shipping_exceeds_value: bool = False
    # OP-RET-02 "depending on location": countries whose buyers are refunded without sending back.
    refund_without_return_countries: list[str] = []
    # AL-SHP-09: a parcel returned to sender is refunded within this many working days of its return.
    returned_to_sender_refund_within_working_days: int | None = Field(default=None, ge=1)


class ExchangesPolicy(Schema):
    # OG-EXC-01, AL-EXC-01..04
    size_exchange: bool = True
    product_exchange: bool = False
    # AL-EXC-02: a size exchange keeps the price paid; a product exchange settles the difference.
    size_exchange_keeps_price: bool = True
    # AL-EXC-04: the exchange order ships free, by the original method, after the return is received.
    exchange_ships_free: bool = True
    # AL-EXC-04 "This usually takes between 7 and 14 working days": the promise shown to the shopper, counted
    # from the return's declaration; None where the brand gives no figure.
    typical_working_days_min: int | None = Field(default=None, ge=1)
    typical_working_days_max: int | None = Field(default=None, ge=1)


class RepairsPolicy(Schema):
    """AA-REP-01: contact first, then send; production defects free, wear after an accepted quote."""

    offered: bool = True
    contact_first: bool = True
    quote_validity_days: int = Field(default=30, ge=1)


class GuaranteePolicy(Schema):
    # OP-GAR-01: legal guarantee only, limited to the price paid excluding tax; no commercial guarantee.
    commercial_guarantee: bool = False
    liability_cap: Literal["price_paid", "price_paid_excluding_tax"] = "price_paid"
