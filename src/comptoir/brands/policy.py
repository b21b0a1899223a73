"""The typed policy schema every brand preset is validated against.

A difference between brands is a field here, never an `if brand == ...` in code. Each field carries
its unit in its name (`_days`, `_minor`, `_local_time`); presets quote the seed sentence each value
comes from in a comment next to it.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from comptoir.brands.after_sales_policy import ExchangesPolicy, GuaranteePolicy, RepairsPolicy, ReturnsPolicy
from comptoir.brands.loyalty_policy import LoyaltyPolicy, ReferralPolicy
from comptoir.brands.policy_base import Schema, Text

Language = Literal["en", "fr"]
Weekday = Literal[0, 1, 2, 3, 4, 5, 6]  # Monday = 0, as in date.weekday()
MONDAY_TO_FRIDAY = [0, 1, 2, 3, 4]


class Address(Schema):
    line1: str
    line2: str = ""
    postal_code: str
    city: str
    country: str = Field(pattern=r"^[A-Z]{2}$")


class Seller(Schema):
    """The legal entity on invoices."""

    legal_name: str
    vat_number: str = ""
    address: Address


class OpeningInterval(Schema):
    weekdays: list[Weekday]
    opens_local_time: time
    closes_local_time: time


class Contact(Schema):
    email: str
    phone: str = ""
    contact_form: bool = False
    opening_hours: list[OpeningInterval] = []


class Store(Schema):
    code: str
    name: str
    address: Address


class AccountsPolicy(Schema):
    # OG-ACC-01 / AA-ACC-01 / AL-ACC-01
    account_required_to_order: bool
    # OG-ACC-03: deletion is requested from customer care, carried out by staff.
    self_service_account_deletion: bool


class CatalogPolicy(Schema):
    # AA-CAT-05: a notice on product pages that colours may vary with the screen.
    colour_notice: Text | None = None


class CancellationPolicy(Schema):
    # Who may cancel: the shopper from "my orders" (self_service) or only staff on request (customer_care).
    channel: Literal["self_service", "customer_care"]
    # Until when: until the order is handed to the carrier, or only before a local time on the day of the order.
    deadline: Literal["until_dispatch", "same_day_before_local_time"]
    same_day_cutoff_local_time: time | None = None

    @model_validator(mode="after")
    def _cutoff_given(self):
        if self.deadline == "same_day_before_local_time" and self.same_day_cutoff_local_time is None:
            raise ValueError("same_day_cutoff_local_time is required with deadline same_day_before_local_time")
        return self


class ModificationPolicy(Schema):
    # What the shopper may change before dispatch, on their own (AL-ORD-05); empty = nothing.
    shopper_may_change: list[Literal["variant", "shipping_address"]] = []
    # OG-ORD-05: staff may change the shipping address after confirmation, without guarantee.
    staff_may_change_shipping_address: bool = True


class OrdersPolicy(Schema):
    # OG-ORD-02: "manual" = the brand confirms each order, asking the bank for a pre-authorisation then.
    # "automatic" = the order is confirmed as soon as its payment succeeds.
    confirmation: Literal["manual", "automatic"]
    # When the card is charged: "capture_at_order" (AA-PAY-01, AL-PAY-01) or
    # "authorise_at_confirmation" (OG-ORD-02: pre-authorisation at confirmation, captured at dispatch).
    card_payment: Literal["capture_at_order", "authorise_at_confirmation"]
    cancellation: CancellationPolicy
    modification: ModificationPolicy = ModificationPolicy()
    # Minutes an order may wait for a 3-D Secure or PayPal step before it expires and frees its stock.
    payment_step_timeout_minutes: int = Field(default=30, ge=1)
    order_number_prefix: str = Field(pattern=r"^[A-Z]{2,4}$")


class DispatchPolicy(Schema):
    """When an order leaves the warehouse (OG-ORD-03, AA-ORD-03, AL-ORD-03)."""

    # "cutoff": ordered (or confirmed) before the cut-off on a working day ships that day, else the
    # next working day. "working_hours": ships within N working hours of the order.
    rule: Literal["cutoff", "working_hours"]
    cutoff_local_time: time | None = None
    within_working_hours: int | None = Field(default=None, ge=1)
    # For manual confirmation: the promise counts from confirmation, not placement (OG-ORD-03).
    counts_from: Literal["placement", "confirmation"] = "placement"
    working_weekdays: list[Weekday] = MONDAY_TO_FRIDAY
    # Public holidays of this country (ISO code, `holidays` package) are not working days.
    holidays_country: str = Field(pattern=r"^[A-Z]{2}$")
    # AL-ORD-03: an order mixing pre-order dates ships in several parcels.
    split_preorders: bool = True

    @model_validator(mode="after")
    def _rule_parameters(self):
        if self.rule == "cutoff" and self.cutoff_local_time is None:
            raise ValueError("cutoff_local_time is required with rule 'cutoff'")
        if self.rule == "working_hours" and self.within_working_hours is None:
            raise ValueError("within_working_hours is required with rule 'working_hours'")
        return self


class ShippingRate(Schema):
    """Price and transit of a method to one zone. Transit counts the carrier's delivery days."""

    zone: str
    price_minor: int = Field(ge=0)
    transit_working_days_min: int = Field(ge=0)
    transit_working_days_max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self):
        if self.transit_working_days_max < self.transit_working_days_min:
            raise ValueError("transit_working_days_max is below transit_working_days_min")
        return self


class ShippingMethod(Schema):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    carrier: str
    name: Text
    kind: Literal["home", "relay", "store_pickup"]
    rates: list[ShippingRate] = Field(min_length=1)  # first rate whose zone holds the country wins
    # A method-specific order cut-off overriding the dispatch rule (AL-SHP-07: Chronopost before 2 pm).
    order_cutoff_local_time: time | None = None
    # Days and hours the carrier delivers (OG-SHP-02, AA-SHP-07).
    delivery_weekdays: list[Weekday] = MONDAY_TO_FRIDAY
    delivery_from_local_time: time | None = None
    delivery_until_local_time: time | None = None
    signature_required: bool = False
    # Tracking page; `{tracking_number}` is replaced (ALL-SHP-06).
    tracking_url_template: str = ""
    store_code: str | None = None  # for store_pickup


class ShippingPolicy(Schema):
    # Named country lists; "*" means every country, except those written "-XX" beside it.
    zones: dict[str, list[str]]
    methods: list[ShippingMethod] = Field(min_length=1)
    # OG-SHP-04: no delivery to post office boxes.
    refuse_po_boxes: bool = False

    @model_validator(mode="after")
    def _zones_exist(self):
        codes = set()
        for method in self.methods:
            if method.code in codes:
                raise ValueError(f"duplicate shipping method code {method.code!r}")
            codes.add(method.code)
            for rate in method.rates:
                if rate.zone not in self.zones:
                    raise ValueError(f"method {method.code!r} uses unknown zone {rate.zone!r}")
        return self


class TaxPolicy(Schema):
    # Catalog prices include this VAT rate (basis points: 2000 = 20 %).
    vat_rate_basis_points: int = Field(ge=0, le=10000)
    # OG-ORD-07: outside the EU (Switzerland and Norway included) prices are shown and charged net of VAT.
    exports_net_of_vat: bool = True
    # OG-ORD-07 / AL-ORD-07: duties and import taxes are paid by the customer on delivery.
    duties_paid_by_customer: bool = True


PaymentMethodCode = Literal[
    "card", "paypal", "bank_transfer", "instalments_3", "deferred_15", "deferred_30",
    "gift_card", "credit_note",
]
CardNetwork = Literal["cb", "visa", "mastercard", "amex"]


ReductionKind = Literal["discount_code", "gift_card", "credit_note", "loyalty_voucher"]


class BankTransferPolicy(Schema):
    """AA-PAY-03: the order number is the transfer reference; nothing ships before the money arrives."""

    account_holder: str
    iban: str
    bic: str
    # An unpaid transfer order expires (and frees its stock) after this many days.
    pay_within_days: int = Field(default=7, ge=1, le=60)


class InstalmentsPolicy(Schema):
    """AL-PAY-01 "payment in 3 instalments": the first at order, the others every `interval_days`."""

    count: int = Field(default=3, ge=2, le=12)
    interval_days: int = Field(default=30, ge=1)
    # A failed instalment is retried after this delay, then escalated to customer care.
    retry_after_days: int = Field(default=3, ge=1)
    max_attempts: int = Field(default=3, ge=1)


class StoredValuePolicy(Schema):
    # AL-RFD-01: "The credit note is valid for 1 year from the date of issue."
    credit_note_validity_days: int = Field(default=365, ge=1)
    gift_card_validity_days: int = Field(default=365, ge=1)


class ReductionsPolicy(Schema):
    """Which reductions one order may combine (AL-PAY-07, AL-LOY-05). Pairs not listed cannot combine."""

    combinable: list[tuple[ReductionKind, ReductionKind]] = [
        ("discount_code", "gift_card"), ("discount_code", "credit_note"), ("gift_card", "gift_card"),
        ("gift_card", "credit_note"), ("credit_note", "credit_note"),
    ]
    max_discount_codes_per_order: int = Field(default=1, ge=0)


class PaymentsPolicy(Schema):
    methods: list[PaymentMethodCode] = Field(min_length=1)
    card_networks: list[CardNetwork] = []
    # AA-PAY-02: the bank confirms the cardholder (3-D Secure) before payment completes.
    three_d_secure: Literal["always", "when_issuer_asks"] = "when_issuer_asks"
    bank_transfer: BankTransferPolicy | None = None
    instalments: InstalmentsPolicy = InstalmentsPolicy()
    stored_value: StoredValuePolicy = StoredValuePolicy()
    reductions: ReductionsPolicy = ReductionsPolicy()

    @model_validator(mode="after")
    def _bank_details(self):
        if "bank_transfer" in self.methods and self.bank_transfer is None:
            raise ValueError("payments.bank_transfer (account details) is required when bank_transfer is accepted")
        return self


class BrandPolicy(Schema):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    timezone: str
    languages: list[Language] = Field(min_length=1)
    default_language: Language
    # OP-RET-01: "professionals" buy for their business (no right of withdrawal).
    customers: Literal["consumers", "professionals"] = "consumers"
    seller: Seller
    contact: Contact
    stores: list[Store] = []
    accounts: AccountsPolicy
    catalog: CatalogPolicy = CatalogPolicy()
    orders: OrdersPolicy
    dispatch: DispatchPolicy
    shipping: ShippingPolicy
    tax: TaxPolicy
    payments: PaymentsPolicy
    # Returns, exchanges, repairs: None until the brand's preset describes them.
    returns: ReturnsPolicy | None = None
    exchanges: ExchangesPolicy | None = None
    repairs: RepairsPolicy | None = None
    guarantee: GuaranteePolicy = GuaranteePolicy()
    # Loyalty and referral programmes (AL-LOY, AL-RAF): None means the brand has none.
    loyalty: LoyaltyPolicy | None = None
    referral: ReferralPolicy | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _consistent(self):
        if self.default_language not in self.languages:
            raise ValueError("default_language must be one of languages")
        store_codes = {store.code for store in self.stores}
        for method in self.shipping.methods:
            if method.kind == "store_pickup" and method.store_code not in store_codes:
                raise ValueError(f"method {method.code!r} picks up at unknown store {method.store_code!r}")
        if "card" in self.payments.methods and not self.payments.card_networks:
            raise ValueError("payments.card_networks is required when card is accepted")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def shipping_method(self, code: str) -> ShippingMethod | None:
        return next((m for m in self.shipping.methods if m.code == code), None)


class FaqEntry(Schema):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    category: str
    question: Text
    answer: Text
    # Other ways shoppers ask the same thing, to help the assistant (issue: help center).
    phrasings: list[str] = []


class FaqFile(Schema):
    categories: dict[str, Text]
    entries: list[FaqEntry] = Field(min_length=1)


class CatalogVariant(Schema):
    sku: str
    size: str = ""
    colour: str = ""
    stock: int = Field(ge=0)
    # OG-STK-01: what an out-of-stock variant says: "sold_out" (never restocked) or "coming_soon".
    when_out_of_stock: Literal["sold_out", "coming_soon"] = "sold_out"


class CatalogProduct(Schema):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    category: str
    name: Text
    description: Text
    composition: Text
    care: Text
    origin: Text
    price_minor: int = Field(gt=0)  # VAT included, brand currency
    size_guide: dict[str, str] = {}  # size -> measurements (AL-STK-04)
    # AL-STK-02: a pre-order product ships on this planned date, shown on the product sheet.
    preorder_ships_on: date | None = None
    # An e-gift card (AL-PAY-01): buying it issues a card whose code is e-mailed; not shipped, no VAT.
    is_gift_card: bool = False
    variants: list[CatalogVariant] = Field(min_length=1)


class CatalogFile(Schema):
    categories: dict[str, Text]
    products: list[CatalogProduct] = Field(min_length=1)

    @model_validator(mode="after")
    def _categories_exist(self):
        skus = set()
        for product in self.products:
            if product.category not in self.categories:
                raise ValueError(f"product {product.slug!r} has unknown category {product.category!r}")
            for variant in product.variants:
                if variant.sku in skus:
                    raise ValueError(f"duplicate sku {variant.sku!r}")
                skus.add(variant.sku)
        return self


class DemoAccount(Schema):
    email: str
    password: str
    first_name: str
    last_name: str
    language: Language = "en"


class DemoFile(Schema):
    shopper: DemoAccount
    staff_username: str
    staff_password: str
