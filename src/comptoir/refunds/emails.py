"""The "refund_issued" e-mail: how much goes where, in the shopper's language, and when the money shows
(OG-RFD-01 "processed within 2–3 days ... with an e-mail", AL-RFD-01 "visible in 2–3 days")."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date

from comptoir.brands.services import brand_contact
from comptoir.core.money import Money
from comptoir.core.shop_links import order_url
from comptoir.notifications.services import notify_email
from comptoir.payments.rules import DEFERRED_METHODS, INSTALMENT_METHODS

_LOCALES = {"en": "en_GB", "fr": "fr_FR"}
# When the brand's policy has no returns section yet: OG-RFD-01 and AL-RFD-01 both say 2–3 days.
DEFAULT_VISIBLE_WITHIN_WORKING_DAYS = 3

_LABELS = {
    "card": {"en": "Refunded to your card{last4}", "fr": "Remboursé sur votre carte{last4}"},
    "paypal": {"en": "Refunded to your PayPal account", "fr": "Remboursé sur votre compte PayPal"},
    "scheduled_paid": {"en": "Re-credited to your card{last4}", "fr": "Recrédité sur votre carte{last4}"},
    "gift_card": {"en": "Credited back to your gift card{last4}", "fr": "Recrédité sur votre carte cadeau{last4}"},
    "credit_note": {"en": "Credited back to your credit note{last4}", "fr": "Recrédité sur votre avoir{last4}"},
    "new_credit_note": {
        "en": "As a new credit note{last4}, valid until {valid_until}: its code is in a separate e-mail",
        "fr": "Sous forme d'un nouvel avoir{last4}, valable jusqu'au {valid_until} : "
              "son code vous est envoyé dans un e-mail séparé",
    },
    "new_gift_card": {
        "en": "As a new gift card{last4}, valid until {valid_until}: its code is in a separate e-mail",
        "fr": "Sous forme d'une nouvelle carte cadeau{last4}, valable jusqu'au {valid_until} : "
              "son code vous est envoyé dans un e-mail séparé",
    },
    "instalments": {"en": "Taken off your remaining instalments, which are readjusted",
                    "fr": "Déduit de vos prochaines mensualités, qui sont réajustées"},
    "deferred": {"en": "Taken off your deferred payment: this amount will not be charged",
                 "fr": "Déduit de votre paiement différé : ce montant ne sera pas prélevé"},
    "bank_transfer_back": {"en": "Sent back by bank transfer to the account you paid from",
                           "fr": "Renvoyé par virement sur le compte qui a servi au paiement"},
    "payout": {"en": "Return postage you advanced, reimbursed by bank transfer (our customer care will contact you)",
               "fr": "Frais de retour avancés, remboursés par virement (notre service client vous contactera)"},
}
_ENDING = {"en": " ending {last4}", "fr": " se terminant par {last4}"}
_DELAY = {
    "en": "Depending on your bank, the amount refunded to your account will be visible within {days} working days.",
    "fr": "Selon votre banque, le montant remboursé sera visible sur votre compte sous {days} jours ouvrés.",
}


def notify_refund_issued(order, refund, parts, payments: dict, card, *, now: datetime) -> None:
    """Queue the refund e-mail in the refund's transaction; its key sends it once."""
    language = order.language
    valid_until = ""
    if card is not None:
        last_day = (card.expires_at.astimezone(order.brand.policy_object.tz) - timedelta(microseconds=1)).date()
        valid_until = format_date(last_day, format="long", locale=_LOCALES[language])
    rows: dict[str, int] = {}
    for part in parts:  # one row per label: two tenders into one new credit note read as one line
        label = _label(part, payments.get(part.payment_id), card, valid_until, language)
        rows[label] = rows.get(label, 0) + part.amount_minor
    money_back = any(part.destination in ("original", "bank_transfer_back", "payout") for part in parts)
    context = {
        "brand": brand_contact(order.brand),
        "customer": {"first_name": order.shipping_address.get("first_name", "")},
        "order": {"number": order.number, "url": order_url(order, language)},
        "refund": {
            "amount": Money(refund.amount_minor, refund.currency).format(language),
            "parts": [{"label": label, "amount": Money(amount, refund.currency).format(language)}
                      for label, amount in rows.items()],
            "delay": _DELAY[language].format(days=_visible_within(order)) if money_back else "",
        },
    }
    notify_email(brand_slug=order.brand.slug, to=order.email, template="refund_issued", language=language,
                 context=context, idempotency_key=f"refund:{refund.pk}:issued", now=now)


def _label(part, payment, card, valid_until: str, language: str) -> str:
    if part.destination == "payout":  # AL-RET-02: no payment carries it
        return _LABELS["payout"][language]
    last4 = _ENDING[language].format(last4=payment.card_last4) if payment and payment.card_last4 else ""
    if part.destination == "new_credit_note":
        kind = "new_gift_card" if card.kind == "gift_card" else "new_credit_note"
        return _LABELS[kind][language].format(last4=_ENDING[language].format(last4=card.code_last4),
                                              valid_until=valid_until)
    if part.destination == "same_card":
        return _LABELS[payment.method][language].format(last4=last4)
    if part.destination == "cancel_scheduled":
        return _LABELS["deferred" if payment.method in DEFERRED_METHODS else "instalments"][language]
    if part.destination == "bank_transfer_back":
        return _LABELS["bank_transfer_back"][language]
    if payment.method in INSTALMENT_METHODS or payment.method in DEFERRED_METHODS:
        return _LABELS["scheduled_paid"][language].format(last4=last4)
    return _LABELS["paypal" if payment.method == "paypal" else "card"][language].format(last4=last4)


def _visible_within(order) -> int:
    """The working days the brand announces (ReturnsPolicy.refund_within_working_days, OG-RFD-01 2–3)."""
    returns = order.brand.policy_object.returns
    days = returns.refund_within_working_days if returns is not None else 0
    return days or DEFAULT_VISIBLE_WITHIN_WORKING_DAYS
