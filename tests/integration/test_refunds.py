"""The refund engine against the database: orders placed through the API at Almé, refunded by
`issue_refund` as the returns flow will call it (OG-RFD-01, AL-RFD-01..05, ALL-RFD-06)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from comptoir.brands.models import Brand
from comptoir.care.models import Case
from comptoir.core.errors import Conflict, InvalidInput
from comptoir.giftcards import services as giftcards
from comptoir.giftcards.models import StoredValueCard
from comptoir.invoices import services as invoices
from comptoir.notifications.models import OutboxMessage
from comptoir.notifications.services import render_email
from comptoir.orders.models import Order
from comptoir.payments import services as payments
from comptoir.payments.models import Payment, PaymentEntry, ScheduledCharge
from comptoir.psp_sandbox.models import SandboxOperation
from comptoir.refunds.models import Refund
from comptoir.payouts.services import record_payout_sent
from comptoir.refunds.services import issue_refund, preview_refund
from factories import VISA, cart, checkout, staff
from factories import order as order_via_api

PARIS_TZ = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)
LATER = NOW + timedelta(days=12)  # the return has been received and inspected
DRESS, TEE = "AL-DRESS-BLK-S", "AL-TEE-WHT-S"  # €149.00, €45.00 ; shipping €5.90


def gift_card(amount_minor: int, kind: str = "gift_card") -> str:
    _, code = giftcards.issue_card(
        Brand.objects.get(slug="alme"), kind=kind, amount_minor=amount_minor, recipient_email="gift@example.com",
        language="en", source_order=None, idempotency_key=f"test-{kind}-{amount_minor}", now=NOW,
    )
    return code


def place(api, lines, *, codes=(), card=VISA, payment_method="card", language="en") -> Order:
    placed = checkout(api, "alme", cart(api, "alme", lines, now=NOW), now=NOW, method="colissimo_home",
                      codes=list(codes), card=card, payment_method=payment_method, language=language,
                      email="camille@example.com")
    assert placed.status == 201, placed
    return Order.objects.get(number=placed["number"])


def line_id(order: Order, sku: str) -> int:
    return order.lines.get(sku=sku).pk


def refund(order, items, *, choice="original", key="r1", now=LATER, **kw):
    return issue_refund(order, items=items, choice=choice, reason="return", return_reference="RET-1",
                        idempotency_key=f"{order.number}:{key}", now=now, **kw)


def tender(order, method) -> Payment:
    return Payment.objects.get(order=order, method=method)


def refunded(payment) -> int:
    return payments.balance(payment).refunded_minor


def card_balance(code: str) -> int:
    return giftcards.find_card(Brand.objects.get(slug="alme"), code).balance_minor


def refund_email(order) -> OutboxMessage:
    return OutboxMessage.objects.get(template="refund_issued", recipient=order.email)


def test_OG_RFD_01_a_card_order_returned_whole_is_refunded_to_the_card_shipping_included(api):
    order = place(api, [(DRESS, 1)])
    done = refund(order, [(line_id(order, DRESS), 1)])
    assert (done.amount_minor, done.shipping_minor, done.status) == (15490, 590, "completed")
    assert [(p.destination, p.amount_minor, p.status) for p in done.parts.all()] == [("original", 15490, "completed")]
    card = tender(order, "card")
    assert refunded(card) == 15490
    card.refresh_from_db()
    assert card.status == "refunded"
    mail = render_email("refund_issued", "en", refund_email(order).context)
    assert "Refunded to your card ending 4242: €154.90" in mail.text
    assert "visible within 3 working days" in mail.text


def test_OG_RFD_01_shipping_is_refunded_only_when_the_whole_order_has_come_back(api):
    order = place(api, [(DRESS, 1), (TEE, 1)])
    first = refund(order, [(line_id(order, DRESS), 1)], key="dress")
    assert (first.amount_minor, first.shipping_minor) == (14900, 0)
    second = refund(order, [(line_id(order, TEE), 1)], key="tee")
    assert (second.amount_minor, second.shipping_minor) == (4500 + 590, 590)
    assert refunded(tender(order, "card")) == order.total_minor


def test_AL_RFD_03_gift_card_and_card_credit_the_gift_card_first_and_create_no_new_card(api):
    code = gift_card(5000)
    order = place(api, [(DRESS, 1), (TEE, 1)], codes=[code])
    cards_before = StoredValueCard.objects.count()
    done = refund(order, [(line_id(order, DRESS), 1)])
    assert [(p.destination, p.payment.method, p.amount_minor) for p in done.parts.all()] == [
        ("same_card", "gift_card", 5000), ("original", "card", 9900)]
    assert card_balance(code) == 5000
    assert refunded(tender(order, "card")) == 9900
    assert StoredValueCard.objects.count() == cards_before
    text = render_email("refund_issued", "en", refund_email(order).context).text
    assert "Credited back to your gift card ending" in text and "€50.00" in text and "€99.00" in text


def test_AL_RFD_02_gift_card_only_order_refunded_to_the_original_method_credits_the_same_card(api):
    code = gift_card(20000)
    order = place(api, [(DRESS, 1)], codes=[code], card=None, payment_method=None)
    assert card_balance(code) == 20000 - 15490
    done = refund(order, [(line_id(order, DRESS), 1)])
    assert [(p.destination, p.amount_minor) for p in done.parts.all()] == [("same_card", 15490)]
    assert card_balance(code) == 20000
    text = render_email("refund_issued", "en", refund_email(order).context).text
    assert "visible within" not in text  # nothing goes to a bank


def test_AL_RFD_02_gift_card_only_order_refunded_as_a_credit_note_gets_a_new_gift_card_valid_one_year(api):
    code = gift_card(20000)
    order = place(api, [(DRESS, 1)], codes=[code], card=None, payment_method=None)
    done = refund(order, [(line_id(order, DRESS), 1)], choice="credit_note")
    new = StoredValueCard.objects.get(source_order=order)
    assert (new.kind, new.initial_minor, new.balance_minor, new.recipient_email) == (
        "gift_card", 15490, 15490, "camille@example.com")
    assert new.expires_at == datetime(2027, 12, 6, tzinfo=PARIS_TZ)  # all of 5 Dec 2027: one year after 5 Dec 2026
    assert card_balance(code) == 20000 - 15490  # the card that paid is not credited
    assert [(p.destination, p.psp_reference) for p in done.parts.all()] == [("new_credit_note", f"card:{new.pk}")]
    assert OutboxMessage.objects.filter(template="gift_card_issued", recipient="camille@example.com").count() == 1


def test_AL_RFD_01_a_credit_note_is_issued_valid_365_days_and_its_code_e_mailed(api):
    order = place(api, [(DRESS, 1), (TEE, 1)], language="fr")
    done = refund(order, [(line_id(order, DRESS), 1)], choice="credit_note")
    note = StoredValueCard.objects.get(source_order=order)
    assert (note.kind, note.initial_minor, note.language) == ("credit_note", 14900, "fr")
    assert note.expires_at == datetime(2027, 12, 6, tzinfo=PARIS_TZ)  # issued 5 Dec 2026: valid 1 year
    assert refunded(tender(order, "card")) == 14900  # the card's value went into the credit note…
    assert not SandboxOperation.objects.filter(kind="refund").exists()  # …not back to the bank
    assert [p.destination for p in done.parts.all()] == ["new_credit_note"]
    code_mail = OutboxMessage.objects.get(template="gift_card_issued", recipient=order.email)
    assert code_mail.language == "fr" and code_mail.context["card"]["code"]
    text = render_email("refund_issued", "fr", refund_email(order).context).text
    assert "nouvel avoir" in text and "149,00" in text


def test_AL_RFD_04_a_return_smaller_than_what_is_owed_readjusts_the_instalments(api):
    order = place(api, [("AL-JEAN-BLU-38", 1), ("AL-JEAN-BLU-36", 1)], payment_method="instalments_3")
    plan = tender(order, "instalments_3")
    owed = sum(ScheduledCharge.objects.filter(payment=plan, status="scheduled").values_list("amount_minor", flat=True))
    jean = order.lines.get(sku="AL-JEAN-BLU-38")
    done = refund(order, [(jean.pk, 1)])
    assert [(p.destination, p.amount_minor) for p in done.parts.all()] == [("cancel_scheduled", jean.total_minor)]
    assert sum(ScheduledCharge.objects.filter(payment=plan, status="scheduled")
               .values_list("amount_minor", flat=True)) == owed - jean.total_minor
    assert refunded(plan) == 0


def test_AL_RFD_04_a_full_return_cancels_the_future_instalments_and_refunds_the_one_paid(api):
    order = place(api, [("AL-JEAN-BLU-38", 1), ("AL-JEAN-BLU-36", 1)], payment_method="instalments_3")
    plan = tender(order, "instalments_3")
    paid = payments.balance(plan).captured_minor
    done = refund(order, [(line.pk, 1) for line in order.lines.all()])
    assert done.amount_minor == order.total_minor
    assert {p.destination: p.amount_minor for p in done.parts.all()} == {
        "cancel_scheduled": order.total_minor - paid, "original": paid}
    assert not ScheduledCharge.objects.filter(payment=plan, status="scheduled").exists()
    assert refunded(plan) == paid


def test_AL_RFD_05_a_return_before_the_deferred_deadline_is_never_charged(api):
    order = place(api, [(DRESS, 1)], payment_method="deferred_30")
    done = refund(order, [(line_id(order, DRESS), 1)])
    assert [(p.destination, p.amount_minor) for p in done.parts.all()] == [("cancel_scheduled", 15490)]
    assert list(ScheduledCharge.objects.filter(payment__order=order).values_list("status", "amount_minor")) == [
        ("cancelled", 0)]
    assert not SandboxOperation.objects.filter(kind="refund").exists()


def test_ALL_RFD_06_the_same_key_twice_moves_nothing_the_second_time(api):
    code = gift_card(5000)
    order = place(api, [(DRESS, 1)], codes=[code])
    first = refund(order, [(line_id(order, DRESS), 1)])
    counts = (PaymentEntry.objects.count(), SandboxOperation.objects.count(), OutboxMessage.objects.count())
    again = refund(order, [(line_id(order, DRESS), 1)])
    assert again.pk == first.pk
    assert (PaymentEntry.objects.count(), SandboxOperation.objects.count(), OutboxMessage.objects.count()) == counts
    assert card_balance(code) == 5000
    assert Refund.objects.filter(order=order).count() == 1
    with pytest.raises(Conflict) as reused:  # the key names that refund, not another one
        refund(order, [(line_id(order, DRESS), 1)], choice="credit_note")
    assert reused.value.code == "idempotency_key_reused"


def test_ALL_RFD_06_the_same_items_cannot_be_refunded_twice_under_another_key(api):
    order = place(api, [(DRESS, 1)])
    refund(order, [(line_id(order, DRESS), 1)], key="first")
    with pytest.raises(Conflict) as refused:
        refund(order, [(line_id(order, DRESS), 1)], key="second")
    assert (refused.value.code, refused.value.status, refused.value.rule) == (
        "refund_quantity_exceeds_ordered", 409, "ALL-RFD-06")
    assert refunded(tender(order, "card")) == 15490


def test_ALL_RFD_06_refunding_more_than_remains_paid_is_refused_with_409_and_moves_nothing(api):
    order = place(api, [(DRESS, 1), (TEE, 1)])
    card = tender(order, "card")
    with transaction.atomic():  # a goodwill refund of the whole card payment, outside any return
        payments.release(card, reason="goodwill", now=NOW)
    entries = PaymentEntry.objects.count()
    with pytest.raises(Conflict) as refused:
        refund(order, [(line_id(order, TEE), 1)])
    assert (refused.value.code, refused.value.status, refused.value.rule) == ("refund_exceeds_paid", 409, "ALL-RFD-06")
    assert "€45.00" in refused.value.message("en") and "€0.00" in refused.value.message("en")
    assert PaymentEntry.objects.count() == entries
    assert not Refund.objects.filter(order=order).exists()
    assert not OutboxMessage.objects.filter(template="refund_issued").exists()


def test_a_refund_of_nothing_or_of_a_line_of_another_order_is_refused(api):
    order = place(api, [(DRESS, 1)])
    other = place(api, [(TEE, 1)])
    with pytest.raises(InvalidInput) as nothing:
        refund(order, [], key="nothing")
    assert nothing.value.code == "nothing_to_refund"
    with pytest.raises(InvalidInput) as foreign:
        refund(order, [(line_id(other, TEE), 1)], key="foreign")
    assert foreign.value.code == "refund_line_not_in_order"


@pytest.mark.parametrize("choice", ["original", "credit_note"])
def test_the_preview_shows_exactly_what_issue_refund_then_does(api, choice):
    code = gift_card(5000)
    order = place(api, [(DRESS, 1), (TEE, 2)], codes=[code])
    items = [(line_id(order, DRESS), 1), (line_id(order, TEE), 1)]
    preview = preview_refund(order, items=items, choice=choice, now=LATER)
    assert not Refund.objects.exists()
    done = refund(order, items, choice=choice)
    assert preview.amount_minor == done.amount_minor == 14900 + 4500
    assert [(p.payment_id, p.destination, p.amount_minor) for p in preview.parts] == [
        (p.payment_id, p.destination, p.amount_minor) for p in done.parts.all()]
    assert preview.totals == ({"same_card": 5000, "original": 14400} if choice == "original"
                              else {"new_credit_note": 19400})


def test_OG_ORD_06_a_refund_of_an_invoiced_order_issues_a_credit_note_invoice(api):
    order = place(api, [(DRESS, 1), (TEE, 1)])
    invoices.issue_invoice(order, now=NOW)
    refund(order, [(line_id(order, TEE), 1)])
    [note] = invoices.credit_notes_for_order(order)
    assert note.total_minor == -4500


def test_AA_PAY_03_money_received_by_transfer_goes_back_by_a_transfer_staff_send(api):
    team = staff(api, "audrey-alexandre", now=NOW)
    placed = order_via_api(api, "audrey-alexandre", [("AA-TOTE-BLK-S", 1)], now=NOW, method="chrono_13",
                           payment_method="bank_transfer", card=None)
    assert placed.status == 201, placed
    order = Order.objects.get(number=placed["number"])
    received = api.post(f"/staff/brands/audrey-alexandre/orders/{order.number}/transfers", {
        "amount_minor": order.total_minor, "reference": order.number, "received_on": "2026-11-24"},
        token=team, now=NOW, key="transfer-1")
    assert received.status == 201, received
    done = refund(order, [(order.lines.get().pk, 1)])
    [part] = done.parts.all()
    assert (done.status, part.destination, part.status) == ("pending", "bank_transfer_back", "pending")
    assert Case.objects.get(pk=part.detail["case_id"]).kind == "transfer_refund_due"
    record_payout_sent(part.payout, bank_reference="VIR-123", sent_on=LATER.date(), actor="staff:test", now=LATER)
    done.refresh_from_db()
    assert done.status == "completed"
    assert refunded(tender(order, "bank_transfer")) == done.amount_minor
