"""API shapes of returns, and the one function that renders a return for shopper or staff."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from comptoir.core.images import PhotoOut
from comptoir.core.money import Money
from comptoir.returns import states
from comptoir.returns.emails import reason_label, refusal_label


class ItemIn(Schema):
    line_id: int = Field(ge=1, le=2**31 - 1)
    quantity: int = Field(default=1, ge=1, le=1000)
    reason: str = Field(min_length=1, max_length=40, description="One of the brand's return reasons (code)")
    note: str = Field(default="", max_length=1000)


class DeclareIn(Schema):
    items: list[ItemIn] = Field(min_length=1, max_length=100)
    drop_off: Literal["carrier", "relay", "store"] | None = Field(
        default=None, description="Default: the brand's carrier relay with a prepaid label, else any carrier")
    store_code: str = Field(default="", max_length=40, description="The store chosen for a store drop-off (AL-RET-04)")
    refund_choice: Literal["original", "credit_note"] = Field(default="original", description="AL-RFD-01")


class AddItemsIn(Schema):
    items: list[ItemIn] = Field(min_length=1, max_length=100)


class PreviewIn(Schema):
    order_number: str = Field(min_length=1, max_length=20)
    items: list[ItemIn] = Field(min_length=1, max_length=100)
    refund_choice: Literal["original", "credit_note"] = "original"


class LookupIn(Schema):
    order_number: str = Field(min_length=1, max_length=20)
    email: str = Field(min_length=3, max_length=254)


class LookupOut(Schema):
    order_number: str
    token: str


class RejectIn(Schema):
    reason: str = Field(default="", max_length=500)


class ReceiveIn(Schema):
    location: str = Field(default="warehouse", max_length=40, description='"warehouse" or a store code (OG-RET-06)')
    sent_on: date | None = Field(default=None, description="The postmark or carrier date, when known (OG-RET-02)")
    item_ids: list[int] | None = Field(default=None, max_length=100, description="Items in the parcel (default: all)")
    postage_advanced_minor: int | None = Field(
        default=None, ge=0, le=100_000,
        description="Postage the shopper advanced, as read on the parcel or receipt; reimbursed up to the return's "
                    "reimbursement_cap_minor (AL-RET-02). Omitted: the cap is reimbursed.")


class InspectionIn(Schema):
    item_id: int = Field(ge=1, le=2**31 - 1)
    decision: Literal["accept", "refuse"]
    refusal_reason: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=2000)


class InspectIn(Schema):
    items: list[InspectionIn] = Field(min_length=1, max_length=100)


class PreviewOut(Schema):
    amount_minor: int
    currency: str
    shipping_minor: int
    reimbursement_minor: int = Field(default=0, description="Return postage reimbursed with it (AL-RET-02)")
    parts: list[dict]




class ItemOut(Schema):
    id: int
    line_id: int
    sku: str
    name: str
    size: str
    quantity: int
    reason: str
    reason_label: str
    reception_status: str
    inspection_status: str
    refusal_reason: str
    refusal_label: str
    inspection_note: str
    photos: list[PhotoOut]


class DocumentOut(Schema):
    kind: str
    carrier: str
    url: str
    expires_at: datetime | None


class ReturnOut(Schema):
    id: UUID
    number: str
    order_number: str
    status: str
    status_label: str
    channel: str
    drop_off: str
    store_code: str
    refund_choice: str
    document: DocumentOut | None
    shipping_paid_by: str
    reimbursement_cap_minor: int
    reimbursement_cap: str
    declared_at: datetime
    approved_at: datetime | None
    ship_by: datetime | None
    received_at: datetime | None
    received_at_location: str
    inspected_at: datetime | None
    refund_due_at: datetime | None
    refunded_at: datetime | None
    refund_reference: str
    refund_without_return: bool
    items: list[ItemOut]
    refund_preview: PreviewOut | None = None


class ReturnPage(Schema):
    count: int
    offset: int
    limit: int
    results: list[ReturnOut]


def photo_url(ret, photo_id: int, *, staff: bool) -> str:
    """Where a photo is read: staff by their token; the shopper as she reads her return (signed in or token)."""
    if staff:
        return f"/api/staff/brands/{ret.brand.slug}/returns/{ret.id}/photos/{photo_id}"
    return f"/api/brands/{ret.brand.slug}/returns/{ret.id}/photos/{photo_id}"


def return_out(ret, language: str, *, preview: dict | None = None, staff: bool = False) -> dict:
    policy = ret.brand.policy_object
    document = None
    if ret.label_kind:
        document = {"kind": ret.label_kind, "carrier": ret.carrier, "expires_at": ret.label_expires_at,
                    "url": f"/api/brands/{ret.brand.slug}/returns/{ret.id}/label.pdf"}
    return {
        "id": ret.id, "number": ret.number, "order_number": ret.order.number, "status": ret.status,
        "status_label": states.status_label(ret.status, language), "channel": ret.channel,
        "drop_off": ret.drop_off, "store_code": ret.store_code, "refund_choice": ret.refund_choice,
        "document": document, "shipping_paid_by": ret.shipping_paid_by,
        "reimbursement_cap_minor": ret.reimbursement_cap_minor,
        "reimbursement_cap": Money(ret.reimbursement_cap_minor, ret.order.currency).format(language)
        if ret.reimbursement_cap_minor else "",
        "declared_at": ret.declared_at, "approved_at": ret.approved_at, "ship_by": ret.ship_by,
        "received_at": ret.received_at, "received_at_location": ret.received_at_location,
        "inspected_at": ret.inspected_at, "refund_due_at": ret.refund_due_at, "refunded_at": ret.refunded_at,
        "refund_reference": ret.refund_reference, "refund_without_return": ret.refund_without_return,
        "items": [
            {
                "id": item.id, "line_id": item.order_line_id, "sku": item.order_line.sku,
                "name": item.order_line.product_name.get(language) or item.order_line.sku,
                "size": item.order_line.size, "quantity": item.quantity, "reason": item.reason_code,
                "reason_label": reason_label(policy, item.reason_code, language),
                "reception_status": item.reception_status, "inspection_status": item.inspection_status,
                "refusal_reason": item.refusal_reason,
                "refusal_label": refusal_label(policy, item.refusal_reason, language),
                "inspection_note": item.inspection_note,
                "photos": [{"id": photo.pk, "url": photo_url(ret, photo.pk, staff=staff),
                            "content_type": photo.content_type, "width": photo.width, "height": photo.height}
                           for photo in item.inspection_photos.all()],
            }
            for item in ret.items.all()
        ],
        "refund_preview": preview,
    }
