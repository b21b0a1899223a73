"""Where a refund goes, and what a return is worth: pure functions, no database (AL-RFD-01..05,
OG-RFD-01, ALL-RFD-06)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comptoir.refunds.allocation import (
    RefundPart, Tender, allocate_refund, new_card_kind, refundable_total, totals_by_destination,
)
from comptoir.refunds.amounts import line_refund, refund_amount


def card(paid, refunded=0):
    return Tender("card", "card", paid, refunded)


def gift(paid, refunded=0, *, name="gift", expired=False):
    return Tender(name, "gift_card", paid, refunded, card_id=1, card_expired=expired)


# --- Allocation: the rules -------------------------------------------------------------------------


def test_OG_RFD_01_a_card_order_is_refunded_to_the_card():
    assert allocate_refund([card(15490)], 14900, choice="original") == [RefundPart("card", "original", 14900)]


def test_AL_RFD_03_the_gift_card_is_credited_first_and_the_rest_goes_to_the_card():
    tenders = [card(10490), gift(5000)]
    assert allocate_refund(tenders, 12000, choice="original") == [
        RefundPart("gift", "same_card", 5000), RefundPart("card", "original", 7000)]
    assert allocate_refund(tenders, 3000, choice="original") == [RefundPart("gift", "same_card", 3000)]


def test_AL_RFD_03_a_gift_card_already_credited_back_takes_only_what_it_still_paid():
    tenders = [gift(5000, refunded=3000), card(10490)]
    assert allocate_refund(tenders, 4000, choice="original") == [
        RefundPart("gift", "same_card", 2000), RefundPart("card", "original", 2000)]


def test_AL_RFD_02_a_gift_card_only_order_refunded_to_the_original_method_credits_the_same_card():
    assert allocate_refund([gift(15490)], 14900, choice="original") == [RefundPart("gift", "same_card", 14900)]


def test_AL_RFD_02_a_gift_card_only_order_refunded_as_a_credit_note_gets_a_new_gift_card():
    tenders = [gift(15490)]
    assert allocate_refund(tenders, 14900, choice="credit_note") == [RefundPart("gift", "new_credit_note", 14900)]
    assert new_card_kind(tenders) == "gift_card"


def test_AL_RFD_01_a_credit_note_choice_turns_every_tender_into_one_new_credit_note():
    tenders = [gift(5000), card(10490)]
    parts = allocate_refund(tenders, 12000, choice="credit_note")
    assert parts == [RefundPart("gift", "new_credit_note", 5000), RefundPart("card", "new_credit_note", 7000)]
    assert totals_by_destination(parts) == {"new_credit_note": 12000}
    assert new_card_kind(tenders) == "credit_note"


def test_an_expired_gift_card_is_not_credited_back_but_replaced_by_a_new_card():
    assert allocate_refund([gift(5000, expired=True), card(10490)], 6000, choice="original") == [
        RefundPart("gift", "new_credit_note", 5000), RefundPart("card", "original", 1000)]


def test_AL_RFD_04_a_refund_smaller_than_what_is_still_owed_readjusts_the_instalments():
    plan = Tender("plan", "instalments_3", 10000, 0, scheduled_minor=20000)
    assert allocate_refund([plan], 15000, choice="original") == [RefundPart("plan", "cancel_scheduled", 15000)]


def test_AL_RFD_04_a_refund_larger_than_what_is_owed_re_credits_the_difference():
    plan = Tender("plan", "instalments_3", 10000, 0, scheduled_minor=20000)
    assert allocate_refund([plan], 25000, choice="original") == [
        RefundPart("plan", "cancel_scheduled", 20000), RefundPart("plan", "original", 5000)]


def test_AL_RFD_04_a_full_refund_cancels_the_future_instalments_and_refunds_those_paid():
    plan = Tender("plan", "instalments_3", 10000, 0, scheduled_minor=20000)
    assert totals_by_destination(allocate_refund([plan], 30000, choice="original")) == {
        "original": 10000, "cancel_scheduled": 20000}


def test_AL_RFD_05_a_deferred_payment_not_yet_due_is_never_charged_and_one_taken_is_re_credited():
    before_deadline = Tender("later", "deferred_30", 0, 0, scheduled_minor=15490)
    assert allocate_refund([before_deadline], 14900, choice="original") == [
        RefundPart("later", "cancel_scheduled", 14900)]
    after_deadline = Tender("later", "deferred_30", 15490, 0)
    assert allocate_refund([after_deadline], 14900, choice="original") == [RefundPart("later", "original", 14900)]


def test_AL_RFD_05_a_credit_note_is_never_given_for_money_not_yet_paid():
    before_deadline = Tender("later", "deferred_15", 0, 0, scheduled_minor=15490)
    assert allocate_refund([before_deadline], 14900, choice="credit_note") == [
        RefundPart("later", "cancel_scheduled", 14900)]


def test_AA_PAY_03_money_received_by_transfer_goes_back_by_transfer():
    transfer = Tender("transfer", "bank_transfer", 30000, 0)
    assert allocate_refund([transfer], 30000, choice="original") == [
        RefundPart("transfer", "bank_transfer_back", 30000)]


def test_ALL_RFD_06_a_refund_beyond_what_remains_refundable_is_refused():
    tenders = [gift(5000, refunded=5000), card(10490, refunded=490)]
    assert refundable_total(tenders) == 10000
    with pytest.raises(ValueError, match="exceeds"):
        allocate_refund(tenders, 10001, choice="original")
    assert allocate_refund(tenders, 10000, choice="original") == [RefundPart("card", "original", 10000)]


def test_a_zero_refund_has_no_parts_and_a_tender_cannot_have_refunded_more_than_it_paid():
    assert allocate_refund([card(100)], 0, choice="original") == []
    with pytest.raises(ValueError):
        Tender("card", "card", 100, 101)
    with pytest.raises(ValueError):
        allocate_refund([card(100)], 10, choice="cash")


# --- Allocation: properties over random tender mixes and successive partial refunds ------------------

METHODS = ["card", "paypal", "gift_card", "credit_note", "bank_transfer", "instalments_3", "deferred_30"]


@st.composite
def tender_mixes(draw):
    count = draw(st.integers(1, 4))
    tenders = []
    for index in range(count):
        method = draw(st.sampled_from(METHODS))
        paid = draw(st.integers(0, 50_000))
        scheduled = draw(st.integers(0, 50_000)) if method in ("instalments_3", "deferred_30") else 0
        tenders.append(Tender(index, method, paid, draw(st.integers(0, paid)), scheduled_minor=scheduled,
                              card_expired=method in ("gift_card", "credit_note") and draw(st.booleans())))
    return tenders


def _apply(tenders: list[Tender], parts: list[RefundPart]) -> list[Tender]:
    """The tenders after a refund: money back raises `refunded`, a cancellation lowers `scheduled`."""
    after = []
    for tender in tenders:
        mine = [p for p in parts if p.payment_id == tender.payment_id]
        cancelled = sum(p.amount_minor for p in mine if p.destination == "cancel_scheduled")
        given_back = sum(p.amount_minor for p in mine) - cancelled
        after.append(Tender(tender.payment_id, tender.method, tender.paid_minor, tender.refunded_minor + given_back,
                            scheduled_minor=tender.scheduled_minor - cancelled, card_expired=tender.card_expired))
    return after


def _check(tenders: list[Tender], parts: list[RefundPart], amount: int, choice: str) -> None:
    assert sum(p.amount_minor for p in parts) == amount
    assert all(p.amount_minor > 0 for p in parts)
    by_id = {t.payment_id: t for t in tenders}
    for tender in tenders:
        mine = [p for p in parts if p.payment_id == tender.payment_id]
        cancelled = sum(p.amount_minor for p in mine if p.destination == "cancel_scheduled")
        assert cancelled <= tender.scheduled_minor
        assert sum(p.amount_minor for p in mine) - cancelled <= tender.refundable_minor  # ALL-RFD-06
    kinds = ["stored" if by_id[p.payment_id].is_stored_value else
             "scheduled" if p.destination == "cancel_scheduled" else "money" for p in parts]
    # Stored value first (AL-RFD-03), then what is still owed (AL-RFD-04/05), then money back.
    assert kinds == sorted(kinds, key=["stored", "scheduled", "money"].index)
    if "money" in kinds:  # money goes back only once nothing remains owed on any tender
        for tender in tenders:
            assert tender.scheduled_minor == sum(p.amount_minor for p in parts if p.payment_id == tender.payment_id
                                                 and p.destination == "cancel_scheduled")
    if choice == "credit_note":
        assert {p.destination for p in parts} <= {"new_credit_note", "cancel_scheduled"}


@settings(max_examples=300, deadline=None)
@given(tender_mixes(), st.lists(st.floats(0, 1), min_size=1, max_size=5), st.sampled_from(["original", "credit_note"]))
def test_ALL_RFD_06_successive_partial_refunds_never_over_refund_a_tender(tenders, shares, choice):
    for share in shares:
        amount = int(refundable_total(tenders) * share)
        parts = allocate_refund(tenders, amount, choice=choice)
        _check(tenders, parts, amount, choice)
        tenders = _apply(tenders, parts)
    with pytest.raises(ValueError):
        allocate_refund(tenders, refundable_total(tenders) + 1, choice=choice)
    last = allocate_refund(tenders, refundable_total(tenders), choice=choice)
    assert refundable_total(_apply(tenders, last)) == 0


# --- What a return is worth ----------------------------------------------------------------------------


def test_OG_RFD_01_each_unit_at_the_price_actually_paid_discount_shared_pro_rata():
    # 2 dresses at €149 with €29.80 off the line: each unit cost €134.10.
    assert refund_amount([(14900, 2980, 2, 1)], 590, whole_order_returned=False,
                         refund_shipping_on_full_return=True) == 13410


def test_OG_RFD_01_shipping_is_refunded_only_when_the_whole_order_comes_back():
    lines = [(14900, 0, 1, 1)]
    assert refund_amount(lines, 590, whole_order_returned=True, refund_shipping_on_full_return=True) == 15490
    assert refund_amount(lines, 590, whole_order_returned=False, refund_shipping_on_full_return=True) == 14900
    assert refund_amount(lines, 590, whole_order_returned=True, refund_shipping_on_full_return=False) == 14900


def test_a_line_refunded_in_several_goes_gives_back_exactly_what_it_cost():
    # 3 units at €10 with €1 off: €29.00 paid; unit by unit: 9.67 + 9.66 + 9.67.
    first = line_refund((1000, 100, 3, 1, 0))
    second = line_refund((1000, 100, 3, 1, 1))
    third = line_refund((1000, 100, 3, 1, 2))
    assert (first, second, third) == (967, 966, 967)
    with pytest.raises(ValueError):
        line_refund((1000, 100, 3, 1, 3))


@given(st.integers(1, 100_000), st.integers(1, 12), st.data())
def test_refunding_a_line_unit_by_unit_or_at_once_gives_back_the_same(unit, quantity, data):
    discount = data.draw(st.integers(0, unit * quantity))
    split = data.draw(st.lists(st.integers(1, quantity), max_size=quantity))
    before, total = 0, 0
    for units in split:
        if before + units > quantity:
            break
        total += line_refund((unit, discount, quantity, units, before))
        before += units
    total += line_refund((unit, discount, quantity, quantity - before, before))
    assert total == unit * quantity - discount == line_refund((unit, discount, quantity, quantity))
