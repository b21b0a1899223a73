"""Finding returns for the people allowed to see them (never another shopper's)."""

from __future__ import annotations

import hmac

from django.db.models import Prefetch

from comptoir.core.errors import NotFound
from comptoir.returns.models import InspectionPhoto, ReturnItem, ReturnRequest


def with_details(returns):
    return returns.select_related("brand", "order").prefetch_related(
        Prefetch("items", queryset=ReturnItem.objects.select_related("order_line").order_by("id")),
        Prefetch("items__inspection_photos", queryset=InspectionPhoto.objects.order_by("id")),
    )


def shopper_return(brand, return_id, *, customer, access_token: str | None) -> ReturnRequest:
    """The return if it belongs to the signed-in shopper, or if the guest holds its order's access token."""
    ret = with_details(ReturnRequest.objects.filter(brand=brand, pk=return_id)).first()
    if ret is not None:
        ret.with_order_brand()
        if customer is not None and ret.order.customer_id == customer.id:
            return ret
        if access_token and hmac.compare_digest(ret.order.access_token, access_token):
            return ret
    raise NotFound("not_found", thing="return")


def staff_return(brand, return_id) -> ReturnRequest:
    ret = with_details(ReturnRequest.objects.filter(brand=brand, pk=return_id)).first()
    if ret is None:
        raise NotFound("not_found", thing="return")
    return ret.with_order_brand()


def staff_returns(brand, *, status: str | None, offset: int, limit: int) -> tuple[int, list[ReturnRequest]]:
    """The returns queue, oldest first (constant number of queries)."""
    returns = ReturnRequest.objects.filter(brand=brand)
    if status:
        returns = returns.filter(status=status)
    return returns.count(), list(with_details(returns.order_by("declared_at"))[offset: offset + limit])


def order_returns(order) -> list[ReturnRequest]:
    return list(with_details(ReturnRequest.objects.filter(order=order).order_by("declared_at")))
