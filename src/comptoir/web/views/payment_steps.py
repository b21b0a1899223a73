"""The payment steps after checkout: the bank's 3-D Secure challenge (AA-PAY-02, the SMS code) and the
sandbox PayPal page (approve or cancel); both answer through orders.services.complete_payment_step."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from comptoir.core.errors import DomainError, NotFound
from comptoir.orders.services import complete_payment_step
from comptoir.payments.models import Payment
from comptoir.web import session
from comptoir.web.pages import brand_page, message_of, show


def _pending_payment(brand, payment_id) -> Payment:
    payment = Payment.objects.select_related("order").filter(pk=payment_id, order__brand=brand).first()
    if payment is None:
        raise NotFound("not_found", thing="payment")
    return payment


def _step(request, brand, payment_id, template: str, answer_of):
    payment = _pending_payment(brand, payment_id)
    error = ""
    status = 200
    if request.method == "POST":
        actor = f"customer:{request.customer.pk}" if request.customer else "guest"
        try:
            complete_payment_step(brand, payment.pk, answer=answer_of(request), customer=request.customer,
                                  actor=actor, now=request.now)
        except DomainError as refusal:
            error, status = message_of(request, refusal), refusal.status
            if payment.order.cart is not None and payment.order.cart.status == "open":
                session.remember_cart(request, brand, payment.order.cart)  # the refused order gave it back
        else:
            return redirect(reverse("web:order", kwargs={"brand": brand.slug, "number": payment.order.number})
                            + "?placed=1")
        payment.refresh_from_db()
    return show(request, template, {"payment": payment, "order": payment.order, "error": error,
                                    "pending": payment.status == "requires_action"}, status=status)


@brand_page
def three_d_secure(request, brand, payment_id):
    return _step(request, brand, payment_id, "web/checkout/three_d_secure.html",
                 lambda r: "".join(r.POST.get("code", "").split())[:40] or "-")


@brand_page
def paypal(request, brand, payment_id):
    return _step(request, brand, payment_id, "web/checkout/paypal.html",
                 lambda r: "approve" if r.POST.get("decision") == "approve" else "cancel")
