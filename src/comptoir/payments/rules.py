"""Pure payment rules: which methods and card networks a brand takes (OG-PAY-01, AA-PAY-01, AL-PAY-01)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from comptoir.brands.policy import BrandPolicy
from comptoir.core.decisions import Decision
from comptoir.core.money import allocate

STORED_VALUE_METHODS = ("gift_card", "credit_note")
# Methods that pay what is left after gift cards and credit notes.
MAIN_METHODS = ("card", "paypal", "bank_transfer", "instalments_3", "deferred_15", "deferred_30")
# Charged by the card gateway at checkout (OG-PAY-01, AA-PAY-01).
GATEWAY_METHODS = ("card", "paypal")
# A card kept at the PSP and charged later by the worker, subject to the credit check (AL-PAY-01/04/05).
INSTALMENT_METHODS = {"instalments_3": 3}
DEFERRED_METHODS = {"deferred_15": 15, "deferred_30": 30}
SCHEDULED_METHODS = (*INSTALMENT_METHODS, *DEFERRED_METHODS)
# Paid outside any gateway; staff record what the bank received (AA-PAY-03).
TRANSFER_METHODS = ("bank_transfer",)


def check_payment_method(policy: BrandPolicy, method: str | None, card_network: str | None) -> Decision:
    """A main method the brand accepts and, for a card, a network it takes.

    CB cards are co-branded Visa or Mastercard: the number shows the international network.
    """
    accepted = [m for m in policy.payments.methods if m in MAIN_METHODS]
    if method not in accepted:
        return Decision.refuse("payment_method_not_accepted", "AL-PAY-01", method=method or "-",
                               accepted=", ".join(accepted))
    if method == "card" and card_network is not None and card_network not in policy.payments.card_networks:
        return Decision.refuse("card_network_not_accepted", "OG-PAY-01",
                               accepted=", ".join(policy.payments.card_networks))
    return Decision.allow()


def check_stored_value_accepted(policy: BrandPolicy, kind: str) -> Decision:
    """Gift cards and credit notes only where the brand takes them (AL-PAY-01)."""
    if kind not in policy.payments.methods:
        return Decision.refuse("payment_method_not_accepted", "AL-PAY-01", method=kind,
                               accepted=", ".join(policy.payments.methods))
    return Decision.allow()



@dataclass(frozen=True, slots=True)
class PlannedCharge:
    sequence: int
    due_on: date
    amount_minor: int


def plan_charges(policy: BrandPolicy, method: str, total_minor: int, placed_on: date) -> list[PlannedCharge]:
    """The charges of an instalment plan or a deferred payment, counted from the placement day.

    Instalments (AL-PAY-01): `count` equal parts, the first taking the rounding, the first due at order,
    the next every `interval_days`. Deferred (AL-PAY-04): the whole amount 15 or 30 days later.
    """
    if method in DEFERRED_METHODS:
        return [PlannedCharge(1, placed_on + timedelta(days=DEFERRED_METHODS[method]), total_minor)]
    plan = policy.payments.instalments
    count = INSTALMENT_METHODS[method]  # the method code names the count ("instalments_3")
    parts = _equal_parts(total_minor, count)
    return [
        PlannedCharge(index + 1, placed_on + timedelta(days=plan.interval_days * index), amount)
        for index, amount in enumerate(parts)
    ]


def _equal_parts(total_minor: int, count: int) -> list[int]:
    """`count` equal parts, the first taking what does not divide (€100.01 → 33.35 + 33.33 + 33.33):
    the later charges, taken without the shopper, are then all the same round amount."""
    part, remainder = divmod(total_minor, count)
    return [part + remainder] + [part] * (count - 1)


@dataclass(frozen=True, slots=True)
class ChargeOutcome:
    """What a refused scheduled charge becomes: retried at `retry_at`, or failed (escalate)."""

    failed: bool
    retry_at: datetime | None = None


def after_refusal(policy: BrandPolicy, attempts: int, now: datetime) -> ChargeOutcome:
    """A refused charge is retried after `retry_after_days` until `max_attempts` tries, then fails."""
    plan = policy.payments.instalments
    if attempts >= plan.max_attempts:
        return ChargeOutcome(True)
    return ChargeOutcome(False, now + timedelta(days=plan.retry_after_days))


def deferred_charge_waits_for_return(policy: BrandPolicy, due_on: date, attempts: int, received_at: datetime) -> bool:
    """AL-RFD-05 "a return received before the 15/30-day deadline is never charged": a deferred charge not yet
    tried waits while a return received before its due time is inspected, so what comes back is taken off it
    rather than charged and re-credited; a return received on or after that time finds it charged."""
    return attempts == 0 and received_at < start_of_day(policy, due_on)


def start_of_day(policy: BrandPolicy, day: date) -> datetime:
    """Midnight of `day` in the brand's time zone: a charge due on a day is taken from then on."""
    return datetime(day.year, day.month, day.day, tzinfo=policy.tz)


def reduce_amounts(amounts: list[int], reduction_minor: int) -> list[int]:
    """Lower `amounts` (the charges still scheduled) by `reduction_minor` in proportion, none below 0.

    A reduction of everything owed or more cancels them all; the caller refunds the rest (AL-RFD-04).
    """
    owed = sum(amounts)
    if reduction_minor >= owed:
        return [0] * len(amounts)
    # Each exact share is below its amount, so a share rounded up by allocate never exceeds it.
    shares = allocate(reduction_minor, amounts)
    return [amount - share for amount, share in zip(amounts, shares)]
