"""Repair use cases (AA-REP-01): the shopper writes first (a care case and a repair request), staff ask for
the item, receive and assess it; a quote is accepted (paid by card through the gateway, 3-D Secure when the
brand asks for it) or declined; the item comes back repaired or as is. One transaction per move, one e-mail
per step; gateway calls happen outside transactions, their outcome recorded after."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction

from comptoir.care.models import Case, CaseMessage
from comptoir.core.images import CheckedImage
from comptoir.core.errors import Conflict, InvalidInput, NotFound, PaymentRefused
from comptoir.payments.gateway import CardDetails, GatewayResult, card_network_of, get_gateway
from comptoir.payments.rules import check_payment_method
from comptoir.repairs import rules, states
from comptoir.repairs.photos import store_photos
from comptoir.repairs.emails import notify_repair
from comptoir.repairs.models import RepairEvent, RepairRequest

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# The e-mail each move sends (AA-REP-01 "You will be sent a quote after we receive your product").
EMAILS = {"ask_for_item": "repair_send_item", "receive": "repair_received", "repair_free": "repair_in_progress",
          "quote": "repair_quote", "accept_quote": "repair_in_progress", "complete": "repair_completed",
          "send_back": "repair_returned"}


def move(repair: RepairRequest, move_name: str, *, actor: str, now: datetime, data: dict | None = None) -> None:
    """One transition, logged, with its e-mail (IllegalTransition → HTTP 409)."""
    old = repair.status
    repair.status = states.next_status(old, move_name)
    RepairEvent.objects.create(repair=repair, kind=move_name, from_status=old, to_status=repair.status, actor=actor,
                               at=now, data=data or {})
    if move_name in EMAILS:
        notify_repair(repair, EMAILS[move_name], now=now)


def _lock(repair_id) -> RepairRequest:
    repair = (RepairRequest.objects.select_for_update(of=("self",))
              .select_related("brand", "order", "order_line").filter(pk=repair_id).first())
    if repair is None:
        raise NotFound("not_found", thing="repair")
    return repair


def request_repair(brand, *, customer, email: str, language: str, order=None, line_id: int | None = None,
                   description: str, photos: list[CheckedImage] = (), actor: str, now: datetime) -> RepairRequest:
    """AA-REP-01 "Please send the customer service department an e-mail before doing so": the request opens a
    care case ("repair") that staff answer with where to send the item; photos of the damage (already checked,
    at most MAX_PHOTOS_PER_REPAIR) are stored with it."""
    policy = brand.policy_object
    rules.check_repairs_offered(policy).enforce()
    rules.check_photo_count(0, len(photos)).enforce(InvalidInput)
    line = None
    if line_id is not None:
        line = order.lines.filter(pk=line_id).first() if order is not None else None
        if line is None:
            raise InvalidInput("line_not_in_order", line=line_id)
    description = " ".join(description.split())
    if not description and line is None:
        raise InvalidInput("repair_description_required", rule="AA-REP-01")
    email = (customer.email if customer is not None else email or (order.email if order else "")).strip().lower()
    if not email:
        raise InvalidInput("invalid_input", fields="email")
    language = language if language in policy.languages else policy.default_language
    number = "REP-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    item = (line.product_name.get("en") or line.sku) if line else description[:80]
    with transaction.atomic():
        case = Case.objects.create(brand=brand, order=order, customer=customer or getattr(order, "customer", None),
                                   email=email, kind="repair", subject=f"Repair {number}: {item}"[:200],
                                   created_at=now, language=language)
        CaseMessage.objects.create(case=case, author=CaseMessage.CUSTOMER, body=description or item, created_at=now)
        repair = RepairRequest.objects.create(
            brand=brand, number=number, customer=customer or getattr(order, "customer", None), email=email,
            language=language, access_token=secrets.token_urlsafe(24), order=order, order_line=line,
            description=description, case=case, currency=policy.currency, requested_at=now,
        )
        stored = store_photos(repair, list(photos), actor=actor, now=now)
        RepairEvent.objects.create(repair=repair, kind="requested", to_status=repair.status, actor=actor, at=now,
                                   data={"case": case.pk, "photos": [row.pk for row in stored]})
        notify_repair(repair, "repair_requested", now=now)
    return repair


def ask_for_item(repair: RepairRequest, *, actor: str, now: datetime) -> RepairRequest:
    """Staff answer the request: send the item, with the repair number in the parcel."""
    return _simple_move(repair, "ask_for_item", actor=actor, now=now)


def receive_item(repair: RepairRequest, *, actor: str, now: datetime) -> RepairRequest:
    with transaction.atomic():
        repair = _lock(repair.pk)
        repair.received_at = now
        move(repair, "receive", actor=actor, now=now)
        repair.save()
    return repair


def assess(repair: RepairRequest, *, assessment: str, quote_minor: int | None, note: str, actor: str,
           now: datetime) -> RepairRequest:
    """Production defect → repaired free; wear or impact → a quote valid `quote_validity_days`; beyond repair →
    sent back as is (AA-REP-01)."""
    rules.check_assessment(assessment, quote_minor).enforce(InvalidInput)
    policy = repair.brand.policy_object
    with transaction.atomic():
        repair = _lock(repair.pk)
        if repair.status != states.RECEIVED:
            raise states.IllegalTransition("repair", repair.status, "assess")
        repair.assessment, repair.assessment_note, repair.assessed_at = assessment, note[:2000], now
        if assessment == "wear_or_impact":
            repair.quote_minor, repair.quote_valid_until = quote_minor, rules.quote_valid_until(policy, now)
        move(repair, rules.ASSESSMENT_MOVES[assessment], actor=actor, now=now,
             data={"assessment": assessment, "quote_minor": quote_minor, "note": note[:2000]})
        repair.save()
    return repair


def accept_quote(repair: RepairRequest, *, card: CardDetails, actor: str, now: datetime) -> RepairRequest:
    """The shopper accepts the quote and pays it by card (3-D Secure as the brand asks: the repair then waits
    for `answer_challenge`); a refusal leaves the quote open (HTTP 402)."""
    policy = repair.brand.policy_object
    if repair.status != states.QUOTED:
        raise states.IllegalTransition("repair", repair.status, "accept_quote")
    rules.check_quote_open(repair.quote_valid_until, now).enforce()
    if repair.payment_status == "requires_action":
        raise Conflict("payment_step_not_pending")
    check_payment_method(policy, "card", card_network_of(card.number)).enforce(InvalidInput)
    result = get_gateway().authorise(
        amount_minor=repair.quote_minor, currency=repair.currency, method="card", card=card, capture=True,
        three_d_secure=policy.payments.three_d_secure, reference=repair.number, now=now,
        idempotency_key=f"repair:{repair.pk}:quote:{repair.payment_attempts + 1}",
    )
    return _record_payment(repair, result, actor=actor, now=now)


def answer_challenge(repair: RepairRequest, *, answer: str, actor: str, now: datetime) -> RepairRequest:
    """The 3-D Secure answer for the quote's payment (AA-PAY-02)."""
    if repair.status != states.QUOTED or repair.payment_status != "requires_action":
        raise Conflict("repair_payment_not_pending", rule="AA-REP-01")
    result = get_gateway().complete_challenge(psp_reference=repair.payment_reference, answer=answer, now=now,
                                              idempotency_key=f"repair:{repair.pk}:challenge:{repair.payment_attempts}")
    return _record_payment(repair, result, actor=actor, now=now)


def _record_payment(repair: RepairRequest, result: GatewayResult, *, actor: str, now: datetime) -> RepairRequest:
    with transaction.atomic():
        repair = _lock(repair.pk)
        if repair.status != states.QUOTED:
            return repair
        if repair.payment_status != "requires_action":
            repair.payment_attempts += 1
        repair.payment_status = result.status
        repair.payment_reference = result.psp_reference or repair.payment_reference
        repair.challenge = result.challenge if result.status == "requires_action" else None
        RepairEvent.objects.create(repair=repair, kind="quote_payment", actor=actor, at=now, data={
            "status": result.status, "amount_minor": result.amount_minor, "psp_reference": result.psp_reference,
            "refusal_code": result.refusal_code or ""})
        if result.status == "captured":
            move(repair, "accept_quote", actor=actor, now=now, data={"amount_minor": result.amount_minor})
        repair.save()
    if result.status == "refused":
        raise PaymentRefused(result.refusal_code or "payment_refused", rule="AA-REP-01")
    return repair


def decline_quote(repair: RepairRequest, *, actor: str, now: datetime) -> RepairRequest:
    """The shopper declines: the item is sent back as is."""
    return _simple_move(repair, "decline_quote", actor=actor, now=now)


def mark_repaired(repair: RepairRequest, *, tracking_number: str, actor: str, now: datetime) -> RepairRequest:
    """The workshop repaired the item and sent it back."""
    with transaction.atomic():
        repair = _lock(repair.pk)
        repair.return_tracking_number, repair.closed_at = tracking_number[:80], now
        move(repair, "complete", actor=actor, now=now, data={"tracking_number": tracking_number[:80]})
        repair.save()
    return repair


def send_back_as_is(repair: RepairRequest, *, tracking_number: str, actor: str, now: datetime) -> RepairRequest:
    """Beyond repair, quote declined, or quote left unanswered past its validity: the item goes back as is."""
    with transaction.atomic():
        repair = _lock(repair.pk)
        if repair.status == states.QUOTED:
            if rules.check_quote_open(repair.quote_valid_until, now):
                raise Conflict("repair_quote_still_valid", rule="AA-REP-01",
                               until=repair.quote_valid_until.date().isoformat())
            move(repair, "expire_quote", actor=actor, now=now)
        repair.return_tracking_number, repair.closed_at = tracking_number[:80], now
        move(repair, "send_back", actor=actor, now=now, data={"tracking_number": tracking_number[:80]})
        repair.save()
    return repair


def _simple_move(repair: RepairRequest, move_name: str, *, actor: str, now: datetime) -> RepairRequest:
    with transaction.atomic():
        repair = _lock(repair.pk)
        move(repair, move_name, actor=actor, now=now)
        repair.save()
    return repair


def shopper_repairs(brand, customer, *, limit: int = 50) -> list[RepairRequest]:
    """The shopper's repairs, newest first (one query)."""
    return list(RepairRequest.objects.filter(brand=brand, customer=customer).select_related("order", "order_line")
                .order_by("-requested_at")[:limit])


def shopper_repair(brand, customer, repair_id) -> RepairRequest | None:
    """One repair of the shopper's, with its photos; None for anyone else's."""
    return (RepairRequest.objects.filter(brand=brand, customer=customer, pk=repair_id)
            .select_related("brand", "order", "order_line").prefetch_related("photos").first())
