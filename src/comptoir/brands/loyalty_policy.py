"""Brand policy for a loyalty programme and a referral programme (issue: loyalty and referral).

A brand without a `loyalty` (or `referral`) section has no programme: nothing appears for it. Each field
carries its unit in its name; presets quote the seed sentence each value comes from.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from comptoir.brands.policy_base import Schema, Text


class LoyaltyTier(Schema):
    """A status reached by spend over the rolling window (AL-LOY-04)."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name: Text
    # Spend over the window needed to reach it, minor units of the brand currency; the first tier is 0.
    threshold_minor: int = Field(ge=0)
    # The surprise announced in the welcome e-mail sent on reaching it; None: no e-mail for this tier.
    welcome_surprise: Text | None = None


class LoyaltyMission(Schema):
    """An action that earns loves once (AL-LOY-02), declared by the member from "Earn loves"."""

    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name: Text
    loves: int = Field(gt=0)  # points earned, once per member


class VoucherOption(Schema):
    """One conversion of loves into a voucher (AL-LOY-05)."""

    loves: int = Field(gt=0)  # points taken from the available balance
    amount_minor: int = Field(gt=0)  # voucher value, minor units of the brand currency


class LoyaltyPolicy(Schema):
    # The programme's name, shown on the loyalty page and in e-mails.
    name: Text
    # Points ("loves") earned per whole unit of the currency spent (AL-LOY-01); fractions round down per line.
    points_per_currency_unit: int = Field(ge=1)
    # Calendar days after the purchase before its points are available (AL-LOY-03); they become available at
    # the start of that day in the brand's time zone. A return within them cancels the points.
    pending_days: int = Field(ge=0)
    # The window of spend that sets the status (AL-LOY-04), in calendar months, rolling.
    tier_window_months: int = Field(ge=1)
    # How long a status, once reached, is kept whatever the spend (AL-LOY-04), in calendar months.
    tier_kept_months: int = Field(ge=0)
    tiers: list[LoyaltyTier] = Field(min_length=1)
    missions: list[LoyaltyMission] = []
    voucher_options: list[VoucherOption] = Field(min_length=1)
    # Calendar months a voucher stays valid from its issue (AL-LOY-05).
    voucher_validity_months: int = Field(ge=1)
    # Order subtotal needed to use a voucher, minor units (AL-LOY-05 "no minimum purchase": 0).
    voucher_minimum_purchase_minor: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _consistent(self):
        thresholds = [tier.threshold_minor for tier in self.tiers]
        if thresholds[0] != 0 or thresholds != sorted(set(thresholds)):
            raise ValueError("loyalty.tiers must start at threshold 0 and rise strictly")
        codes = [tier.code for tier in self.tiers] + [mission.code for mission in self.missions]
        if len(codes) != len(set(codes)):
            raise ValueError("loyalty tier and mission codes must be unique")
        if len({option.loves for option in self.voucher_options}) != len(self.voucher_options):
            raise ValueError("loyalty.voucher_options must each take a different number of loves")
        return self

    def tier(self, code: str) -> LoyaltyTier | None:
        return next((tier for tier in self.tiers if tier.code == code), None)

    def mission(self, code: str) -> LoyaltyMission | None:
        return next((mission for mission in self.missions if mission.code == code), None)


class ReferralPolicy(Schema):
    """AL-RAF-01..03: a member refers a friend; both get a reduction."""

    # The friend's reduction on a first order, minor units (AL-RAF-01).
    friend_reduction_minor: int = Field(gt=0)
    # Days the friend's code stays valid from its issue (AL-RAF-03).
    friend_code_validity_days: int = Field(ge=1)
    # The member's voucher once the friend's order is finalised, minor units (AL-RAF-01).
    member_reward_minor: int = Field(gt=0)
    # Days the member's voucher stays valid from its issue (AL-RAF-03).
    member_reward_validity_days: int = Field(ge=1)
