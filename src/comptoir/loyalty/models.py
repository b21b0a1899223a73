"""Loyalty and referral persistence: memberships, the loves ledger, vouchers and referrals.

The ledger is append-only: balances, tiers and voucher eligibility are pure functions of its entries and
`now` (loyalty/rules.py). Every entry keeps its provenance (an order line, a mission, a store receipt) so a
partial return removes exactly the loves of what came back.
"""

from django.db import models
from django.db.models import Q


class Membership(models.Model):
    """A customer's place in the programme (AL-LOY-09: every account joins; AL-LOY-07: leaving is for good)."""

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="loyalty_memberships")
    customer = models.OneToOneField("accounts.Customer", on_delete=models.CASCADE, related_name="loyalty")
    # The member's personal referral code, in the link they share (AL-RAF-01).
    referral_code = models.CharField(max_length=16)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    left_reason = models.CharField(max_length=200, blank=True)
    # A cache of the status the tier sweep last saw, with when it was reached; the API computes it live.
    tier = models.CharField(max_length=32, blank=True)
    tier_reached_at = models.DateTimeField(null=True, blank=True)
    # The next instant the status may rise (spend becoming counted): the tier sweep looks only at members
    # due by now, so each round is proportional to the work to do, not to the number of members.
    tier_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "referral_code"], name="unique_referral_code_per_brand")]
        indexes = [models.Index(fields=["tier_due_at"], name="membership_tier_due")]

    def __str__(self) -> str:
        return f"member {self.customer_id}"


class LoveEntry(models.Model):
    """One movement of loves (and of the spend that sets the status), signed, with its provenance."""

    EARN, MISSION, REDEEM, REVERSE, CANCEL, ADJUST = "earn", "mission", "redeem", "reverse", "cancel", "adjust"
    KINDS = [(code, code) for code in (EARN, MISSION, REDEEM, REVERSE, CANCEL, ADJUST)]

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=KINDS)
    loves = models.IntegerField()  # signed: credits positive, redemptions and reversals negative
    # Spend counted towards the status (AL-LOY-04), minor units, signed; 0 for missions and redemptions.
    spend_minor = models.IntegerField(default=0)
    # Units of the order line this entry covers (earn: all; reverse: those that came back).
    quantity = models.IntegerField(default=0)
    order_line = models.ForeignKey("orders.OrderLine", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="love_entries")
    mission_code = models.CharField(max_length=40, blank=True)
    reference = models.CharField(max_length=120, blank=True)  # a store receipt, a voucher code
    # Why customer care added or removed loves by hand ("adjust" entries; the actor says who).
    reason = models.CharField(max_length=300, blank=True)
    # When the purchase happened: the spend leaves the rolling window twelve months after it.
    occurred_at = models.DateTimeField()
    available_at = models.DateTimeField()  # pending before, counted from then (AL-LOY-03)
    expires_at = models.DateTimeField(null=True, blank=True)  # no expiry when empty (the seed gives none)
    actor = models.CharField(max_length=80)
    created_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=160, unique=True)

    class Meta:
        ordering = ["membership", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["earn", "mission", "redeem", "reverse", "cancel", "adjust"]),
                                   name="love_entry_kind_known"),
            models.CheckConstraint(condition=~Q(kind="adjust") | (~Q(loves=0) & ~Q(reason="")),
                                   name="love_adjustment_has_loves_and_reason"),
            models.CheckConstraint(condition=~Q(kind__in=["earn", "mission"]) | Q(loves__gte=0),
                                   name="love_credit_not_negative"),
            models.CheckConstraint(condition=~Q(kind="redeem") | Q(loves__lt=0), name="love_redemption_negative"),
        ]
        indexes = [models.Index(fields=["membership", "kind"], name="love_entry_by_member")]


class Voucher(models.Model):
    """A reduction bought with loves or earned by referring a friend; one per order (AL-LOY-05)."""

    LOVES, REFERRAL = "loves", "referral"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="vouchers")
    # Typed in the "Discount code or gift card" field; matched exactly.
    code = models.CharField(max_length=24, unique=True)
    source = models.CharField(max_length=10, choices=[(LOVES, LOVES), (REFERRAL, REFERRAL)])
    amount_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()  # usable while now < expires_at
    used_order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="loyalty_vouchers")
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)  # AL-LOY-07

    class Meta:
        ordering = ["membership", "-issued_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="voucher_amount_positive"),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("issued_at")), name="voucher_expires_after_issue"),
        ]

    def __str__(self) -> str:
        return self.code


class Referral(models.Model):
    """A friend referred by a member (AL-RAF-01..03): the friend's code, then the member's reward, once."""

    INVITED, REWARDED, REFUSED, EXPIRED, CANCELLED = "invited", "rewarded", "refused", "expired", "cancelled"
    STATUSES = [(code, code) for code in (INVITED, REWARDED, REFUSED, EXPIRED, CANCELLED)]

    brand = models.ForeignKey("brands.Brand", on_delete=models.CASCADE, related_name="referrals")
    referrer = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="referrals")
    friend_email = models.EmailField()  # as the member or friend gave it, lower-cased: the order must use it
    # The address with dots and "+tags" taken out: one friend is one referral, whatever the spelling.
    friend_email_key = models.CharField(max_length=254)
    # The friend's code: a discount code reserved to `friend_email` and a first order.
    friend_code = models.OneToOneField("discounts.DiscountCode", on_delete=models.PROTECT, related_name="referral")
    status = models.CharField(max_length=10, choices=STATUSES, default=INVITED)
    refusal_code = models.CharField(max_length=40, blank=True)
    friend_order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reward_voucher = models.OneToOneField(Voucher, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="referral")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["referrer", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "friend_email_key"], name="one_referral_per_friend"),
            models.CheckConstraint(condition=Q(status__in=["invited", "rewarded", "refused", "expired", "cancelled"]),
                                   name="referral_status_known"),
        ]
        indexes = [models.Index(fields=["status", "brand"], name="referral_open")]
