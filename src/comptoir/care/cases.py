"""Customer-care cases from the help center: a contact request or a claim becomes a case linked to the
customer and the order, acknowledged with the opening hours and the expected answer time; staff replies are
e-mailed and shown in "my account" (ALL-CARE-02, ALL-SHP-10, AA-SHP-08, AA-CARE-01)."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from django.db import transaction

from comptoir.brands.models import Brand
from comptoir.brands.services import brand_contact
from comptoir.care.hours import LOCALES, describe_opening_hours, expected_answer_by
from comptoir.care.models import Case, CaseMessage
from comptoir.core.errors import InvalidInput, NotFound, PermissionDenied
from comptoir.notifications.services import notify_email
from comptoir.orders.models import Order

REQUEST_KINDS = ("question", "complaint", "after_sales")
# ALL-SHP-10: lost, damaged, missing-item or wrong-item claims open a case linked to the order.
CLAIM_KINDS = ("lost", "damaged", "missing_item", "wrong_item")
KINDS = REQUEST_KINDS + CLAIM_KINDS
# ALL-CARE-02 "when to expect an answer": no seed gives a delay; assumed two working days of opening hours.
# SCHEMA-GAP for the lead: a `contact.answer_within_opening_hours` policy field would carry it per brand.
ANSWER_WITHIN_OPENING_HOURS = 16


def open_case(brand: Brand, *, customer, email: str, order_number: str | None, kind: str, subject: str,
              message: str, now: datetime, language: str = "en", reported_to_carrier: bool | None = None) -> Case:
    """Open a case from the contact form or a claim (ALL-CARE-02). The order must be the signed-in shopper's,
    or carry the guest's e-mail address; any other number is refused as not found, revealing nothing."""
    policy = brand.policy_object
    if kind not in KINDS:
        raise InvalidInput("invalid_input", fields="kind")
    email = (customer.email if customer is not None else email or "").strip().lower()
    if not email:
        raise InvalidInput("case_email_required")
    order = _order_of_requester(brand, customer, email, order_number) if order_number else None
    if order is None and kind in CLAIM_KINDS:
        raise InvalidInput("claim_needs_order", rule="ALL-SHP-10")
    if order is None and customer is None and not policy.contact.contact_form:
        # AA-CARE-01: without a contact form, a guest's request not about an order goes by e-mail.
        raise PermissionDenied("contact_form_unavailable", rule="AA-CARE-01", email=policy.contact.email)
    expected = expected_answer_by(policy.contact, policy.tz, policy.dispatch.holidays_country, now,
                                  ANSWER_WITHIN_OPENING_HOURS)
    with transaction.atomic():
        case = Case.objects.create(
            brand=brand, order=order, customer=customer if customer is not None else getattr(order, "customer", None),
            email=email, kind=kind, subject=" ".join(subject.split())[:200], created_at=now,
            language=language, expected_answer_by=expected,
            reported_to_carrier=reported_to_carrier if kind == "damaged" else None,
        )
        CaseMessage.objects.create(case=case, author=CaseMessage.CUSTOMER, body=message.strip(), created_at=now)
        notify_email(brand_slug=brand.slug, to=email, template="case_received", language=language,
                     context=_case_context(case, language, message=message.strip()),
                     idempotency_key=f"case:{case.pk}:received", now=now)
    return case


def reply_to_case(case: Case, staff_user, message: str, now: datetime) -> CaseMessage:
    """A staff answer: stored on the case, e-mailed to the shopper, and the case becomes "answered"."""
    body = message.strip()
    if not body:
        raise InvalidInput("invalid_input", fields="message")
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("brand", "order").get(pk=case.pk)
        reply = CaseMessage.objects.create(case=case, author=CaseMessage.STAFF, staff_user=staff_user, body=body,
                                           created_at=now)
        case.status, case.answered_at = Case.ANSWERED, now
        case.save(update_fields=["status", "answered_at"])
        notify_email(brand_slug=case.brand.slug, to=case.email, template="case_reply", language=case.language,
                     context=_case_context(case, case.language, message=body),
                     idempotency_key=f"case:{case.pk}:reply:{reply.pk}", now=now)
    return reply


def shopper_cases(brand: Brand, customer) -> list[Case]:
    """The shopper's cases, newest first, with their messages (two queries)."""
    return list(Case.objects.filter(brand=brand, customer=customer).select_related("brand", "order")
                .prefetch_related("messages").order_by("-created_at")[:100])


def shopper_case(case_id: int) -> Case:
    """One case with its order and messages, to show after it was opened or answered."""
    return Case.objects.select_related("brand", "order").prefetch_related("messages").get(pk=case_id)


def staff_cases(brand: Brand, *, status: str | None, offset: int, limit: int) -> tuple[int, list[Case]]:
    cases = Case.objects.filter(brand=brand)
    if status:
        cases = cases.filter(status=status)
    page = cases.select_related("brand", "order").prefetch_related("messages").order_by("created_at")
    return cases.count(), list(page[offset : offset + limit])


def staff_case(brand: Brand, case_id: int) -> Case:
    case = Case.objects.filter(brand=brand, pk=case_id).select_related("brand", "order").first()
    if case is None:
        raise NotFound("not_found", thing="case")
    return case


def _order_of_requester(brand: Brand, customer, email: str, number: str) -> Order:
    order = Order.objects.filter(brand=brand, number=number.strip().upper()).first()
    if order is not None:
        if customer is not None and order.customer_id == customer.id:
            return order
        if customer is None and order.email.lower() == email:
            return order
    raise NotFound("not_found", thing="order")


def _case_context(case: Case, language: str, *, message: str) -> dict:
    policy = case.brand.policy_object
    expected = ""
    if case.expected_answer_by is not None:
        expected = format_datetime(case.expected_answer_by, format="EEEE d MMMM, HH:mm", tzinfo=policy.tz,
                                   locale=LOCALES[language])
    return {
        "brand": brand_contact(case.brand),
        "case": {"reference": f"#{case.pk}", "subject": case.subject, "kind": case.kind, "message": message,
                 "expected_answer_by": expected,
                 "opening_hours": describe_opening_hours(policy.contact, policy.timezone, language),
                 # AA-SHP-08: damage must be reported to the carrier on receipt for a claim to be accepted.
                 "damage_reminder": case.kind == "damaged", "reported_to_carrier": case.reported_to_carrier},
        "order": {"number": case.order.number} if case.order_id else {},
    }
