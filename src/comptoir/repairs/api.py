"""Repairs and the guarantee over HTTP (AA-REP-01, OP-GAR-01): the shopper asks for a repair, follows it and
answers the quote; staff ask for the item, receive, assess, and send it back. Views parse, call one service,
render."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import File, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from comptoir.accounts.auth import optional_shopper, require_shopper, require_staff
from comptoir.brands.services import get_brand
from comptoir.core.errors import InvalidInput, NotFound
from comptoir.core.http import request_language
from comptoir.core.images import CONTENT_TYPES, MAX_IMAGE_BYTES, PhotoOut, image_response
from comptoir.core.money import Money
from comptoir.orders import queries as order_queries
from comptoir.payments.schemas import CardIn
from comptoir.repairs import photos as repair_photos
from comptoir.repairs import rules, services, states
from comptoir.repairs.guarantee import describe_guarantee
from comptoir.repairs.models import RepairRequest

router = Router(tags=["repairs"])
staff_router = Router(tags=["staff"])

IMAGE_RESPONSE = {"responses": {200: {"description": "A photo of the damage.", "content": {
    kind: {"schema": {"type": "string", "format": "binary"}} for kind in sorted(CONTENT_TYPES.values())}}}}


class RepairIn(Schema):
    email: str = Field(default="", max_length=254, description="Guests: where we answer (signed in: the account's)")
    order_number: str | None = Field(default=None, max_length=20)
    line_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="The order line to repair")
    description: str = Field(default="", max_length=2000, description="The item and the damage")
    language: Literal["en", "fr"] | None = None


class TokenQuery(Schema):
    token: str | None = Field(default=None, max_length=64, description="Guests: the repair's access token "
                                                                      "(or, with order_number, the order's)")


class AcceptIn(Schema):
    card: CardIn


class ChallengeIn(Schema):
    answer: str = Field(min_length=1, max_length=20)


class AssessIn(Schema):
    assessment: Literal["production_defect", "wear_or_impact", "beyond_repair"]
    quote_minor: int | None = Field(default=None, ge=1, le=10_000_000, description="Wear or impact: the quote")
    note: str = Field(default="", max_length=2000)


class SendBackIn(Schema):
    tracking_number: str = Field(default="", max_length=80)


class RepairOut(Schema):
    id: UUID
    number: str
    status: str
    status_label: str
    order_number: str | None
    line_id: int | None
    description: str
    photos: list[PhotoOut]
    case_id: int | None
    assessment: str
    assessment_note: str
    quote_minor: int | None
    quote: str
    quote_valid_until: datetime | None
    payment_status: str
    challenge: dict | None
    return_tracking_number: str
    requested_at: datetime
    received_at: datetime | None
    access_token: str | None = None


def photo_url(repair: RepairRequest, photo_id: int, *, staff: bool) -> str:
    """Where a photo is read: staff by their token; the shopper as she reads her repair (signed in or token)."""
    prefix = "/api/staff/brands" if staff else "/api/brands"
    return f"{prefix}/{repair.brand.slug}/repairs/{repair.id}/photos/{photo_id}"


def repair_out(repair: RepairRequest, language: str, *, with_token: bool = False, staff: bool = False) -> dict:
    return {
        "id": repair.id, "number": repair.number, "status": repair.status,
        "status_label": states.status_label(repair.status, language),
        "order_number": repair.order.number if repair.order_id else None, "line_id": repair.order_line_id,
        "description": repair.description, "case_id": repair.case_id,
        "assessment": repair.assessment, "assessment_note": repair.assessment_note, "quote_minor": repair.quote_minor,
        "quote": Money(repair.quote_minor, repair.currency).format(language) if repair.quote_minor else "",
        "quote_valid_until": repair.quote_valid_until, "payment_status": repair.payment_status,
        "challenge": repair.challenge, "return_tracking_number": repair.return_tracking_number,
        "requested_at": repair.requested_at, "received_at": repair.received_at,
        "access_token": repair.access_token if with_token else None,
        "photos": [{"id": photo.pk, "url": photo_url(repair, photo.pk, staff=staff), "content_type": photo.content_type,
                    "width": photo.width, "height": photo.height} for photo in repair.photos.all()],
    }


def _repairs(brand):
    return (RepairRequest.objects.filter(brand=brand).select_related("brand", "order", "order_line")
            .prefetch_related("photos"))


def _shopper_repair(request, slug: str, repair_id: UUID, token: str | None):
    """The repair if it is the signed-in shopper's, or the guest holds its access token (never another's)."""
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    repair = _repairs(brand).filter(pk=repair_id).first()
    if repair is not None:
        if customer is not None and repair.customer_id == customer.id:
            return repair, f"customer:{customer.id}"
        if token and hmac.compare_digest(repair.access_token, token):
            return repair, "guest"
    raise NotFound("not_found", thing="repair")


def _render(request, repair) -> dict:
    repair = _repairs(repair.brand).get(pk=repair.pk)
    return repair_out(repair, request_language(request, repair.language))


# --- Shopper -------------------------------------------------------------------------------------------

@router.get("/brands/{slug}/guarantee", response=dict,
            summary="The legal guarantee and its limit; whether a commercial guarantee exists (OP-GAR-01)")
def guarantee(request, slug: str):
    return describe_guarantee(get_brand(slug).policy_object)


@router.post("/brands/{slug}/repairs", response={201: RepairOut},
             summary="Ask for a repair before sending the item (AA-REP-01): opens a customer-care case")
def request_repair(request, slug: str, payload: RepairIn, guest: Query[TokenQuery]):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    order = None
    if payload.order_number:
        order = order_queries.shopper_order(brand, payload.order_number.strip().upper(), customer=customer,
                                            access_token=guest.token)
    default = customer.language if customer else order.language if order else brand.policy_object.default_language
    language = payload.language or request_language(request, default)
    repair = services.request_repair(
        brand, customer=customer, email=payload.email, language=language, order=order, line_id=payload.line_id,
        description=payload.description,
        actor=f"customer:{customer.id}" if customer else "guest", now=request.now,
    )
    return Status(201, repair_out(_repairs(brand).get(pk=repair.pk), language, with_token=True))


@router.get("/brands/{slug}/me/repairs", response=list[RepairOut], summary="My repairs, newest first")
def my_repairs(request, slug: str):
    brand = get_brand(slug)
    customer = require_shopper(request, brand)
    language = request_language(request, customer.language)
    return [repair_out(repair, language) for repair in _repairs(brand).filter(customer=customer)[:100]]


@router.get("/brands/{slug}/repairs/{repair_id}", response=RepairOut, summary="Follow my repair")
def my_repair(request, slug: str, repair_id: UUID, guest: Query[TokenQuery]):
    repair, _ = _shopper_repair(request, slug, repair_id, guest.token)
    return _render(request, repair)


@router.post("/brands/{slug}/repairs/{repair_id}/photos", response={201: RepairOut},
             summary=f"Add photos of the damage before sending the item (AA-REP-01; multipart field `photos`: JPEG, "
                     f"PNG or WebP, {MAX_IMAGE_BYTES // 1024 // 1024} MB each, {rules.MAX_PHOTOS_PER_REPAIR} "
                     f"per repair)")
def add_photos(request, slug: str, repair_id: UUID, guest: Query[TokenQuery],
               photos: File[list[UploadedFile]] = None):
    repair, actor = _shopper_repair(request, slug, repair_id, guest.token)  # who asks, before what is sent
    if not photos:
        raise InvalidInput("invalid_input", fields="photos")
    repair_photos.add_photos(repair, repair_photos.check_uploads(photos), actor=actor, now=request.now)
    return Status(201, _render(request, repair))


@router.get("/brands/{slug}/repairs/{repair_id}/photos/{photo_id}", openapi_extra=IMAGE_RESPONSE,
            summary="A photo of the damage sent with my repair request (AA-REP-01)")
def my_photo(request, slug: str, repair_id: UUID, photo_id: int, guest: Query[TokenQuery]):
    repair, _ = _shopper_repair(request, slug, repair_id, guest.token)
    return image_response(repair_photos.photo_of(repair, photo_id))


@router.post("/brands/{slug}/repairs/{repair_id}/quote/accept", response=RepairOut,
             summary="Accept the quote and pay it by card (AA-REP-01); 3-D Secure may follow")
def accept_quote(request, slug: str, repair_id: UUID, payload: AcceptIn, guest: Query[TokenQuery]):
    repair, actor = _shopper_repair(request, slug, repair_id, guest.token)
    services.accept_quote(repair, card=payload.card.details(), actor=actor, now=request.now)
    return _render(request, repair)


@router.post("/brands/{slug}/repairs/{repair_id}/quote/challenge", response=RepairOut,
             summary="Answer the 3-D Secure challenge of the quote's payment (AA-PAY-02)")
def answer_challenge(request, slug: str, repair_id: UUID, payload: ChallengeIn, guest: Query[TokenQuery]):
    repair, actor = _shopper_repair(request, slug, repair_id, guest.token)
    services.answer_challenge(repair, answer=payload.answer, actor=actor, now=request.now)
    return _render(request, repair)


@router.post("/brands/{slug}/repairs/{repair_id}/quote/decline", response=RepairOut,
             summary="Decline the quote: the item comes back as is (AA-REP-01)")
def decline_quote(request, slug: str, repair_id: UUID, guest: Query[TokenQuery]):
    repair, actor = _shopper_repair(request, slug, repair_id, guest.token)
    services.decline_quote(repair, actor=actor, now=request.now)
    return _render(request, repair)


# --- Staff ---------------------------------------------------------------------------------------------

def _staff_repair(request, slug: str, repair_id: UUID):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    repair = _repairs(brand).filter(pk=repair_id).first()
    if repair is None:
        raise NotFound("not_found", thing="repair")
    return repair, f"staff:{user.username}"


class QueueQuery(Schema):
    status: str | None = Field(default=None, pattern="^(" + "|".join(states.STATUSES) + ")$")
    offset: int = Field(default=0, ge=0, le=100000)
    limit: int = Field(default=50, ge=1, le=200)


@staff_router.get("/staff/brands/{slug}/repairs", response=list[RepairOut], summary="Repairs queue, oldest first")
def queue(request, slug: str, query: Query[QueueQuery]):
    brand = get_brand(slug)
    require_staff(request, brand)
    repairs = _repairs(brand).order_by("requested_at")
    if query.status:
        repairs = repairs.filter(status=query.status)
    return [repair_out(repair, "en", staff=True) for repair in repairs[query.offset: query.offset + query.limit]]


@staff_router.get("/staff/brands/{slug}/repairs/{repair_id}", response=RepairOut)
def detail(request, slug: str, repair_id: UUID):
    repair, _ = _staff_repair(request, slug, repair_id)
    return repair_out(repair, "en", staff=True)


@staff_router.get("/staff/brands/{slug}/repairs/{repair_id}/photos/{photo_id}", openapi_extra=IMAGE_RESPONSE,
                  summary="A photo of the damage the shopper sent (AA-REP-01)")
def staff_photo(request, slug: str, repair_id: UUID, photo_id: int):
    repair, _ = _staff_repair(request, slug, repair_id)
    return image_response(repair_photos.photo_of(repair, photo_id))


@staff_router.post("/staff/brands/{slug}/repairs/{repair_id}/ask-for-item", response=RepairOut,
                   summary="Tell the shopper to send the item (AA-REP-01 \"then sends the item\")")
def ask_for_item(request, slug: str, repair_id: UUID):
    repair, actor = _staff_repair(request, slug, repair_id)
    services.ask_for_item(repair, actor=actor, now=request.now)
    return repair_out(_repairs(repair.brand).get(pk=repair.pk), "en", staff=True)


@staff_router.post("/staff/brands/{slug}/repairs/{repair_id}/receive", response=RepairOut,
                   summary="The item arrived in the workshop")
def receive(request, slug: str, repair_id: UUID):
    repair, actor = _staff_repair(request, slug, repair_id)
    services.receive_item(repair, actor=actor, now=request.now)
    return repair_out(_repairs(repair.brand).get(pk=repair.pk), "en", staff=True)


@staff_router.post("/staff/brands/{slug}/repairs/{repair_id}/assess", response=RepairOut,
                   summary="Production defect (free), wear or impact (a quote), or beyond repair (AA-REP-01)")
def assess(request, slug: str, repair_id: UUID, payload: AssessIn):
    repair, actor = _staff_repair(request, slug, repair_id)
    services.assess(repair, assessment=payload.assessment, quote_minor=payload.quote_minor, note=payload.note,
                    actor=actor, now=request.now)
    return repair_out(_repairs(repair.brand).get(pk=repair.pk), "en", staff=True)


@staff_router.post("/staff/brands/{slug}/repairs/{repair_id}/repaired", response=RepairOut,
                   summary="Repaired and sent back to the shopper")
def repaired(request, slug: str, repair_id: UUID, payload: SendBackIn):
    repair, actor = _staff_repair(request, slug, repair_id)
    services.mark_repaired(repair, tracking_number=payload.tracking_number, actor=actor, now=request.now)
    return repair_out(_repairs(repair.brand).get(pk=repair.pk), "en", staff=True)


@staff_router.post("/staff/brands/{slug}/repairs/{repair_id}/return", response=RepairOut,
                   summary="Send the item back as is: beyond repair, quote declined or expired (AA-REP-01)")
def send_back(request, slug: str, repair_id: UUID, payload: SendBackIn):
    repair, actor = _staff_repair(request, slug, repair_id)
    services.send_back_as_is(repair, tracking_number=payload.tracking_number, actor=actor, now=request.now)
    return repair_out(_repairs(repair.brand).get(pk=repair.pk), "en", staff=True)
