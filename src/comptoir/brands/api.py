"""Brands as the API shows them: what each one sells with, ships with and promises."""

from __future__ import annotations

from ninja import Router, Schema

from comptoir.brands.models import Brand
from comptoir.brands.services import get_brand
from comptoir.core.http import request_language

router = Router(tags=["brands"])


class BrandSummary(Schema):
    slug: str
    name: str
    currency: str
    languages: list[str]


class ShippingMethodOut(Schema):
    code: str
    carrier: str
    name: str
    kind: str


class BrandDetail(BrandSummary):
    customers: str
    account_required_to_order: bool
    payment_methods: list[str]
    card_networks: list[str]
    shipping_methods: list[ShippingMethodOut]
    contact_email: str
    contact_phone: str
    colour_notice: str | None
    stores: list[dict]


@router.get("/brands", response=list[BrandSummary], summary="List the brands of this instance")
def list_brands(request):
    return [_summary(brand) for brand in Brand.objects.all()]


@router.get("/brands/{slug}", response=BrandDetail, summary="A brand's public policy")
def brand_detail(request, slug: str):
    brand = get_brand(slug)
    policy = brand.policy_object
    language = request_language(request, policy.default_language)
    return {
        **_summary(brand),
        "customers": policy.customers,
        "account_required_to_order": policy.accounts.account_required_to_order,
        "payment_methods": policy.payments.methods,
        "card_networks": policy.payments.card_networks,
        "shipping_methods": [
            {"code": m.code, "carrier": m.carrier, "name": m.name.get(language), "kind": m.kind}
            for m in policy.shipping.methods
        ],
        "contact_email": policy.contact.email,
        "contact_phone": policy.contact.phone,
        "colour_notice": policy.catalog.colour_notice.get(language) if policy.catalog.colour_notice else None,
        "stores": [store.model_dump(mode="json") for store in policy.stores],
    }


def _summary(brand: Brand) -> dict:
    policy = brand.policy_object
    return {"slug": brand.slug, "name": brand.name, "currency": policy.currency, "languages": policy.languages}
