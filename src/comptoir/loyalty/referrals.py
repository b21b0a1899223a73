"""Referral (AL-RAF-01..03): a member's link or invitation gives a friend a code for a first order, reserved
to her address and valid `friend_code_validity_days`; once her order is finalised the member gets a voucher
valid `member_reward_validity_days`, one per friend, unless a fraud signal says the "friend" is the member.

"Finalised" = delivered, and the brand's return window (days from delivery) has passed without the whole
order coming back; for a brand without a returns section, delivered is enough.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from comptoir.brands.models import Brand
from comptoir.brands.services import brand_contact
from comptoir.core.errors import Conflict, NotFound
from comptoir.core.money import Money
from comptoir.discounts.models import DiscountCode, DiscountRedemption
from comptoir.discounts.rules import FIXED_AMOUNT
from comptoir.loyalty import rules
from comptoir.loyalty.models import Membership, Referral
from comptoir.loyalty.services import loyalty_url, new_code, returned_in_full
from comptoir.loyalty.vouchers import issue_reward
from comptoir.notifications.services import notify_email
from comptoir.orders import states
from comptoir.orders.models import Order
from comptoir.payments.models import Payment

EXCLUDED = ["awaiting_payment", "payment_failed", "cancelled", "refused"]


def referral_policy(brand: Brand):
    policy = brand.policy_object.referral
    if policy is None or brand.policy_object.loyalty is None:
        raise NotFound("no_referral_programme", rule="AL-RAF-01")
    return policy


def referral_link(brand: Brand, membership: Membership) -> str:
    """The link a member shares (AL-RAF-01): a storefront page where the friend leaves her address."""
    return f"{settings.BASE_URL}/{brand.slug}/referral/{membership.referral_code}"


def find_referrer(brand: Brand, referral_code: str) -> Membership:
    membership = (Membership.objects.select_related("customer")
                  .filter(brand=brand, referral_code=referral_code, left_at__isnull=True).first())
    if membership is None:
        raise NotFound("not_found", thing="referral link")
    return membership


def refer_friend(brand: Brand, membership: Membership, *, email: str, language: str, now: datetime) -> Referral:
    """Create the friend's code and e-mail it to her (the e-mail proves the address is hers). Refused:
    herself (any spelling of her own mailbox), a friend already referred by anyone, an address that already
    ordered (AL-RAF-02)."""
    policy = referral_policy(brand)
    email = email.strip().lower()
    key = rules.email_key(email)
    has_ordered = Order.objects.filter(brand=brand, email=email).exclude(status__in=EXCLUDED).exists()
    already = Referral.objects.filter(brand=brand, friend_email_key=key).exists()
    rules.check_referral(referrer_email_key=rules.email_key(membership.customer.email), friend_email_key=key,
                         friend_has_ordered=has_ordered, already_referred=already).enforce()
    ends_at = now + timedelta(days=policy.friend_code_validity_days)
    try:
        with transaction.atomic():
            code = DiscountCode.objects.create(
                brand=brand, code=new_code("FRIEND-"), kind=FIXED_AMOUNT, amount_minor=policy.friend_reduction_minor,
                starts_at=now, ends_at=ends_at, usage_limit=1, restricted_to_email=email, first_order_only=True,
                created_at=now)
            referral = Referral.objects.create(brand=brand, referrer=membership, friend_email=email,
                                               friend_email_key=key, friend_code=code, created_at=now)
            amount = Money(policy.friend_reduction_minor, brand.policy_object.currency)
            notify_email(brand_slug=brand.slug, to=email, template="referral_friend_code", language=language,
                         context={"brand": brand_contact(brand), "shop_url": f"{settings.BASE_URL}/{brand.slug}",
                                  "referral": {"member_first_name": membership.customer.first_name,
                                               "code": code.code, "amount": amount.format(language),
                                               "valid_until": _date(ends_at, brand, language)}},
                         idempotency_key=f"referral-code:{referral.pk}", now=now)
    except IntegrityError:  # the same friend referred concurrently
        raise Conflict("friend_already_referred", rule="AL-RAF-01") from None
    return referral


def reward_referrals(now: datetime) -> int:
    """Worker sweep: each open referral whose friend used her code on an order now finalised gets its
    voucher, once (AL-RAF-01); a code that expired unused closes the referral. Returns referrals decided."""
    decided = 0
    due = (Referral.objects.filter(status=Referral.INVITED)
           .filter(Q(friend_code__times_used__gt=0) | Q(friend_code__ends_at__lte=now))
           .order_by("created_at").values_list("pk", flat=True))
    for referral_id in list(due[:200]):
        with transaction.atomic():
            referral = (Referral.objects.select_for_update(of=("self",))
                        .select_related("brand", "friend_code", "referrer__customer").get(pk=referral_id))
            if referral.status == Referral.INVITED and _decide(referral, now):
                decided += 1
    return decided


def _decide(referral: Referral, now: datetime) -> bool:
    redemption = (DiscountRedemption.objects.select_related("order")
                  .filter(discount=referral.friend_code, released_at__isnull=True).first())
    if redemption is None:
        if referral.friend_code.ends_at and referral.friend_code.ends_at <= now:
            referral.status, referral.decided_at = Referral.EXPIRED, now
            referral.save(update_fields=["status", "decided_at"])
            return True
        return False  # the order using it failed or was cancelled: the code is free again
    order = redemption.order
    if not _finalised(referral.brand, order, now):
        return False
    policy = referral.brand.policy_object.referral
    decision = rules.check_reward(_reward_facts(referral, order))
    referral.friend_order, referral.decided_at = order, now
    if not decision:
        referral.status, referral.refusal_code = Referral.REFUSED, decision.code
        referral.save(update_fields=["status", "refusal_code", "friend_order", "decided_at"])
        return True
    membership = referral.referrer
    membership.brand = referral.brand
    voucher = issue_reward(membership, amount_minor=policy.member_reward_minor,
                           validity_days=policy.member_reward_validity_days, now=now)
    referral.status, referral.reward_voucher = Referral.REWARDED, voucher
    referral.save(update_fields=["status", "reward_voucher", "friend_order", "decided_at"])
    customer, currency = membership.customer, referral.brand.policy_object.currency
    language = customer.language if customer.language in ("en", "fr") else "en"
    notify_email(brand_slug=referral.brand.slug, to=customer.email, template="referral_reward", language=language,
                 context={"brand": brand_contact(referral.brand), "customer": {"first_name": customer.first_name},
                          "loyalty_url": loyalty_url(referral.brand),
                          "voucher": {"code": voucher.code, "amount": Money(voucher.amount_minor, currency).format(language),
                                      "valid_until": _date(voucher.expires_at, referral.brand, language)}},
                 idempotency_key=f"referral-reward:{referral.pk}", now=now)
    return True


def _finalised(brand: Brand, order: Order, now: datetime) -> bool:
    if order.status != states.DELIVERED:
        return False
    delivered_at = order.shipments.aggregate(last=Max("delivered_at"))["last"]
    returns = brand.policy_object.returns
    if returns is None or delivered_at is None:  # e-gift cards only, or no returns: delivered is final
        return True
    return now >= delivered_at + timedelta(days=returns.request_window_days)


def _reward_facts(referral: Referral, order: Order) -> rules.RewardFacts:
    member = referral.referrer.customer
    member_orders = Q(order__customer=member) | Q(order__email=member.email)
    earlier = (Order.objects.filter(brand=referral.brand, placed_at__lt=order.placed_at)
               .filter(Q(email=order.email) | (Q(customer_id=order.customer_id) if order.customer_id else Q(pk=None)))
               .exclude(status__in=EXCLUDED).exists())
    return rules.RewardFacts(
        referrer_customer_id=member.pk, referrer_email_key=rules.email_key(member.email),
        referrer_cards=_cards(Payment.objects.filter(member_orders, order__brand=referral.brand)),
        friend_customer_id=order.customer_id, friend_email_key=rules.email_key(order.email),
        friend_cards=_cards(Payment.objects.filter(order=order)), friend_had_earlier_order=earlier,
        friend_order_returned_in_full=returned_in_full(order),
    )


def _cards(payments) -> frozenset[str]:
    rows = payments.exclude(card_last4="").values_list("card_network", "card_last4")
    return frozenset(f"{network}:{last4}" for network, last4 in rows)


def _date(moment: datetime, brand: Brand, language: str) -> str:
    locale = "fr_FR" if language == "fr" else "en_GB"
    return format_date(moment.astimezone(brand.policy_object.tz).date(), "long", locale=locale)
