"""The tier sweep (AL-LOY-04): when a member's status rises, a welcome e-mail with its surprise, once.

A member is looked at only when `tier_due_at` has come (spend of theirs becomes counted), so a round costs
what there is to do. Each rise is e-mailed with an outbox key naming the member, the tier and the instant:
running the sweep again, or from two workers, sends nothing more.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date
from django.db import connection, transaction

from comptoir.brands.services import brand_contact
from comptoir.loyalty import rules
from comptoir.loyalty.models import Membership
from comptoir.loyalty.services import entry_facts, loyalty_url
from comptoir.notifications.services import notify_email

BATCH = 200


def send_tier_welcomes(now: datetime) -> int:
    """Worker sweep: look at the members due, e-mail each status reached since the last look. Returns the
    number of e-mails enqueued."""
    sent = 0
    due = Membership.objects.filter(tier_due_at__lte=now, left_at__isnull=True).order_by("tier_due_at")
    for membership_id in list(due.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            rows = Membership.objects.select_related("brand", "customer").filter(pk=membership_id)
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(of=("self",), skip_locked=True)
            membership = rows.first()
            if membership is None or membership.tier_due_at is None or membership.tier_due_at > now:
                continue
            sent += _look_at(membership, now)
    return sent


def _look_at(membership: Membership, now: datetime) -> int:
    policy = membership.brand.policy_object.loyalty
    if policy is None or membership.left_at is not None:
        Membership.objects.filter(pk=membership.pk).update(tier_due_at=None)
        return 0
    entries = entry_facts(membership.entries.all())
    status = rules.tier_status(entries, policy, now)
    seen = membership.tier_reached_at
    fresh = [(at, code) for at, code in status.promotions if seen is None or at > seen]
    for at, code in fresh:
        _notify(membership, policy.tier(code), at, now)
    membership.tier = status.code
    if fresh:
        membership.tier_reached_at = fresh[-1][0]
    membership.tier_due_at = rules.next_tier_check(entries, now)
    membership.save(update_fields=["tier", "tier_reached_at", "tier_due_at"])
    return sum(1 for _, code in fresh if policy.tier(code).welcome_surprise is not None)


def _notify(membership: Membership, tier, reached_at: datetime, now: datetime) -> None:
    if tier.welcome_surprise is None:
        return
    brand, customer = membership.brand, membership.customer
    policy = brand.policy_object
    language = customer.language if customer.language in policy.languages else policy.default_language
    kept_until = rules.add_months(reached_at, policy.loyalty.tier_kept_months)
    locale = "fr_FR" if language == "fr" else "en_GB"
    notify_email(
        brand_slug=brand.slug, to=customer.email, template="loyalty_tier_reached", language=language,
        context={"brand": brand_contact(brand), "customer": {"first_name": customer.first_name},
                 "loyalty_url": loyalty_url(brand),
                 "loyalty": {"programme": policy.loyalty.name.get(language), "tier": tier.name.get(language),
                             "surprise": tier.welcome_surprise.get(language),
                             "kept_until": format_date(kept_until.astimezone(policy.tz).date(), "long", locale=locale)}},
        idempotency_key=f"loyalty-tier:{membership.pk}:{tier.code}:{reached_at.isoformat()}", now=now,
    )
