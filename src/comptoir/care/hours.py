"""Customer care's opening hours: open now, next opening, and answer times counted in opening hours.

Pure functions of (contact policy, time zone, holidays country, instant): no database, no clock
(OG-CARE-01, AL-CARE-01, ALL-CARE-02). Public holidays of the country are closed days.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from babel.dates import get_day_names

from comptoir.brands.policy import Contact
from comptoir.core.calendar import public_holidays

# How far ahead to look for an opening: a fortnight of holidays in a row is already absurd.
SEARCH_DAYS = 60
LOCALES = {"en": "en_GB", "fr": "fr_FR"}


@dataclass(frozen=True, slots=True)
class OpeningStatus:
    """`next_opening` is None while open (then `closes_at` says until when); both None without hours."""

    open_now: bool
    next_opening: datetime | None
    closes_at: datetime | None


def opening_periods(contact: Contact, tz: tzinfo, holidays_country: str, day: date) -> list[tuple[datetime, datetime]]:
    """The opening periods of one local day, as aware instants, merged where they touch."""
    if day in public_holidays(holidays_country, day.year):
        return []
    periods = sorted(
        (datetime.combine(day, interval.opens_local_time, tzinfo=tz),
         datetime.combine(day, interval.closes_local_time, tzinfo=tz))
        for interval in contact.opening_hours
        if day.weekday() in interval.weekdays and interval.closes_local_time > interval.opens_local_time
    )
    merged: list[tuple[datetime, datetime]] = []
    for opens, closes in periods:
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(closes, merged[-1][1]))
        else:
            merged.append((opens, closes))
    return merged


def _periods_from(contact: Contact, tz: tzinfo, holidays_country: str,
                  start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Opening periods that end after `start`, in order, for up to SEARCH_DAYS local days."""
    first_day = start.astimezone(tz).date()
    for offset in range(SEARCH_DAYS):
        for opens, closes in opening_periods(contact, tz, holidays_country, first_day + timedelta(days=offset)):
            if closes > start:
                yield opens, closes


def opening_status(contact: Contact, tz: tzinfo, holidays_country: str, now: datetime) -> OpeningStatus:
    """Is customer care open at `now`; if not, when does it next open (OG-CARE-01, AL-CARE-01)?"""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    for opens, closes in _periods_from(contact, tz, holidays_country, now):
        if opens <= now:
            return OpeningStatus(True, None, closes)
        return OpeningStatus(False, opens, None)
    return OpeningStatus(False, None, None)


def expected_answer_by(contact: Contact, tz: tzinfo, holidays_country: str, received_at: datetime,
                       working_hours: int) -> datetime:
    """The instant `working_hours` opening hours after `received_at` (ALL-CARE-02).

    A request received while care is closed starts counting at the next opening. Without published
    opening hours, plain hours are counted.
    """
    if received_at.tzinfo is None:
        raise ValueError("received_at must be an aware datetime")
    if working_hours < 0:
        raise ValueError(f"working_hours must be zero or more, not {working_hours}")
    remaining = timedelta(hours=working_hours)
    if not contact.opening_hours:
        return (received_at + remaining).astimezone(tz)
    cursor = received_at
    while True:
        advanced = False
        for opens, closes in _periods_from(contact, tz, holidays_country, cursor):
            start = max(opens, cursor)
            if remaining <= closes - start:
                return (start + remaining).astimezone(tz)
            remaining -= closes - start
            cursor, advanced = closes, True
        if not advanced:  # no opening within SEARCH_DAYS: count plain hours rather than loop forever
            return (cursor + remaining).astimezone(tz)


def describe_opening_hours(contact: Contact, timezone: str, language: str) -> str:
    """"Monday to Friday, 09:00–12:30 and 13:30–17:00 (Europe/Paris time)": what the shopper is told."""
    by_days: dict[tuple[int, ...], list[str]] = {}
    for interval in contact.opening_hours:
        span = f"{interval.opens_local_time:%H:%M}–{interval.closes_local_time:%H:%M}"
        by_days.setdefault(tuple(sorted(interval.weekdays)), []).append(span)
    names = get_day_names("wide", locale=LOCALES[language])
    joiner, to, zone = {"en": (" and ", " to ", "{} time"), "fr": (" et ", " au ", "heure de {}")}[language]
    parts = []
    for days, spans in by_days.items():
        if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
            day_text = f"{names[days[0]]}{to}{names[days[-1]]}"
        else:
            day_text = ", ".join(names[day] for day in days)
        parts.append(f"{day_text[:1].upper()}{day_text[1:]}, {joiner.join(sorted(spans))}")
    city = timezone.split("/")[-1].replace("_", " ")
    return "; ".join(parts) + f" ({zone.format(city)})"
