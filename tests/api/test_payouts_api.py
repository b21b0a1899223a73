"""The staff API of transfers to send by hand (AA-PAY-03, AL-RET-02): the queue, and "sent" recorded once
with an Idempotency-Key; typed errors (409 already sent, 404 for another brand's transfer)."""

from __future__ import annotations

from datetime import timedelta

from comptoir.payments.models import PaymentEntry
from factories import staff
from payout_journeys import AA, EXPIRED_AT, cancelled_transfer_payout

NOW = EXPIRED_AT + timedelta(days=3)
BODY = {"bank_reference": "VIR-API-1", "sent_on": "2026-12-03", "iban": "FR7630006000011234567890189"}


def sent(api, team, payout, *, key="sent-1", body=BODY, slug=AA, lang=None):
    return api.post(f"/staff/brands/{slug}/payouts/{payout.pk}/sent", body, token=team, now=NOW, key=key, lang=lang)


def test_the_queue_lists_each_pending_transfer_with_its_beneficiary_amount_and_age(api):
    payout = cancelled_transfer_payout(api)
    team = staff(api, AA, now=NOW)

    page = api.get(f"/staff/brands/{AA}/payouts", token=team, now=NOW, query={"status": "pending"})

    assert page.status == 200, page
    assert page["count"] == 1
    [row] = page["results"]
    assert {key: row[key] for key in ("id", "kind", "status", "amount_minor", "currency", "amount", "order_number",
                                      "age_days", "case_id", "bank_reference", "sent_on")} == {
        "id": payout.pk, "kind": "cancelled_order_transfer", "status": "pending", "amount_minor": 3000,
        "currency": "EUR", "amount": "€30.00", "order_number": payout.order.number, "age_days": 3,
        "case_id": payout.case_id, "bank_reference": "", "sent_on": None}
    assert row["beneficiary"] == {"name": "Camille Martin", "email": payout.order.email, "iban": ""}


def test_recording_sent_answers_the_transfer_and_a_replay_of_the_key_changes_nothing(api):
    payout = cancelled_transfer_payout(api)
    team = staff(api, AA, now=NOW)

    first = sent(api, team, payout)
    replay = sent(api, team, payout)

    assert (first.status, first["recorded"], replay.status, replay["recorded"]) == (200, True, 200, False)
    assert (first["payout"]["status"], first["payout"]["bank_reference"], first["payout"]["sent_on"]) == (
        "sent", "VIR-API-1", "2026-12-03")
    assert first["payout"]["beneficiary"]["iban"] == "FR7630006000011234567890189"
    assert PaymentEntry.objects.filter(payment_id=payout.payment_id, kind="refund").count() == 1
    pending = api.get(f"/staff/brands/{AA}/payouts", token=team, now=NOW, query={"status": "pending"})
    assert pending["count"] == 0


def test_already_sent_answers_409_with_a_clear_message(api):
    payout = cancelled_transfer_payout(api)
    team = staff(api, AA, now=NOW)
    sent(api, team, payout)

    again = sent(api, team, payout, key="sent-2")
    en_francais = sent(api, team, payout, key="sent-3", lang="fr")

    assert (again.status, again["code"], again["rule"]) == (409, "payout_already_sent", "ALL-RFD-06")
    assert again["message"] == ("This transfer was already recorded as sent on 2026-12-03 with the bank reference "
                                "VIR-API-1: nothing was changed.")
    assert en_francais["message"].startswith("Ce virement est déjà enregistré comme envoyé le 2026-12-03")
    reused = sent(api, team, payout, body={**BODY, "bank_reference": "VIR-OTHER"})
    assert (reused.status, reused["code"]) == (409, "idempotency_key_reused")


def test_another_brands_transfer_is_not_found_and_nothing_changes(api):
    payout = cancelled_transfer_payout(api)
    other_team = staff(api, "alme", now=NOW)

    on_their_brand = sent(api, other_team, payout, slug="alme")
    on_this_brand = sent(api, other_team, payout)

    assert (on_their_brand.status, on_their_brand["code"]) == (404, "not_found")
    assert on_this_brand.status == 403
    assert not PaymentEntry.objects.filter(payment_id=payout.payment_id, kind="refund").exists()


def test_invalid_input_is_refused_by_name(api):
    payout = cancelled_transfer_payout(api)
    team = staff(api, AA, now=NOW)

    no_key = api.post(f"/staff/brands/{AA}/payouts/{payout.pk}/sent", BODY, token=team, now=NOW)
    future = sent(api, team, payout, body={**BODY, "sent_on": "2026-12-05"})
    bad_iban = sent(api, team, payout, body={**BODY, "iban": "FR00"})
    no_reference = sent(api, team, payout, body={"sent_on": "2026-12-03"})

    assert (no_key.status, no_key["code"]) == (422, "invalid_idempotency_key")
    assert (future.status, future["code"]) == (422, "payout_sent_on_in_future")
    assert (bad_iban.status, bad_iban["code"]) == (422, "iban_invalid")
    assert (no_reference.status, no_reference["code"]) == (422, "invalid_input")
