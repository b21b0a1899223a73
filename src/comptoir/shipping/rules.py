"""Shipping rules: which methods serve a country, which addresses are refused, when an order ships
and when it arrives. Pure functions of (policy, facts, instant): no database, no clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Hashable, TypeVar
from urllib.parse import quote

from comptoir.brands.policy import BrandPolicy, ShippingMethod, ShippingRate
from comptoir.core.calendar import WorkingCalendar
from comptoir.core.decisions import Decision

Key = TypeVar("Key", bound=Hashable)

ANY_COUNTRY = "*"
TRACKING_NUMBER_PLACEHOLDER = "{tracking_number}"

# Post-office boxes in the languages our shoppers write addresses in (OG-SHP-04). Lines are
# lower-cased and stripped of accents first. Abbreviations must be followed by a number, so that
# "BPM", "Boxhill Road" or "Rue de la Boxe" are not mistaken for boxes; a Belgian "boîte 3" is a
# flat number, not a post-office box, and only "boîte postale" is refused.
PO_BOX_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:g\s*\.?\s*)?p\s*\.?\s*o\s*\.?\s*box(?![a-z])",  # PO Box, P.O. Box, POBox 12, GPO Box
        r"\bpost\s+office\s+box\b",
        r"\blocked\s+bag\s*\d",  # Australia
        r"\bprivate\s+bag\s*\d",  # New Zealand, South Africa
        r"\bboite\s+postale\b",  # Boîte postale
        r"\bb\s*\.?\s*p\s*\.?\s*\d",  # BP 123, B.P. 12
        r"\bcs\s*\d{4,5}\b",  # "correspondance spéciale", a French corporate box: CS 12345
        r"\btsa\s*\d{4,5}\b",  # "tri service arrivée", likewise
        r"\bpostfach\b",  # German
        r"\bpostbus\s*\d",  # Dutch
        r"\bpostboks\s*\d",  # Danish, Norwegian
        r"\bapartado(?:\s+de\s+correos?)?\s*\d",  # Spanish, Portuguese
        r"\bapdo\s*\.?\s*\d",
        r"\bcasilla(?:\s+de\s+correos?)?\s*\d",
        r"\bcasella\s+postale\b",  # Italian
        r"\bcaixa\s+postal\b",  # Portuguese
    )
)


def dispatch_calendar(policy: BrandPolicy) -> WorkingCalendar:
    """The days the warehouse ships: its working weekdays minus public holidays (OG-ORD-03)."""
    dispatch = policy.dispatch
    return WorkingCalendar(dispatch.holidays_country, frozenset(dispatch.working_weekdays))


def delivery_calendar(policy: BrandPolicy, method: ShippingMethod) -> WorkingCalendar:
    """The days a method's carrier delivers, minus the brand's public holidays (OG-SHP-02, AA-SHP-07)."""
    return WorkingCalendar(policy.dispatch.holidays_country, frozenset(method.delivery_weekdays))


def find_rate(policy: BrandPolicy, method: ShippingMethod, country: str) -> ShippingRate | None:
    """The first rate of `method` whose zone holds `country`, if any.

    A zone lists countries; "*" holds every country except those listed as "-XX" (rest of the world).
    """
    for rate in method.rates:
        if zone_holds(policy.shipping.zones[rate.zone], country):
            return rate
    return None


def zone_holds(countries: list[str], country: str) -> bool:
    if f"-{country}" in countries:
        return False
    return country in countries or ANY_COUNTRY in countries


def check_method_available(policy: BrandPolicy, method_code: str, country: str) -> Decision:
    """Allow a method only if the brand offers it and one of its zones serves `country` (OG-SHP-01)."""
    method = policy.shipping_method(method_code)
    if method is None:
        return Decision.refuse("unknown_shipping_method", None, method=method_code)
    if find_rate(policy, method, country) is None:
        return Decision.refuse(
            "method_not_available_for_country", "OG-SHP-01", method=method_code, country=country
        )
    return Decision.allow()


def check_address_deliverable(policy: BrandPolicy, address_lines: list[str]) -> Decision:
    """Refuse a post-office box when the brand does not deliver to them (OG-SHP-04)."""
    if policy.shipping.refuse_po_boxes and any(map(is_po_box, address_lines)):
        return Decision.refuse("po_box_refused", "OG-SHP-04")
    return Decision.allow()


def is_po_box(line: str) -> bool:
    """Whether an address line names a post-office box, in English, French or a neighbour's language."""
    decomposed = unicodedata.normalize("NFKD", line.casefold())
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    return any(pattern.search(plain) for pattern in PO_BOX_PATTERNS)


def promise_dispatch(
    policy: BrandPolicy, method: ShippingMethod, at: datetime, ships_on: date | None = None
) -> date:
    """The local date an order counted from the instant `at` leaves the warehouse.

    `at` is placement, or confirmation when the policy counts from it (the caller decides).
    Rules OG-ORD-03 / AA-ORD-03 (cut-off), AL-ORD-03 (working hours), AL-SHP-07 (a method's own
    cut-off); a pre-order item never ships before its planned date (AL-STK-02).
    """
    if at.tzinfo is None:
        raise ValueError("at must be an aware datetime")
    calendar = dispatch_calendar(policy)
    local = at.astimezone(policy.tz)
    cutoff = method.order_cutoff_local_time or policy.dispatch.cutoff_local_time
    if method.order_cutoff_local_time is not None or policy.dispatch.rule == "cutoff":
        dispatch_on = _dispatch_by_cutoff(calendar, local, cutoff)
    else:
        dispatch_on = _dispatch_within_working_hours(
            calendar, local, policy.dispatch.within_working_hours
        )
    if ships_on is not None:
        dispatch_on = max(dispatch_on, calendar.working_day_on_or_after(ships_on))
    return dispatch_on


def _dispatch_by_cutoff(calendar: WorkingCalendar, local: datetime, cutoff: time) -> date:
    # "Before noon": an order at exactly 12:00 is after the cut-off.
    if calendar.is_working_day(local.date()) and local.time() < cutoff:
        return local.date()
    return calendar.next_working_day(local.date())


def _dispatch_within_working_hours(calendar: WorkingCalendar, local: datetime, hours: int) -> date:
    deadline = calendar.working_hours_later(local, hours, local.tzinfo)
    if deadline.time() == time():
        # The hours ran out at the end of the day before, which was a working day since only
        # working days' hours are counted.
        return deadline.date() - timedelta(days=1)
    return deadline.date()


@dataclass(frozen=True, slots=True)
class DeliveryPromise:
    """What the shopper is told at checkout: price, dispatch date, delivery window (AA-SHP-07)."""

    method_code: str
    carrier: str
    zone: str
    price_minor: int
    dispatch_on: date
    delivery_earliest: date
    delivery_latest: date
    delivery_from_local_time: time | None
    delivery_until_local_time: time | None
    signature_required: bool


def promise_delivery(
    policy: BrandPolicy, method_code: str, country: str, at: datetime, ships_on: date | None = None
) -> DeliveryPromise:
    """Dispatch date, then delivery after the rate's transit in the carrier's working days (AA-SHP-07).

    Precondition: `check_method_available` allowed the method for `country`; otherwise ValueError.
    """
    if not check_method_available(policy, method_code, country):
        raise ValueError(f"shipping method {method_code!r} is not available for {country!r}")
    method = policy.shipping_method(method_code)
    rate = find_rate(policy, method, country)
    dispatch_on = promise_dispatch(policy, method, at, ships_on)
    carrier_days = delivery_calendar(policy, method)
    return DeliveryPromise(
        method_code=method.code,
        carrier=method.carrier,
        zone=rate.zone,
        price_minor=rate.price_minor,
        dispatch_on=dispatch_on,
        delivery_earliest=carrier_days.add_working_days(dispatch_on, rate.transit_working_days_min),
        delivery_latest=carrier_days.add_working_days(dispatch_on, rate.transit_working_days_max),
        delivery_from_local_time=method.delivery_from_local_time,
        delivery_until_local_time=method.delivery_until_local_time,
        signature_required=method.signature_required,
    )


def plan_shipments(
    policy: BrandPolicy, method_code: str, at: datetime, lines: list[tuple[Key, date | None]]
) -> list[tuple[date, list[Key]]]:
    """Group order lines (key, pre-order date) into parcels by dispatch date, earliest first.

    An order mixing dates ships in several parcels (AL-ORD-03) unless the brand holds it to ship
    everything together on the latest date. Raises ValueError for an unknown method.
    """
    method = policy.shipping_method(method_code)
    if method is None:
        raise ValueError(f"unknown shipping method {method_code!r}")
    parcels: dict[date, list[Key]] = {}
    for key, ships_on in lines:
        parcels.setdefault(promise_dispatch(policy, method, at, ships_on), []).append(key)
    if not parcels:
        return []
    if not policy.dispatch.split_preorders:
        return [(max(parcels), [key for key, _ in lines])]
    return sorted(parcels.items())


def tracking_url(method: ShippingMethod, tracking_number: str) -> str:
    """The carrier's tracking page for a parcel (ALL-SHP-06); empty without a template or a number."""
    number = tracking_number.strip()
    if not method.tracking_url_template or not number:
        return ""
    return method.tracking_url_template.replace(TRACKING_NUMBER_PLACEHOLDER, quote(number, safe=""))
