"""Working days and working hours on a French Monday-to-Friday calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from comptoir.core.calendar import WorkingCalendar, public_holidays

PARIS = ZoneInfo("Europe/Paris")
FRANCE_WEEKDAYS = WorkingCalendar("FR", frozenset({0, 1, 2, 3, 4}))
FRANCE_MONDAY_TO_SATURDAY = WorkingCalendar("FR", frozenset({0, 1, 2, 3, 4, 5}))


@pytest.mark.parametrize(
    "holiday",
    [date(2026, 12, 25), date(2027, 1, 1), date(2027, 3, 29), date(2026, 11, 11)],
    ids=["christmas-friday", "new-year-friday", "easter-monday", "armistice-wednesday"],
)
def test_french_public_holidays_are_not_working_days(holiday):
    assert holiday.weekday() < 5
    assert holiday in public_holidays("FR", holiday.year)
    assert not FRANCE_WEEKDAYS.is_working_day(holiday)


def test_weekends_are_not_working_days_and_weekdays_are():
    assert FRANCE_WEEKDAYS.is_working_day(date(2026, 3, 2))  # Monday
    assert FRANCE_WEEKDAYS.is_working_day(date(2026, 3, 6))  # Friday
    assert not FRANCE_WEEKDAYS.is_working_day(date(2026, 3, 7))  # Saturday
    assert not FRANCE_WEEKDAYS.is_working_day(date(2026, 3, 8))  # Sunday


def test_a_saturday_works_when_the_calendar_says_so():
    assert FRANCE_MONDAY_TO_SATURDAY.is_working_day(date(2026, 3, 7))
    assert not FRANCE_MONDAY_TO_SATURDAY.is_working_day(date(2027, 12, 25))  # Christmas, a Saturday


def test_next_working_day_is_strictly_after():
    assert FRANCE_WEEKDAYS.next_working_day(date(2026, 3, 2)) == date(2026, 3, 3)


def test_next_working_day_after_friday_is_monday():
    assert FRANCE_WEEKDAYS.next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)


def test_next_working_day_skips_christmas_and_the_weekend():
    assert FRANCE_WEEKDAYS.next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)


def test_next_working_day_skips_new_year_into_the_next_year():
    assert FRANCE_WEEKDAYS.next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)


def test_next_working_day_skips_easter_monday():
    assert FRANCE_WEEKDAYS.next_working_day(date(2027, 3, 26)) == date(2027, 3, 30)


def test_working_day_on_or_after_keeps_a_working_day():
    assert FRANCE_WEEKDAYS.working_day_on_or_after(date(2026, 11, 10)) == date(2026, 11, 10)


def test_working_day_on_or_after_moves_a_holiday_forward():
    assert FRANCE_WEEKDAYS.working_day_on_or_after(date(2026, 11, 11)) == date(2026, 11, 12)


def test_adding_zero_working_days_returns_the_same_day_even_on_a_sunday():
    assert FRANCE_WEEKDAYS.add_working_days(date(2026, 3, 8), 0) == date(2026, 3, 8)


def test_adding_working_days_within_a_week():
    assert FRANCE_WEEKDAYS.add_working_days(date(2026, 3, 2), 3) == date(2026, 3, 5)


def test_adding_working_days_across_christmas_and_new_year():
    # Wed 23 Dec + 1 = Thu 24, + 2 = Mon 28 (25 Dec is a holiday), + 5 = Thu 31, + 6 = Mon 4 Jan.
    assert FRANCE_WEEKDAYS.add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 28)
    assert FRANCE_WEEKDAYS.add_working_days(date(2026, 12, 23), 6) == date(2027, 1, 4)


def test_adding_working_days_across_armistice_day():
    assert FRANCE_WEEKDAYS.add_working_days(date(2026, 11, 10), 1) == date(2026, 11, 12)


def test_adding_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError):
        FRANCE_WEEKDAYS.add_working_days(date(2026, 3, 2), -1)


def test_an_empty_week_is_refused():
    with pytest.raises(ValueError):
        WorkingCalendar("FR", frozenset())


def test_working_hours_within_one_day():
    start = datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)
    assert FRANCE_WEEKDAYS.working_hours_later(start, 5, PARIS) == datetime(2026, 3, 2, 14, 0, tzinfo=PARIS)


def test_working_hours_from_monday_afternoon_end_on_tuesday_afternoon():
    start = datetime(2026, 3, 2, 15, 0, tzinfo=PARIS)
    assert FRANCE_WEEKDAYS.working_hours_later(start, 24, PARIS) == datetime(2026, 3, 3, 15, 0, tzinfo=PARIS)


def test_working_hours_skip_the_weekend():
    start = datetime(2026, 3, 6, 15, 0, tzinfo=PARIS)  # Friday
    assert FRANCE_WEEKDAYS.working_hours_later(start, 24, PARIS) == datetime(2026, 3, 9, 15, 0, tzinfo=PARIS)


def test_working_hours_started_on_a_saturday_count_from_monday_midnight():
    start = datetime(2026, 3, 7, 10, 0, tzinfo=PARIS)
    assert FRANCE_WEEKDAYS.working_hours_later(start, 24, PARIS) == datetime(2026, 3, 10, 0, 0, tzinfo=PARIS)


def test_working_hours_skip_a_public_holiday():
    start = datetime(2026, 11, 10, 15, 0, tzinfo=PARIS)  # the eve of Armistice Day
    later = FRANCE_WEEKDAYS.working_hours_later(start, 24, PARIS)
    assert later == datetime(2026, 11, 12, 15, 0, tzinfo=PARIS)


def test_working_hours_are_counted_in_local_time():
    start = datetime(2026, 3, 6, 14, 0, tzinfo=ZoneInfo("UTC"))  # Friday 15:00 in Paris
    later = FRANCE_WEEKDAYS.working_hours_later(start, 24, PARIS)
    assert later == datetime(2026, 3, 9, 15, 0, tzinfo=PARIS)
    assert later.tzinfo == PARIS


def test_zero_working_hours_is_the_start_itself():
    start = datetime(2026, 3, 7, 10, 0, tzinfo=PARIS)
    assert FRANCE_WEEKDAYS.working_hours_later(start, 0, PARIS) == start


def test_working_hours_from_a_naive_start_are_refused():
    with pytest.raises(ValueError):
        FRANCE_WEEKDAYS.working_hours_later(datetime(2026, 3, 2, 9, 0), 1, PARIS)
