"""Account deletion (ALL-ACC-04, OG-ACC-03): self-service where the brand allows it, otherwise a request
that customer care carries out. Either way the person is anonymised, not the accounting.

What is erased: name, e-mail, phone and stored addresses of the account, its password and tokens, its
newsletter subscription and stock alerts, the addresses and e-mail on its orders, returns, cases (and
their messages), help-center questions and sent e-mails. What is kept: the rows themselves (orders,
lines, payments with the card's last four digits, refunds), because accounting needs them, and every
issued invoice and credit note, untouched.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction

from comptoir.accounts.models import ApiToken, Customer, PasswordResetToken
from comptoir.care.models import AssistantLog, Case, CaseMessage
from comptoir.checkout.models import Cart
from comptoir.consent.models import ConsentEvent, DeletionRequest, StockAlert, Subscription
from comptoir.consent.rules import check_account_erasable
from comptoir.core.errors import NotFound
from comptoir.discounts.models import DiscountRedemption
from comptoir.invoices.models import INVOICE, Invoice
from comptoir.invoices.services import issue_invoice
from comptoir.notifications.models import OutboxMessage
from comptoir.orders import states
from comptoir.orders.models import Order, OrderEvent
from comptoir.repairs.models import RepairPhoto, RepairRequest
from comptoir.returns import states as return_states
from comptoir.returns.models import ReturnRequest

RULE = "ALL-ACC-04"
ORDERS_IN_PROGRESS = (
    states.AWAITING_PAYMENT, states.AWAITING_CONFIRMATION, states.CONFIRMED, states.PREPARING,
    states.PARTIALLY_SHIPPED, states.SHIPPED, states.READY_FOR_PICKUP,
)
RETURNS_IN_PROGRESS = (return_states.REQUESTED, return_states.APPROVED, return_states.RECEIVED, return_states.INSPECTED)
ERASED_TEXT = "[erased at the shopper's request]"
ADDRESS_ERASED = {"first_name": "", "last_name": "", "line1": "", "line2": "", "postal_code": "", "city": "", "phone": ""}


def anonymised_email(customer: Customer) -> str:
    """A placeholder no mail can reach (.invalid is reserved, RFC 2606), unique per account."""
    return f"erased-{customer.pk}@anonymised.invalid"


def request_account_deletion(customer: Customer, *, now: datetime) -> DeletionRequest | None:
    """`DELETE /me`: erase now where the brand allows self-service (returns None); otherwise record a
    request for customer care to carry out (OG-ACC-03) and return it. Asking twice keeps one request."""
    check_erasable(customer)
    if customer.brand.policy_object.accounts.self_service_account_deletion:
        erase_account(customer, actor=f"customer:{customer.pk}", source="account settings", now=now)
        return None
    with transaction.atomic():
        request = DeletionRequest.objects.select_for_update().filter(customer=customer,
                                                                     status=DeletionRequest.OPEN).first()
        if request is None:
            request = DeletionRequest.objects.create(brand=customer.brand, customer=customer, requested_at=now)
    return request


def carry_out_deletion_request(request_id: int, *, brand, actor: str, now: datetime) -> DeletionRequest:
    """Staff erase the account of an open request (OG-ACC-03); carrying it out twice does nothing more."""
    with transaction.atomic():
        request = (DeletionRequest.objects.select_for_update().select_related("customer__brand")
                   .filter(pk=request_id, brand=brand).first())
        if request is None:
            raise NotFound("not_found", thing="deletion request")
        if request.status == DeletionRequest.CARRIED_OUT:
            return request
        check_erasable(request.customer)
        erase_account(request.customer, actor=actor, source="customer care", now=now)
        request.status, request.carried_out_at, request.carried_out_by = DeletionRequest.CARRIED_OUT, now, actor
        request.save(update_fields=["status", "carried_out_at", "carried_out_by"])
    return request


def check_erasable(customer: Customer) -> None:
    check_account_erasable(
        orders_in_progress=Order.objects.filter(customer=customer, status__in=ORDERS_IN_PROGRESS).count(),
        returns_in_progress=ReturnRequest.objects.filter(customer=customer, status__in=RETURNS_IN_PROGRESS).count(),
    ).enforce()


def erase_account(customer: Customer, *, actor: str, source: str, now: datetime) -> None:
    """Anonymise the person behind `customer` and record who did it and when (ALL-ACC-04)."""
    with transaction.atomic():
        customer = Customer.objects.select_for_update().select_related("brand").get(pk=customer.pk)
        brand, email, placeholder = customer.brand, customer.email, anonymised_email(customer)
        orders = Order.objects.filter(customer=customer)
        # Invoices are legally required (10-year retention): a confirmed order still without its invoice
        # gets it now, with the real buyer, BEFORE the order is anonymised. Issued invoices and credit
        # notes are never touched: their snapshot keeps the buyer's name and address, as the law requires.
        for order in orders.filter(confirmed_at__isnull=False).exclude(invoices__kind=INVOICE):
            issue_invoice(order, now=now)
        for order in orders.only("pk", "shipping_address", "billing_address"):
            order.email = placeholder
            order.shipping_address = _erased_address(order.shipping_address)
            order.billing_address = _erased_address(order.billing_address)
            order.save(update_fields=["email", "shipping_address", "billing_address"])
        OrderEvent.objects.filter(order__customer=customer, kind="shipping_address_changed").update(
            data={"erased": True})
        ReturnRequest.objects.filter(customer=customer).update(email=placeholder)
        # A repair keeps its number, status and amounts; what she wrote and the photos of her item go.
        RepairRequest.objects.filter(customer=customer).update(email=placeholder, description=ERASED_TEXT,
                                                                photo_names=[])
        photos = list(RepairPhoto.objects.filter(repair__customer=customer))
        RepairPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
        transaction.on_commit(lambda: [photo.image.delete(save=False) for photo in photos])
        Case.objects.filter(customer=customer).update(email=placeholder)
        # Replies quote the shopper too: every message of their cases is emptied, the case itself stays.
        CaseMessage.objects.filter(case__customer=customer).update(body=ERASED_TEXT)
        AssistantLog.objects.filter(customer=customer).update(question=ERASED_TEXT, customer=None)
        DiscountRedemption.objects.filter(customer=customer).update(email=placeholder)
        Cart.objects.filter(customer=customer, status=Cart.OPEN).delete()
        _erase_mail(brand.slug, email, placeholder)
        Subscription.objects.filter(brand=brand, email=email).delete()
        StockAlert.objects.filter(brand=brand, email=email).delete()
        ConsentEvent.objects.filter(brand=brand, email=email).update(email=placeholder)
        customer.addresses.all().delete()
        ApiToken.objects.filter(customer=customer).delete()
        PasswordResetToken.objects.filter(customer=customer).delete()
        customer.email, customer.first_name, customer.last_name, customer.phone = placeholder, "", "", ""
        customer.password, customer.newsletter_consent_at, customer.is_active = make_password(None), None, False
        customer.save(update_fields=["email", "first_name", "last_name", "phone", "password",
                                     "newsletter_consent_at", "is_active"])
        ConsentEvent.objects.create(brand=brand, email=placeholder, customer=customer, kind=ConsentEvent.ACCOUNT,
                                    action=ConsentEvent.ERASED, source=source, actor=actor, at=now)


def _erased_address(address: dict | None) -> dict | None:
    """The same keys, emptied; the country stays (VAT and statistics by destination)."""
    if not address:
        return address
    return {**address, **{key: "" for key in ADDRESS_ERASED if key in address}}


def _erase_mail(brand_slug: str, email: str, placeholder: str) -> None:
    """Sent e-mails lose their recipient and content; unsent ones are dropped (nobody left to write to)."""
    mail = OutboxMessage.objects.filter(brand_slug=brand_slug, channel=OutboxMessage.Channel.EMAIL, recipient=email)
    mail.filter(status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.FAILED, last_error="recipient erased (ALL-ACC-04)")
    mail.update(recipient=placeholder, context={}, headers={}, subject="", rendered_text="")


def invoices_kept(customer: Customer) -> int:
    """How many invoices and credit notes of this account are kept (shown after a deletion)."""
    return Invoice.objects.filter(order__customer=customer).count()
