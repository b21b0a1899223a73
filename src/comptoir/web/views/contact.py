"""Contact customer care (ALL-CARE-02): a question, a complaint or a claim about an order becomes a case,
acknowledged with when to expect an answer. Guests may write where the brand has a contact form
(AA-CARE-01); otherwise they write about an order, or by e-mail."""

from __future__ import annotations

from comptoir.care.cases import CLAIM_KINDS, REQUEST_KINDS, open_case
from comptoir.core.errors import DomainError, InvalidInput
from comptoir.core.rate_limit import limit_by_ip
from comptoir.web.pages import brand_page, message_of, show

FIELDS = ("kind", "order_number", "email", "subject", "message")


def _page(request, *, values: dict, error: str = "", case=None, status: int = 200):
    return show(request, "web/help/contact.html", {
        "values": values, "error": error, "case": case, "kinds": REQUEST_KINDS + CLAIM_KINDS}, status=status)


@brand_page
def contact(request, brand):
    values = {field: request.POST.get(field, "").strip() for field in FIELDS}
    if request.method != "POST":
        return _page(request, values={"order_number": request.GET.get("order", "")[:20]})
    limit_by_ip(request, "contact_ip")
    try:
        if not values["message"]:
            raise InvalidInput("invalid_input", fields=request.texts["your_message"])
        case = open_case(brand, customer=request.customer, email=values["email"][:254],
                         order_number=values["order_number"][:20] or None, kind=values["kind"] or "question",
                         subject=values["subject"][:200] or request.texts["contact_default_subject"],
                         message=values["message"][:5000], language=request.language, now=request.now)
    except DomainError as error:
        return _page(request, values=values, error=message_of(request, error), status=error.status)
    return _page(request, values={}, case=case)
