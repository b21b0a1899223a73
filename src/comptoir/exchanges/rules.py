"""Pure exchange rules: which kind of exchange, may it be asked now, what it costs, how it ships and when
it arrives. Functions of (policy, facts, now) only (AL-EXC-01..04, OG-EXC-01)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from comptoir.brands.policy import BrandPolicy
from comptoir.core.calendar import WorkingCalendar
from comptoir.core.decisions import Decision
from comptoir.core.money import round_half_up

SIZE, PRODUCT = "size", "product"


@dataclass(frozen=True, slots=True)
class VariantFacts:
    product_id: int
    sku: str
    colour: str
    is_gift_card: bool = False


@dataclass(frozen=True, slots=True)
class ExchangeFacts:
    returned: VariantFacts
    wanted: VariantFacts
    return_open: bool  # the return has not arrived yet (requested or approved)
    delivered_at: datetime | None  # when the returned item reached the shopper
    request_window_days: int  # the brand's return deadline (OG-EXC-01 "within the return deadlines")


@dataclass(frozen=True, slots=True)
class ExchangePrice:
    covered_minor: int  # what the returned units pay of the new item
    supplement_minor: int  # what the shopper pays on top
    refund_minor: int  # what comes back to the shopper


def exchange_kind(returned: VariantFacts, wanted: VariantFacts) -> str:
    """AL-EXC-01: the same reference in another size is a size exchange; anything else, a colour of the same
    reference included ("Exchanging colors on the same reference constitutes a product exchange"), is a
    product exchange."""
    if returned.product_id == wanted.product_id and returned.colour == wanted.colour:
        return SIZE
    return PRODUCT


def check_exchange_allowed(policy: BrandPolicy, facts: ExchangeFacts, now: datetime) -> Decision:
    """May this item be exchanged for that one now? (OG-EXC-01, AL-EXC-01)"""
    exchanges = policy.exchanges
    if exchanges is None or not (exchanges.size_exchange or exchanges.product_exchange):
        return Decision.refuse("exchanges_not_offered", "OG-EXC-01", email=policy.contact.email)
    if facts.returned.sku == facts.wanted.sku:
        return Decision.refuse("exchange_same_item", "AL-EXC-01")
    if facts.returned.is_gift_card or facts.wanted.is_gift_card:
        return Decision.refuse("exchange_gift_card", "AL-EXC-01")
    if not facts.return_open:
        return Decision.refuse("exchange_return_not_open", "OG-EXC-01")
    if facts.delivered_at is None:
        return Decision.refuse("return_before_delivery", "OG-EXC-01")
    deadline = (facts.delivered_at.astimezone(policy.tz).date() + timedelta(days=facts.request_window_days))
    if now.astimezone(policy.tz).date() > deadline:
        return Decision.refuse("exchange_window_closed", "OG-EXC-01", days=facts.request_window_days,
                               deadline=deadline.isoformat())
    kind = exchange_kind(facts.returned, facts.wanted)
    if kind == SIZE and not exchanges.size_exchange:
        return Decision.refuse("size_exchange_not_offered", "AL-EXC-01", email=policy.contact.email)
    if kind == PRODUCT and not exchanges.product_exchange:
        return Decision.refuse("product_exchange_not_offered", "AL-EXC-01", email=policy.contact.email)
    return Decision.allow()


def exchange_price(policy: BrandPolicy, kind: str, paid_minor: int, new_value_minor: int) -> ExchangePrice:
    """AL-EXC-02: a size exchange keeps the price paid whatever the current price ("no supplement ... no
    refund"); a product exchange charges or refunds the difference between the price paid and the new price."""
    if kind == SIZE and policy.exchanges.size_exchange_keeps_price:
        return ExchangePrice(paid_minor, 0, 0)
    difference = new_value_minor - paid_minor
    return ExchangePrice(min(paid_minor, new_value_minor), max(difference, 0), max(-difference, 0))


def exchange_shipping_minor(policy: BrandPolicy, rate_minor: int, *, brand_at_fault: bool) -> int:
    """AL-EXC-04 "Shipping costs for your exchange order are at our expense"; where the brand does not say so
    the shopper pays the original method's rate, unless the return is the brand's fault (OG-RET-03)."""
    if policy.exchanges.exchange_ships_free or brand_at_fault:
        return 0
    return rate_minor


def typical_arrival(policy: BrandPolicy, requested_at: datetime) -> tuple[date, date] | None:
    """AL-EXC-04 "This usually takes between 7 and 14 working days": the window, counted in the brand's
    working days from the request; None where the brand gives no figure."""
    exchanges = policy.exchanges
    if exchanges is None or exchanges.typical_working_days_min is None or exchanges.typical_working_days_max is None:
        return None
    calendar = WorkingCalendar(policy.dispatch.holidays_country, frozenset(policy.dispatch.working_weekdays))
    start = requested_at.astimezone(policy.tz).date()
    return (calendar.add_working_days(start, exchanges.typical_working_days_min),
            calendar.add_working_days(start, exchanges.typical_working_days_max))


def units_share(total_minor: int, quantity: int, before: int, units: int) -> int:
    """The part of `total_minor` (spread over `quantity` units) that `units` more units carry after `before`
    were counted: cumulative rounding, so the last unit takes what is left."""
    if not (before >= 0 and units >= 0 and before + units <= quantity):
        raise ValueError(f"{units} units after {before} of {quantity}")

    def upto(count: int) -> int:
        return round_half_up(Decimal(total_minor) * count / quantity)

    return upto(before + units) - upto(before)
