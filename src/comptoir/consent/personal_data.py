"""Right of access (ALL-ACC-04): everything held about a shopper, as one JSON document.

Only what is linked to the account is exported: orders placed as a guest with the same address are not,
because an account's e-mail is not proof of owning the address. A constant number of queries whatever
the number of orders. Card numbers are never held: payments show the network and last four digits.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch

from comptoir.accounts.models import Customer
from comptoir.care.models import AssistantLog, Case
from comptoir.consent.models import (
    ConsentEvent,
    DeletionRequest,
    StockAlert,
    Subscription,
)
from comptoir.invoices.models import Invoice
from comptoir.orders.models import Order
from comptoir.payouts.models import Payout
from comptoir.repairs.models import RepairRequest
from comptoir.returns.models import ReturnRequest

FORMAT = "comptoir.personal-data/1"


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_personal_data(customer: Customer, *, now: datetime) -> dict:
    """The shopper's data: profile, addresses, orders (lines, payments, parcels, invoices), returns,
    newsletter, consent history, stock alerts, repairs, transfers sent back, customer-care cases and deletion
    requests."""
    brand = customer.brand
    return {
        "format": FORMAT,
        "generated_at": now.isoformat(),
        "controller": {"name": brand.name, "contact_email": brand.policy_object.contact.email},
        "profile": {
            "email": customer.email, "first_name": customer.first_name, "last_name": customer.last_name,
            "phone": customer.phone, "language": customer.language, "created_at": _when(customer.created_at),
            "newsletter_consent_at": _when(customer.newsletter_consent_at),
        },
        "addresses": [{"label": a.label, **a.as_dict(), "created_at": _when(a.created_at)}
                      for a in customer.addresses.all()],
        "orders": [_order(order) for order in _orders(customer)],
        "returns": [
            {"number": r.number, "order": r.order.number, "status": r.status, "email": r.email,
             "declared_at": _when(r.declared_at), "refunded_at": _when(r.refunded_at),
             "items": [{"sku": i.order_line.sku, "quantity": i.quantity, "reason": i.reason_code,
                        "note": i.reason_note} for i in r.items.all()]}
            for r in ReturnRequest.objects.filter(customer=customer).select_related("order")
            .prefetch_related("items__order_line").order_by("declared_at")
        ],
        "newsletter": [
            {"email": s.email, "status": s.status, "language": s.language, "subscribed_at": _when(s.subscribed_at),
             "unsubscribed_at": _when(s.unsubscribed_at)}
            for s in Subscription.objects.filter(brand=brand, email=customer.email)
        ],
        "consent_history": [
            {"kind": e.kind, "action": e.action, "source": e.source, "email": e.email, "at": _when(e.at)}
            for e in ConsentEvent.objects.filter(brand=brand, customer=customer).order_by("at", "id")
        ],
        "stock_alerts": [
            {"sku": a.variant.sku, "email": a.email, "status": a.status, "created_at": _when(a.created_at),
             "sent_at": _when(a.sent_at)}
            for a in StockAlert.objects.filter(brand=brand, email=customer.email).select_related("variant")
        ],
        "repairs": [
            {"number": r.number, "status": r.status, "description": r.description, "assessment": r.assessment,
             "quote_minor": r.quote_minor, "currency": r.currency, "requested_at": _when(r.requested_at),
             "closed_at": _when(r.closed_at), "photos": [p.original_name or f"photo-{p.pk}" for p in r.photos.all()]}
            for r in RepairRequest.objects.filter(customer=customer).prefetch_related("photos").order_by("requested_at")
        ],
        # Money sent back by transfer, with the IBAN the shopper gave for it.
        "transfers_to_you": [
            {"order": p.order.number, "kind": p.kind, "amount_minor": p.amount_minor, "currency": p.currency,
             "iban": p.iban, "status": p.status, "sent_on": p.sent_on.isoformat() if p.sent_on else None,
             "bank_reference": p.bank_reference}
            for p in Payout.objects.filter(order__customer=customer).select_related("order").order_by("created_at")
        ],
        "customer_care_cases": [
            {"kind": c.kind, "subject": c.subject, "status": c.status, "email": c.email,
             "created_at": _when(c.created_at),
             "messages": [{"author": m.author, "body": m.body, "at": _when(m.created_at)} for m in c.messages.all()]}
            for c in Case.objects.filter(customer=customer).order_by("created_at").prefetch_related("messages")
        ],
        "help_center_questions": [
            {"question": log.question, "at": _when(log.at)}
            for log in AssistantLog.objects.filter(customer=customer).order_by("at")
        ],
        "deletion_requests": [
            {"status": d.status, "requested_at": _when(d.requested_at), "carried_out_at": _when(d.carried_out_at)}
            for d in DeletionRequest.objects.filter(customer=customer).order_by("requested_at")
        ],
    }


def _orders(customer: Customer):
    return (
        Order.objects.filter(customer=customer).order_by("placed_at")
        .prefetch_related("lines", "payments", "shipments",
                          Prefetch("invoices", queryset=Invoice.objects.order_by("kind", "sequence_number")))
    )


def _order(order: Order) -> dict:
    return {
        "number": order.number, "placed_at": _when(order.placed_at), "status": order.status, "email": order.email,
        "language": order.language, "currency": order.currency, "subtotal_minor": order.subtotal_minor,
        "discount_minor": order.discount_minor, "shipping_minor": order.shipping_minor,
        "total_minor": order.total_minor, "shipping_method": order.shipping_method,
        "shipping_address": order.shipping_address, "billing_address": order.billing_address,
        "lines": [
            {"sku": line.sku, "product": line.product_name, "size": line.size, "colour": line.colour,
             "quantity": line.quantity, "unit_price_minor": line.unit_price_minor, "total_minor": line.total_minor}
            for line in order.lines.all()
        ],
        # Never a card number: the gateway keeps it; we hold the network and last four digits only.
        "payments": [
            {"method": p.method, "status": p.status, "amount_minor": p.amount_minor, "currency": p.currency,
             "card_network": p.card_network, "card_last4": p.card_last4, "created_at": _when(p.created_at)}
            for p in order.payments.all()
        ],
        "shipments": [
            {"carrier": s.carrier, "tracking_number": s.tracking_number, "shipped_at": _when(s.shipped_at),
             "delivered_at": _when(s.delivered_at)}
            for s in order.shipments.all()
        ],
        "invoices": [
            {"number": i.number, "kind": i.kind, "issued_at": _when(i.issued_at), "total_minor": i.total_minor,
             "currency": i.currency}
            for i in order.invoices.all()
        ],
    }
