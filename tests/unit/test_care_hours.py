"""Opening hours of customer care: open now, next opening, answer time in opening hours (OG-CARE-01,
AL-CARE-01, ALL-CARE-02). Pure: no database."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from comptoir.brands.policy import Contact, OpeningInterval
from comptoir.care.hours import expected_answer_by, opening_status

PARIS = ZoneInfo("Europe/Paris")
WEEK = [0, 1, 2, 3, 4]
OG = Contact(email="care@og.test", opening_hours=[OpeningInterval(weekdays=WEEK, opens_local_time=time(10),
                                                                   closes_local_time=time(19))])
AL = Contact(email="care@al.test", opening_hours=[
    OpeningInterval(weekdays=WEEK, opens_local_time=time(9), closes_local_time=time(12, 30)),
    OpeningInterval(weekdays=WEEK, opens_local_time=time(13, 30), closes_local_time=time(17)),
])


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def test_OG_CARE_01_open_on_a_weekday_afternoon_until_7_pm():
    status = opening_status(OG, PARIS, "FR", paris(2026, 11, 17, 15, 0))  # Tuesday
    assert status.open_now is True
    assert status.closes_at == paris(2026, 11, 17, 19, 0)
    assert status.next_opening is None


def test_OG_CARE_01_closed_before_10_am_opens_at_10():
    status = opening_status(OG, PARIS, "FR", paris(2026, 11, 17, 9, 59))
    assert (status.open_now, status.next_opening) == (False, paris(2026, 11, 17, 10, 0))


def test_OG_CARE_01_friday_evening_next_opening_is_monday_10_am():
    status = opening_status(OG, PARIS, "FR", paris(2026, 11, 20, 19, 0))  # Friday, closing time
    assert (status.open_now, status.next_opening) == (False, paris(2026, 11, 23, 10, 0))


def test_OG_CARE_01_time_zone_is_paris_whatever_the_instant_zone():
    status = opening_status(OG, PARIS, "FR", datetime(2026, 11, 17, 9, 30, tzinfo=ZoneInfo("UTC")))
    assert status.open_now is True  # 10:30 in Paris


def test_AL_CARE_01_closed_over_the_lunch_break_reopens_at_1_30_pm():
    status = opening_status(AL, PARIS, "FR", paris(2026, 11, 17, 12, 45))
    assert (status.open_now, status.next_opening) == (False, paris(2026, 11, 17, 13, 30))


def test_AL_CARE_01_open_in_the_morning_until_12_30():
    status = opening_status(AL, PARIS, "FR", paris(2026, 11, 17, 12, 29))
    assert (status.open_now, status.closes_at) == (True, paris(2026, 11, 17, 12, 30))


def test_christmas_day_is_closed_next_opening_the_26th():
    status = opening_status(OG, PARIS, "FR", paris(2025, 12, 25, 11, 0))  # a Thursday, public holiday
    assert (status.open_now, status.next_opening) == (False, paris(2025, 12, 26, 10, 0))


def test_no_published_hours_is_never_open_and_gives_no_next_opening():
    status = opening_status(Contact(email="a@b.test"), PARIS, "FR", paris(2026, 11, 17, 12, 0))
    assert (status.open_now, status.next_opening, status.closes_at) == (False, None, None)


def test_ALL_CARE_02_eight_opening_hours_from_friday_evening_end_monday_at_6_pm():
    assert expected_answer_by(OG, PARIS, "FR", paris(2026, 11, 20, 20, 0), 8) == paris(2026, 11, 23, 18, 0)


def test_ALL_CARE_02_answer_time_skips_the_lunch_break_and_the_night():
    # Tuesday 11:00: 1.5 h until 12:30, 3.5 h in the afternoon, then 3 h on Wednesday morning.
    assert expected_answer_by(AL, PARIS, "FR", paris(2026, 11, 17, 11, 0), 8) == paris(2026, 11, 18, 12, 0)


def test_ALL_CARE_02_answer_time_skips_christmas():
    assert expected_answer_by(OG, PARIS, "FR", paris(2025, 12, 24, 18, 0), 2) == paris(2025, 12, 26, 11, 0)


def test_answer_time_of_zero_hours_is_the_next_opening():
    assert expected_answer_by(OG, PARIS, "FR", paris(2026, 11, 21, 9, 0), 0) == paris(2026, 11, 23, 10, 0)
