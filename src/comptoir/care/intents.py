"""Account intents of the assistant: questions about the shopper's own orders, answered from their data.

Recognised by patterns in English and French. Every answer goes through the same queries and rules as the
API (the shopper's own orders only, `check_shopper_cancellation` with `now`); nothing is changed on the
shopper's behalf — the assistant links to the flow instead. An intent it cannot act on is handed over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date

from comptoir.brands.models import Brand
from comptoir.care.text import fold
from comptoir.core.messages import render_message
from comptoir.orders import states
from comptoir.orders.emails import status_label
from comptoir.orders.models import Order
from comptoir.orders.rules import OrderFacts, check_shopper_cancellation

LOCALES = {"en": "en_GB", "fr": "fr_FR"}
_MY_ORDER = r"(my|ma|mon|the|la|le) (last |latest |derniere |dernier )?(order|parcel|package|commande|colis)"

# Checked in this order; patterns run on folded text (lower case, no accents).
PATTERNS: dict[str, tuple[str, ...]] = {
    "my_invoice": (r"\b(my|the) invoice", r"\b(ma|la|une) facture", r"\binvoice (for|of) my"),
    "can_i_cancel": (r"\bcan i (still )?cancel", r"\bcancel " + _MY_ORDER, r"\bannuler " + _MY_ORDER,
                     r"\b(puis-je|puis je|je peux|peut-on|je veux|je voudrais) (encore )?annuler"),
    "start_return": (r"\b(start|make|begin|open) an? (return|exchange)", r"\b(return|exchange) " + _MY_ORDER,
                     r"\bi (want|would like|d like) to (return|exchange|send back)",
                     r"\b(faire|commencer) un (retour|echange)", r"\b(retourner|renvoyer|echanger) " + _MY_ORDER,
                     r"\bje (veux|voudrais|souhaite) (retourner|renvoyer|echanger)"),
    "where_is_my_order": (r"\bwhere('s| is) " + _MY_ORDER, r"\btrack " + _MY_ORDER, r"\bstatus of " + _MY_ORDER,
                          r"\b(my )?order status", r"\bou (est|en est) " + _MY_ORDER,
                          r"\bsuivi de " + _MY_ORDER, r"\bsuivre " + _MY_ORDER, r"\bhas " + _MY_ORDER + " shipped"),
    "loyalty": (r"\bmy (loves|loyalty|points|tier|status)\b", r"\bhow many (loves|points)", r"\bmes (loves|points)",
                r"\bmon (solde|statut|niveau)( de)? (loves|fidelite)", r"\bcombien (de|ai-je de) (loves|points)"),
    "referral": (r"\bmy referral (link|code)", r"\bmon (lien|code) de parrainage"),
}
_COMPILED = {name: [re.compile(pattern) for pattern in patterns] for name, patterns in PATTERNS.items()}
_ORDER_NUMBER = re.compile(r"\b([A-Z]{2,4}-?\d{3,})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class IntentAnswer:
    """The assistant's answer to an account intent: one passage-like answer, or a hand-over reason."""

    intent: str
    text: str
    url: str = ""
    handover: str | None = None  # "sign_in_required", "not_available"


def recognise(question: str) -> str | None:
    folded = " ".join(fold(question).split())
    for name, patterns in _COMPILED.items():
        if any(pattern.search(folded) for pattern in patterns):
            return name
    return None


def answer(intent: str, question: str, *, brand: Brand, customer, language: str, now: datetime) -> IntentAnswer:
    """Answer `intent` for `customer` (None: a guest, asked to sign in) from their own orders only."""
    if intent in ("loyalty", "referral"):
        # No loyalty or referral programme in the policy schema yet: hand over rather than guess.
        return IntentAnswer(intent, render_message("intent_not_available", language, {}), handover="not_available")
    if customer is None:
        return IntentAnswer(intent, render_message("intent_sign_in", language, {}), handover="sign_in_required")
    order = _order_asked_about(brand, customer, question, intent)
    if order is None:
        return IntentAnswer(intent, render_message("intent_no_order", language, {}))
    params = {"number": order.number, "status": status_label(order.status, language),
              "placed_on": format_date(order.placed_at.astimezone(brand.policy_object.tz), format="long",
                                       locale=LOCALES[language])}
    api = f"/api/brands/{brand.slug}/orders/{order.number}"
    if intent == "where_is_my_order":
        shipment = max(order.shipments.all(), key=lambda s: (s.shipped_at is not None, s.shipped_at), default=None)
        if shipment is not None and shipment.tracking_number:
            params.update(carrier=shipment.carrier, tracking_number=shipment.tracking_number)
            return IntentAnswer(intent, render_message("intent_order_tracking", language, params),
                                shipment.tracking_url or api)
        return IntentAnswer(intent, render_message("intent_order_status", language, params), api)
    if intent == "can_i_cancel":
        decision = check_shopper_cancellation(brand.policy_object, OrderFacts(order.status, order.placed_at), now)
        if decision.allowed:
            return IntentAnswer(intent, render_message("intent_can_cancel", language, params), f"{api}/cancel")
        reason = render_message(decision.code, language, decision.params)
        return IntentAnswer(intent, render_message("intent_cannot_cancel", language, {**params, "reason": reason}),
                            api)
    if intent == "start_return":
        return IntentAnswer(intent, render_message("intent_start_return", language, params), f"{api}/returns")
    if intent == "my_invoice":
        return IntentAnswer(intent, render_message("intent_invoice", language, params), f"{api}/invoice.pdf")
    raise ValueError(f"unknown intent {intent!r}")


def _order_asked_about(brand: Brand, customer, question: str, intent: str) -> Order | None:
    """The order the question names, or the latest fitting one — always among the shopper's own orders."""
    orders = Order.objects.filter(brand=brand, customer=customer).prefetch_related("shipments")
    named = _ORDER_NUMBER.search(question)
    if named:
        return orders.filter(number__iexact=named.group(1)).first()  # another shopper's number: None
    if intent == "can_i_cancel":
        pending = orders.filter(status__in=states.NOT_DISPATCHED).order_by("-placed_at").first()
        if pending is not None:
            return pending
    if intent == "start_return":
        sent = orders.filter(status__in=(states.SHIPPED, states.DELIVERED, states.PARTIALLY_SHIPPED))
        latest_sent = sent.order_by("-placed_at").first()
        if latest_sent is not None:
            return latest_sent
    return orders.order_by("-placed_at").first()
