"""The order status machine: one transition table keyed by stable codes (OG-ORD-01, AL-ORD-05)."""

from __future__ import annotations

from comptoir.core.errors import IllegalTransition

AWAITING_PAYMENT = "awaiting_payment"  # a 3-D Secure or PayPal step is pending
AWAITING_CONFIRMATION = "awaiting_confirmation"  # OG-ORD-01 "waiting for confirmation"
CONFIRMED = "confirmed"
PREPARING = "preparing"  # OG-ORD-01 "being prepared"
PARTIALLY_SHIPPED = "partially_shipped"  # AL-ORD-03: some parcels left, others (pre-orders) wait
SHIPPED = "shipped"
READY_FOR_PICKUP = "ready_for_pickup"  # OG-SHP-03
DELIVERED = "delivered"
CANCELLED = "cancelled"
REFUSED = "refused"  # OG-ORD-02: pre-authorisation refused at confirmation
PAYMENT_FAILED = "payment_failed"  # refused at checkout, or the payment step expired

STATUSES = (
    AWAITING_PAYMENT, AWAITING_CONFIRMATION, CONFIRMED, PREPARING, PARTIALLY_SHIPPED, SHIPPED,
    READY_FOR_PICKUP, DELIVERED, CANCELLED, REFUSED, PAYMENT_FAILED,
)

# (state, move) -> next state. Anything absent is illegal.
TRANSITIONS: dict[tuple[str, str], str] = {
    (AWAITING_PAYMENT, "await_confirmation"): AWAITING_CONFIRMATION,
    (AWAITING_PAYMENT, "confirm"): CONFIRMED,
    (AWAITING_PAYMENT, "fail_payment"): PAYMENT_FAILED,
    (AWAITING_PAYMENT, "cancel"): CANCELLED,
    (AWAITING_CONFIRMATION, "confirm"): CONFIRMED,
    (AWAITING_CONFIRMATION, "refuse"): REFUSED,
    (AWAITING_CONFIRMATION, "cancel"): CANCELLED,
    (CONFIRMED, "prepare"): PREPARING,
    (CONFIRMED, "ship_part"): PARTIALLY_SHIPPED,
    (CONFIRMED, "ship"): SHIPPED,
    (CONFIRMED, "make_ready_for_pickup"): READY_FOR_PICKUP,
    (CONFIRMED, "cancel"): CANCELLED,
    (CONFIRMED, "deliver_electronically"): DELIVERED,  # e-gift cards only: the e-mail is the delivery
    (PREPARING, "ship_part"): PARTIALLY_SHIPPED,
    (PREPARING, "ship"): SHIPPED,
    (PREPARING, "make_ready_for_pickup"): READY_FOR_PICKUP,
    (PREPARING, "cancel"): CANCELLED,
    (PARTIALLY_SHIPPED, "ship_part"): PARTIALLY_SHIPPED,
    (PARTIALLY_SHIPPED, "ship"): SHIPPED,
    (SHIPPED, "deliver"): DELIVERED,
    (READY_FOR_PICKUP, "deliver"): DELIVERED,
}

# Before any parcel has been handed to a carrier (AA-ORD-05, AL-ORD-05).
NOT_DISPATCHED = frozenset({AWAITING_PAYMENT, AWAITING_CONFIRMATION, CONFIRMED, PREPARING})


def next_status(current: str, move: str) -> str:
    """The state after `move`, or IllegalTransition naming both the state and the move (HTTP 409)."""
    try:
        return TRANSITIONS[(current, move)]
    except KeyError:
        raise IllegalTransition("order", current, move) from None


def allowed_moves(current: str) -> list[str]:
    return [move for (state, move) in TRANSITIONS if state == current]
