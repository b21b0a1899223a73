"""Opening a payout where staff must send money back by hand (AA-PAY-03, AL-RET-02): the payout row holds
the money, a care case the conversation — it asks staff to get the shopper's IBAN when we have none.

Imported by the payments and refunds services, so it depends on models only.
"""

from __future__ import annotations

from datetime import datetime

from comptoir.care.models import Case
from comptoir.core.money import Money
from comptoir.payouts.models import CANCELLED_ORDER_TRANSFER, POSTAGE_REIMBURSEMENT, REFUND_TRANSFER_BACK, Payout

# The care case each kind opens (kinds the back office already knows).
CASE_KINDS = {REFUND_TRANSFER_BACK: "transfer_refund_due", POSTAGE_REIMBURSEMENT: "postage_reimbursement_due",
              CANCELLED_ORDER_TRANSFER: "transfer_refund_due"}
_WHAT = {REFUND_TRANSFER_BACK: "send back {amount} by transfer",
         POSTAGE_REIMBURSEMENT: "reimburse {amount} of return postage by transfer",
         CANCELLED_ORDER_TRANSFER: "send back {amount} received by transfer"}


def open_payout(order, *, kind: str, amount_minor: int, now: datetime, payment=None, refund_part=None,
                reason: str = "") -> Payout:
    """A pending payout and its care case, in the caller's transaction; the case subject names the payout."""
    amount = Money(amount_minor, order.currency).format("en")
    case = Case.objects.create(brand_id=order.brand_id, order=order, customer_id=order.customer_id,
                               email=order.email, kind=CASE_KINDS[kind], created_at=now,
                               language=order.language, subject="")
    payout = Payout.objects.create(brand_id=order.brand_id, order=order, payment=payment, refund_part=refund_part,
                                   case=case, kind=kind, amount_minor=amount_minor, currency=order.currency,
                                   reason=reason[:200], created_at=now)
    context = f" ({reason})" if reason else ""
    case.subject = (f"Order {order.number}{context}: {_WHAT[kind].format(amount=amount)} — transfer #{payout.pk}; "
                    f"ask the shopper for their IBAN")[:200]
    case.save(update_fields=["subject"])
    return payout
