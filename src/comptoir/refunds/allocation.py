"""Where each euro of a refund goes: one pure function over the order's tenders (AL-RFD-01..05, ALL-RFD-06).

A tender is one Payment row: what it has paid, what was already given back, and what it still owes
(instalments and deferred payments not yet charged). The refund walks the tenders in a fixed order:

1. stored value (gift cards, credit notes), each up to what it paid minus what it got back — AL-RFD-03
   "The gift card used will be credited with the corresponding amount";
2. what scheduled tenders still owe is cancelled — AL-RFD-04 "the remaining monthly payments will be
   readjusted", AL-RFD-05 a deferred payment not yet due "is never charged";
3. money already taken by the main methods — AL-RFD-03 "the remaining balance will be reimbursed on the
   complementary payment method", AL-RFD-04 "your bank account will be re-credited".

The choice only changes destinations, never the walk: with "original" each tender gets its own money
back; with "credit_note" (AL-RFD-01) every part that would give value back becomes part of one new
credit note — a new gift card when the order was paid entirely by gift card (AL-RFD-02) — while
amounts still owed are cancelled all the same (store credit is never given for money not yet paid).
Each part keeps the tender it consumes, so a later refund sees that tender's capacity reduced
(ALL-RFD-06: never more than each method paid).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

STORED_VALUE_METHODS = ("gift_card", "credit_note")
TRANSFER_METHODS = ("bank_transfer",)

Choice = Literal["original", "credit_note"]
CHOICES = ("original", "credit_note")
Destination = Literal["original", "same_card", "new_credit_note", "cancel_scheduled", "bank_transfer_back", "payout"]
DESTINATIONS = ("original", "same_card", "new_credit_note", "cancel_scheduled", "bank_transfer_back", "payout")
# Methods the PSP can refund: money a card or PayPal took can go back to it.
PSP_METHODS = ("card", "paypal", "instalments_3", "deferred_15", "deferred_30")


@dataclass(frozen=True, slots=True)
class Tender:
    """One payment of the order. `paid_minor` was taken (captured, redeemed, received);
    `refunded_minor` was already given back from it; `scheduled_minor` is still to be charged.
    `card_expired`: a gift card or credit note past its validity cannot be credited back usefully
    (giftcards.restore: "a refund engine should choose another destination for an expired card")."""

    payment_id: object
    method: str
    paid_minor: int
    refunded_minor: int
    card_id: int | None = None
    scheduled_minor: int = 0
    card_expired: bool = False

    def __post_init__(self):
        if min(self.paid_minor, self.refunded_minor, self.scheduled_minor) < 0:
            raise ValueError(f"negative amount in {self!r}")
        if self.refunded_minor > self.paid_minor:
            raise ValueError(f"tender refunded more than it paid: {self!r}")

    @property
    def is_stored_value(self) -> bool:
        return self.method in STORED_VALUE_METHODS

    @property
    def refundable_minor(self) -> int:
        """Money taken and not yet given back."""
        return self.paid_minor - self.refunded_minor

    @property
    def capacity_minor(self) -> int:
        """The most a refund can still take from this tender: money back plus charges cancelled."""
        return self.refundable_minor + self.scheduled_minor


@dataclass(frozen=True, slots=True)
class RefundPart:
    """`amount_minor` of the refund, taken from tender `payment_id`, going to `destination`."""

    payment_id: object
    destination: Destination
    amount_minor: int


def refundable_total(tenders: list[Tender]) -> int:
    """What the order can still give back, all tenders together (ALL-RFD-06)."""
    return sum(tender.capacity_minor for tender in tenders)


def allocate_refund(tenders: list[Tender], amount_minor: int, *, choice: Choice) -> list[RefundPart]:
    """Split `amount_minor` over the tenders (in the order given, oldest payment first); the parts sum
    exactly to the amount, no tender gives more than its capacity. Raises ValueError when the amount
    is negative or exceeds `refundable_total` (the service answers 409 refund_exceeds_paid)."""
    if choice not in CHOICES:
        raise ValueError(f"unknown refund choice {choice!r}")
    if amount_minor < 0:
        raise ValueError(f"a refund cannot be negative: {amount_minor}")
    available = refundable_total(tenders)
    if amount_minor > available:
        raise ValueError(f"refund of {amount_minor} exceeds what remains refundable ({available})")
    parts: list[RefundPart] = []
    left = amount_minor

    def take(tender: Tender, most: int, destination: Destination) -> None:
        nonlocal left
        amount = min(most, left)
        if amount > 0:
            parts.append(RefundPart(tender.payment_id, destination, amount))
            left -= amount

    stored = [t for t in tenders if t.is_stored_value]
    others = [t for t in tenders if not t.is_stored_value]
    for tender in stored:
        credited_back = choice == "original" and not tender.card_expired
        take(tender, tender.refundable_minor, "same_card" if credited_back else "new_credit_note")
    for tender in others:
        take(tender, tender.scheduled_minor, "cancel_scheduled")
    for tender in others:
        take(tender, tender.refundable_minor, _money_back(tender, choice))
    assert left == 0, "capacity was checked above"
    return parts


def after_parts(tenders: list[Tender], parts: list[RefundPart]) -> list[Tender]:
    """The tenders as they will stand once `parts` are carried out: money given back counts as refunded,
    cancelled charges are no longer scheduled."""
    given, cancelled = defaultdict(int), defaultdict(int)
    for part in parts:
        (cancelled if part.destination == "cancel_scheduled" else given)[part.payment_id] += part.amount_minor
    return [Tender(t.payment_id, t.method, t.paid_minor, min(t.paid_minor, t.refunded_minor + given[t.payment_id]),
                   t.card_id, max(0, t.scheduled_minor - cancelled[t.payment_id]), t.card_expired)
            for t in tenders]


def allocate_reimbursement(tenders: list[Tender], amount_minor: int, *, choice: Choice,
                           reserved_minor: int) -> list[RefundPart]:
    """Where a reimbursement of return postage the shopper advanced goes (AL-RET-02 "reimbursed up to 6 euros").

    It is not a price paid back, so it may not eat the capacity the order keeps for what can still be refunded
    (`reserved_minor`: the units not yet refunded and the shipping left) — else a later return of the kept
    items would be refused under ALL-RFD-06. Hence: into the new credit note when the shopper chose one
    (AL-RFD-01); onto a card or PayPal payment when it took money beyond what stays reserved (a PSP refund,
    never more than it paid); otherwise a "payout" part with no tender, which staff pay by transfer and
    record (the money the shopper advanced was never ours to refund from a method). `tenders` are the ones
    after the refund's own parts (`after_parts`)."""
    if amount_minor < 0 or reserved_minor < 0:
        raise ValueError("a reimbursement and a reservation cannot be negative")
    if amount_minor == 0:
        return []
    if choice == "credit_note":
        return [RefundPart(None, "new_credit_note", amount_minor)]
    headroom = sum(t.refundable_minor for t in tenders) + sum(t.scheduled_minor for t in tenders) - reserved_minor
    if headroom >= amount_minor:
        for tender in tenders:
            if tender.method in PSP_METHODS and tender.refundable_minor >= amount_minor:
                return [RefundPart(tender.payment_id, "original", amount_minor)]
    return [RefundPart(None, "payout", amount_minor)]


def _money_back(tender: Tender, choice: Choice) -> Destination:
    if choice == "credit_note":
        return "new_credit_note"
    return "bank_transfer_back" if tender.method in TRANSFER_METHODS else "original"


def new_card_kind(tenders: list[Tender]) -> str:
    """The kind of card a credit-note refund issues: a new gift card when the order was paid entirely
    by gift card (AL-RFD-02 "a new gift card will be issued"), else a credit note (AL-RFD-01)."""
    paying = [t for t in tenders if t.paid_minor > 0 or t.scheduled_minor > 0]
    if paying and all(t.method == "gift_card" for t in paying):
        return "gift_card"
    return "credit_note"


def totals_by_destination(parts: list[RefundPart]) -> dict[str, int]:
    """What each destination receives, in the fixed order of DESTINATIONS (for previews and e-mails)."""
    totals: dict[str, int] = defaultdict(int)
    for part in parts:
        totals[part.destination] += part.amount_minor
    return {destination: totals[destination] for destination in DESTINATIONS if totals[destination]}
