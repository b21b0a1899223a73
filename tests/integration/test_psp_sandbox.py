"""The sandbox PSP behaves like a real one: test cards, challenges, captures, refunds, idempotency, webhooks."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.payments.gateway import CardDetails, GatewayError, card_network_of, get_gateway, luhn_valid
from comptoir.psp_sandbox.models import SandboxOperation, SandboxTransaction, SandboxWebhookEvent
from comptoir.psp_sandbox.webhooks import (
    event_body,
    mark_delivered,
    pending_events,
    sign,
    signed_delivery,
    verify,
)

NOW = datetime(2026, 11, 21, 10, tzinfo=timezone.utc)
SECRET = "test-webhook-secret"
VISA = "4242 4242 4242 4242"
CHALLENGE_CARD = "4000 0000 0000 3220"


def card(number: str = VISA, *, month: int = 12, year: int = 2030, cvc: str = "123") -> CardDetails:
    return CardDetails(number=number, expiry_month=month, expiry_year=year, cvc=cvc, holder="Ada Lovelace")


def key() -> str:
    return f"key-{uuid.uuid4()}"


def authorise(number: str = VISA, *, amount_minor: int = 10_000, capture: bool = False,
              three_d_secure: str = "when_issuer_asks", idempotency_key: str | None = None, **card_fields):
    return get_gateway().authorise(
        amount_minor=amount_minor, currency="EUR", method="card", card=card(number, **card_fields),
        capture=capture, three_d_secure=three_d_secure, idempotency_key=idempotency_key or key(),
        reference="order-1", now=NOW,
    )


def paypal(*, capture: bool):
    return get_gateway().authorise(
        amount_minor=5_000, currency="EUR", method="paypal", card=None, capture=capture,
        three_d_secure="when_issuer_asks", idempotency_key=key(), reference="order-2", now=NOW,
    )


def capture(psp_reference: str, amount_minor: int, idempotency_key: str | None = None):
    return get_gateway().capture(
        psp_reference=psp_reference, amount_minor=amount_minor, idempotency_key=idempotency_key or key(), now=NOW
    )


def refund(psp_reference: str, amount_minor: int):
    return get_gateway().refund(psp_reference=psp_reference, amount_minor=amount_minor, idempotency_key=key(), now=NOW)


def stored(psp_reference: str) -> SandboxTransaction:
    return SandboxTransaction.objects.get(psp_reference=psp_reference)


def event_types(psp_reference: str) -> list[str]:
    return list(stored(psp_reference).webhook_events.order_by("id").values_list("type", flat=True))


# Card numbers and networks


def test_luhn_accepts_the_test_cards_and_refuses_a_typo():
    assert luhn_valid(VISA) and luhn_valid("3782 822463 10005") and luhn_valid("4100000000000019")
    assert not luhn_valid("4242 4242 4242 4241")
    assert not luhn_valid("4242 abcd 4242 4242")


@pytest.mark.parametrize(
    ("number", "network"),
    [(VISA, "visa"), ("5555555555554444", "mastercard"), ("2223003122003222", "mastercard"),
     ("378282246310005", "amex"), ("341111111111111", "amex"), ("6011111111111117", None)],
)
def test_card_network_is_read_from_the_prefix(number, network):
    assert card_network_of(number) == network


# Test cards


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "cvc", "network", "last4"),
    [(VISA, "123", "visa", "4242"), ("5555 5555 5555 4444", "123", "mastercard", "4444"),
     ("3782 822463 10005", "1234", "amex", "0005")],
)
def test_success_cards_are_authorised_without_capture(number, cvc, network, last4):
    result = authorise(number, cvc=cvc)

    assert (result.status, result.amount_minor, result.card_network, result.card_last4) == (
        "authorised", 10_000, network, last4)
    payment = stored(result.psp_reference)
    assert (payment.status, payment.amount_authorised_minor, payment.amount_captured_minor) == ("authorised", 10_000, 0)
    assert result.psp_reference.startswith("psp_") and len(result.psp_reference) == 28


@pytest.mark.django_db
def test_a_sale_authorises_and_captures_at_once():
    result = authorise(capture=True)

    assert (result.status, result.amount_minor) == ("captured", 10_000)
    payment = stored(result.psp_reference)
    assert (payment.status, payment.amount_authorised_minor, payment.amount_captured_minor) == ("captured", 10_000, 10_000)
    assert event_types(result.psp_reference) == ["payment.authorised", "payment.captured"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "code"),
    [("4000 0000 0000 0002", "card_declined"), ("4000 0000 0000 9995", "insufficient_funds"),
     ("4000 0000 0000 0069", "expired_card"), ("4000 0000 0000 0127", "incorrect_cvc"),
     ("4000 0000 0000 0119", "processing_error"), ("4100 0000 0000 0019", "suspected_fraud"),
     ("4242 4242 4242 4241", "incorrect_number"), ("6011 1111 1111 1117", "card_not_supported")],
)
def test_refusing_cards_are_refused_with_their_code(number, code):
    result = authorise(number, capture=True)

    assert (result.status, result.refusal_code, result.amount_minor) == ("refused", code, 10_000)
    payment = stored(result.psp_reference)
    assert (payment.status, payment.amount_authorised_minor, payment.amount_captured_minor) == ("refused", 0, 0)
    assert event_types(result.psp_reference) == ["payment.refused"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("card_fields", "code"),
    [({"month": 10, "year": 2026}, "expired_card"), ({"month": 13, "year": 2030}, "invalid_expiry"),
     ({"month": 12, "year": 2050}, "invalid_expiry"), ({"cvc": "12"}, "incorrect_cvc"), ({"cvc": "1234"}, "incorrect_cvc"), ({"cvc": "12a"}, "incorrect_cvc")],
)
def test_a_malformed_card_is_refused(card_fields, code):
    assert authorise(**card_fields).refusal_code == code


@pytest.mark.django_db
def test_a_card_expiring_this_month_is_still_valid_and_two_digit_years_count():
    assert authorise(month=11, year=2026).status == "authorised"
    assert authorise(month=11, year=26).status == "authorised"


@pytest.mark.django_db
def test_amex_wants_a_four_digit_cvc():
    assert authorise("3782 822463 10005", cvc="123").refusal_code == "incorrect_cvc"


@pytest.mark.django_db
@pytest.mark.parametrize("amount_minor", [0, -100, 10.5, True])
def test_a_non_positive_or_non_integer_amount_is_a_malformed_call(amount_minor):
    with pytest.raises(GatewayError) as error:
        authorise(amount_minor=amount_minor)
    assert error.value.code == "invalid_amount"
    assert SandboxTransaction.objects.count() == 0


@pytest.mark.django_db
def test_the_full_card_number_and_cvc_are_never_stored():
    authorise(cvc="987", capture=True)

    rows = [*SandboxTransaction.objects.values(), *SandboxOperation.objects.values(),
            *SandboxWebhookEvent.objects.values()]
    dumped = json.dumps(rows, default=str)
    assert "4242424242424242" not in dumped and "cvc" not in dumped and "Lovelace" not in dumped
    assert "987" not in [str(value) for row in rows for value in row.values()]


# 3-D Secure


@pytest.mark.django_db
def test_the_challenge_card_asks_for_3ds_and_the_right_code_authorises():
    started = authorise(CHALLENGE_CARD, capture=True)
    assert started.status == "requires_action"
    assert started.challenge["type"] == "3ds" and started.challenge["hint"] == "enter 123456"
    assert stored(started.psp_reference).amount_authorised_minor == 0

    result = get_gateway().complete_challenge(
        psp_reference=started.psp_reference, answer="123456", idempotency_key=key(), now=NOW)

    assert (result.status, result.amount_minor) == ("captured", 10_000)
    assert stored(started.psp_reference).amount_captured_minor == 10_000
    assert event_types(started.psp_reference) == ["payment.requires_action", "payment.authorised", "payment.captured"]


@pytest.mark.django_db
def test_a_wrong_3ds_code_is_refused_and_cannot_be_retried():
    started = authorise(CHALLENGE_CARD)

    result = get_gateway().complete_challenge(
        psp_reference=started.psp_reference, answer="000000", idempotency_key=key(), now=NOW)

    assert (result.status, result.refusal_code) == ("refused", "authentication_failed")
    assert stored(started.psp_reference).amount_authorised_minor == 0
    with pytest.raises(GatewayError) as error:
        get_gateway().complete_challenge(
            psp_reference=started.psp_reference, answer="123456", idempotency_key=key(), now=NOW)
    assert error.value.code == "illegal_operation"


@pytest.mark.django_db
def test_three_d_secure_always_challenges_even_a_frictionless_card():
    started = authorise(VISA, three_d_secure="always")
    assert started.status == "requires_action" and started.challenge["type"] == "3ds"


# PayPal


@pytest.mark.django_db
def test_paypal_approve_authorises_and_captures_a_sale():
    started = paypal(capture=True)
    assert started.status == "requires_action"
    assert started.challenge["type"] == "redirect" and started.challenge["redirect_url"].startswith("https://")

    result = get_gateway().complete_challenge(
        psp_reference=started.psp_reference, answer="approve", idempotency_key=key(), now=NOW)

    assert (result.status, result.amount_minor, result.card_network) == ("captured", 5_000, None)
    assert stored(started.psp_reference).status == "captured"


@pytest.mark.django_db
def test_paypal_cancel_refuses_the_payment():
    started = paypal(capture=False)

    result = get_gateway().complete_challenge(
        psp_reference=started.psp_reference, answer="cancel", idempotency_key=key(), now=NOW)

    assert (result.status, result.refusal_code) == ("refused", "payment_cancelled")
    assert stored(started.psp_reference).status == "refused"


# Registered cards (card on file)


def register(number: str = VISA, **card_fields):
    return get_gateway().register_card(
        card=card(number, **card_fields), currency="EUR", idempotency_key=key(), reference="order-3", now=NOW)


def charge(card_token: str, *, amount_minor: int = 7_000, capture: bool = False, now: datetime = NOW):
    return get_gateway().authorise_registered(
        card_token=card_token, amount_minor=amount_minor, currency="EUR", capture=capture,
        idempotency_key=key(), reference="order-3", now=now)


@pytest.mark.django_db
def test_a_registered_card_is_charged_later_without_the_shopper():
    registered = register()
    assert (registered.status, registered.amount_minor, registered.card_last4) == ("card_registered", 0, "4242")

    result = charge(registered.psp_reference, now=NOW + timedelta(days=30))

    assert (result.status, result.amount_minor, result.card_network) == ("authorised", 7_000, "visa")
    assert result.psp_reference != registered.psp_reference
    assert stored(result.psp_reference).registered_card == stored(registered.psp_reference)
    assert capture(result.psp_reference, 7_000).status == "captured"
    assert event_types(registered.psp_reference) == ["card.registered"]


@pytest.mark.django_db
def test_registering_the_challenge_card_asks_3ds_once_then_charges_are_frictionless():
    started = register(CHALLENGE_CARD)
    assert started.status == "requires_action"

    registered = get_gateway().complete_challenge(
        psp_reference=started.psp_reference, answer="123456", idempotency_key=key(), now=NOW)

    assert (registered.status, registered.psp_reference) == ("card_registered", started.psp_reference)
    assert charge(registered.psp_reference, capture=True).status == "captured"


@pytest.mark.django_db
def test_a_declined_card_cannot_be_registered_and_a_0341_card_fails_only_when_charged():
    assert register("4000 0000 0000 0002").refusal_code == "card_declined"
    assert authorise("4000 0000 0000 0341").refusal_code == "card_declined"
    registered = register("4000 0000 0000 0341")
    assert registered.status == "card_registered"

    assert charge(registered.psp_reference).refusal_code == "card_declined"


@pytest.mark.django_db
def test_a_registered_card_that_has_since_expired_is_refused():
    registered = register(month=11, year=2026)

    assert charge(registered.psp_reference, now=NOW + timedelta(days=10)).refusal_code == "expired_card"


@pytest.mark.django_db
def test_a_card_token_is_not_a_payment_and_an_unknown_token_is_a_malformed_call():
    token = register().psp_reference
    for call, code in ((lambda: charge("psp_nope"), "unknown_card_token"),
                       (lambda: capture(token, 100), "illegal_operation")):
        with pytest.raises(GatewayError) as error:
            call()
        assert error.value.code == code


# Captures, refunds, void


@pytest.mark.django_db
def test_partial_captures_up_to_the_authorised_amount_then_refusal():
    reference = authorise(amount_minor=10_000).psp_reference

    assert capture(reference, 4_000).status == "captured"
    assert stored(reference).status == "partially_captured"
    assert (capture(reference, 6_000).status, stored(reference).status) == ("captured", "captured")
    refused = capture(reference, 1)

    assert (refused.status, refused.refusal_code, refused.amount_minor) == ("refused", "capture_exceeds_authorised", 1)
    payment = stored(reference)
    assert (payment.amount_captured_minor, payment.status) == (10_000, "captured")
    assert event_types(reference) == ["payment.authorised", "payment.captured", "payment.captured"]


@pytest.mark.django_db
def test_a_capture_beyond_what_remains_changes_nothing():
    reference = authorise(amount_minor=10_000).psp_reference
    capture(reference, 7_000)

    assert capture(reference, 3_001).refusal_code == "capture_exceeds_authorised"
    assert stored(reference).amount_captured_minor == 7_000


@pytest.mark.django_db
def test_partial_refunds_then_refund_exceeds_captured():
    reference = authorise(amount_minor=10_000, capture=True).psp_reference

    assert (refund(reference, 3_000).status, stored(reference).status) == ("refunded", "partially_refunded")
    assert (refund(reference, 7_000).status, stored(reference).status) == ("refunded", "refunded")
    refused = refund(reference, 1)

    assert (refused.status, refused.refusal_code) == ("refused", "refund_exceeds_captured")
    assert stored(reference).amount_refunded_minor == 10_000


@pytest.mark.django_db
def test_a_refund_is_limited_to_what_was_captured_not_authorised():
    reference = authorise(amount_minor=10_000).psp_reference
    capture(reference, 2_000)

    assert refund(reference, 2_001).refusal_code == "refund_exceeds_captured"
    assert refund(reference, 2_000).status == "refunded"
    assert capture(reference, 8_000).status == "captured"  # the rest of the authorisation remains


@pytest.mark.django_db
def test_void_releases_an_uncaptured_authorisation():
    reference = authorise(amount_minor=10_000).psp_reference

    result = get_gateway().void(psp_reference=reference, idempotency_key=key(), now=NOW)

    assert (result.status, result.amount_minor) == ("voided", 10_000)
    assert stored(reference).status == "voided"
    assert event_types(reference) == ["payment.authorised", "payment.voided"]
    with pytest.raises(GatewayError) as error:
        capture(reference, 100)
    assert error.value.code == "illegal_operation"


@pytest.mark.django_db
def test_illegal_operations_and_unknown_references_are_malformed_calls():
    captured = authorise(capture=True).psp_reference
    authorised = authorise().psp_reference
    cases = [
        (lambda: get_gateway().void(psp_reference=captured, idempotency_key=key(), now=NOW), "illegal_operation"),
        (lambda: refund(authorised, 100), "illegal_operation"),
        (lambda: capture("psp_nope", 100), "unknown_reference"),
        (lambda: capture(authorised, 0), "invalid_amount"),
    ]
    for call, code in cases:
        with pytest.raises(GatewayError) as error:
            call()
        assert error.value.code == code
    assert stored(authorised).operations.count() == 1


# Idempotency


@pytest.mark.django_db
def test_an_idempotent_replay_returns_the_same_result_and_moves_nothing():
    same_key = key()
    first = authorise(idempotency_key=same_key)
    replay = authorise(idempotency_key=same_key)
    assert replay == first
    assert SandboxTransaction.objects.count() == 1

    capture_key = key()
    assert capture(first.psp_reference, 4_000, capture_key) == capture(first.psp_reference, 4_000, capture_key)
    payment = stored(first.psp_reference)
    assert (payment.amount_captured_minor, payment.operations.count()) == (4_000, 2)
    assert event_types(first.psp_reference) == ["payment.authorised", "payment.captured"]


@pytest.mark.django_db
def test_a_key_reused_with_other_parameters_is_refused():
    same_key = key()
    reference = authorise(idempotency_key=same_key).psp_reference
    capture(reference, 1_000, "capture-key")

    for call in (lambda: authorise(amount_minor=10_001, idempotency_key=same_key),
                 lambda: capture(reference, 1_001, "capture-key"),
                 lambda: capture(reference, 1_000, same_key)):
        with pytest.raises(GatewayError) as error:
            call()
        assert error.value.code == "idempotency_key_reused"
    assert stored(reference).amount_captured_minor == 1_000


@pytest.mark.django_db
def test_a_racing_duplicate_rolls_back_and_answers_the_stored_result():
    same_key = key()
    first = authorise(idempotency_key=same_key)

    # A duplicate performs again, then the unique key refuses its operation row: all rolled back.
    assert authorise(idempotency_key=same_key) == first
    assert SandboxTransaction.objects.count() == 1
    assert SandboxWebhookEvent.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_refunding_more_than_captured():
    reference = authorise(capture=True).psp_reference
    with pytest.raises(IntegrityError), transaction.atomic():
        SandboxTransaction.objects.filter(psp_reference=reference).update(amount_refunded_minor=10_001)


# Webhooks


@pytest.mark.django_db
def test_every_state_change_appends_a_pending_event_until_delivered():
    reference = authorise(capture=True).psp_reference
    refund(reference, 500)

    events = pending_events(limit=10)

    assert [event.type for event in events] == ["payment.authorised", "payment.captured", "payment.refunded"]
    body = json.loads(event_body(events[2]))
    assert body["id"] == events[2].event_id and body["type"] == "payment.refunded"
    assert (body["data"]["amount_minor"], body["data"]["amount_refunded_minor"]) == (500, 500)
    assert body["data"]["psp_reference"] == reference and body["created"] == int(NOW.timestamp())
    assert mark_delivered(events[0].event_id, NOW) is True
    assert mark_delivered(events[0].event_id, NOW) is False
    assert [event.type for event in pending_events(limit=1)] == ["payment.captured"]


def test_a_signature_verifies_within_the_tolerance():
    body = b'{"type":"payment.captured"}'
    header = sign(body, SECRET, int(NOW.timestamp()))

    assert header.startswith(f"t={int(NOW.timestamp())},v1=")
    assert verify(body, header, SECRET, NOW + timedelta(seconds=299))


def test_a_tampered_body_a_wrong_secret_or_a_stale_timestamp_is_rejected():
    body = b'{"type":"payment.captured"}'
    header = sign(body, SECRET, int(NOW.timestamp()))

    assert not verify(b'{"type":"payment.refunded"}', header, SECRET, NOW)
    assert not verify(body, header, "another-secret", NOW)
    assert not verify(body, header, SECRET, NOW + timedelta(seconds=301))
    assert not verify(body, "v1=deadbeef", SECRET, NOW)
    assert not verify(body, "", SECRET, NOW)


@pytest.mark.django_db
def test_a_delivery_is_signed_with_the_configured_secret(settings):
    settings.SANDBOX_GATEWAY_SECRET = SECRET
    authorise()

    body, headers = signed_delivery(pending_events(limit=1)[0], NOW)

    assert verify(body, headers["Comptoir-Sandbox-Signature"], SECRET, NOW)


# Invariants

operations = st.lists(st.tuples(st.sampled_from(["capture", "refund"]), st.integers(1, 12_000)), max_size=12)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_amounts_stay_within_each_other_and_equal_the_sum_of_operations(steps):
    reference = authorise(amount_minor=10_000).psp_reference
    expected = {"capture": 0, "refund": 0}

    for kind, amount_minor in steps:
        room = 10_000 - expected["capture"] if kind == "capture" else expected["capture"] - expected["refund"]
        try:
            result = capture(reference, amount_minor) if kind == "capture" else refund(reference, amount_minor)
        except GatewayError as error:  # refunding before any capture
            assert (error.code, kind, expected["capture"]) == ("illegal_operation", "refund", 0)
            continue
        assert (result.status != "refused") == (amount_minor <= room)
        if result.status != "refused":
            expected[kind] += amount_minor

    payment = stored(reference)
    assert 0 <= payment.amount_refunded_minor <= payment.amount_captured_minor <= payment.amount_authorised_minor
    assert (payment.amount_captured_minor, payment.amount_refunded_minor) == (expected["capture"], expected["refund"])
    for kind in ("capture", "refund"):
        moved = sum(payment.operations.filter(kind=kind).values_list("amount_minor", flat=True))
        assert moved == expected[kind]


# Concurrency (real row locks need PostgreSQL: SQLite in memory gives each thread its own database)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_captures_never_exceed_the_authorisation_and_a_shared_key_moves_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    reference = authorise(amount_minor=10_000).psp_reference
    shared_key = key()

    def attempt(index: int):
        try:
            return capture(reference, 2_000, shared_key if index < 4 else None)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(attempt, range(12)))

    shared = results[:4]
    assert all(result == shared[0] for result in shared) and shared[0].status == "captured"
    assert sum(result.status == "captured" for result in results[4:]) == 4
    payment = stored(reference)
    assert payment.amount_captured_minor == 10_000
    assert sum(payment.operations.filter(kind="capture").values_list("amount_minor", flat=True)) == 10_000
