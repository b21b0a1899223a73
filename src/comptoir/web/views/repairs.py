"""My repairs (AA-REP-01): the list, the request (from an order line, or describing the item, with up to three
photos of the damage), and each repair's page where a quote is accepted with a card (3-D Secure where the brand
asks) or declined."""

from __future__ import annotations

from django.shortcuts import redirect

from comptoir.core.errors import DomainError, InvalidInput, NotFound
from comptoir.core.images import ACCEPT, MAX_IMAGE_BYTES, image_response
from comptoir.repairs import photos, rules, services, states
from comptoir.web.pages import account_page, message_of, show
from comptoir.web.views.exchanges import order_line
from comptoir.web.views.payment_fields import card_from_post


@account_page
def repairs(request, brand):
    rows = [{"repair": repair, "label": states.status_label(repair.status, request.language)}
            for repair in services.shopper_repairs(brand, request.customer)]
    return show(request, "web/account/repairs.html", {"rows": rows, "offered": _offered(brand)})


def _offered(brand) -> bool:
    return bool(rules.check_repairs_offered(brand.policy_object))


@account_page
def new_repair(request, brand):
    order, line = order_line(request, brand) if (request.GET.get("order") or request.POST.get("order")) \
        else (None, None)
    description = request.POST.get("description", "").strip()[:2000]
    if request.method != "POST":
        return _form(request, order, line, description)
    try:
        checked = photos.check_uploads(request.FILES.getlist("photos"))  # nothing is stored if one is refused
        repair = services.request_repair(
            brand, customer=request.customer, email=request.customer.email, language=request.language, order=order,
            line_id=line.id if line else None, description=description, photos=checked,
            actor=f"customer:{request.customer.pk}", now=request.now)
    except DomainError as error:
        return _form(request, order, line, description, error=message_of(request, error), status=error.status)
    return redirect("web:repair", brand=brand.slug, repair_id=repair.pk)


def _form(request, order, line, description: str, *, error: str = "", status: int = 200):
    name = (line.product_name.get(request.language) or line.product_name.get("en", line.sku)) if line else ""
    return show(request, "web/account/repair_form.html", {
        "order": order, "line": line, "name": name, "description": description, "error": error,
        "offered": _offered(request.brand), "accept": ACCEPT, "max_photos": rules.MAX_PHOTOS_PER_REPAIR,
        "max_megabytes": MAX_IMAGE_BYTES // 1024 // 1024},
        status=status)


def _repair(request, brand, repair_id):
    repair = services.shopper_repair(brand, request.customer, repair_id)
    if repair is None:
        raise NotFound("not_found", thing="repair")
    return repair


@account_page
def repair_page(request, brand, repair_id):
    return _repair_page(request, _repair(request, brand, repair_id))


def _repair_page(request, repair, *, error: str = "", status: int = 200):
    return show(request, "web/account/repair.html", {
        "repair": repair, "label": states.status_label(repair.status, request.language), "error": error,
        "quote_open": repair.status == states.QUOTED and rules.check_quote_open(
            repair.quote_valid_until, request.now).allowed,
        "challenge": repair.payment_status == "requires_action",
    }, status=status)


@account_page
def repair_photo(request, brand, repair_id, photo_id: int):
    """A photo of the damage she sent, for the shopper whose repair it is (another's: 404)."""
    return image_response(photos.photo_of(_repair(request, brand, repair_id), photo_id))


@account_page
def repair_quote(request, brand, repair_id):
    """Accept (pay by card), answer the bank's 3-D Secure step, or decline the quote."""
    repair = _repair(request, brand, repair_id)
    if request.method != "POST":
        return redirect("web:repair", brand=brand.slug, repair_id=repair.pk)
    actor, action = f"customer:{request.customer.pk}", request.POST.get("action")
    try:
        if action == "decline":
            services.decline_quote(repair, actor=actor, now=request.now)
        elif action == "challenge":
            services.answer_challenge(repair, answer="".join(request.POST.get("code", "").split())[:20] or "-",
                                      actor=actor, now=request.now)
        else:
            card = card_from_post(request)
            if card is None:
                raise InvalidInput("invalid_input", fields=request.texts["card_number"])
            services.accept_quote(repair, card=card, actor=actor, now=request.now)
    except DomainError as error:
        return _repair_page(request, _repair(request, brand, repair_id), error=message_of(request, error),
                            status=error.status)
    return redirect("web:repair", brand=brand.slug, repair_id=repair.pk)
