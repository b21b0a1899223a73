"""Scheduled charges against the database: the seam returns use (AL-RFD-04/05), cancellation, and the
sweep's idempotency key per (charge, attempt)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from comptoir.orders.models import OrderEvent
from comptoir.payments.models import Payment, PaymentEntry, ScheduledCharge
from comptoir.payments.schedule import collect_due_charges, reduce_scheduled_charges
from comptoir.psp_sandbox.models import SandboxOperation
from factories import VISA, order, staff, staff_move

PARIS_TZ = ZoneInfo("Europe/Paris")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS_TZ)


def placed_with(api, method, lines=(("AL-JEAN-BLU-38", 1), ("AL-JEAN-BLU-36", 1))):
    placed = order(api, "alme", list(lines), now=MONDAY_10AM, method="colissimo_home", payment_method=method,
                   card=VISA)
    assert placed.status == 201, placed
    return placed, Payment.objects.get(order__number=placed["number"])


def amounts(payment):
    return [(c.sequence, c.amount_minor, c.status) for c in payment.scheduled_charges.order_by("sequence")]


def test_AL_RFD_04_a_smaller_refund_lowers_the_remaining_instalments(api):
    """AL-RFD-04 "a smaller one re-schedules the remaining instalments"."""
    placed, payment = placed_with(api, "instalments_3")  # 7464 paid, 7463 + 7463 scheduled

    with transaction.atomic():
        reduced = reduce_scheduled_charges(payment, 5000, MONDAY_10AM)

    assert reduced == 5000
    assert amounts(payment) == [(1, 7464, "paid"), (2, 4963, "scheduled"), (3, 4963, "scheduled")]
    event = OrderEvent.objects.get(order__number=placed["number"], kind="schedule_reduced")
    assert event.data["old"] == [7463, 7463] and event.data["new"] == [4963, 4963]


def test_AL_RFD_04_a_larger_refund_cancels_the_future_instalments_and_says_how_much_is_left_to_refund(api):
    """AL-RFD-04 "a refund larger than what is still owed re-credits the bank account for the difference"."""
    placed, payment = placed_with(api, "instalments_3")

    with transaction.atomic():
        reduced = reduce_scheduled_charges(payment, 20000, MONDAY_10AM)

    assert reduced == 14926  # the caller refunds the other 5,074 from what was charged
    assert amounts(payment) == [(1, 7464, "paid"), (2, 0, "cancelled"), (3, 0, "cancelled")]
    payment.refresh_from_db()
    assert payment.status == "captured"
    assert collect_due_charges(datetime(2027, 2, 1, tzinfo=PARIS_TZ)) == 0


def test_AL_RFD_05_a_return_before_the_deferred_deadline_is_never_charged(api):
    """AL-RFD-05 "a return received before the 15/30-day deadline is never charged"."""
    placed, payment = placed_with(api, "deferred_15")

    with transaction.atomic():
        reduce_scheduled_charges(payment, 10900, MONDAY_10AM)  # one of the two jeans came back

    collect_due_charges(datetime(2026, 12, 8, 9, 0, tzinfo=PARIS_TZ))
    assert sum(PaymentEntry.objects.filter(payment=payment, kind="capture").values_list("amount_minor", flat=True)) \
        == 22390 - 10900


def test_AL_PAY_01_cancelling_an_instalment_order_refunds_what_was_taken_and_cancels_the_rest(api):
    """AL-PAY-01 with ALL cancellation: nothing more is charged and the first instalment goes back."""
    team = staff(api, "alme", now=MONDAY_10AM)
    placed, payment = placed_with(api, "instalments_3")

    cancelled = staff_move(api, "alme", team, placed["number"], "cancel", now=MONDAY_10AM, body={"reason": "asked"})

    assert cancelled.status == 200, cancelled
    assert amounts(payment)[1:] == [(2, 0, "cancelled"), (3, 0, "cancelled")]
    refunds = PaymentEntry.objects.filter(payment=payment, kind="refund").values_list("amount_minor", flat=True)
    assert list(refunds) == [7464]
    payment.refresh_from_db()
    assert payment.status == "refunded"


def test_AL_PAY_01_a_sweep_replayed_after_a_crash_charges_once(api):
    """AL-PAY-01: the PSP key is (charge, attempt), so a worker dying after the charge replays it."""
    placed, payment = placed_with(api, "instalments_3")
    second = payment.scheduled_charges.get(sequence=2)
    due = datetime(2026, 12, 23, 6, 0, tzinfo=PARIS_TZ)
    from comptoir.payments.gateway import get_gateway
    get_gateway().authorise_registered(  # the charge a crashed worker made before recording it
        card_token=payment.psp_reference, amount_minor=second.amount_minor, currency="EUR", capture=True,
        idempotency_key=f"charge:{second.pk}:1", reference=placed["number"], now=due)

    assert collect_due_charges(due) == 1

    assert SandboxOperation.objects.filter(idempotency_key=f"charge:{second.pk}:1").count() == 1
    assert ScheduledCharge.objects.get(pk=second.pk).status == "paid"
    assert PaymentEntry.objects.filter(payment=payment, kind="capture").count() == 2
