"""Returns over HTTP: the shopper declares and follows a return (signed in, or as a guest with the
order's token), staff approve, receive, inspect and refund. Views parse, call one service, render."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from ninja import File, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from comptoir.accounts.auth import optional_shopper, require_staff
from comptoir.brands.services import get_brand
from comptoir.core.errors import DomainError, InvalidInput
from comptoir.core.http import idempotency_key, request_language
from comptoir.core.images import image_response
from comptoir.core.rate_limit import limit_by_ip
from comptoir.orders import queries as order_queries
from comptoir.orders.api import GuestQuery
from comptoir.returns import photos as inspection_photos
from comptoir.returns import queries, refunding, services, states
from comptoir.returns.labels import Gone, check_label_downloadable, render_label
from comptoir.returns.rules import postage_reimbursement
from comptoir.returns.schemas import (
    AddItemsIn, DeclareIn, InspectIn, LookupIn, LookupOut, PreviewIn, PreviewOut, ReceiveIn, RejectIn, ReturnOut,
    ReturnPage, return_out,
)

router = Router(tags=["returns"])
staff_router = Router(tags=["staff"])

PDF_SCHEMA = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
PDF_RESPONSE = {"responses": {200: {"description": "The return slip or label as PDF.", "content": PDF_SCHEMA}}}
IMAGE_RESPONSE = {"responses": {200: {"description": "The inspection photo.", "content": {
    kind: {"schema": {"type": "string", "format": "binary"}} for kind in ("image/jpeg", "image/png", "image/webp")}}}}
PREVIEWABLE = frozenset({states.REQUESTED, states.APPROVED, states.RECEIVED, states.INSPECTED})


class QueueQuery(Schema):
    status: str | None = Field(default=None, pattern="^(" + "|".join(states.STATUSES) + ")$")
    offset: int = Field(default=0, ge=0, le=100000)
    limit: int = Field(default=50, ge=1, le=200)


def _items(payload_items) -> list[services.ItemRequest]:
    return [services.ItemRequest(i.line_id, i.quantity, i.reason, i.note) for i in payload_items]


def _actor(customer) -> str:
    return f"customer:{customer.id}" if customer else "guest"


def _shopper_return(request, slug: str, return_id: UUID, token: str | None):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    return customer, queries.shopper_return(brand, return_id, customer=customer, access_token=token)


def _preview(ret, now) -> dict | None:
    """What the items not refused would refund now, per tender (before the shopper confirms)."""
    items = [(item.order_line_id, item.quantity) for item in ret.items.all() if item.inspection_status != "refused"]
    if ret.status not in PREVIEWABLE or not items:
        return None
    try:
        return refunding.preview(ret.order, items=items, choice=ret.refund_choice, now=now,
                                 reimbursement_minor=postage_reimbursement(ret.reimbursement_cap_minor,
                                                                           ret.postage_advanced_minor))
    except DomainError:
        return None


def _render(request, ret, *, shopper: bool = True):
    ret = queries.staff_return(ret.brand, ret.pk)
    language = request_language(request, ret.language) if shopper else "en"
    return return_out(ret, language, preview=_preview(ret, request.now), staff=not shopper)


# --- Shopper -------------------------------------------------------------------------------------------

@router.get("/brands/{slug}/returns/options", response=dict,
            summary="What a return form offers: reasons, drop-offs, stores, refund methods, the window")
def options(request, slug: str):
    brand = get_brand(slug)
    policy = brand.policy_object
    returns = policy.returns
    language = request_language(request, policy.default_language)
    if returns is None:
        return {"offered": False, "contact_email": policy.contact.email}
    drop_offs = ["relay" if returns.label.kind == "prepaid_label" else "carrier"]
    if returns.store_drop_off:
        drop_offs.append("store")
    return {
        "offered": True, "request_window_days": returns.request_window_days,
        "ship_within_days": returns.ship_within_days, "guest_declaration": returns.guest_declaration,
        "approval": returns.approval, "document": returns.label.kind, "carrier": returns.label.carrier,
        "reasons": [{"code": r.code, "label": r.label.get(language) or r.label.get("en"), "kind": r.kind}
                    for r in returns.reasons],
        "drop_offs": drop_offs,
        "stores": [{"code": s.code, "name": s.name} for s in policy.stores] if returns.store_drop_off else [],
        "refund_choices": ["original", "credit_note"] if returns.refund_method_choice else ["original"],
    }


@router.post("/brands/{slug}/returns/lookup", response=LookupOut,
             summary="Find my order for a return with its number and e-mail (AL-RET-01)")
def lookup(request, slug: str, payload: LookupIn):
    brand = get_brand(slug)
    limit_by_ip(request, "guest_lookup_ip")
    order = services.find_order_for_guest(brand, order_number=payload.order_number, email=payload.email)
    return {"order_number": order.number, "token": order.access_token}


@router.post("/brands/{slug}/returns/preview", response=PreviewOut,
             summary="What a return of these items would refund, per payment method, before confirming")
def preview(request, slug: str, payload: PreviewIn, guest: Query[GuestQuery]):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    order = order_queries.shopper_order(brand, payload.order_number, customer=customer, access_token=guest.token)
    return refunding.preview(order, items=[(i.line_id, i.quantity) for i in payload.items],
                             choice=payload.refund_choice, now=request.now)


@router.post("/brands/{slug}/orders/{number}/returns", response={201: ReturnOut},
             summary="Declare a return: items, a reason per item, drop-off, refund method (OG-RET-01, AL-RET-01)")
def declare(request, slug: str, number: str, payload: DeclareIn, guest: Query[GuestQuery]):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    order = order_queries.shopper_order(brand, number, customer=customer, access_token=guest.token)
    if customer is None or order.customer_id != customer.id:
        services.check_guest_may_declare(brand.policy_object)
    ret = services.declare_return(
        order, items=_items(payload.items), drop_off=payload.drop_off, store_code=payload.store_code,
        refund_choice=payload.refund_choice, customer=customer, actor=_actor(customer),
        key=idempotency_key(request, required=False) or "", now=request.now,
    )
    return Status(201, _render(request, ret))


@router.get("/brands/{slug}/orders/{number}/returns", response=list[ReturnOut], summary="The returns of my order")
def order_returns(request, slug: str, number: str, guest: Query[GuestQuery]):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    order = order_queries.shopper_order(brand, number, customer=customer, access_token=guest.token)
    language = request_language(request, order.language)
    return [return_out(ret, language) for ret in queries.order_returns(order)]


@router.get("/brands/{slug}/returns/{return_id}", response=ReturnOut,
            summary="Follow my return: status (OG-RET-05), items, refusals with reasons, refund preview")
def my_return(request, slug: str, return_id: UUID, guest: Query[GuestQuery]):
    _, ret = _shopper_return(request, slug, return_id, guest.token)
    return _render(request, ret)


@router.post("/brands/{slug}/returns/{return_id}/items", response=ReturnOut,
             summary="Add items to a return not yet received (AL-RET-01)")
def add_items(request, slug: str, return_id: UUID, payload: AddItemsIn, guest: Query[GuestQuery]):
    customer, ret = _shopper_return(request, slug, return_id, guest.token)
    services.add_items(ret, items=_items(payload.items), actor=_actor(customer), now=request.now)
    return _render(request, ret)


@router.post("/brands/{slug}/returns/{return_id}/cancel", response=ReturnOut,
             summary="Withdraw my return before sending it")
def cancel(request, slug: str, return_id: UUID, guest: Query[GuestQuery]):
    customer, ret = _shopper_return(request, slug, return_id, guest.token)
    services.cancel_return(ret, actor=_actor(customer), now=request.now)
    return _render(request, ret)


def _pdf(ret, now) -> HttpResponse:
    decision = check_label_downloadable(ret, now)
    if decision.code == "return_label_expired":
        decision.enforce(Gone)
    decision.enforce()
    response = HttpResponse(render_label(ret), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{ret.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/brands/{slug}/returns/{return_id}/photos/{photo_id}", openapi_extra=IMAGE_RESPONSE,
            summary="A photo taken when my returned item was inspected (OG-RET-04, AL-RET-05)")
def my_photo(request, slug: str, return_id: UUID, photo_id: int, guest: Query[GuestQuery]):
    _, ret = _shopper_return(request, slug, return_id, guest.token)
    return image_response(inspection_photos.photo_of(ret, photo_id))


@router.get("/brands/{slug}/returns/{return_id}/label.pdf", openapi_extra=PDF_RESPONSE,
            summary="Download the RMA slip, return slip or prepaid label (OG-RET-01, OP-RET-02, AL-RET-03)")
def label(request, slug: str, return_id: UUID, guest: Query[GuestQuery]):
    _, ret = _shopper_return(request, slug, return_id, guest.token)
    return _pdf(ret, request.now)


# --- Staff ---------------------------------------------------------------------------------------------

def _staff_return(request, slug: str, return_id: UUID):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    return queries.staff_return(brand, return_id), f"staff:{user.username}"


@staff_router.get("/staff/brands/{slug}/returns", response=ReturnPage, summary="Returns queue, oldest first")
def queue(request, slug: str, query: Query[QueueQuery]):
    brand = get_brand(slug)
    require_staff(request, brand)
    total, rows = queries.staff_returns(brand, status=query.status, offset=query.offset, limit=query.limit)
    return {"count": total, "offset": query.offset, "limit": query.limit,
            "results": [return_out(ret, "en") for ret in rows]}


@staff_router.get("/staff/brands/{slug}/returns/{return_id}", response=ReturnOut)
def detail(request, slug: str, return_id: UUID):
    ret, _ = _staff_return(request, slug, return_id)
    return _render(request, ret, shopper=False)


@staff_router.post("/staff/brands/{slug}/orders/{number}/returns", response={201: ReturnOut},
                   summary="Open a return on a buyer's behalf (AA-RET-01 by e-mail, OP-RET-04 off-line orders)")
def open_for_buyer(request, slug: str, number: str, payload: DeclareIn):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    order = order_queries.staff_order(brand, number)
    ret = services.declare_return(
        order, items=_items(payload.items), drop_off=payload.drop_off, store_code=payload.store_code,
        refund_choice=payload.refund_choice, channel="customer_care", actor=f"staff:{user.username}",
        key=idempotency_key(request, required=False) or "", now=request.now,
    )
    return Status(201, _render(request, ret, shopper=False))


@staff_router.post("/staff/brands/{slug}/returns/{return_id}/approve", response=ReturnOut,
                   summary="Accept a return request: the slip or label is issued (OG-RET-01, OP-RET-02)")
def approve(request, slug: str, return_id: UUID):
    ret, actor = _staff_return(request, slug, return_id)
    services.approve_return(ret, actor=actor, now=request.now)
    return _render(request, ret, shopper=False)


@staff_router.post("/staff/brands/{slug}/returns/{return_id}/reject", response=ReturnOut)
def reject(request, slug: str, return_id: UUID, payload: RejectIn):
    ret, actor = _staff_return(request, slug, return_id)
    services.reject_return(ret, reason=payload.reason, actor=actor, now=request.now)
    return _render(request, ret, shopper=False)


@staff_router.post("/staff/brands/{slug}/returns/{return_id}/receive", response=ReturnOut,
                   summary='Scan the parcel in: "Return received" (OG-RET-05), in the warehouse or a store (OG-RET-06)')
def receive(request, slug: str, return_id: UUID, payload: ReceiveIn):
    ret, actor = _staff_return(request, slug, return_id)
    services.receive_return(ret, location=payload.location, sent_on=payload.sent_on, item_ids=payload.item_ids,
                            postage_advanced_minor=payload.postage_advanced_minor, actor=actor, now=request.now)
    return _render(request, ret, shopper=False)


@staff_router.post("/staff/brands/{slug}/returns/{return_id}/inspect", response=ReturnOut,
                   summary="Accept or refuse each item with a reason, note and photos (OG-RET-04, AL-RET-05)")
def inspect(request, slug: str, return_id: UUID, payload: InspectIn):
    ret, actor = _staff_return(request, slug, return_id)
    inspections = [services.ItemInspection(i.item_id, i.decision == "accept", i.refusal_reason, i.note)
                   for i in payload.items]
    services.inspect_items(ret, inspections=inspections, actor=actor, now=request.now)
    return _render(request, ret, shopper=False)


@staff_router.post("/staff/brands/{slug}/returns/{return_id}/items/{item_id}/photos", response={201: ReturnOut},
                   summary="Attach inspection photos to an item (multipart field `photos`: JPEG, PNG or WebP, "
                           "8 MB each, 10 per item)")
def add_photos(request, slug: str, return_id: UUID, item_id: int, photos: File[list[UploadedFile]] = None):
    ret, actor = _staff_return(request, slug, return_id)  # who asks is checked before what is sent
    if not photos:
        raise InvalidInput("invalid_input", fields="photos")
    checked = [inspection_photos.check_upload(upload) for upload in photos]
    inspection_photos.add_inspection_photos(ret, item_id=item_id, photos=checked, actor=actor, now=request.now)
    return Status(201, _render(request, ret, shopper=False))


@staff_router.get("/staff/brands/{slug}/returns/{return_id}/photos/{photo_id}", openapi_extra=IMAGE_RESPONSE)
def staff_photo(request, slug: str, return_id: UUID, photo_id: int):
    ret, _ = _staff_return(request, slug, return_id)
    return image_response(inspection_photos.photo_of(ret, photo_id))


@staff_router.post("/staff/brands/{slug}/returns/{return_id}/refund", response=ReturnOut,
                   summary="Refund the accepted items now, with the method chosen at declaration (OG-RFD-01)")
def refund(request, slug: str, return_id: UUID):
    ret, actor = _staff_return(request, slug, return_id)
    services.refund_return(ret, actor=actor, now=request.now)
    return _render(request, ret, shopper=False)


@staff_router.get("/staff/brands/{slug}/returns/{return_id}/label.pdf", openapi_extra=PDF_RESPONSE)
def staff_label(request, slug: str, return_id: UUID):
    ret, _ = _staff_return(request, slug, return_id)
    return _pdf(ret, request.now)


class ReturnedParcelOut(Schema):
    shipment_id: UUID
    returned_at: str
    refund_due_at: str


@staff_router.post("/staff/brands/{slug}/orders/{number}/shipments/{shipment_id}/returned-to-sender",
                   response={201: ReturnedParcelOut},
                   summary="The carrier brought the parcel back: refunded automatically (AL-SHP-09)")
def returned_to_sender(request, slug: str, number: str, shipment_id: UUID):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    order = order_queries.staff_order(brand, number)
    parcel = services.mark_returned_to_sender(order, shipment_id=shipment_id, actor=f"staff:{user.username}",
                                              now=request.now)
    return Status(201, {"shipment_id": parcel.shipment_id, "returned_at": parcel.returned_at.isoformat(),
                 "refund_due_at": parcel.refund_due_at.isoformat()})
