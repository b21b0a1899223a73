"""Pure return rules: may this be returned, who pays the parcel, which label, did it come back in
time, refund without return, when the refund is due. Functions of (policy, facts, now) only.

Rule IDs name the rules.md sentence a policy field encodes (no brand names in code): the window a
policy describes is OP-RET-02 without right of withdrawal, OG-RET-02 with a separate sending delay,
AL-RET-02 with a prepaid label, AA-RET-01 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from comptoir.brands.policy import BrandPolicy
from comptoir.core.calendar import WorkingCalendar
from comptoir.core.decisions import Decision
from comptoir.shipping.rules import zone_holds

DEFECT_KINDS = frozenset({"defective", "damaged"})  # AL-RET-06 "to report any defects found"


@dataclass(frozen=True, slots=True)
class LineRequest:
    line_id: int
    delivered_at: datetime | None  # when the parcel holding the line was delivered
    ordered: int  # units on the order line
    already_claimed: int  # units in other live returns
    quantity: int  # units asked for now
    reason_code: str


@dataclass(frozen=True, slots=True)
class ReturnFacts:
    lines: tuple[LineRequest, ...]


@dataclass(frozen=True, slots=True)
class LabelPlan:
    kind: str  # prepaid_label | rma_slip | return_slip
    carrier: str
    paid_by_brand: bool  # the label costs the shopper nothing (AL-RET-02)
    reimbursement_cap_minor: int  # the shopper advances the cost, reimbursed up to this (AL-RET-02)
    downloadable_days: int | None  # AL-RET-03


@dataclass(frozen=True, slots=True)
class ArrivalFacts:
    declared_at: datetime
    sent_at: datetime | None  # the postmark or carrier scan, when staff know it


def window_rule(policy: BrandPolicy) -> str:
    returns = policy.returns
    if not returns.right_of_withdrawal:
        return "OP-RET-02"
    if returns.ship_within_days:
        return "OG-RET-02"
    if returns.label.kind == "prepaid_label":
        return "AL-RET-02"
    return "AA-RET-01"


def local_day(policy: BrandPolicy, instant: datetime) -> date:
    return instant.astimezone(policy.tz).date()


def return_deadline(policy: BrandPolicy, delivered_at: datetime) -> date:
    """The last local day to declare: "within 14 days of receiving" counts from the delivery day."""
    return local_day(policy, delivered_at) + timedelta(days=policy.returns.request_window_days)


def reason_of(policy: BrandPolicy, code: str):
    return next((reason for reason in policy.returns.reasons if reason.code == code), None)


def check_return_eligible(policy: BrandPolicy, facts: ReturnFacts, now: datetime) -> Decision:
    """May these lines be returned now, for these reasons? (OG-RET-02, AA-RET-01, OP-RET-01/02, AL-RET-02/06)"""
    returns = policy.returns
    if returns is None:
        return Decision.refuse("returns_not_offered", None, email=policy.contact.email)
    if not facts.lines:
        return Decision.refuse("return_items_required", "OG-RET-01")
    for line in facts.lines:
        if line.delivered_at is None:
            return Decision.refuse("return_before_delivery", window_rule(policy))
        deadline = return_deadline(policy, line.delivered_at)
        if local_day(policy, now) > deadline:
            return Decision.refuse("return_window_closed", window_rule(policy), days=returns.request_window_days,
                                   deadline=deadline.isoformat())
    for line in facts.lines:
        reason = reason_of(policy, line.reason_code)
        if (reason is None or reason.kind == "change_of_mind") and not returns.right_of_withdrawal:
            # OP-RET-01: for professionals any reason but the brand's defect reasons is a withdrawal.
            return Decision.refuse("no_right_of_withdrawal", "OP-RET-01",
                                   reasons=", ".join(r.code for r in returns.reasons))
        if reason is None:
            return Decision.refuse("unknown_return_reason", "OP-RET-02", reason=line.reason_code,
                                   reasons=", ".join(r.code for r in returns.reasons))
        if (returns.defect_report_within_hours and reason.kind in DEFECT_KINDS
                and now > line.delivered_at + timedelta(hours=returns.defect_report_within_hours)):
            return Decision.refuse("defect_reported_too_late", "AL-RET-06",
                                   hours=returns.defect_report_within_hours)
        left = line.ordered - line.already_claimed
        if line.quantity <= 0:
            return Decision.refuse("invalid_input", None, fields="items.quantity")
        if left <= 0:
            return Decision.refuse("item_already_returned", "OG-RET-01", line=line.line_id)
        if line.quantity > left:
            return Decision.refuse("return_quantity_exceeds_order", "OG-RET-01", line=line.line_id, left=left)
    return Decision.allow()


def who_pays_return_shipping(policy: BrandPolicy, reason_kinds) -> str:
    """"brand" when the brand pays every return, or a reason is its fault (OG-RET-03, AA-RET-03); else "customer"."""
    returns = policy.returns
    if returns.return_shipping_paid_by == "brand":
        return "brand"
    return "brand" if any(kind in returns.brand_pays_for for kind in reason_kinds) else "customer"


def who_pays_parcel(policy: BrandPolicy, reason_kinds, country: str) -> str:
    """Who pays this parcel: the brand with its prepaid label; where the carrier does not serve, the shopper
    advances the cost unless a reason is the brand's fault (AL-RET-02); else `who_pays_return_shipping`."""
    plan = label_for(policy, country)
    if plan.paid_by_brand:
        return "brand"
    if plan.reimbursement_cap_minor or policy.returns.label.kind == "prepaid_label":
        return "brand" if any(kind in policy.returns.brand_pays_for for kind in reason_kinds) else "customer"
    return who_pays_return_shipping(policy, reason_kinds)


def label_for(policy: BrandPolicy, country: str) -> LabelPlan:
    """The document for a parcel leaving `country`: a prepaid label where the carrier serves it, else the
    shopper advances the cost, reimbursed up to the cap (AL-RET-02); a slip otherwise (OG-RET-01, OP-RET-02)."""
    label = policy.returns.label
    if label.kind == "prepaid_label":
        served = not label.served_countries or country in label.served_countries
        return LabelPlan("prepaid_label" if served else "rma_slip", label.carrier if served else "", served,
                         0 if served else label.reimbursement_cap_minor, label.downloadable_days)
    return LabelPlan(label.kind, label.carrier, False, 0, label.downloadable_days)


def check_arrival_in_time(policy: BrandPolicy, facts: ArrivalFacts, now: datetime) -> Decision:
    """OG-RET-02: the item must leave within `ship_within_days` of the request; the send date is the one
    staff read on the parcel, or the day it arrived when unknown."""
    days = policy.returns.ship_within_days if policy.returns else None
    if days is None:
        return Decision.allow()
    last_day = local_day(policy, facts.declared_at) + timedelta(days=days)
    if local_day(policy, facts.sent_at or now) > last_day:
        return Decision.refuse("return_sent_too_late", "OG-RET-02", days=days, deadline=last_day.isoformat())
    return Decision.allow()


def refund_without_return(policy: BrandPolicy, country: str, item_value_minor: int, shipping_cost_minor: int) -> bool:
    """OP-RET-02 "a refund depending on your location"; OP-RET-03 shipping would cost more than the item."""
    returns = policy.returns
    if returns.refund_without_return_countries and zone_holds(returns.refund_without_return_countries, country):
        return True
    return returns.refund_without_return_when_shipping_exceeds_value and shipping_cost_minor > item_value_minor


def refund_due_at(policy: BrandPolicy, *, declared_at: datetime, validated_at: datetime) -> datetime:
    """When the refund must be made: N calendar days from the notice but never before validation
    (AA-RFD-01), else N working days after validation (OG-RFD-01, OG-RET-06; 0 = at once, AL-RFD-01)."""
    returns = policy.returns
    if returns.refund_within_days_of_notice:
        return max(declared_at + timedelta(days=returns.refund_within_days_of_notice), validated_at)
    calendar = WorkingCalendar(policy.dispatch.holidays_country, frozenset(policy.dispatch.working_weekdays))
    return working_days_later(calendar, policy, validated_at, returns.refund_within_working_days)


def returned_parcel_refund_due_at(policy: BrandPolicy, returned_at: datetime) -> datetime:
    """AL-SHP-09 "automatically refunded within 7 working days of receipt": at the latest then."""
    calendar = WorkingCalendar(policy.dispatch.holidays_country, frozenset(policy.dispatch.working_weekdays))
    return working_days_later(calendar, policy, returned_at,
                              policy.returns.returned_to_sender_refund_within_working_days or 0)


def working_days_later(calendar: WorkingCalendar, policy: BrandPolicy, start: datetime, days: int) -> datetime:
    """The same local time `days` working days after `start` (`start` itself for 0)."""
    if days == 0:
        return start
    local = start.astimezone(policy.tz)
    day = calendar.add_working_days(local.date(), days)
    return datetime.combine(day, time(local.hour, local.minute), tzinfo=policy.tz)


def check_postage_advanced(cap_minor: int, advanced_minor: int | None) -> Decision:
    """Postage is noted only for a return whose advance the brand reimburses (AL-RET-02), and never negative."""
    if advanced_minor is None:
        return Decision.allow()
    if advanced_minor < 0:
        return Decision.refuse("invalid_input", None, fields="postage_advanced_minor")
    if cap_minor == 0:
        return Decision.refuse("postage_not_reimbursed", "AL-RET-02")
    return Decision.allow()


def postage_reimbursement(cap_minor: int, advanced_minor: int | None) -> int:
    """AL-RET-02 "advanced by the customer and will be reimbursed up to 6 euros": what she advanced, up to the
    cap; the cap itself when staff could not read the postage (assumed: a parcel from a country the prepaid
    carrier does not serve costs more than the cap)."""
    if cap_minor == 0:
        return 0
    return cap_minor if advanced_minor is None else min(advanced_minor, cap_minor)
