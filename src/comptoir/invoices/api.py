"""Invoice PDFs: "print my invoice" from "my orders" (OG-ORD-06), and the same file for staff."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router

from comptoir.accounts.auth import optional_shopper, require_staff
from comptoir.brands.services import get_brand
from comptoir.core.errors import Conflict
from comptoir.invoices.pdf import render_pdf
from comptoir.invoices.services import RULE, invoice_for_order
from comptoir.orders import queries
from comptoir.orders.api import GuestQuery

router = Router(tags=["invoices"])

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The invoice as a PDF file, named after its number.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
    },
}


def pdf_response(order) -> HttpResponse:
    invoice = invoice_for_order(order)
    if invoice is None:
        raise Conflict("invoice_not_available", rule=RULE)
    response = HttpResponse(render_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    # Personal data: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/brands/{slug}/orders/{number}/invoice.pdf", openapi_extra=PDF_RESPONSE,
            summary="Print my invoice: the order's invoice as PDF (OG-ORD-06)")
def my_invoice(request, slug: str, number: str, guest: Query[GuestQuery]):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    return pdf_response(queries.shopper_order(brand, number, customer=customer, access_token=guest.token))


@router.get("/staff/brands/{slug}/orders/{number}/invoice.pdf", openapi_extra=PDF_RESPONSE,
            summary="The order's invoice as PDF (OG-ORD-06)", tags=["staff"])
def staff_invoice(request, slug: str, number: str):
    brand = get_brand(slug)
    require_staff(request, brand)
    return pdf_response(queries.staff_order(brand, number))
