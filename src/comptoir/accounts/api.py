"""Shopper accounts and sign-in; staff sign-in for the back-office API."""

from __future__ import annotations

from typing import Literal

from django.conf import settings
from ninja import Router, Schema, Status
from pydantic import Field

from comptoir.accounts import services
from comptoir.accounts.auth import require_shopper
from comptoir.brands.services import get_brand
from comptoir.core.http import request_language
from comptoir.core.rate_limit import limit_by_ip

router = Router(tags=["accounts"])


class Registration(Schema):
    email: str = Field(max_length=254)
    password: str = Field(min_length=1, max_length=200)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    language: Literal["en", "fr"] = "en"
    newsletter_consent: bool = False


class Credentials(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class StaffCredentials(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)


class CustomerOut(Schema):
    email: str
    first_name: str
    last_name: str
    language: str
    phone: str
    newsletter_consent: bool


class Session(Schema):
    token: str
    customer: CustomerOut


class StaffSession(Schema):
    token: str


class ProfileChanges(Schema):
    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    language: Literal["en", "fr"] | None = None
    phone: str | None = Field(default=None, max_length=40)


class PasswordChange(Schema):
    current_password: str = Field(max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class AddressIn(Schema):
    label: str = Field(default="", max_length=60)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    line1: str = Field(min_length=1, max_length=200)
    line2: str = Field(default="", max_length=200)
    postal_code: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=100)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    phone: str = Field(default="", max_length=40)


class AddressOut(AddressIn):
    id: int


class ResetRequest(Schema):
    email: str = Field(max_length=254)


class ResetConfirm(Schema):
    token: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class Accepted(Schema):
    detail: str


def customer_out(customer) -> dict:
    return {
        "email": customer.email, "first_name": customer.first_name, "last_name": customer.last_name,
        "language": customer.language, "phone": customer.phone,
        "newsletter_consent": customer.newsletter_consent_at is not None,
    }


@router.post("/brands/{slug}/customers", response={201: Session}, summary="Create a shopper account")
def register(request, slug: str, payload: Registration):
    brand = get_brand(slug)
    limit_by_ip(request, "sign_up_ip")  # "already registered" tells who has an account: not at scale
    customer = services.register_customer(brand, now=request.now, **payload.dict())
    return Status(201, {"token": services.issue_token(customer=customer, now=request.now), "customer": customer_out(customer)})


@router.post("/brands/{slug}/sessions", response={201: Session}, summary="Sign in and get a bearer token")
def sign_in(request, slug: str, payload: Credentials):
    brand = get_brand(slug)
    limit_by_ip(request, "sign_in_ip")
    customer, token = services.sign_in(brand, email=payload.email, password=payload.password, now=request.now)
    return Status(201, {"token": token, "customer": customer_out(customer)})


@router.post("/staff/sessions", response={201: StaffSession}, summary="Staff sign-in (back-office API)")
def staff_sign_in(request, payload: StaffCredentials):
    limit_by_ip(request, "sign_in_ip")
    return Status(201, {"token": services.sign_in_staff(username=payload.username, password=payload.password, now=request.now)})


@router.get("/brands/{slug}/me", response=CustomerOut)
def me(request, slug: str):
    return customer_out(require_shopper(request, get_brand(slug)))


@router.patch("/brands/{slug}/me", response=CustomerOut, summary="Update my profile (ALL-ACC-02)")
def update_me(request, slug: str, payload: ProfileChanges):
    customer = require_shopper(request, get_brand(slug))
    return customer_out(services.update_profile(customer, changes=payload.dict()))


@router.post("/brands/{slug}/me/password", response={204: None})
def change_password(request, slug: str, payload: PasswordChange):
    customer = require_shopper(request, get_brand(slug))
    services.change_password(customer, current_password=payload.current_password, new_password=payload.new_password)
    return Status(204, None)


@router.get("/brands/{slug}/me/addresses", response=list[AddressOut], summary="My stored addresses (OG-SHP-05)")
def addresses(request, slug: str):
    customer = require_shopper(request, get_brand(slug))
    return [{"id": a.id, "label": a.label, **a.as_dict()} for a in customer.addresses.all()]


@router.post("/brands/{slug}/me/addresses", response={201: AddressOut})
def add_address(request, slug: str, payload: AddressIn):
    customer = require_shopper(request, get_brand(slug))
    address = services.add_address(customer, fields=payload.dict(), now=request.now)
    return Status(201, {"id": address.id, "label": address.label, **address.as_dict()})


@router.delete("/brands/{slug}/me/addresses/{address_id}", response={204: None})
def delete_address(request, slug: str, address_id: int):
    customer = require_shopper(request, get_brand(slug))
    services.delete_address(customer, address_id)
    return Status(204, None)


@router.post("/brands/{slug}/password-reset", response={202: Accepted},
             summary="E-mail a reset link (the answer is the same whether the account exists or not)")
def password_reset(request, slug: str, payload: ResetRequest):
    brand = get_brand(slug)
    limit_by_ip(request, "password_reset_ip")
    services.request_password_reset(brand, email=payload.email, base_url=settings.BASE_URL, now=request.now)
    language = request_language(request, brand.policy_object.default_language)
    detail = {
        "en": "If an account exists for this address, a reset link is on its way.",
        "fr": "Si un compte existe pour cette adresse, un lien de réinitialisation vous a été envoyé.",
    }[language]
    return Status(202, {"detail": detail})


@router.post("/brands/{slug}/password-reset/confirm", response={204: None})
def password_reset_confirm(request, slug: str, payload: ResetConfirm):
    services.reset_password(get_brand(slug), token=payload.token, new_password=payload.new_password, now=request.now)
    return Status(204, None)
