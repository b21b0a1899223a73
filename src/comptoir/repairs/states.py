"""The status machine of a repair (AA-REP-01): one transition table keyed by stable codes.

"Please send the customer service department an e-mail before doing so": the request opens a care case,
staff ask for the item, receive it and assess it — a production defect is repaired free, wear or impact
damage gets a quote the shopper accepts (and pays) or declines, an item beyond repair goes back as is.
"""

from __future__ import annotations

from comptoir.core.errors import IllegalTransition

REQUESTED = "requested"  # the shopper wrote first; a care case is open
AWAITING_ITEM = "awaiting_item"  # staff asked for the item to be sent
RECEIVED = "received"  # the item is in the workshop, to be assessed
QUOTED = "quoted"  # wear or impact damage: a quote waits for the shopper
IN_REPAIR = "in_repair"  # free (production defect) or quote accepted and paid
REPAIRED = "repaired"  # repaired and sent back
NOT_REPAIRED = "not_repaired"  # beyond repair, quote declined or expired: to send back as is
RETURNED = "returned"  # sent back as is

STATUSES = (REQUESTED, AWAITING_ITEM, RECEIVED, QUOTED, IN_REPAIR, REPAIRED, NOT_REPAIRED, RETURNED)

TRANSITIONS: dict[tuple[str, str], str] = {
    (REQUESTED, "ask_for_item"): AWAITING_ITEM,
    (REQUESTED, "receive"): RECEIVED,  # the parcel came before staff answered: it is received all the same
    (AWAITING_ITEM, "receive"): RECEIVED,
    (RECEIVED, "repair_free"): IN_REPAIR,  # production defect
    (RECEIVED, "quote"): QUOTED,  # wear or impact
    (RECEIVED, "declare_beyond_repair"): NOT_REPAIRED,
    (QUOTED, "accept_quote"): IN_REPAIR,
    (QUOTED, "decline_quote"): NOT_REPAIRED,
    (QUOTED, "expire_quote"): NOT_REPAIRED,
    (IN_REPAIR, "complete"): REPAIRED,
    (NOT_REPAIRED, "send_back"): RETURNED,
}

LABELS = {
    REQUESTED: {"en": "Repair requested", "fr": "Réparation demandée"},
    AWAITING_ITEM: {"en": "Waiting for your item", "fr": "En attente de votre article"},
    RECEIVED: {"en": "Item received, being assessed", "fr": "Article reçu, en cours d'expertise"},
    QUOTED: {"en": "Quote to accept", "fr": "Devis à accepter"},
    IN_REPAIR: {"en": "Being repaired", "fr": "En réparation"},
    REPAIRED: {"en": "Repaired and sent back", "fr": "Réparé et renvoyé"},
    NOT_REPAIRED: {"en": "Not repaired: to be sent back as is", "fr": "Non réparé : renvoi en l'état"},
    RETURNED: {"en": "Sent back as is", "fr": "Renvoyé en l'état"},
}


def next_status(current: str, move: str) -> str:
    try:
        return TRANSITIONS[(current, move)]
    except KeyError:
        raise IllegalTransition("repair", current, move) from None


def status_label(status: str, language: str) -> str:
    labels = LABELS.get(status, {})
    return labels.get(language) or labels.get("en") or status
