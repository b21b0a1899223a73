"""The status machine of an exchange: one transition table keyed by stable codes (AL-EXC-01..04).

An exchange waits on its returned item; once the item is accepted at inspection it becomes an exchange
order (itself an Order following the order machine), or a plain return when the wanted item cannot be had
(AL-EXC-03); an item refused at inspection refuses its exchange.
"""

from __future__ import annotations

from comptoir.core.errors import IllegalTransition

REQUESTED = "requested"  # asked during the return process (OG-EXC-01); waits for the returned item
ORDERED = "ordered"  # the exchange order exists (AL-EXC-04)
CONVERTED = "converted"  # became a return: the item is refunded (AL-EXC-03)
REFUSED = "refused"  # the returned item was refused at inspection or never arrived
CANCELLED = "cancelled"  # withdrawn before the parcel arrived

STATUSES = (REQUESTED, ORDERED, CONVERTED, REFUSED, CANCELLED)

TRANSITIONS: dict[tuple[str, str], str] = {
    (REQUESTED, "order"): ORDERED,
    (REQUESTED, "convert"): CONVERTED,
    (REQUESTED, "refuse"): REFUSED,
    (REQUESTED, "cancel"): CANCELLED,
}

LABELS = {
    REQUESTED: {"en": "Exchange requested", "fr": "Échange demandé"},
    ORDERED: {"en": "Exchange order created", "fr": "Commande d'échange créée"},
    CONVERTED: {"en": "Exchange turned into a return", "fr": "Échange transformé en retour"},
    REFUSED: {"en": "Exchange refused", "fr": "Échange refusé"},
    CANCELLED: {"en": "Exchange cancelled", "fr": "Échange annulé"},
}


def next_status(current: str, move: str) -> str:
    """The state after `move`, or IllegalTransition naming both (HTTP 409)."""
    try:
        return TRANSITIONS[(current, move)]
    except KeyError:
        raise IllegalTransition("exchange", current, move) from None


def status_label(status: str, language: str) -> str:
    labels = LABELS.get(status, {})
    return labels.get(language) or labels.get("en") or status
