"""Transfers staff send back by hand (AA-PAY-03, AL-RET-02): recorded once in the ledger, the case closed with
a note, an order event, the shopper e-mailed in their language; the admin queue and its "Mark as sent"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages

from comptoir.brands.models import Brand
from comptoir.care.models import Case
from comptoir.core.errors import Conflict, InvalidInput
from comptoir.core.money import Money
from comptoir.notifications.models import OutboxMessage
from comptoir.notifications.services import render_email
from comptoir.orders.models import OrderEvent
from comptoir.payments import services as payments
from comptoir.payments.models import Payment, PaymentEntry
from comptoir.payouts.models import CANCELLED_ORDER_TRANSFER, REFUND_TRANSFER_BACK, Payout
from comptoir.payouts.services import record_payout_iban, record_payout_sent, staff_payouts
from comptoir.refunds.models import Refund
from factories import staff_client
from payout_journeys import AA, EXPIRED_AT, cancelled_transfer_payout, refund_transfer_payout

SENT_AT = EXPIRED_AT + timedelta(days=1)
SENT_ON = SENT_AT.date()
IBAN = "FR76 3000 6000 0112 3456 7890 189"
PAYOUTS = "/admin/payouts/payout/"


def send(payout, *, reference="VIR-2026-001", sent_on=SENT_ON, key=None, now=SENT_AT, iban=""):
    return record_payout_sent(payout, bank_reference=reference, sent_on=sent_on, key=key, iban=iban,
                              actor="staff:lea", now=now)


def test_AA_PAY_03_money_received_for_an_expired_order_is_a_pending_transfer_with_its_case(api):
    payout = cancelled_transfer_payout(api)

    assert (payout.kind, payout.status, payout.amount_minor, payout.currency) == (
        CANCELLED_ORDER_TRANSFER, "pending", 3000, "EUR")
    assert (payout.case.kind, payout.case.status) == ("transfer_refund_due", "open")
    assert "€30.00" in payout.case.subject and "IBAN" in payout.case.subject


def test_AA_PAY_03_recording_a_transfer_sent_writes_the_ledger_closes_the_case_logs_and_emails_once(api):
    payout = cancelled_transfer_payout(api)

    outcome = send(payout, iban=IBAN)

    payout.refresh_from_db()
    assert outcome.recorded is True
    assert (payout.status, payout.bank_reference, payout.sent_on, payout.iban) == (
        "sent", "VIR-2026-001", SENT_ON, "FR7630006000011234567890189")
    payment = Payment.objects.get(pk=payout.payment_id)
    assert payments.balance(payment).refunded_minor == 3000
    assert payment.status == "refunded"
    [entry] = PaymentEntry.objects.filter(payment=payment, kind="refund")
    assert (entry.idempotency_key, entry.psp_reference) == (f"payout:{payout.pk}", "VIR-2026-001")
    case = Case.objects.get(pk=payout.case_id)
    assert case.status == "closed"
    assert case.messages.get().body == ("Your refund of €30.00 has been sent by bank transfer on 2 December 2026 "
                                        "(bank reference VIR-2026-001).")
    [event] = OrderEvent.objects.filter(order=payout.order, kind="refund_transfer_sent")
    assert (event.actor, event.data["amount_minor"], event.data["sent_on"]) == ("staff:lea", 3000, "2026-12-02")
    [email] = OutboxMessage.objects.filter(template="payout_sent")
    assert (email.recipient, email.language, email.idempotency_key) == (
        payout.order.email, "en", f"payout:{payout.pk}:sent")


def test_ALL_RFD_06_a_second_record_changes_nothing_and_says_so(api):
    payout = cancelled_transfer_payout(api)
    send(payout)

    with pytest.raises(Conflict) as refused:
        send(payout, reference="VIR-OTHER")

    assert refused.value.code == "payout_already_sent"
    assert refused.value.message("en") == ("This transfer was already recorded as sent on 2026-12-02 with the bank "
                                           "reference VIR-2026-001: nothing was changed.")
    assert PaymentEntry.objects.filter(payment_id=payout.payment_id, kind="refund").count() == 1
    assert OutboxMessage.objects.filter(template="payout_sent").count() == 1
    assert OrderEvent.objects.filter(order=payout.order, kind="refund_transfer_sent").count() == 1
    assert Payout.objects.get(pk=payout.pk).bank_reference == "VIR-2026-001"


def test_ALL_RFD_06_a_replay_of_the_same_key_answers_the_same_and_moves_nothing(api):
    payout = cancelled_transfer_payout(api)
    send(payout, key="k1")

    again = send(payout, key="k1")

    assert again.recorded is False and again.payout.bank_reference == "VIR-2026-001"
    assert PaymentEntry.objects.filter(payment_id=payout.payment_id, kind="refund").count() == 1
    with pytest.raises(Conflict) as reused:
        send(payout, key="k1", reference="VIR-OTHER")
    assert reused.value.code == "idempotency_key_reused"


def test_AA_PAY_03_a_refund_paid_by_transfer_completes_its_part_and_the_refund(api):
    payout = refund_transfer_payout(api)
    part = payout.refund_part
    assert (payout.kind, part.status, part.refund.status) == (REFUND_TRANSFER_BACK, "pending", "pending")
    assert part.detail == {"case_id": payout.case_id, "payout_id": payout.pk}

    send(payout)

    part.refresh_from_db()
    refund = Refund.objects.get(pk=part.refund_id)
    assert (part.status, part.psp_reference, refund.status) == ("completed", "VIR-2026-001", "completed")
    [entry] = PaymentEntry.objects.filter(payment_id=payout.payment_id, kind="refund")
    assert (entry.idempotency_key, entry.amount_minor) == (f"refund:{refund.pk}:{part.position}", payout.amount_minor)


def test_a_date_sent_in_the_future_or_a_blank_reference_is_refused_and_nothing_changes(api):
    payout = cancelled_transfer_payout(api)

    with pytest.raises(InvalidInput) as future:
        send(payout, sent_on=SENT_ON + timedelta(days=1))
    with pytest.raises(InvalidInput) as early:
        send(payout, sent_on=date(2026, 11, 1))
    with pytest.raises(InvalidInput) as blank:
        send(payout, reference="   ")
    with pytest.raises(InvalidInput) as bad_iban:
        send(payout, iban="FR76 3000 6000 0112 3456 7890 180")

    assert [e.value.code for e in (future, early, blank, bad_iban)] == [
        "payout_sent_on_in_future", "payout_sent_on_before_opened", "invalid_input", "iban_invalid"]
    assert Payout.objects.get(pk=payout.pk).status == "pending"
    assert not PaymentEntry.objects.filter(payment_id=payout.payment_id, kind="refund").exists()


def test_a_second_release_of_the_same_payment_opens_no_second_transfer(api):
    payout = cancelled_transfer_payout(api)

    payments.release(Payment.objects.get(pk=payout.payment_id), reason="again", now=SENT_AT)

    assert Payout.objects.filter(order=payout.order).count() == 1
    assert Case.objects.filter(order=payout.order).count() == 1


def test_the_iban_typed_in_is_checked_and_frozen_once_sent(api):
    payout = cancelled_transfer_payout(api)

    with pytest.raises(InvalidInput):
        record_payout_iban(payout, iban="FR00 1234", actor="staff:lea", now=SENT_AT)
    record_payout_iban(payout, iban=IBAN, actor="staff:lea", now=SENT_AT)
    send(payout)

    assert Payout.objects.get(pk=payout.pk).iban == "FR7630006000011234567890189"
    with pytest.raises(Conflict):
        record_payout_iban(payout, iban=IBAN, actor="staff:lea", now=SENT_AT)


@pytest.mark.parametrize("language, subject, sentence", [
    ("en", "Your refund of €30.00 has been sent by bank transfer (order {number})",
     "Your refund of €30.00 for order {number} has been sent by bank transfer on 2 December 2026."),
    ("fr", "Votre remboursement de {amount} a été envoyé par virement (commande {number})",
     "Votre remboursement de {amount} pour la commande n° {number} a été envoyé par virement le 2 décembre 2026."),
])
def test_the_shopper_is_told_in_their_language(api, language, subject, sentence):
    payout = cancelled_transfer_payout(api, language=language)
    send(payout, iban=IBAN)

    email = OutboxMessage.objects.get(template="payout_sent")
    rendered = render_email("payout_sent", email.language, email.context)

    number, amount = payout.order.number, Money(3000, "EUR").format(language)  # "30,00 €" with babel's spaces
    assert email.language == language
    assert rendered.subject.split() == subject.format(number=number, amount=amount).split()
    assert sentence.format(number=number, amount=amount) in rendered.text
    assert ("VIR-2026-001" in rendered.text) and ("0189" in rendered.text)


def test_the_queue_lists_pending_transfers_oldest_first_in_two_queries(api, django_assert_num_queries):
    first, second = cancelled_transfer_payout(api), cancelled_transfer_payout(api)
    send(second)
    brand = Brand.objects.get(slug=AA)

    with django_assert_num_queries(2):
        total, pending = staff_payouts(brand, status="pending", offset=0, limit=50)
        [p.order.number for p in pending]

    assert (total, pending) == (1, [first])


# --- The back office ----------------------------------------------------------------------------------------



def mark(client, payouts, *, now=SENT_AT, **fields):
    data = {"action": "mark_sent", "_selected_action": [str(p.pk) for p in payouts], **fields}
    return client.post(PAYOUTS + "?status__exact=pending", data, HTTP_X_COMPTOIR_NOW=now.isoformat())


def texts(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(response.wsgi_request)]


def test_the_admin_queue_shows_pending_transfers_of_the_staff_members_brands_only(api):
    payout = cancelled_transfer_payout(api)
    lea, other = staff_client(AA, "lea"), staff_client("alme", "zoe")

    opened = lea.get(PAYOUTS, HTTP_X_COMPTOIR_NOW=SENT_AT.isoformat())
    queue = lea.get(PAYOUTS + "?status__exact=pending", HTTP_X_COMPTOIR_NOW=SENT_AT.isoformat())
    elsewhere = other.get(PAYOUTS + "?status__exact=pending", HTTP_X_COMPTOIR_NOW=SENT_AT.isoformat())

    assert opened.status_code == 302 and opened["Location"].endswith("?status__exact=pending")
    assert list(queue.context["cl"].result_list) == [payout]
    page = queue.content.decode()
    assert "€30.00" in page and payout.order.number in page and "1 day" in page
    assert list(elsewhere.context["cl"].result_list) == []
    assert other.get(f"{PAYOUTS}{payout.pk}/change/").status_code in (302, 404)


def test_mark_as_sent_asks_for_the_reference_and_date_then_records_once(api):
    payout = cancelled_transfer_payout(api)
    lea = staff_client(AA, "lea")

    form = mark(lea, [payout])
    assert form.status_code == 200
    page = form.content.decode()
    assert f'name="bank_reference_{payout.pk}"' in page and f'value="{SENT_ON.isoformat()}"' in page
    assert Payout.objects.get(pk=payout.pk).status == "pending"

    fields = {"apply": "mark_sent", f"bank_reference_{payout.pk}": "VIR-ADMIN-1",
              f"sent_on_{payout.pk}": SENT_ON.isoformat(), f"iban_{payout.pk}": IBAN}
    done = mark(lea, [payout], **fields)
    again = mark(lea, [payout], **fields)

    sent = Payout.objects.get(pk=payout.pk)
    assert (sent.status, sent.bank_reference, sent.sent_by) == ("sent", "VIR-ADMIN-1", "staff:lea")
    assert texts(done) == [("success", f"Recorded as sent, case closed and shopper e-mailed: #{payout.pk} €30.00 "
                                       f"to {payout.order.email} (VIR-ADMIN-1).")]
    assert texts(again)[-1:] == [("warning", f"Transfer #{payout.pk} (order {payout.order.number}): This transfer was "
                                        f"already recorded as sent on 2026-12-02 with the bank reference "
                                        f"VIR-ADMIN-1: nothing was changed.")]
    assert PaymentEntry.objects.filter(payment_id=payout.payment_id, kind="refund").count() == 1


def test_mark_as_sent_without_a_reference_is_refused_by_name(api):
    payout = cancelled_transfer_payout(api)
    lea = staff_client(AA, "lea")

    done = mark(lea, [payout], apply="mark_sent", **{f"bank_reference_{payout.pk}": "",
                                                     f"sent_on_{payout.pk}": "not a date"})

    assert texts(done)[0][0] == "error"
    assert Payout.objects.get(pk=payout.pk).status == "pending"


def test_staff_type_in_the_iban_the_shopper_gave(api):
    payout = cancelled_transfer_payout(api)
    lea = staff_client(AA, "lea")
    url = f"{PAYOUTS}{payout.pk}/change/"

    refused = lea.post(url, {"iban": "FR76 0000"}, HTTP_X_COMPTOIR_NOW=SENT_AT.isoformat())
    saved = lea.post(url, {"iban": IBAN}, HTTP_X_COMPTOIR_NOW=SENT_AT.isoformat())

    assert refused.status_code == 200 and "This IBAN is not valid" in refused.content.decode()
    assert saved.status_code == 302
    assert Payout.objects.get(pk=payout.pk).iban == "FR7630006000011234567890189"
