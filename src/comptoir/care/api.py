"""Help center and customer care: FAQ, search, the assistant, opening hours, cases (ALL-CARE-02, ALL-CARE-04)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Literal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from comptoir.accounts.auth import optional_shopper, require_shopper, require_staff
from comptoir.brands.services import get_brand
from comptoir.care import cases as case_services
from comptoir.care import help_center, services
from comptoir.core.http import request_language
from comptoir.core.rate_limit import limit_by_ip

router = Router(tags=["help center"])


class AskIn(Schema):
    question: str = Field(min_length=1, max_length=1000)
    language: Literal["en", "fr"] | None = None


class AnswerOut(Schema):
    id: str
    question: str
    answer: str
    url: str
    score: float


class ContactOut(Schema):
    email: str
    phone: str
    contact_form: bool
    opening_hours: list[dict]
    timezone: str


class HandoverOut(Schema):
    reason: str
    contact: ContactOut
    open_now: bool
    next_opening: datetime | None


class AskOut(Schema):
    answers: list[AnswerOut]
    intent: str | None
    handover: HandoverOut | None


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=500)


class HoursOut(Schema):
    open_now: bool
    closes_at: datetime | None
    next_opening: datetime | None
    contact: ContactOut


class CaseIn(Schema):
    kind: Literal[case_services.KINDS] = "question"  # type: ignore[valid-type]
    email: str = Field(default="", max_length=254)
    order_number: str | None = Field(default=None, max_length=30)
    subject: str = Field(min_length=1, max_length=200)
    message: str = Field(min_length=1, max_length=5000)
    language: Literal["en", "fr"] | None = None
    # AA-SHP-08: for a damage claim, did you report the damage to the carrier on receipt?
    reported_to_carrier: bool | None = None


class MessageOut(Schema):
    author: str
    body: str
    created_at: datetime


class CaseOut(Schema):
    id: int
    kind: str
    subject: str
    status: str
    order_number: str | None
    created_at: datetime
    expected_answer_by: datetime | None
    messages: list[MessageOut]


class StaffCaseOut(CaseOut):
    email: str


class ReplyIn(Schema):
    message: str = Field(min_length=1, max_length=5000)


class PageQuery(Schema):
    status: str | None = Field(default=None, max_length=12)
    offset: int = Field(default=0, ge=0, le=100000)
    limit: int = Field(default=20, ge=1, le=100)


def _case_out(case, *, staff: bool = False) -> dict:
    tz = case.brand.policy_object.tz
    body = {"id": case.pk, "kind": case.kind, "subject": case.subject, "status": case.status,
            "order_number": case.order.number if case.order_id else None, "created_at": case.created_at.astimezone(tz),
            "expected_answer_by": case.expected_answer_by.astimezone(tz) if case.expected_answer_by else None,
            "messages": [{"author": m.author, "body": m.body, "created_at": m.created_at}
                         for m in case.messages.all()]}
    if staff:
        body["email"] = case.email
    return body


@router.post("/brands/{slug}/help/ask", response=AskOut,
             summary="Ask the assistant a question in free text (ALL-CARE-04); signed-in shoppers get answers "
                     "about their own orders")
def ask(request, slug: str, payload: AskIn):
    brand = get_brand(slug)
    limit_by_ip(request, "assistant_ip")
    customer = optional_shopper(request, brand)
    result = services.ask(brand, payload.question, language=payload.language, customer=customer, now=request.now)
    return result.as_dict()


@router.get("/brands/{slug}/help", response=list[dict], summary="The help center: categories and their questions")
def categories(request, slug: str):
    brand = get_brand(slug)
    return help_center.faq_categories(brand, request_language(request, brand.policy_object.default_language))


@router.get("/brands/{slug}/help/search", response=list[AnswerOut], summary="Search the help center")
def search(request, slug: str, query: Query[SearchQuery]):
    brand = get_brand(slug)
    language = request_language(request, brand.policy_object.default_language)
    return [asdict(answer) for answer in services.search(brand, query.q, language=language, now=request.now)]


@router.get("/brands/{slug}/help/{key}", response=AnswerOut, summary="One help-center question and its answer")
def entry(request, slug: str, key: str):
    brand = get_brand(slug)
    language = request_language(request, brand.policy_object.default_language)
    found = help_center.faq_entry(brand, key)
    return {"id": found.key, "question": found.question.get(language) or found.question.get("en", ""),
            "answer": found.answer.get(language) or found.answer.get("en", ""),
            "url": help_center.entry_url(brand, found.key), "score": 1.0}


@router.get("/brands/{slug}/care/hours", response=HoursOut,
            summary="Is customer care open now, and when does it next open (OG-CARE-01, AL-CARE-01)")
def hours(request, slug: str):
    brand = get_brand(slug)
    status = services.care_hours(brand, request.now)
    return {"open_now": status.open_now, "closes_at": status.closes_at, "next_opening": status.next_opening,
            "contact": services.care_contact(brand)}


@router.post("/brands/{slug}/cases", response={201: CaseOut},
             summary="Contact customer care or claim about an order: opens a case (ALL-CARE-02, ALL-SHP-10)")
def open_case(request, slug: str, payload: CaseIn):
    brand = get_brand(slug)
    customer = optional_shopper(request, brand)
    language = payload.language or request_language(request, customer.language if customer else
                                                    brand.policy_object.default_language)
    case = case_services.open_case(
        brand, customer=customer, email=payload.email, order_number=payload.order_number, kind=payload.kind,
        subject=payload.subject, message=payload.message, now=request.now, language=language,
        reported_to_carrier=payload.reported_to_carrier,
    )
    return Status(201, _case_out(case_services.shopper_case(case.pk)))


@router.get("/brands/{slug}/me/cases", response=list[CaseOut], summary="My requests and the answers to them")
def my_cases(request, slug: str):
    brand = get_brand(slug)
    customer = require_shopper(request, brand)
    return [_case_out(case) for case in case_services.shopper_cases(brand, customer)]


@router.get("/staff/brands/{slug}/cases", response=dict, summary="Customer-care inbox (staff)")
def staff_cases(request, slug: str, page: Query[PageQuery]):
    brand = get_brand(slug)
    require_staff(request, brand)
    total, found = case_services.staff_cases(brand, status=page.status, offset=page.offset, limit=page.limit)
    return {"count": total, "offset": page.offset, "limit": page.limit,
            "results": [_case_out(case, staff=True) for case in found]}


@router.post("/staff/brands/{slug}/cases/{case_id}/reply", response=StaffCaseOut,
             summary="Answer a case: the shopper gets it by e-mail and in their account (ALL-CARE-02)")
def staff_reply(request, slug: str, case_id: int, payload: ReplyIn):
    brand = get_brand(slug)
    user = require_staff(request, brand)
    case = case_services.staff_case(brand, case_id)
    case_services.reply_to_case(case, user, payload.message, request.now)
    return _case_out(case_services.shopper_case(case.pk), staff=True)
