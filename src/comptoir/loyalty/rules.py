"""Pure loyalty and referral rules: balances, tiers over a rolling window, vouchers, missions, referral
fraud signals. No database, no clock: entries, policy and `now` come in (AL-LOY-01..07, AL-RAF-01..03).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from comptoir.brands.loyalty_policy import LoyaltyPolicy
from comptoir.core.decisions import Decision


@dataclass(frozen=True, slots=True)
class EntryFacts:
    kind: str
    loves: int
    spend_minor: int
    occurred_at: datetime
    available_at: datetime
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Balance:
    available: int
    pending: int
    # (instant, loves) still to come, soonest first (AL-LOY-03 "credited after 18 calendar days").
    releases: list[tuple[datetime, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TierStatus:
    code: str
    level: int
    reached_at: datetime | None  # when the current status was last achieved; None for the base status
    kept_until: datetime | None  # the status is kept at least until then (AL-LOY-04)
    spend_minor: int  # spend counted over the rolling window now
    next_code: str | None
    missing_minor: int  # spend still needed for the next status; 0 at the top
    promotions: list[tuple[datetime, str]] = field(default_factory=list)  # rises of the status, oldest first


# --- Time ------------------------------------------------------------------------------------------------

def add_months(moment: datetime, months: int) -> datetime:
    """The same wall-clock time `months` calendar months later; a day missing in that month (31st, 29 Feb)
    becomes its last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def available_from(purchased_at: datetime, policy: LoyaltyPolicy, tz: ZoneInfo) -> datetime:
    """AL-LOY-03: loves are credited at the start of the day `pending_days` calendar days after the
    purchase, in the brand's time zone."""
    local_day = purchased_at.astimezone(tz).date() + timedelta(days=policy.pending_days)
    return datetime(local_day.year, local_day.month, local_day.day, tzinfo=tz)


def loves_for(spent_minor: int, policy: LoyaltyPolicy, exponent: int = 2) -> int:
    """AL-LOY-01: `points_per_currency_unit` loves per whole unit spent, proportionally, rounded down."""
    return max(spent_minor, 0) * policy.points_per_currency_unit // (10 ** exponent)


# --- Balance ---------------------------------------------------------------------------------------------

def balance(entries: list[EntryFacts], now: datetime) -> Balance:
    """Available loves count entries due by now and not expired; pending ones are still to come."""
    available, upcoming = 0, defaultdict(int)
    for entry in entries:
        if entry.expires_at is not None and entry.expires_at <= now:
            continue
        if entry.available_at <= now:
            available += entry.loves
        else:
            upcoming[entry.available_at] += entry.loves
    releases = [(at, loves) for at, loves in sorted(upcoming.items()) if loves]
    return Balance(available, sum(loves for _, loves in releases), releases)


# --- Tiers (AL-LOY-04) -----------------------------------------------------------------------------------

def _level_for(spend_minor: int, policy: LoyaltyPolicy) -> int:
    if spend_minor <= 0:
        return 0
    return max(i for i, tier in enumerate(policy.tiers) if spend_minor >= tier.threshold_minor)


def tier_status(entries: list[EntryFacts], policy: LoyaltyPolicy, now: datetime) -> TierStatus:
    """The status now: the highest tier whose threshold the spend of the last `tier_window_months` reaches,
    or one achieved less than `tier_kept_months` ago. Spend counts from the day its loves are credited
    (a purchase returned within the pending days never counts) until the window has passed its purchase.
    `promotions` lists each rise of the status, which is when its welcome e-mail is due."""
    changes: dict[datetime, int] = defaultdict(int)
    for entry in entries:
        if not entry.spend_minor:
            continue
        leaves = add_months(entry.occurred_at, policy.tier_window_months)
        if leaves > entry.available_at:
            changes[entry.available_at] += entry.spend_minor
            changes[leaves] -= entry.spend_minor
    spend = spend_level = 0
    achieved: dict[int, datetime] = {}
    promotions = []
    for moment in sorted(moment for moment in changes if moment <= now):
        kept_before = [level for level, at in achieved.items() if add_months(at, policy.tier_kept_months) >= moment]
        shown_before = max([spend_level, *kept_before])
        spend += changes[moment]
        level = _level_for(spend, policy)
        for risen in range(spend_level + 1, level + 1):
            achieved[risen] = moment  # achieved (again): kept a year from this moment
        spend_level = level
        shown = max([spend_level, *(lvl for lvl, at in achieved.items()
                                    if add_months(at, policy.tier_kept_months) > moment)])
        if shown > shown_before:
            promotions.append((moment, policy.tiers[shown].code))
    kept = [lvl for lvl, at in achieved.items() if add_months(at, policy.tier_kept_months) > now]
    current = max([spend_level, *kept])
    reached_at = achieved.get(current) if current else None
    kept_until = add_months(reached_at, policy.tier_kept_months) if reached_at else None
    following = policy.tiers[current + 1] if current + 1 < len(policy.tiers) else None
    return TierStatus(
        code=policy.tiers[current].code, level=current, reached_at=reached_at, kept_until=kept_until,
        spend_minor=spend, next_code=following.code if following else None,
        missing_minor=max(following.threshold_minor - spend, 0) if following else 0, promotions=promotions,
    )


def next_tier_check(entries: list[EntryFacts], now: datetime) -> datetime | None:
    """The next instant the status may rise: the soonest spend still pending (None: nothing to watch)."""
    upcoming = [entry.available_at for entry in entries if entry.spend_minor > 0 and entry.available_at > now]
    return min(upcoming, default=None)


# A hand adjustment larger than this is a typing slip, not a goodwill gesture.
MAX_ADJUSTMENT_LOVES = 100_000


# --- Missions and vouchers (AL-LOY-02, AL-LOY-05) --------------------------------------------------------

def check_mission(policy: LoyaltyPolicy, code: str, done: set[str]) -> Decision:
    """A mission the brand lists, not yet completed by this member: each earns once (AL-LOY-02)."""
    if policy.mission(code) is None:
        return Decision.refuse("unknown_mission", "AL-LOY-02", mission=code)
    if code in done:
        return Decision.refuse("mission_already_completed", "AL-LOY-02", mission=code)
    return Decision.allow()


def check_adjustment(loves: int, reason: str, available: int) -> Decision:
    """Customer care adds or removes loves by hand, always saying why; a removal never takes the member
    below zero available loves (the ledger stays a sum a shopper can read)."""
    if loves == 0 or abs(loves) > MAX_ADJUSTMENT_LOVES:
        return Decision.refuse("invalid_input", None, fields="loves")
    if not reason.strip():
        return Decision.refuse("adjustment_reason_required", None)
    if loves < 0 and -loves > available:
        return Decision.refuse("not_enough_loves", None, wanted=-loves, available=available)
    return Decision.allow()


def check_redeem(policy: LoyaltyPolicy, loves: int, available: int) -> Decision:
    """Loves turn into a voucher at one of the brand's rates, within the available balance (AL-LOY-05)."""
    if not any(option.loves == loves for option in policy.voucher_options):
        choices = ", ".join(str(option.loves) for option in policy.voucher_options)
        return Decision.refuse("unknown_voucher_option", "AL-LOY-05", choices=choices)
    if available < loves:
        return Decision.refuse("not_enough_loves", "AL-LOY-05", available=available, wanted=loves)
    return Decision.allow()


@dataclass(frozen=True, slots=True)
class VoucherFacts:
    owner_customer_id: int
    member_active: bool
    expires_at: datetime
    used: bool
    cancelled: bool


def check_voucher_usable(voucher: VoucherFacts, *, customer_id: int | None, now: datetime) -> Decision:
    """A voucher pays only for its member's order, signed in, once, before it expires (AL-LOY-05, AL-RAF-03),
    and never after the member left the programme (AL-LOY-07)."""
    if customer_id is None:
        return Decision.refuse("voucher_sign_in_required", "AL-LOY-05")
    if customer_id != voucher.owner_customer_id:
        return Decision.refuse("voucher_not_yours", "AL-LOY-05")
    if voucher.cancelled or not voucher.member_active:
        return Decision.refuse("voucher_cancelled", "AL-LOY-07")
    if voucher.used:
        return Decision.refuse("voucher_already_used", "AL-LOY-05")
    if now >= voucher.expires_at:
        return Decision.refuse("voucher_expired", "AL-LOY-05", expires_at=voucher.expires_at)
    return Decision.allow()


# --- Referral (AL-RAF-01..03) ----------------------------------------------------------------------------

GMAIL_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def email_key(email: str) -> str:
    """An address reduced to its mailbox: lower case, "+tag" dropped, dots dropped from the local part, so
    "Lea.Petit+promo@example.com" and "leapetit@example.com" are one person for the referral programme."""
    local, _, domain = (email or "").strip().lower().rpartition("@")
    local = local.split("+", 1)[0].replace(".", "")
    return f"{local}@{GMAIL_DOMAINS.get(domain, domain)}"


@dataclass(frozen=True, slots=True)
class RewardFacts:
    """What the reward sweep knows about a referral whose friend ordered."""

    referrer_customer_id: int
    referrer_email_key: str
    referrer_cards: frozenset[str]  # "network:last4" of the cards the member paid with
    friend_customer_id: int | None
    friend_email_key: str
    friend_cards: frozenset[str]
    friend_had_earlier_order: bool
    friend_order_returned_in_full: bool


def check_referral(*, referrer_email_key: str, friend_email_key: str, friend_has_ordered: bool,
                   already_referred: bool) -> Decision:
    """Whether a member may refer this address: not themselves, a friend not yet referred (one reward per
    friend), who has never ordered (AL-RAF-01, AL-RAF-02)."""
    if friend_email_key == referrer_email_key:
        return Decision.refuse("self_referral", "AL-RAF-02")
    if already_referred:
        return Decision.refuse("friend_already_referred", "AL-RAF-01")
    if friend_has_ordered:
        return Decision.refuse("friend_not_a_first_order", "AL-RAF-02")
    return Decision.allow()


def check_reward(facts: RewardFacts) -> Decision:
    """The member's voucher is due only for a real friend's real first order: fraud signals are the same
    account, the same mailbox spelt differently, the same payment card, an earlier order (AL-RAF-01/02)."""
    if facts.friend_customer_id is not None and facts.friend_customer_id == facts.referrer_customer_id:
        return Decision.refuse("self_referral", "AL-RAF-02")
    if facts.friend_email_key == facts.referrer_email_key:
        return Decision.refuse("self_referral", "AL-RAF-02")
    if facts.friend_cards & facts.referrer_cards:
        return Decision.refuse("same_payment_card", "AL-RAF-02")
    if facts.friend_had_earlier_order:
        return Decision.refuse("friend_not_a_first_order", "AL-RAF-02")
    if facts.friend_order_returned_in_full:
        return Decision.refuse("friend_order_returned", "AL-RAF-01")
    return Decision.allow()
