"""Payments whose outcome the shop never recorded, settled from what the PSP tells.

Checkout writes the order and a `pending` payment, calls the gateway, then records its answer. A
process killed between the gateway's answer and that record leaves the order awaiting payment while
the PSP holds the money. The PSP's signed webhook names the payment; the gateway is then asked for
the payment's real state (a webhook is a hint, not a proof) and the outcome goes through the same
`apply_payment_outcome` as checkout. Checkout gives each such order a payment deadline, so one whose
webhook never comes expires (`expire_payment_steps`); money that arrives after that is given back.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from comptoir.orders import states
from comptoir.orders.services import apply_payment_outcome, lock_order
from comptoir.payments import services as payments
from comptoir.payments.gateway import get_gateway
from comptoir.payments.models import Payment
from comptoir.payments.rules import GATEWAY_METHODS

logger = logging.getLogger(__name__)

# The webhook events that tell a final outcome of an authorisation.
OUTCOME_EVENTS = ("payment.authorised", "payment.captured", "payment.refused")
EXPIRED = "payment_step_expired"


def settle_from_gateway(*, psp_reference: str, order_number: str, now: datetime) -> bool:
    """Record the PSP's outcome of a payment the shop left `pending` (or give back money that came
    after its order expired). Returns whether anything changed; safe to call for any event."""
    payment = (
        Payment.objects.filter(order__number=order_number, method__in=GATEWAY_METHODS, psp_reference="")
        .filter(status__in=("pending", "refused")).order_by("created_at").last()
    )
    if payment is None or (payment.status == "refused" and payment.refusal_code != EXPIRED):
        return False
    result = get_gateway().retrieve(psp_reference=psp_reference)  # outside any transaction
    if result is None or result.status not in ("authorised", "captured", "refused"):
        return False
    if result.status != "refused" and result.amount_minor != payment.amount_minor:
        logger.warning("psp payment %s of order %s: amount %s, expected %s; left to staff", psp_reference,
                       order_number, result.amount_minor, payment.amount_minor)
        return False
    with transaction.atomic():
        order = lock_order(payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == "pending" and order.status == states.AWAITING_PAYMENT:
            apply_payment_outcome(order, payment, result, actor="psp", now=now)
            return True
        if payment.status == "refused" and payment.refusal_code == EXPIRED and result.status != "refused":
            # The order expired before the PSP's word arrived: the money it took goes back.
            payments.record_result(payment, result, key=f"{payment.id}:late:{result.psp_reference}", now=now)
            payments.release(payment, reason=EXPIRED, now=now)
            return True
    return False
