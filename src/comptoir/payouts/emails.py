"""The "payout_sent" e-mail and the closing note of the case: the shopper's money left by bank transfer,
in their language (AA-PAY-03, AL-RET-02)."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date

from comptoir.brands.services import brand_contact
from comptoir.core.money import Money
from comptoir.notifications.services import notify_email
from comptoir.payouts.models import CANCELLED_ORDER_TRANSFER, POSTAGE_REIMBURSEMENT, REFUND_TRANSFER_BACK

_LOCALES = {"en": "en_GB", "fr": "fr_FR"}
# What the money is, after "Your refund of €X, …" / "Votre remboursement de X €, …".
_WHAT = {
    REFUND_TRANSFER_BACK: {"en": "the refund of your return", "fr": "le remboursement de votre retour"},
    POSTAGE_REIMBURSEMENT: {"en": "the return postage you advanced", "fr": "les frais de retour que vous avez avancés"},
    CANCELLED_ORDER_TRANSFER: {"en": "the payment you made by transfer for an order that was cancelled",
                               "fr": "le virement que vous aviez fait pour une commande annulée"},
}
_NOTE = {
    "en": "Your refund of {amount} has been sent by bank transfer on {sent_on} (bank reference {reference}).",
    "fr": "Votre remboursement de {amount} a été envoyé par virement le {sent_on} (référence bancaire {reference}).",
}
# Transfers between European banks arrive within a working day or two; said as an expectation, not a promise.
_DELAY = {"en": "Depending on your bank, it will show on your account within 1 to 3 working days.",
          "fr": "Selon votre banque, il apparaîtra sur votre compte sous 1 à 3 jours ouvrés."}


def notify_payout_sent(order, payout, *, now: datetime) -> None:
    """Queue the e-mail in the payout's transaction; its key sends it once."""
    language = order.language if order.language in _LOCALES else "en"
    notify_email(brand_slug=order.brand.slug, to=order.email, template="payout_sent", language=language,
                 context=payout_context(order, payout, language), idempotency_key=f"payout:{payout.pk}:sent",
                 now=now)


def payout_context(order, payout, language: str) -> dict:
    return {
        "brand": brand_contact(order.brand),
        "customer": {"first_name": order.shipping_address.get("first_name", "")},
        "order": {"number": order.number, "url": f"/{order.brand.slug}/account/orders/{order.number}"},
        "payout": {"amount": Money(payout.amount_minor, payout.currency).format(language),
                   "what": _WHAT[payout.kind][language], "sent_on": _date(payout.sent_on, language),
                   "bank_reference": payout.bank_reference,
                   "iban_ending": payout.iban[-4:] if payout.iban else "", "delay": _DELAY[language]},
    }


def case_note(payout, language: str) -> str:
    language = language if language in _NOTE else "en"
    return _NOTE[language].format(amount=Money(payout.amount_minor, payout.currency).format(language),
                                  sent_on=_date(payout.sent_on, language), reference=payout.bank_reference)


def _date(day, language: str) -> str:
    return format_date(day, format="long", locale=_LOCALES[language])
