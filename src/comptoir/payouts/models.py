"""Payouts: money staff send back by a bank transfer they make by hand, outside the PSP (AA-PAY-03, AL-RET-02).

One row per transfer to send, whatever asked for it: a refund part of an order paid by transfer
("bank_transfer_back"), return postage no tender could carry (a "payout" part), or money received by
transfer on an order then cancelled or expired. The care case stays the conversation with the shopper;
the payout is the money: its amount, its beneficiary, and once sent, the bank's reference.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

PENDING, SENT = "pending", "sent"
STATUSES = [(code, code) for code in (PENDING, SENT)]

# Why the money goes back. Stable codes, never display strings.
REFUND_TRANSFER_BACK = "refund_transfer_back"  # a refund of an order paid by transfer (AA-PAY-03)
POSTAGE_REIMBURSEMENT = "postage_reimbursement"  # return postage the shopper advanced (AL-RET-02)
CANCELLED_ORDER_TRANSFER = "cancelled_order_transfer"  # received by transfer, order cancelled/expired (AA-PAY-03)
KINDS = [(code, code.replace("_", " ")) for code in (REFUND_TRANSFER_BACK, POSTAGE_REIMBURSEMENT,
                                                     CANCELLED_ORDER_TRANSFER)]


class Payout(models.Model):
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="payouts")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payouts")
    # The transfer payment whose ledger records the money going back; none for return postage.
    payment = models.ForeignKey("payments.Payment", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="payouts")
    refund_part = models.OneToOneField("refunds.RefundPart", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="payout")
    case = models.ForeignKey("care.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="payouts")
    kind = models.CharField(max_length=30, choices=KINDS)
    amount_minor = models.IntegerField()
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=200, blank=True)
    # The shopper's account, typed in by staff once the shopper gave it on the case (normalised, no spaces).
    iban = models.CharField(max_length=34, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    bank_reference = models.CharField(max_length=64, blank=True)
    sent_on = models.DateField(null=True, blank=True)  # the value date staff give, in the brand's calendar
    sent_at = models.DateTimeField(null=True, blank=True)  # when it was recorded
    sent_by = models.CharField(max_length=160, blank=True)
    # The Idempotency-Key of the call that recorded it: a replay of that call answers the same, any other is refused.
    sent_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "transfer to send"
        verbose_name_plural = "transfers to send"
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=(PENDING, SENT)), name="payout_status_known"),
            # Sent once, and a sent payout says when and with which bank reference.
            models.CheckConstraint(
                condition=Q(status=PENDING, sent_on__isnull=True, sent_at__isnull=True, bank_reference="")
                | Q(status=SENT, sent_on__isnull=False, sent_at__isnull=False) & ~Q(bank_reference=""),
                name="payout_sent_has_reference_and_date"),
            # A cancelled order's transfer is sent back once per payment.
            models.UniqueConstraint(fields=["payment"], condition=Q(kind=CANCELLED_ORDER_TRANSFER),
                                    name="unique_cancelled_transfer_payout_per_payment"),
        ]
        indexes = [models.Index(fields=["brand", "status", "created_at"], name="payout_queue")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_minor} {self.currency} ({self.status})"
