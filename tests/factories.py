"""Personas and one-line journeys, created through the public API (never by writing rows)."""

from __future__ import annotations

import itertools
from datetime import datetime

from django.contrib.auth.models import User
from django.test import Client

from comptoir.brands.models import Brand, StaffMembership

VISA = {"number": "4242424242424242", "expiry_month": 12, "expiry_year": 2030, "cvc": "123", "holder": "Camille Martin"}
CHALLENGE_CARD = {**VISA, "number": "4000000000003220"}
DECLINED_CARD = {**VISA, "number": "4000000000000002"}
INSUFFICIENT_FUNDS_CARD = {**VISA, "number": "4000000000009995"}
AMEX = {**VISA, "number": "378282246310005", "cvc": "1234"}

PARIS = {"first_name": "Camille", "last_name": "Martin", "line1": "12 rue de Turenne", "postal_code": "75004",
         "city": "Paris", "country": "FR", "phone": "+33 6 12 34 56 78"}
GENEVA = {**PARIS, "line1": "8 rue du Rhône", "postal_code": "1204", "city": "Genève", "country": "CH"}
BRUSSELS = {**PARIS, "line1": "20 rue Haute", "postal_code": "1000", "city": "Bruxelles", "country": "BE"}

# Brands whose policy sells to professionals only, and the business such a buyer bills.
PROFESSIONAL_BRANDS = {"opalook"}
BUSINESS = {"company": "Bijouterie Martin SARL", "vat_number": "FR40303265045"}

_counter = itertools.count(1)


def shopper(api, brand: str, *, now: datetime, first_name: str = "Camille", language: str = "en") -> dict:
    """A new signed-in shopper of `brand`: {"token", "email"}."""
    email = f"{first_name.lower()}.{next(_counter)}@example.com"
    reply = api.post(f"/brands/{brand}/customers", {
        "email": email, "password": "a-long-enough-passphrase", "first_name": first_name,
        "last_name": "Martin", "language": language,
    }, now=now)
    assert reply.status == 201, reply
    return {"token": reply["token"], "email": email}


def staff(api, brand: str, *, now: datetime) -> str:
    """A staff member of `brand`, signed in: returns the bearer token."""
    username = f"staff-{brand}-{next(_counter)}"
    user = User.objects.create_user(username=username, password="staff-passphrase-1", is_staff=True)
    StaffMembership.objects.create(user=user, brand=Brand.objects.get(slug=brand))
    reply = api.post("/staff/sessions", {"username": username, "password": "staff-passphrase-1"}, now=now)
    assert reply.status == 201, reply
    return reply["token"]


def cart(api, brand: str, lines: list[tuple[str, int]], *, now: datetime, token: str | None = None) -> str:
    reply = api.post(f"/brands/{brand}/carts", {"lines": [{"sku": s, "quantity": q} for s, q in lines]},
                     now=now, token=token)
    assert reply.status == 201, reply
    return reply["id"]


def checkout(api, brand: str, cart_id: str, *, now: datetime, method: str | None, address: dict = PARIS,
             card: dict | None = VISA, payment_method: str | None = "card", token: str | None = None,
             email: str = "guest@example.com", key: str | None = None, language: str = "en",
             codes: list[str] | None = None):
    if brand in PROFESSIONAL_BRANDS and "company" not in address:
        address = {**address, **BUSINESS}  # such brands bill a company
    body = {"email": email, "shipping_address": address, "shipping_method": method,
            "payment": {"method": payment_method, "card": card}, "language": language, "codes": codes or []}
    return api.post(f"/brands/{brand}/carts/{cart_id}/checkout", body, now=now, token=token,
                    key=key or f"checkout-{next(_counter)}")


def order(api, brand: str, lines: list[tuple[str, int]], *, now: datetime, method: str, **kw):
    """Cart + checkout in one go; returns the checkout reply."""
    return checkout(api, brand, cart(api, brand, lines, now=now, token=kw.get("token")), now=now, method=method, **kw)


# --- Helpers for the acceptance journeys (orders, payments) ---------------------------------------

LATER_REFUSED_CARD = {**VISA, "number": "4000000000000341"}  # registers fine, every charge refused
EXPIRED_CARD = {**VISA, "number": "4000000000000069"}
INCORRECT_CVC_CARD = {**VISA, "number": "4000000000000127"}
BAD_LUHN_CARD = {**VISA, "number": "4242424242424241"}
ZURICH = {**PARIS, "line1": "Bahnhofstrasse 10", "postal_code": "8001", "city": "Zürich", "country": "CH"}
OSLO = {**PARIS, "line1": "Karl Johans gate 5", "postal_code": "0154", "city": "Oslo", "country": "NO"}


def stock_of(sku: str) -> int:
    """The units of `sku` still for sale, read from the database."""
    from comptoir.catalog.models import Variant

    return Variant.objects.get(sku=sku).stock


def pass_challenge(api, brand: str, placed, *, now: datetime, answer: str = "123456", token: str | None = None):
    """Answer the 3-D Secure challenge of a just-placed order (AA-PAY-02), as its shopper; returns the reply."""
    payment_id = placed["payments"][0]["id"]
    return api.post(f"/brands/{brand}/payments/{payment_id}/challenge", {"answer": answer}, now=now, token=token)


def staff_move(api, brand: str, team: str, number: str, move: str, *, now: datetime, body: dict | None = None):
    """A back-office move on an order: confirm, prepare, ship, deliver, cancel…"""
    if move == "ship" and body is None:
        body = {"tracking_number": "TRACK123456FR"}
    return api.post(f"/staff/brands/{brand}/orders/{number}/{move}", body, token=team, now=now)


def staff_client(brand_slug: str, username: str) -> Client:
    """A staff member working for one brand, signed in to the back office (no Django model permissions)."""
    user = User.objects.create_user(username=username, password="staff-passphrase-1", is_staff=True)
    StaffMembership.objects.create(user=user, brand=Brand.objects.get(slug=brand_slug))
    client = Client()
    client.force_login(user)
    return client
