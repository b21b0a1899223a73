"""My addresses (OG-SHP-05): list, add, change, delete; a post-office box is refused where the brand does not
deliver to them (OG-SHP-04). Another shopper's address is not found."""

from __future__ import annotations

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from comptoir.accounts import services as accounts
from comptoir.accounts.models import ADDRESS_FIELDS
from comptoir.core.errors import DomainError
from comptoir.web.pages import account_page, message_of, show
from comptoir.web.views.catalog import COUNTRIES

FORM_FIELDS = ("label", *ADDRESS_FIELDS)


def _posted(request) -> dict:
    return {field: request.POST.get(field, "")[:300] for field in FORM_FIELDS}


# The refusal that belongs beside one field (the others show above the form).
FIELD_OF_CODE = {"po_box_refused": "line1"}


def _page(request, *, values: dict | None = None, error: str = "", code: str = "", editing=None,
          status: int = 200):
    values = values or {"country": request.brand.policy_object.seller.address.country}
    return show(request, "web/account/addresses.html", {
        "addresses": list(request.customer.addresses.all()), "values": values, "error": error,
        "field_errors": {FIELD_OF_CODE[code]: error} if code in FIELD_OF_CODE else {},
        "editing": editing, "countries": sorted({*COUNTRIES, values.get("country", "").upper()} - {""}),
    }, status=status)


@account_page
def addresses(request, brand):
    if request.method != "POST":
        return _page(request)
    values = _posted(request)
    try:
        accounts.add_address(request.customer, fields=values, now=request.now)
    except DomainError as error:
        return _page(request, values=values, error=message_of(request, error), code=error.code,
                     status=error.status)
    return redirect("web:addresses", brand=brand.slug)


@account_page
def edit_address(request, brand, address_id: int):
    address = accounts.get_address(request.customer, address_id)
    if request.method != "POST":
        return _page(request, values={"label": address.label, **address.as_dict()}, editing=address)
    values = _posted(request)
    try:
        accounts.update_address(request.customer, address_id, fields=values)
    except DomainError as error:
        return _page(request, values=values, error=message_of(request, error), code=error.code,
                     editing=address, status=error.status)
    return redirect("web:addresses", brand=brand.slug)


@require_POST
@account_page
def delete_address(request, brand, address_id: int):
    accounts.delete_address(request.customer, address_id)
    return redirect("web:addresses", brand=brand.slug)
