# Orders say when they were invoiced, so that the worker's invoicing queue is a small partial index rather
# than a scan of every confirmed order for the ones without an invoice.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def mark_invoiced_orders(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    Invoice = apps.get_model("invoices", "Invoice")
    invoices = Invoice.objects.filter(kind="invoice")
    Order.objects.filter(pk__in=invoices.values("order_id")).update(
        invoiced_at=Subquery(invoices.filter(order_id=OuterRef("pk")).values("issued_at")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0003_order_discount_minor_orderline_discount_minor_and_more'),
        ('invoices', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='order',
            name='invoiced_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_invoiced_orders, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='order',
            index=models.Index(condition=models.Q(('confirmed_at__isnull', False), ('invoiced_at__isnull', True)), fields=['confirmed_at'], name='order_to_invoice'),
        ),
    ]
