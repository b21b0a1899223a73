"""Pure loyalty and referral rules, with Almé's policy and explicit clocks (AL-LOY-01..07, AL-RAF-01..03)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from comptoir.brands.presets import PRESETS_DIR, read_preset
from comptoir.loyalty import rules
from comptoir.loyalty.rules import EntryFacts, RewardFacts

PARIS = ZoneInfo("Europe/Paris")
POLICY = read_preset(PRESETS_DIR / "alme").policy.loyalty
JAN_10 = datetime(2026, 1, 10, 15, 0, tzinfo=PARIS)


def purchase(at: datetime, spend_minor: int) -> EntryFacts:
    return EntryFacts("earn", rules.loves_for(spend_minor, POLICY), spend_minor, at, rules.available_from(at, POLICY, PARIS))


def test_AL_LOY_01_ten_loves_per_euro_rounded_down():
    assert rules.loves_for(14900, POLICY) == 1490
    assert rules.loves_for(1999, POLICY) == 199  # 19.99 euros: 199.9 loves, rounded down
    assert rules.loves_for(0, POLICY) == 0


def test_AL_LOY_03_loves_are_pending_for_18_calendar_days():
    entry = purchase(JAN_10, 10000)
    assert entry.available_at == datetime(2026, 1, 28, 0, 0, tzinfo=PARIS)
    day_17 = rules.balance([entry], datetime(2026, 1, 27, 23, 59, tzinfo=PARIS))
    day_18 = rules.balance([entry], datetime(2026, 1, 28, 0, 0, tzinfo=PARIS))
    assert (day_17.available, day_17.pending, day_17.releases) == (0, 1000, [(entry.available_at, 1000)])
    assert (day_18.available, day_18.pending) == (1000, 0)


def test_AL_LOY_03_a_reversal_within_the_18_days_nets_the_pending_loves():
    earn = purchase(JAN_10, 10000)
    reverse = EntryFacts("reverse", -1000, -10000, JAN_10, earn.available_at)
    assert rules.balance([earn, reverse], earn.available_at + timedelta(days=1)) == rules.Balance(0, 0, [])


def test_add_months_keeps_the_last_day_of_short_months():
    assert rules.add_months(datetime(2026, 1, 31, 10, tzinfo=PARIS), 1) == datetime(2026, 2, 28, 10, tzinfo=PARIS)
    assert rules.add_months(datetime(2028, 2, 29, 10, tzinfo=PARIS), 12) == datetime(2029, 2, 28, 10, tzinfo=PARIS)


def test_AL_LOY_04_flirt_on_joining_and_what_crush_needs():
    status = rules.tier_status([], POLICY, JAN_10)
    assert (status.code, status.next_code, status.missing_minor, status.reached_at) == ("flirt", "crush", 40000, None)


def test_AL_LOY_04_pending_spend_does_not_count_towards_the_status():
    entries = [purchase(JAN_10, 40000)]
    assert rules.tier_status(entries, POLICY, JAN_10 + timedelta(days=17)).code == "flirt"
    status = rules.tier_status(entries, POLICY, JAN_10 + timedelta(days=18))
    assert (status.code, status.reached_at) == ("crush", entries[0].available_at)
    assert status.promotions == [(entries[0].available_at, "crush")]
    assert (status.next_code, status.missing_minor) == ("in_love", 90000)


def test_AL_LOY_04_spend_counts_over_a_rolling_12_months():
    """Two purchases of 250 euros eleven months apart add up; the first leaves the window a year after it."""
    first, second = purchase(JAN_10, 25000), purchase(datetime(2026, 12, 1, 10, tzinfo=PARIS), 25000)
    on = datetime(2026, 12, 20, tzinfo=PARIS)
    assert rules.tier_status([first, second], POLICY, on).spend_minor == 50000
    status = rules.tier_status([first, second], POLICY, datetime(2027, 1, 10, 15, 0, tzinfo=PARIS))
    assert status.spend_minor == 25000


def test_AL_LOY_04_a_status_reached_is_kept_one_year_then_follows_the_spend():
    entry = purchase(JAN_10, 45000)  # Crush from 28 January 2026
    reached = entry.available_at
    # The spend leaves the window on 10 January 2027, but Crush is kept until 28 January 2027.
    kept = rules.tier_status([entry], POLICY, datetime(2027, 1, 20, tzinfo=PARIS))
    assert (kept.code, kept.spend_minor, kept.kept_until) == ("crush", 0, rules.add_months(reached, 12))
    assert rules.tier_status([entry], POLICY, rules.add_months(reached, 12)).code == "flirt"


def test_AL_LOY_04_in_love_from_1300_euros_with_one_promotion_per_rise():
    entries = [purchase(JAN_10, 50000), purchase(datetime(2026, 3, 1, 10, tzinfo=PARIS), 80000)]
    status = rules.tier_status(entries, POLICY, datetime(2026, 4, 1, tzinfo=PARIS))
    assert status.code == "in_love" and status.next_code is None and status.missing_minor == 0
    assert [code for _, code in status.promotions] == ["crush", "in_love"]
    assert rules.next_tier_check(entries, JAN_10) == entries[0].available_at


def test_AL_LOY_02_each_mission_once_and_unknown_missions_refused():
    assert rules.check_mission(POLICY, "follow_instagram", set())
    assert rules.check_mission(POLICY, "follow_instagram", {"follow_instagram"}).code == "mission_already_completed"
    assert rules.check_mission(POLICY, "climb_everest", set()).code == "unknown_mission"


def test_AL_LOY_05_redeeming_needs_an_option_and_enough_available_loves():
    assert rules.check_redeem(POLICY, 1000, 1000)
    assert rules.check_redeem(POLICY, 1000, 999).code == "not_enough_loves"
    assert rules.check_redeem(POLICY, 1234, 5000).code == "unknown_voucher_option"


def test_AL_LOY_05_a_voucher_is_its_members_once_until_it_expires():
    expires = datetime(2026, 4, 10, 15, tzinfo=PARIS)
    fresh = rules.VoucherFacts(7, True, expires, used=False, cancelled=False)
    assert rules.check_voucher_usable(fresh, customer_id=7, now=expires - timedelta(seconds=1))
    assert rules.check_voucher_usable(fresh, customer_id=7, now=expires).code == "voucher_expired"
    assert rules.check_voucher_usable(fresh, customer_id=8, now=JAN_10).code == "voucher_not_yours"
    assert rules.check_voucher_usable(fresh, customer_id=None, now=JAN_10).code == "voucher_sign_in_required"
    used = rules.VoucherFacts(7, True, expires, used=True, cancelled=False)
    assert rules.check_voucher_usable(used, customer_id=7, now=JAN_10).code == "voucher_already_used"


def test_AL_LOY_07_a_cancelled_voucher_or_a_departed_member_cannot_pay():
    expires = datetime(2026, 4, 10, tzinfo=PARIS)
    left = rules.VoucherFacts(7, False, expires, used=False, cancelled=False)
    assert rules.check_voucher_usable(left, customer_id=7, now=JAN_10).code == "voucher_cancelled"


def test_AL_RAF_02_similar_emails_are_one_person():
    assert rules.email_key("Lea.Petit+promo@Gmail.com") == rules.email_key("leapetit@googlemail.com")
    assert rules.email_key("lea+1@example.com") == rules.email_key("lea@example.com")
    assert rules.email_key("lea@example.com") != rules.email_key("lea@example.org")


def test_AL_RAF_02_no_self_referral_no_second_referral_no_returning_customer():
    own = rules.email_key("lea@example.com")
    assert rules.check_referral(referrer_email_key=own, friend_email_key=rules.email_key("l.e.a+x@example.com"),
                                friend_has_ordered=False, already_referred=False).code == "self_referral"
    friend = rules.email_key("zoe@example.com")
    assert rules.check_referral(referrer_email_key=own, friend_email_key=friend, friend_has_ordered=False,
                                already_referred=True).code == "friend_already_referred"
    assert rules.check_referral(referrer_email_key=own, friend_email_key=friend, friend_has_ordered=True,
                                already_referred=False).code == "friend_not_a_first_order"
    assert rules.check_referral(referrer_email_key=own, friend_email_key=friend, friend_has_ordered=False,
                                already_referred=False)


def test_AL_RAF_01_fraud_signals_refuse_the_reward():
    honest = RewardFacts(1, "lea@example.com", frozenset({"visa:4242"}), 2, "zoe@example.com",
                         frozenset({"mastercard:4444"}), False, False)
    assert rules.check_reward(honest)
    assert rules.check_reward(honest.__class__(**{**_fields(honest), "friend_customer_id": 1})).code == "self_referral"
    assert rules.check_reward(honest.__class__(**{**_fields(honest), "friend_cards": frozenset({"visa:4242"})})
                              ).code == "same_payment_card"
    assert rules.check_reward(honest.__class__(**{**_fields(honest), "friend_had_earlier_order": True})
                              ).code == "friend_not_a_first_order"
    assert rules.check_reward(honest.__class__(**{**_fields(honest), "friend_order_returned_in_full": True})
                              ).code == "friend_order_returned"


def _fields(facts) -> dict:
    return {name: getattr(facts, name) for name in facts.__slots__}
