"""Loyalty and referral over HTTP: the member's page, vouchers, missions and referrals; staff record
in-store purchases, attach orders and carry out a member's departure. Brands without a programme answer
404 no_loyalty_programme (or no_referral_programme)."""

from __future__ import annotations

from typing import Literal

from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from comptoir.accounts.auth import require_shopper, require_staff
from comptoir.accounts.services import normalise_email
from comptoir.brands.services import get_brand
from comptoir.core.errors import Conflict
from comptoir.core.http import idempotency_key, request_language
from comptoir.loyalty import referrals, services, summary, vouchers

router = Router(tags=["loyalty"])
staff_router = Router(tags=["loyalty (staff)"])


class RedeemIn(Schema):
    loves: int = Field(gt=0, le=10_000_000, description="One of the brand's voucher options")


class FriendIn(Schema):
    email: str = Field(max_length=254)
    language: Literal["en", "fr"] | None = None


class StorePurchaseIn(Schema):
    customer_id: int = Field(gt=0, le=2**62)
    store_code: str = Field(max_length=40)
    receipt_number: str = Field(min_length=1, max_length=60)
    amount_minor: int = Field(gt=0, le=100_000_000, description="Paid after discounts, minor units")


class AttachIn(Schema):
    customer_id: int = Field(gt=0, le=2**62)
    order_number: str = Field(min_length=1, max_length=20)


class HistoryPage(Schema):
    offset: int = Field(default=0, ge=0, le=100_000)
    limit: int = Field(default=50, ge=1, le=200)


class LeaveIn(Schema):
    reason: str = Field(default="", max_length=200)


def _member(request, slug: str):
    brand = get_brand(slug)
    services.programme(brand)
    customer = require_shopper(request, brand)
    return brand, services.active_membership(brand, customer, now=request.now)


@router.get("/brands/{slug}/me/loyalty", response=dict,
            summary="My loyalty page: balances with dates, status and the next, history, missions, vouchers")
def my_loyalty(request, slug: str, page: Query[HistoryPage]):
    brand, membership = _member(request, slug)
    return summary.loyalty_page(brand, membership, language=request_language(request, membership.customer.language),
                                now=request.now, offset=page.offset, limit=page.limit)


@router.post("/brands/{slug}/me/loyalty/vouchers", response={201: dict},
             summary="Redeem loves for a voucher (AL-LOY-05); takes an Idempotency-Key")
def redeem(request, slug: str, payload: RedeemIn):
    brand, membership = _member(request, slug)
    voucher = vouchers.redeem(brand, membership.customer, loves=payload.loves, idempotency_key=idempotency_key(request),
                              now=request.now)
    return Status(201, summary.voucher_out(voucher, request.now))


@router.post("/brands/{slug}/me/loyalty/missions/{code}", response={201: dict},
             summary="Complete a mission: its loves, once (AL-LOY-02)")
def complete_mission(request, slug: str, code: str):
    brand, membership = _member(request, slug)
    entry = services.complete_mission(brand, membership.customer, code[:40], now=request.now)
    return Status(201, summary.entry_out(entry, request.now))


@router.get("/brands/{slug}/me/referral", response=dict, summary="My referral link and referred friends (AL-RAF-01)")
def my_referral(request, slug: str):
    brand, membership = _member(request, slug)
    return summary.referral_page(brand, membership, now=request.now)


@router.post("/brands/{slug}/me/referral/invitations", response={201: dict},
             summary="Refer a friend by e-mail: she receives her code (AL-RAF-01..03)")
def invite_friend(request, slug: str, payload: FriendIn):
    brand, membership = _member(request, slug)
    referrals.referral_policy(brand)
    membership.customer.brand = brand
    referral = referrals.refer_friend(brand, membership, email=normalise_email(payload.email),
                                      language=payload.language or request_language(request, brand.policy_object.default_language),
                                      now=request.now)
    return Status(201, {"friend_email": referral.friend_email, "status": referral.status,
                        "friend_code_expires_at": referral.friend_code.ends_at})


@router.post("/brands/{slug}/referral/{referral_code}/claims", response={202: dict},
             summary="A friend following a member's link leaves her address: her code is e-mailed to her")
def claim_friend_code(request, slug: str, referral_code: str, payload: FriendIn):
    brand = get_brand(slug)
    referrals.referral_policy(brand)
    membership = referrals.find_referrer(brand, referral_code[:16])
    email = normalise_email(payload.email)
    try:
        referrals.refer_friend(brand, membership, email=email, now=request.now,
                               language=payload.language or request_language(request, brand.policy_object.default_language))
    except Conflict:
        pass  # the same answer either way: nothing tells a stranger whether this address has ordered
    return Status(202, {"status": "sent_if_eligible", "email": email})


# --- Staff ------------------------------------------------------------------------------------------------

def _staff(request, slug: str):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    services.programme(brand)
    return brand, f"staff:{user.username}"


@staff_router.get("/staff/brands/{slug}/customers/{customer_id}/loyalty", response=dict,
                  summary="A member's loyalty page, as customer care sees it")
def member_loyalty(request, slug: str, customer_id: int = Path(..., gt=0, le=2**62)):
    brand, _ = _staff(request, slug)
    membership = services.member_for_staff(brand, customer_id, now=request.now)
    return summary.loyalty_page(brand, membership, language=request_language(request), now=request.now)


@staff_router.post("/staff/brands/{slug}/loyalty/store-purchases", response={201: dict},
                   summary="Record a purchase in store for a member (AL-LOY-01); the receipt makes it idempotent")
def record_store_purchase(request, slug: str, payload: StorePurchaseIn):
    brand, actor = _staff(request, slug)
    entry = services.record_store_purchase(brand, customer_id=payload.customer_id, store_code=payload.store_code,
                                           receipt_number=payload.receipt_number, amount_minor=payload.amount_minor,
                                           actor=actor, now=request.now)
    return Status(201, summary.entry_out(entry, request.now))


@staff_router.post("/staff/brands/{slug}/loyalty/attached-orders", response=dict,
                   summary="Attach an order placed signed out to a member's account (AL-LOY-08)")
def attach_order(request, slug: str, payload: AttachIn):
    brand, actor = _staff(request, slug)
    order = services.attach_order(brand, customer_id=payload.customer_id, order_number=payload.order_number,
                                  actor=actor, now=request.now)
    return {"order_number": order.number, "customer_id": order.customer_id}


@staff_router.post("/staff/brands/{slug}/customers/{customer_id}/loyalty/leave", response=dict,
                   summary="The member leaves the programme, through customer care: everything is cancelled (AL-LOY-07)")
def leave(request, slug: str, payload: LeaveIn, customer_id: int = Path(..., gt=0, le=2**62)):
    brand, actor = _staff(request, slug)
    membership = services.leave(brand, customer_id=customer_id, reason=payload.reason, actor=actor, now=request.now)
    return {"customer_id": membership.customer_id, "left_at": membership.left_at}
