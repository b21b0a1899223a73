"""How each main payment method starts at checkout, in three steps that mirror placement:
`check_start` before anything is written (accepted method, card given, the provider's credit check),
`start_payment` outside any transaction (the gateway calls), `record_start` inside the transaction that
moves the order on. Card and PayPal go through the gateway (AL-PAY-01, AA-PAY-02); a bank transfer waits
for the money (AA-PAY-03); instalments and deferred payment register the card and schedule charges
(AL-PAY-01, AL-PAY-04) once the credit check passes (AL-PAY-05).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_date

from comptoir.brands.policy import BrandPolicy
from comptoir.core.errors import InvalidInput, PaymentRefused
from comptoir.core.money import Money
from comptoir.notifications.services import notify_email
from comptoir.orders.emails import order_context
from comptoir.orders.models import Order
from comptoir.orders.services import apply_payment_outcome, settle_paid_order
from comptoir.payments import schedule
from comptoir.payments import services as payments
from comptoir.payments.gateway import CardDetails, GatewayResult, card_network_of, get_gateway
from comptoir.payments.models import Payment, PaymentEntry
from comptoir.payments.rules import (
    DEFERRED_METHODS, SCHEDULED_METHODS, TRANSFER_METHODS, PlannedCharge,
    check_payment_method, plan_charges,
)

_LOCALES = {"en": "en_GB", "fr": "fr_FR"}
CARD_METHODS = ("card", *SCHEDULED_METHODS)  # methods that need the card typed at checkout


class CreditCheckRefused(PaymentRefused):
    """The provider declined to finance the order (AL-PAY-05); the body lists the methods still open."""

    def __init__(self, method: str, alternatives: list[str]):
        super().__init__("credit_check_refused", rule="AL-PAY-05", method=method, alternatives=", ".join(alternatives))
        self.alternatives = alternatives

    def as_dict(self, language: str = "en") -> dict:
        return {**super().as_dict(language), "alternatives": self.alternatives}


@dataclass(frozen=True, slots=True)
class Started:
    """What the gateway said when the method started, and the charges to schedule when it succeeded."""

    result: GatewayResult
    card_token: str = ""
    planned: tuple[PlannedCharge, ...] = ()


def check_start(policy: BrandPolicy, method: str | None, card: CardDetails | None, *, amount_minor: int,
                email: str) -> None:
    """Refuse, before anything is reserved, a method the brand does not take, a missing card, or a
    financing the credit provider declines."""
    network = card_network_of(card.number) if card else None
    check_payment_method(policy, method, network).enforce(InvalidInput)
    if method in CARD_METHODS and card is None:
        raise InvalidInput("card_details_required")
    if method in SCHEDULED_METHODS:
        if network is not None and network not in policy.payments.card_networks:  # the card charged later
            raise InvalidInput("card_network_not_accepted", rule="AL-PAY-01",
                               accepted=", ".join(policy.payments.card_networks))
        decision = assess_credit(amount_minor=amount_minor, currency=policy.currency, email=email,
                                 card_number=card.number, method=method)
        if not decision.approved:
            others = [m for m in policy.payments.methods if m not in SCHEDULED_METHODS]
            raise CreditCheckRefused(method, others)


def assess_credit(**request):
    """The credit provider in use: the sandbox, the only implementation for now."""
    # Imported here, like the gateway: the sandbox app is a plug-in behind this seam.
    from comptoir.psp_sandbox.credit import assess_credit as sandbox_assess

    return sandbox_assess(**request)


def start_payment(order: Order, payment: Payment, card: CardDetails | None, *, now: datetime) -> Started:
    """The gateway calls that start the method (outside any transaction)."""
    policy = order.brand.policy_object
    if payment.method in TRANSFER_METHODS:
        return Started(GatewayResult("pending", "", 0))
    if payment.method in SCHEDULED_METHODS:
        return _start_scheduled(order, payment, card, now=now)
    if payment.method == "card" and policy.orders.card_payment == "authorise_at_confirmation":
        return Started(payments.register_card(payment, card=card, reference=order.number, now=now))
    return Started(payments.request_payment(
        payment, card=card, capture=policy.orders.card_payment == "capture_at_order",
        three_d_secure=policy.payments.three_d_secure, reference=order.number, now=now,
    ))


def _start_scheduled(order: Order, payment: Payment, card: CardDetails, *, now: datetime) -> Started:
    policy = order.brand.policy_object
    registered = payments.register_card(payment, card=card, reference=order.number, now=now)
    if registered.status == "requires_action":
        # A card whose issuer insists on 3-D Secure at registration: not supported for scheduled
        # charges yet (the step would have to resume the plan); the shopper pays by card instead.
        return Started(GatewayResult("refused", registered.psp_reference, 0, refusal_code="authentication_unavailable"))
    if registered.status != "card_registered":
        return Started(registered)
    planned = tuple(plan_charges(policy, payment.method, payment.amount_minor, now.astimezone(policy.tz).date()))
    if payment.method in DEFERRED_METHODS:
        return Started(registered, registered.psp_reference, planned)
    # AL-PAY-01 "the debit happens when the order is placed": the first instalment is taken now.
    first = get_gateway().authorise_registered(
        card_token=registered.psp_reference, amount_minor=planned[0].amount_minor, currency=payment.currency,
        capture=True, idempotency_key=f"{payment.id}:instalment:1", reference=order.number, now=now,
    )
    return Started(first, registered.psp_reference, planned)


def record_start(order: Order, payment: Payment, started: Started, *, actor: str, now: datetime, lines=None) -> None:
    """Record the start and move the order on (inside a transaction, order row locked)."""
    if payment.method in TRANSFER_METHODS:
        _await_transfer(order, payment, now=now, lines=lines)
    elif payment.method in SCHEDULED_METHODS and started.result.status in ("captured", "card_registered"):
        _schedule(order, payment, started, actor=actor, now=now, lines=lines)
    else:
        apply_payment_outcome(order, payment, started.result, actor=actor, now=now, lines=lines)


def _schedule(order: Order, payment: Payment, started: Started, *, actor: str, now: datetime, lines) -> None:
    """Keep the card token, write the schedule (the first instalment paid), and settle the order."""
    result = started.result
    first_paid_by = None
    if result.status == "captured":
        PaymentEntry.objects.create(payment=payment, kind="capture", amount_minor=result.amount_minor,
                                    idempotency_key=f"{payment.id}:instalment:1", psp_reference=result.psp_reference,
                                    data={"sequence": 1}, created_at=now)
        first_paid_by = result.psp_reference
    schedule.write_schedule(payment, list(started.planned), first_paid_by=first_paid_by, now=now)
    payment.psp_reference = started.card_token  # the token the worker charges later
    payment.card_network = result.card_network or ""
    payment.card_last4 = result.card_last4 or ""
    payment.status, payment.updated_at = "scheduled", now
    payment.save()
    settle_paid_order(order, actor=actor, now=now, lines=lines)
    order.save()


def _await_transfer(order: Order, payment: Payment, *, now: datetime, lines) -> None:
    """The order waits for the money: instructions on the payment and by e-mail (AA-PAY-03)."""
    policy = order.brand.policy_object
    bank = policy.payments.bank_transfer
    order.payment_due_by = now + timedelta(days=bank.pay_within_days)
    payment.challenge = {
        "type": "bank_transfer", "reference": order.number, "amount_minor": payment.amount_minor,
        "currency": payment.currency, "account_holder": bank.account_holder, "iban": bank.iban, "bic": bank.bic,
        "pay_by": order.payment_due_by.isoformat(),
    }
    payment.updated_at = now
    payment.save(update_fields=["challenge", "updated_at"])
    order.save(update_fields=["payment_due_by"])
    language = order.language
    context = order_context(order, lines=lines)
    context["transfer"] = {
        "amount": Money(payment.amount_minor, payment.currency).format(language), "reference": order.number,
        "account_holder": bank.account_holder, "iban": bank.iban, "bic": bank.bic,
        "pay_by": format_date(order.payment_due_by.astimezone(policy.tz).date(), format="long",
                              locale=_LOCALES[language]),
    }
    notify_email(brand_slug=order.brand.slug, to=order.email, template="bank_transfer_instructions",
                 language=language, context=context, idempotency_key=f"order:{order.pk}:bank_transfer_instructions",
                 now=now)
