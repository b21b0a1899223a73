"""Pure return rules over the four bundled policies: no database, explicit instants."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from comptoir.brands.presets import bundled_preset_folders, read_preset
from comptoir.returns import states
from comptoir.returns.rules import (
    ArrivalFacts, LineRequest, ReturnFacts, check_arrival_in_time, check_return_eligible, label_for,
    refund_due_at, refund_without_return, returned_parcel_refund_due_at, who_pays_parcel, who_pays_return_shipping,
)

PARIS = ZoneInfo("Europe/Paris")
DELIVERED = datetime(2026, 11, 2, 15, 0, tzinfo=PARIS)  # a Monday


@pytest.fixture(scope="module")
def policies():
    return {f.name: read_preset(f).policy for f in bundled_preset_folders()}


def facts(reason: str, *, ordered: int = 1, claimed: int = 0, quantity: int = 1, delivered=DELIVERED) -> ReturnFacts:
    return ReturnFacts((LineRequest(7, delivered, ordered, claimed, quantity, reason),))


def day(n: int, hour: int = 12) -> datetime:
    """`n` days after the delivery day, at `hour` Paris time."""
    return datetime(2026, 11, 2 + n, hour, 0, tzinfo=PARIS) if 2 + n <= 30 else datetime(
        2026, 12, 2 + n - 30, hour, 0, tzinfo=PARIS)


@pytest.mark.parametrize(("brand", "reason", "last_day"), [
    ("officine-generale", "changed_mind", 14), ("audrey-alexandre", "changed_mind", 14),
    ("opalook", "defective", 15), ("alme", "does_not_suit", 14),
])
def test_RET_window_counts_calendar_days_from_delivery_in_the_brand_time_zone(policies, brand, reason, last_day):
    """OG-RET-02 "within 14 days of receiving", AA-RET-01 "14 calendar days", OP-RET-02 "15 days",
    AL-RET-02 "14 days from receipt"."""
    policy = policies[brand]

    on_last_day = check_return_eligible(policy, facts(reason), day(last_day, 23))
    day_after = check_return_eligible(policy, facts(reason), day(last_day + 1, 0))

    assert on_last_day.allowed
    assert (day_after.allowed, day_after.code) == (False, "return_window_closed")


@pytest.mark.parametrize(("brand", "rule"), [
    ("officine-generale", "OG-RET-02"), ("audrey-alexandre", "AA-RET-01"), ("opalook", "OP-RET-02"),
    ("alme", "AL-RET-02"),
])
def test_RET_a_closed_window_names_the_rule_of_the_policy_that_refused(policies, brand, rule):
    reason = policies[brand].returns.reasons[0].code

    assert check_return_eligible(policies[brand], facts(reason), day(20)).rule == rule


def test_OG_RET_02_an_undelivered_order_cannot_be_returned(policies):
    decision = check_return_eligible(policies["officine-generale"], facts("changed_mind", delivered=None), day(1))

    assert (decision.allowed, decision.code) == (False, "return_before_delivery")


def test_OP_RET_01_a_change_of_mind_is_refused_to_professionals(policies):
    """"there is no reason to apply the right of withdrawal\"."""
    opalook = policies["opalook"]
    reasons = [*opalook.returns.reasons, opalook.returns.reasons[0].model_copy(
        update={"code": "changed_mind", "kind": "change_of_mind"})]
    policy = opalook.model_copy(update={"returns": opalook.returns.model_copy(update={"reasons": reasons})})

    decision = check_return_eligible(policy, facts("changed_mind"), day(1))

    assert (decision.code, decision.rule) == ("no_right_of_withdrawal", "OP-RET-01")


def test_AL_RET_06_a_defect_is_reported_within_48_hours_of_delivery(policies):
    """"within 48 hours of receiving the product, in order to report any defects found\"."""
    policy = policies["alme"]

    in_time = check_return_eligible(policy, facts("damaged_or_defective"), DELIVERED + timedelta(hours=48))
    late = check_return_eligible(policy, facts("damaged_or_defective"), DELIVERED + timedelta(hours=48, minutes=1))
    change_of_mind = check_return_eligible(policy, facts("does_not_suit"), DELIVERED + timedelta(days=5))

    assert in_time.allowed and change_of_mind.allowed
    assert (late.code, late.rule) == ("defect_reported_too_late", "AL-RET-06")


def test_OG_RET_01_an_item_already_returned_in_full_is_refused(policies):
    policy = policies["officine-generale"]

    assert check_return_eligible(policy, facts("changed_mind", ordered=2, claimed=2), day(1)).code == \
        "item_already_returned"
    assert check_return_eligible(policy, facts("changed_mind", ordered=2, claimed=1, quantity=2), day(1)).code == \
        "return_quantity_exceeds_order"


def test_RET_an_unknown_reason_is_refused(policies):
    assert check_return_eligible(policies["alme"], facts("bored"), day(1)).code == "unknown_return_reason"


@pytest.mark.parametrize(("brand", "kinds", "payer"), [
    ("officine-generale", ["change_of_mind"], "customer"), ("officine-generale", ["wrong_item"], "brand"),
    ("audrey-alexandre", ["change_of_mind"], "customer"), ("audrey-alexandre", ["defective"], "brand"),
    ("audrey-alexandre", ["change_of_mind", "wrong_item"], "brand"), ("alme", ["change_of_mind"], "brand"),
])
def test_OG_RET_03_AA_RET_03_who_pays_the_return_shipping(policies, brand, kinds, payer):
    """OG-RET-03 "at your expense, except if the return is due to an initial error from our team";
    AA-RET-03 "If a product is defective ... we will waive the shipping fees"."""
    assert who_pays_return_shipping(policies[brand], kinds) == payer


def test_AL_RET_02_prepaid_label_where_the_carrier_serves_else_an_advance_up_to_6_euros(policies):
    """"Outside France, return shipping costs are advanced by the customer and will be reimbursed up to 6 euros\"."""
    france, belgium, germany = (label_for(policies["alme"], country) for country in ("FR", "BE", "DE"))

    assert (france.kind, france.carrier, france.paid_by_brand, france.downloadable_days) == (
        "prepaid_label", "Mondial Relay", True, 14)
    assert belgium.paid_by_brand
    assert (germany.kind, germany.paid_by_brand, germany.reimbursement_cap_minor) == ("rma_slip", False, 600)


def test_OG_RET_01_OP_RET_02_slips_for_other_brands(policies):
    assert label_for(policies["officine-generale"], "FR").kind == "rma_slip"
    assert label_for(policies["opalook"], "FR").kind == "return_slip"


def test_OG_RET_02_a_parcel_sent_after_14_days_from_the_request_is_refused(policies):
    """"You then have 14 days from the date of your exchange request to return the item\"."""
    policy = policies["officine-generale"]
    declared = day(3)

    in_time = check_arrival_in_time(policy, ArrivalFacts(declared, None), declared + timedelta(days=14))
    late = check_arrival_in_time(policy, ArrivalFacts(declared, None), declared + timedelta(days=15))
    postmarked = check_arrival_in_time(policy, ArrivalFacts(declared, declared + timedelta(days=13)),
                                       declared + timedelta(days=17))

    assert in_time.allowed and postmarked.allowed
    assert (late.code, late.rule) == ("return_sent_too_late", "OG-RET-02")
    assert check_arrival_in_time(policies["alme"], ArrivalFacts(declared, None), declared + timedelta(days=60))


def test_OP_RET_02_OP_RET_03_refund_without_return_by_location_or_when_shipping_exceeds_value(policies):
    """"or a refund depending on your location"; "if the shipping costs exceed the value of the product\"."""
    policy = policies["opalook"]

    assert refund_without_return(policy, "US", 5000, 900)
    assert not refund_without_return(policy, "FR", 5000, 900)
    assert not refund_without_return(policy, "BE", 5000, 900)
    assert refund_without_return(policy, "FR", 800, 900)
    assert not refund_without_return(policies["officine-generale"], "US", 800, 900)


def test_OG_RFD_01_refund_due_2_working_days_after_validation_skipping_holidays(policies):
    """OG-RET-06 "within 2 days"; 11 November is a French public holiday."""
    validated = datetime(2026, 11, 10, 10, 0, tzinfo=PARIS)

    due = refund_due_at(policies["officine-generale"], declared_at=validated - timedelta(days=5),
                        validated_at=validated)

    assert due == datetime(2026, 11, 13, 10, 0, tzinfo=PARIS)


def test_AA_RFD_01_refund_due_14_days_after_the_notice_unless_items_arrive_later(policies):
    """"within fourteen days from the date on which you informed the customer service department\"."""
    policy = policies["audrey-alexandre"]
    declared = datetime(2026, 11, 3, 10, 0, tzinfo=PARIS)

    assert refund_due_at(policy, declared_at=declared, validated_at=declared + timedelta(days=4)) == \
        declared + timedelta(days=14)
    assert refund_due_at(policy, declared_at=declared, validated_at=declared + timedelta(days=20)) == \
        declared + timedelta(days=20)


def test_AL_RFD_01_refund_due_at_once_after_inspection(policies):
    validated = datetime(2026, 11, 10, 10, 0, tzinfo=PARIS)

    assert refund_due_at(policies["alme"], declared_at=validated, validated_at=validated) == validated


def test_AL_SHP_09_a_returned_parcel_is_refunded_within_7_working_days(policies):
    """"automatically refunded within 7 working days of receipt" (11 November skipped)."""
    returned = datetime(2026, 11, 9, 10, 0, tzinfo=PARIS)  # Monday

    assert returned_parcel_refund_due_at(policies["alme"], returned) == datetime(2026, 11, 19, 10, 0, tzinfo=PARIS)


def test_OG_RET_05_the_received_status_reads_return_received_in_both_languages():
    """"our team will put its status into "Return received\"\"."""
    assert states.status_label(states.RECEIVED, "en") == "Return received"
    assert states.status_label(states.RECEIVED, "fr") == "Retour reçu"


def test_RET_illegal_moves_name_the_state_and_the_move():
    with pytest.raises(states.IllegalTransition) as refused:
        states.next_status(states.REQUESTED, "receive")

    assert (refused.value.state, refused.value.move, refused.value.status) == ("requested", "receive", 409)
    assert states.next_status(states.INSPECTED, "refund") == states.REFUNDED


def test_AL_RET_02_abroad_the_shopper_pays_the_parcel_unless_the_brand_is_at_fault(policies):
    alme = policies["alme"]

    assert who_pays_parcel(alme, ["change_of_mind"], "FR") == "brand"
    assert who_pays_parcel(alme, ["change_of_mind"], "DE") == "customer"
    assert who_pays_parcel(alme, ["wrong_item"], "DE") == "brand"
    assert who_pays_parcel(policies["officine-generale"], ["change_of_mind"], "FR") == "customer"
