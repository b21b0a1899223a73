"""What the member's loyalty page shows (AL-LOY-02/04/05): balances with dates, the status and what the
next one needs, history, missions and vouchers; and the referral page (AL-RAF-01). A constant number of
queries: the member, their entries with provenance, their vouchers (and referrals)."""

from __future__ import annotations

from datetime import datetime

from comptoir.brands.models import Brand
from comptoir.loyalty import rules
from comptoir.loyalty.models import LoveEntry, Membership
from comptoir.loyalty.referrals import referral_link, referral_policy
from comptoir.loyalty.services import entry_facts, programme
from comptoir.loyalty.vouchers import voucher_status


def loyalty_page(brand: Brand, membership: Membership, *, language: str, now: datetime, offset: int = 0,
                 limit: int = 50) -> dict:
    policy = programme(brand)
    entries = list(membership.entries.select_related("order_line__order").order_by("-created_at", "-id"))
    facts = entry_facts(entries)
    balance = rules.balance(facts, now)
    status = rules.tier_status(facts, policy, now)
    done = {e.mission_code: e.created_at for e in entries if e.kind == LoveEntry.MISSION}
    following = policy.tier(status.next_code) if status.next_code else None
    return {
        "programme": policy.name.get(language),
        "member_since": membership.joined_at,
        "balance": {"available": balance.available, "pending": balance.pending,
                    "pending_releases": [{"loves": loves, "available_at": at} for at, loves in balance.releases]},
        "tier": {"code": status.code, "name": policy.tiers[status.level].name.get(language),
                 "reached_at": status.reached_at, "kept_until": status.kept_until,
                 "spend_last_months_minor": status.spend_minor, "window_months": policy.tier_window_months,
                 "next": None if following is None else {
                     "code": following.code, "name": following.name.get(language),
                     "threshold_minor": following.threshold_minor, "missing_minor": status.missing_minor}},
        "tiers": [{"code": tier.code, "name": tier.name.get(language), "threshold_minor": tier.threshold_minor,
                   "current": tier.code == status.code} for tier in policy.tiers],
        "history": {"count": len(entries), "items": [entry_out(e, now) for e in entries[offset:offset + limit]]},
        "missions": [{"code": m.code, "name": m.name.get(language), "loves": m.loves,
                      "completed_at": done.get(m.code)} for m in policy.missions],
        "voucher_options": [{"loves": o.loves, "amount_minor": o.amount_minor,
                             "affordable": balance.available >= o.loves} for o in policy.voucher_options],
        "vouchers": [voucher_out(v, now) for v in membership.vouchers.all()],
    }


def entry_out(entry: LoveEntry, now: datetime) -> dict:
    line = entry.order_line
    return {"kind": entry.kind, "loves": entry.loves, "created_at": entry.created_at,
            "available_at": entry.available_at, "pending": entry.available_at > now,
            "order_number": line.order.number if line else None, "sku": line.sku if line else None,
            "quantity": entry.quantity, "mission": entry.mission_code or None, "reference": entry.reference or None}


def voucher_out(voucher, now: datetime) -> dict:
    return {"code": voucher.code, "source": voucher.source, "amount_minor": voucher.amount_minor,
            "currency": voucher.currency, "issued_at": voucher.issued_at, "expires_at": voucher.expires_at,
            "status": voucher_status(voucher, now)}


def referral_page(brand: Brand, membership: Membership, *, now: datetime) -> dict:
    policy = referral_policy(brand)
    referrals = membership.referrals.select_related("friend_code", "reward_voucher").order_by("-created_at", "-id")
    return {
        "link": referral_link(brand, membership), "referral_code": membership.referral_code,
        "friend_reduction_minor": policy.friend_reduction_minor, "friend_code_validity_days": policy.friend_code_validity_days,
        "member_reward_minor": policy.member_reward_minor,
        "member_reward_validity_days": policy.member_reward_validity_days,
        "referrals": [{"friend_email": r.friend_email, "status": r.status, "refusal_code": r.refusal_code or None,
                       "created_at": r.created_at, "friend_code_expires_at": r.friend_code.ends_at,
                       "reward": voucher_out(r.reward_voucher, now) if r.reward_voucher else None}
                      for r in referrals[:100]],
    }
