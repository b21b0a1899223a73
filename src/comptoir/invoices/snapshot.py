"""What an invoice says, frozen at issue: seller, buyer, lines, VAT per rate, totals, payment, mentions.

The mandatory mentions of a French invoice (art. 242 nonies A, annexe II CGI) each have a place here:
date and unique number (the Invoice row), seller and buyer names and addresses, the seller's VAT
number and SIREN, each item's description, quantity, unit price excl. VAT and VAT rate, totals excl.
VAT, VAT per rate, total incl. VAT, the payment, the export exemption (art. 262 I CGI), and for
professional buyers the late-payment penalties (Code de commerce L441-10). Texts are written in the
invoice's language once, at issue.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date

from comptoir.brands.policy import BrandPolicy
from comptoir.invoices.amounts import Item, invoice_figures
from comptoir.invoices.messages import CARD_NETWORKS, PAYMENT_METHODS, label
from comptoir.orders.models import Order, OrderLine

SNAPSHOT_VERSION = 1
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}
# A French VAT number is "FR", a 2-digit key, then the 9-digit SIREN of the company.
_FRENCH_VAT_NUMBER = re.compile(r"^FR[0-9A-Z]{2}(\d{9})$")


def long_date(day, language: str) -> str:
    return format_date(day, format="long", locale=_LOCALES.get(language, "en_GB"))


def country_name(code: str, language: str) -> str:
    return Locale.parse(_LOCALES.get(language, "en_GB")).territories.get(code, code)


def address_lines(address: dict, language: str) -> list[str]:
    city = f"{address.get('postal_code', '')} {address.get('city', '')}".strip()
    lines = [address.get("line1", ""), address.get("line2", ""), city, country_name(address.get("country", ""), language)]
    return [line for line in lines if line]


def seller_part(brand_name: str, policy: BrandPolicy, language: str) -> dict:
    seller = policy.seller
    match = _FRENCH_VAT_NUMBER.match(seller.vat_number.replace(" ", ""))
    siren = match.group(1) if match else ""
    return {
        "brand_name": brand_name,
        "legal_name": seller.legal_name,
        "address_lines": address_lines(seller.address.model_dump(), language),
        "vat_number": seller.vat_number,
        "siren": f"{siren[:3]} {siren[3:6]} {siren[6:]}" if siren else "",
        "email": policy.contact.email,
        "phone": policy.contact.phone,
    }


def buyer_part(order: Order, language: str) -> dict:
    billing = order.billing_address or order.shipping_address or {}
    shipping = order.shipping_address or {}  # none for an order of e-gift cards only

    def name(address: dict) -> str:
        return f"{address.get('first_name', '')} {address.get('last_name', '')}".strip()

    return {
        "name": name(billing),
        "company": billing.get("company", ""),  # a professional buyer's business, and its VAT number
        "vat_number": billing.get("vat_number", ""),
        "email": order.email,
        "address": billing,
        "address_lines": address_lines(billing, language),
        "delivery_name": name(shipping),
        "delivery_address_lines": address_lines(shipping, language),
    }


def describe_line(line: OrderLine, language: str) -> str:
    name = (line.product_name or {}).get(language) or (line.product_name or {}).get("en") or line.sku
    details = [part for part in (line.colour, label("size", language, size=line.size) if line.size else "") if part]
    return f"{name} — {', '.join(details)}" if details else name


def shipping_item(order: Order, lines: list[OrderLine], policy: BrandPolicy, language: str) -> Item:
    # Taxed at the brand's rate, as checkout charged it (checkout.pricing.quote); exempt for exports. Its
    # VAT is what the order's VAT leaves once the lines have theirs.
    rate = policy.tax.vat_rate_basis_points if order.prices_include_vat else 0
    vat = order.vat_minor - sum(line.vat_minor for line in lines) if order.prices_include_vat else 0
    method = policy.shipping_method(order.shipping_method)
    method_name = method.name.get(language) if method else order.shipping_method
    return Item(label("shipping", language, method=method_name), 1, order.shipping_minor, order.shipping_minor, rate, vat)


def line_item(order: Order, line: OrderLine, language: str) -> Item:
    rate, vat = (line.vat_rate_basis_points, line.vat_minor) if order.prices_include_vat else (0, 0)
    return Item(describe_line(line, language), line.quantity, line.unit_price_minor, line.total_minor, rate, vat,
                line.sku, line.id)


def payment_text(order: Order, payments, policy: BrandPolicy, language: str) -> str:
    texts = []
    for payment in payments:
        if payment.status in ("refused", "voided"):
            continue
        method = PAYMENT_METHODS.get(payment.method, {}).get(language, payment.method)
        if payment.card_last4:
            method = f"{method} {CARD_NETWORKS.get(payment.card_network, payment.card_network)} •••• {payment.card_last4}"
        day = long_date(payment.updated_at.astimezone(policy.tz).date(), language)
        if payment.status in ("captured", "partially_refunded", "refunded"):
            texts.append(label("paid", language, method=method, date=day))
        elif payment.status == "authorised":
            texts.append(label("authorised", language, method=method, date=day))
        elif payment.method == "bank_transfer" and policy.payments.bank_transfer:
            transfer = policy.payments.bank_transfer
            texts.append(label("to_pay_by_transfer", language, days=transfer.pay_within_days, reference=order.number,
                               holder=transfer.account_holder, iban=transfer.iban, bic=transfer.bic))
        else:
            texts.append(label("payment_scheduled", language, method=method))
    return " ".join(texts)


def mentions(order: Order, policy: BrandPolicy, language: str, *, gift_cards: bool) -> list[str]:
    texts = []
    if gift_cards:
        texts.append(label("gift_card_out_of_scope", language))
    if not order.prices_include_vat:
        texts.append(label("export_exemption", language))
        if policy.tax.duties_paid_by_customer:
            texts.append(label("duties_by_customer", language))
    if policy.customers == "professionals":
        texts.append(label("late_payment", language))
    texts.append(label("amounts_in", language, currency=order.currency))
    return texts


def _common(order: Order, brand_name: str, policy: BrandPolicy, now: datetime) -> dict:
    language = order.language
    return {
        "version": SNAPSHOT_VERSION,
        "issued_on": now.astimezone(policy.tz).date().isoformat(),
        "seller": seller_part(brand_name, policy, language),
        "buyer": buyer_part(order, language),
        "order": {
            "number": order.number,
            "placed_on": order.placed_at.astimezone(policy.tz).date().isoformat(),
            "prices_include_vat": order.prices_include_vat,
        },
    }


def invoice_snapshot(order: Order, lines: list[OrderLine], payments, policy: BrandPolicy, *, brand_name: str,
                     now: datetime) -> dict:
    """Everything the invoice of `order` shows, with the order's lines and shipping as charged."""
    language = order.language
    items = [line_item(order, line, language) for line in lines]
    if order.shipping_minor:
        items.append(shipping_item(order, lines, policy, language))
    gift_cards = any(getattr(line, "is_gift_card", False) for line in lines)
    return {
        **_common(order, brand_name, policy, now),
        **invoice_figures(items),
        "gift_card_line_ids": [line.id for line in lines if getattr(line, "is_gift_card", False)],
        "payment": payment_text(order, payments, policy, language),
        "mentions": mentions(order, policy, language, gift_cards=gift_cards),
    }


def credit_note_snapshot(invoice, order: Order, credited: list[tuple[dict, int, int, int]], reason: str,
                         policy: BrandPolicy, *, brand_name: str, now: datetime) -> dict:
    """A credit note, negative, for `credited` (invoice line, quantity, amount and VAT as charged), shipping
    included. Lines are copied from the invoice: the credit note describes and taxes what was invoiced."""
    language = invoice.language
    items = [
        Item(line["description"], quantity, line["unit_price_incl_vat_minor"] if line["order_line_id"] else amount,
             amount, line["vat_rate_basis_points"], vat, line["sku"], line["order_line_id"])
        for line, quantity, amount, vat in credited
    ]
    shipping_minor = sum(amount for line, _, amount, _ in credited if line["order_line_id"] is None)
    issued_on = date.fromisoformat(invoice.snapshot["issued_on"])
    refers = label("credits_invoice", language, number=invoice.number, date=long_date(issued_on, language))
    gift_cards = bool(set(invoice.snapshot.get("gift_card_line_ids", [])) & {line["order_line_id"] for line, _, _, _ in credited})
    return {
        **_common(order, brand_name, policy, now),
        **invoice_figures(items, sign=-1),
        "credited_invoice": {"number": invoice.number, "issued_on": invoice.snapshot["issued_on"]},
        "reason": reason,
        "shipping_credited_minor": shipping_minor,
        "payment": label("refund_to_original", language),
        "mentions": [refers, *mentions(order, policy, language, gift_cards=gift_cards)],
    }
