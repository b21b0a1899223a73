"""Working days and working hours: weekdays a team (or a carrier) works, minus public holidays.

Pure date arithmetic with no clock of its own, used by the dispatch and delivery promises
(OG-ORD-03, AA-ORD-03, AL-ORD-03, AA-SHP-07).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

import holidays

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The national public holidays of `country` (ISO code) in `year`, from the `holidays` package."""
    return frozenset(holidays.country_holidays(country, years=year))


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Working weekdays (Monday = 0) of a country; its public holidays are never working days."""

    country: str
    weekdays: frozenset[int]

    def __post_init__(self):
        # An empty week would make every search for a working day loop forever.
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError(f"weekdays must be a non-empty subset of 0..6, not {sorted(self.weekdays)}")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in public_holidays(self.country, day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.working_day_on_or_after(day + ONE_DAY)

    def working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day`; `day` itself when `count` is 0."""
        if count < 0:
            raise ValueError(f"count must be zero or more, not {count}")
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_hours_later(self, start: datetime, hours: int, tz: tzinfo) -> datetime:
        """The instant `hours` working hours after `start`, counting only local hours of working days.

        Hours are wall-clock hours in `tz` (a day counts 24 even when the clocks change), so
        "within 24 working hours" from Friday 15:00 ends on Monday 15:00 (AL-ORD-03).
        """
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        if hours < 0:
            raise ValueError(f"hours must be zero or more, not {hours}")
        if hours == 0:
            return start.astimezone(tz)
        cursor = start.astimezone(tz).replace(tzinfo=None)
        remaining = timedelta(hours=hours)
        while True:
            if not self.is_working_day(cursor.date()):
                cursor = datetime.combine(self.next_working_day(cursor.date()), time())
                continue
            end_of_day = datetime.combine(cursor.date() + ONE_DAY, time())
            if remaining <= end_of_day - cursor:
                return (cursor + remaining).replace(tzinfo=tz)
            remaining -= end_of_day - cursor
            cursor = end_of_day
