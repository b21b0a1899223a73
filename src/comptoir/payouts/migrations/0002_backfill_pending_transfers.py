"""Transfers asked for before payouts existed: pending refund parts paid by hand, and open cases of money received
by transfer on an order then cancelled, become pending payouts linked to their case."""

from django.db import migrations
from django.db.models import Q, Sum

KIND_OF_DESTINATION = {"bank_transfer_back": "refund_transfer_back", "payout": "postage_reimbursement"}


def backfill(apps, schema_editor):
    Payout = apps.get_model("payouts", "Payout")
    RefundPart = apps.get_model("refunds", "RefundPart")
    Case = apps.get_model("care", "Case")
    Payment = apps.get_model("payments", "Payment")
    PaymentEntry = apps.get_model("payments", "PaymentEntry")
    parts = (RefundPart.objects.filter(destination__in=KIND_OF_DESTINATION, status="pending", payout__isnull=True)
             .select_related("refund__order"))
    part_cases = set()
    for part in parts.iterator():
        order = part.refund.order
        case_id = (part.detail or {}).get("case_id")
        case_id = case_id if Case.objects.filter(pk=case_id).exists() else None
        part_cases.add(case_id)
        payout = Payout.objects.create(brand_id=order.brand_id, order=order, payment_id=part.payment_id,
                                       refund_part=part, case_id=case_id, kind=KIND_OF_DESTINATION[part.destination],
                                       amount_minor=part.amount_minor, currency=part.refund.currency,
                                       reason=f"refund part {part.pk}", created_at=part.created_at)
        part.detail = {**(part.detail or {}), "payout_id": payout.pk}
        part.save(update_fields=["detail"])
    cases = Case.objects.filter(kind="transfer_refund_due", status__in=("open", "answered"), order__isnull=False)
    for case in cases.exclude(pk__in=[pk for pk in part_cases if pk]).exclude(payouts__isnull=False).iterator():
        for payment in Payment.objects.filter(order_id=case.order_id, method="bank_transfer"):
            if Payout.objects.filter(payment=payment, kind="cancelled_order_transfer").exists():
                continue
            sums = PaymentEntry.objects.filter(payment=payment).aggregate(
                captured=Sum("amount_minor", filter=Q(kind="capture"), default=0),
                refunded=Sum("amount_minor", filter=Q(kind="refund"), default=0))
            owed = Payout.objects.filter(payment=payment, status="pending").aggregate(
                total=Sum("amount_minor", default=0))["total"]
            amount = sums["captured"] - sums["refunded"] - owed
            if amount > 0:
                Payout.objects.create(brand_id=case.brand_id, order_id=case.order_id, payment=payment, case=case,
                                      kind="cancelled_order_transfer", amount_minor=amount,
                                      currency=payment.currency, reason="cancelled", created_at=case.created_at)


class Migration(migrations.Migration):

    dependencies = [("payouts", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
