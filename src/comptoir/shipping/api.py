"""Delivery methods and the delivery promise for an instant (OG-ORD-03, AA-ORD-03, AL-ORD-03)."""

from __future__ import annotations

from datetime import date, datetime, time

from ninja import Query, Router, Schema
from pydantic import Field

from comptoir.brands.services import get_brand
from comptoir.core.clock import parse_instant
from comptoir.core.errors import InvalidInput
from comptoir.core.http import request_language
from comptoir.core.money import Money
from comptoir.shipping.rules import check_method_available, promise_delivery

router = Router(tags=["shipping"])


class EstimateQuery(Schema):
    method: str = Field(max_length=40)
    country: str = Field(pattern=r"^[A-Za-z]{2}$")
    at: str | None = Field(default=None, max_length=40, description="ISO 8601 instant; default: now")


class MethodsQuery(Schema):
    country: str = Field(pattern=r"^[A-Za-z]{2}$")


class DeliveryEstimate(Schema):
    method: str
    carrier: str
    name: str
    kind: str
    zone: str
    price_minor: int
    price: str
    ordered_at: datetime
    dispatch_on: date
    delivery_earliest: date
    delivery_latest: date
    delivery_from_local_time: time | None
    delivery_until_local_time: time | None
    signature_required: bool
    timezone: str


@router.get("/brands/{slug}/delivery-estimate", response=DeliveryEstimate,
            summary="When an order placed at `at` ships and arrives")
def delivery_estimate(request, slug: str, query: Query[EstimateQuery]):
    brand = get_brand(slug)
    policy = brand.policy_object
    try:
        at = parse_instant(query.at) if query.at else request.now
    except ValueError:
        raise InvalidInput("invalid_input", fields="at") from None
    country = query.country.upper()
    check_method_available(policy, query.method, country).enforce(InvalidInput)
    return _estimate(policy, query.method, country, at, request_language(request, policy.default_language))


@router.get("/brands/{slug}/shipping-methods", response=list[DeliveryEstimate],
            summary="The methods serving a country, with price and promise for an order now")
def shipping_methods(request, slug: str, query: Query[MethodsQuery]):
    brand = get_brand(slug)
    policy = brand.policy_object
    country = query.country.upper()
    language = request_language(request, policy.default_language)
    return [
        _estimate(policy, method.code, country, request.now, language)
        for method in policy.shipping.methods
        if check_method_available(policy, method.code, country)
    ]


def _estimate(policy, method_code: str, country: str, at: datetime, language: str) -> dict:
    promise = promise_delivery(policy, method_code, country, at)
    method = policy.shipping_method(method_code)
    return {
        "method": method.code, "carrier": method.carrier, "name": method.name.get(language), "kind": method.kind,
        "zone": promise.zone, "price_minor": promise.price_minor,
        "price": Money(promise.price_minor, policy.currency).format(language), "ordered_at": at,
        "dispatch_on": promise.dispatch_on, "delivery_earliest": promise.delivery_earliest,
        "delivery_latest": promise.delivery_latest, "delivery_from_local_time": promise.delivery_from_local_time,
        "delivery_until_local_time": promise.delivery_until_local_time,
        "signature_required": promise.signature_required, "timezone": policy.timezone,
    }
