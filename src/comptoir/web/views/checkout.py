"""Checkout: addresses (PO boxes refused, OG-SHP-04), the delivery methods with their promise, the payment
method, the "Discount code or gift card" field (AL-PAY-07); then the 3-D Secure or PayPal step if any."""

from __future__ import annotations

import uuid

from django.shortcuts import redirect
from django.urls import reverse

from comptoir.checkout.placement import CheckoutDetails, place_order
from comptoir.core.errors import DomainError
from comptoir.payments.gateway import CardDetails
from comptoir.shipping.rules import check_method_available, promise_delivery
from comptoir.web import session
from comptoir.web.pages import brand_page, message_of, show
from comptoir.web.views.cart import cart_lines, open_cart
from comptoir.web.views.catalog import COUNTRIES
from comptoir.web.views.payment_fields import card_from_post

ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line2", "postal_code", "city", "country", "phone")
BUYER_FIELDS = ("company", "vat_number")  # billed with the address (placement reads them from it)
CARD_FIELDS = ("card_number", "card_expiry_month", "card_expiry_year", "card_cvc", "card_holder")
STORED_VALUE_METHODS = ("gift_card", "credit_note")  # entered in the codes field, not chosen as a method
# Which field a refusal belongs to, so the message shows beside it.
FIELD_OF_CODE = {
    "po_box_refused": "line1", "invalid_email": "email", "address_incomplete": "address",
    "company_required": "company", "invalid_vat_number": "vat_number",
    "unknown_shipping_method": "shipping_method", "method_not_available_for_country": "shipping_method",
    "payment_method_not_accepted": "payment_method", "card_network_not_accepted": "card_number",
    "card_details_required": "card_number", "incorrect_number": "card_number", "card_not_supported": "card_number",
    "expired_card": "card_expiry", "invalid_expiry": "card_expiry", "incorrect_cvc": "card_cvc",
    "credit_check_refused": "payment_method",
}
CODE_FIELD_PREFIXES = ("discount", "gift_card", "unknown_code", "too_many_discount", "reductions_",
                       "stored_value", "credit_note")


def delivery_options(policy, country: str, now) -> list[dict]:
    """The methods serving `country`, with price and the dispatch/delivery promise for an order now."""
    options = []
    for method in policy.shipping.methods:
        if not check_method_available(policy, method.code, country):
            continue
        promise = promise_delivery(policy, method.code, country, now)
        options.append({"code": method.code, "name": method.name, "carrier": method.carrier, "kind": method.kind,
                        "price_minor": promise.price_minor, "dispatch_on": promise.dispatch_on,
                        "earliest": promise.delivery_earliest, "latest": promise.delivery_latest})
    return options


def _form_values(request) -> dict:
    customer = request.customer
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in
                  ("email", *ADDRESS_FIELDS, *BUYER_FIELDS, "shipping_method", "payment_method", "codes", "card_holder")}
    else:
        values = {"email": customer.email if customer else "", "first_name": customer.first_name if customer else "",
                  "last_name": customer.last_name if customer else "", "phone": customer.phone if customer else "",
                  "country": request.GET.get("country", "")}
    values["country"] = (values.get("country") or request.brand.policy_object.seller.address.country).upper()[:2]
    return values


def _checkout_page(request, brand, *, values: dict, errors: dict, status: int = 200):
    policy = brand.policy_object
    cart = open_cart(request, brand)
    if cart is None or not cart.lines:
        return redirect("web:cart", brand=brand.slug)
    lines, subtotal = cart_lines(request, brand, cart)
    options = delivery_options(policy, values["country"], request.now)
    chosen = next((o for o in options if o["code"] == values.get("shipping_method")), options[0] if options else None)
    methods = [m for m in policy.payments.methods if m not in STORED_VALUE_METHODS]
    return show(request, "web/checkout/checkout.html", {
        "lines": lines, "subtotal_minor": subtotal, "options": options, "chosen": chosen, "values": values,
        "errors": errors, "payment_methods": methods, "countries": sorted({*COUNTRIES, values["country"]}),
        "chosen_payment": values.get("payment_method") if values.get("payment_method") in methods else methods[0],
        "professional": policy.customers == "professionals",
        "key": uuid.uuid4().hex, "account_required": policy.accounts.account_required_to_order and not request.customer,
        "total_minor": subtotal + (chosen["price_minor"] if chosen else 0),
    }, status=status)


@brand_page
def checkout(request, brand):
    values = _form_values(request)
    if request.method != "POST" or "refresh" in request.POST:
        return _checkout_page(request, brand, values=values, errors={})
    cart_id = session.cart_id(request, brand)
    if not cart_id:
        return redirect("web:cart", brand=brand.slug)
    details = CheckoutDetails(
        email=values["email"] or (request.customer.email if request.customer else ""),
        shipping_address={name: values.get(name, "") for name in (*ADDRESS_FIELDS, *BUYER_FIELDS)}, billing_address=None,
        shipping_method=values["shipping_method"] or None, payment_method=values["payment_method"] or None,
        card=_card(request), language=request.language,
        codes=tuple(code[:40] for code in values["codes"].replace(",", " ").split()[:5]),
    )
    key = request.POST.get("key") or uuid.uuid4().hex
    try:
        placed = place_order(brand, cart_id, details, customer=request.customer, idempotency_key=f"web:{key}"[:100],
                             now=request.now)
    except DomainError as error:
        return _checkout_page(request, brand, values=values, errors=_errors(request, error), status=error.status)
    order = placed.order
    session.forget_cart(request, brand)
    session.remember_order(request, brand, order.number, order.access_token)
    payment = placed.payment
    if payment is not None and payment.status == "requires_action":
        step = "web:paypal" if (payment.challenge or {}).get("type") == "redirect" else "web:three_d_secure"
        return redirect(step, brand=brand.slug, payment_id=payment.pk)
    return redirect(reverse("web:order", kwargs={"brand": brand.slug, "number": order.number}) + "?placed=1")


def _card(request) -> CardDetails | None:
    if request.POST.get("payment_method") not in ("card", "instalments_3", "deferred_15", "deferred_30"):
        return None
    return card_from_post(request)


def _errors(request, error: DomainError) -> dict:
    """{field: message}; a refusal of no particular field goes to "form"."""
    field = FIELD_OF_CODE.get(error.code)
    if field is None and error.code.startswith(CODE_FIELD_PREFIXES):
        field = "codes"
    if field is None and error.status == 402:
        field = "payment_method"
    return {field or "form": message_of(request, error)}
