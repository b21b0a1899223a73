"""The status machine of a return: one transition table keyed by stable codes (OG-RET-01, OG-RET-05).

Reception and refund are separate moves (a parcel can be received and inspected without being
refunded yet — the trap of medusa#4052); every move appends a ReturnEvent.
"""

from __future__ import annotations

from comptoir.core.errors import IllegalTransition

REQUESTED = "requested"  # declared, waiting for the brand's approval (OG-RET-01, OP-RET-02)
APPROVED = "approved"  # accepted: slip or label issued, the parcel may leave
REJECTED = "rejected"  # the brand refused the request
CANCELLED = "cancelled"  # the shopper withdrew it before sending
RECEIVED = "received"  # OG-RET-05 "Return received", in the warehouse or a store (OG-RET-06)
INSPECTED = "inspected"  # every item accepted or refused; the refund is due
REFUNDED = "refunded"  # the accepted items were refunded (or refunded without return, OP-RET-02/03)
CLOSED = "closed"  # every item refused: nothing to refund
EXCHANGED = "exchanged"  # every accepted item left as an exchange order (AL-EXC-04): nothing to refund

STATUSES = (REQUESTED, APPROVED, REJECTED, CANCELLED, RECEIVED, INSPECTED, REFUNDED, CLOSED, EXCHANGED)

# (state, move) -> next state. Anything absent is illegal.
TRANSITIONS: dict[tuple[str, str], str] = {
    (REQUESTED, "approve"): APPROVED,
    (REQUESTED, "reject"): REJECTED,
    (REQUESTED, "cancel"): CANCELLED,
    (APPROVED, "cancel"): CANCELLED,
    (APPROVED, "receive"): RECEIVED,
    # OP-RET-02/03: the brand refunds without asking for the parcel back.
    (APPROVED, "refund_without_return"): REFUNDED,
    (RECEIVED, "inspect"): INSPECTED,
    (INSPECTED, "refund"): REFUNDED,
    (INSPECTED, "close"): CLOSED,
    (INSPECTED, "exchange"): EXCHANGED,  # comptoir.exchanges settles the accepted items in kind
}

# Items may still be added (AL-RET-01) and the label downloaded while the parcel has not arrived.
OPEN_FOR_ITEMS = frozenset({REQUESTED, APPROVED})
# Returns whose items no longer count against the order's quantities.
VOID = frozenset({REJECTED, CANCELLED})

LABELS = {
    REQUESTED: {"en": "Return requested", "fr": "Retour demandé"},
    APPROVED: {"en": "Return accepted", "fr": "Retour accepté"},
    REJECTED: {"en": "Return request refused", "fr": "Demande de retour refusée"},
    CANCELLED: {"en": "Return cancelled", "fr": "Retour annulé"},
    RECEIVED: {"en": "Return received", "fr": "Retour reçu"},  # OG-RET-05
    INSPECTED: {"en": "Return inspected", "fr": "Retour contrôlé"},
    REFUNDED: {"en": "Refunded", "fr": "Remboursé"},
    CLOSED: {"en": "Closed: items refused", "fr": "Clôturé : articles refusés"},
    EXCHANGED: {"en": "Exchanged", "fr": "Échangé"},
}


def next_status(current: str, move: str) -> str:
    """The state after `move`, or IllegalTransition naming both (HTTP 409)."""
    try:
        return TRANSITIONS[(current, move)]
    except KeyError:
        raise IllegalTransition("return", current, move) from None


def status_label(status: str, language: str) -> str:
    labels = LABELS.get(status, {})
    return labels.get(language) or labels.get("en") or status
