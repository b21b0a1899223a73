"""Order use cases after placement: payment outcomes, confirmation, preparation, shipping,
delivery, cancellation and changes. Each loads, checks a rule, writes in one transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from comptoir.brands.models import Brand
from comptoir.catalog.services import check_purchasable, release_stock, reserve_stock, variants_by_sku
from comptoir.checkout.models import Cart
from comptoir.core.errors import Conflict, InvalidInput, NotFound, PaymentRefused
from comptoir.orders import states
from comptoir.orders.emails import notify_order
from comptoir.discounts.services import release_redemptions
from comptoir.giftcards.services import issue_purchased_gift_cards
from comptoir.loyalty.services import earn_for_order, release_for_order
from comptoir.orders.models import Order, OrderEvent, OrderLine
from comptoir.orders.rules import (
    OrderFacts, check_shopper_cancellation, check_shopper_modification, check_staff_address_change,
    check_staff_cancellation,
)
from comptoir.payments import services as payments
from comptoir.payments.gateway import GatewayResult
from comptoir.payments.models import Payment
from comptoir.shipping.models import Shipment
from comptoir.shipping.rules import check_address_deliverable, promise_delivery, tracking_url


def record_event(order: Order, kind: str, *, actor: str, now: datetime, old: str = "", new: str = "",
                 data: dict | None = None) -> None:
    OrderEvent.objects.create(
        order=order, kind=kind, from_status=old, to_status=new, actor=actor, at=now, data=data or {}
    )


def move(order: Order, move_name: str, *, actor: str, now: datetime, data: dict | None = None) -> None:
    """Apply one transition of the status machine and log it (IllegalTransition → HTTP 409)."""
    old = order.status
    order.status = states.next_status(old, move_name)
    record_event(order, move_name, actor=actor, now=now, old=old, new=order.status, data=data)


def lock_order(order_id) -> Order:
    # Lock the order row only: `of` keeps the joined brand row free for the brand's other orders.
    return Order.objects.select_for_update(of=("self",)).select_related("brand").get(pk=order_id)


def set_promise(order: Order, at: datetime) -> None:
    """Store the dispatch and delivery promise counted from `at` (placement or confirmation)."""
    policy = order.brand.policy_object
    promise = promise_delivery(policy, order.shipping_method, order.shipping_address["country"], at)
    order.dispatch_due_on = promise.dispatch_on
    order.delivery_earliest_on = promise.delivery_earliest
    order.delivery_latest_on = promise.delivery_latest


def _confirm(order: Order, *, actor: str, now: datetime, lines=None) -> None:
    move(order, "confirm", actor=actor, now=now)
    order.confirmed_at = now
    if order.brand.policy_object.dispatch.counts_from == "confirmation" and order.shipping_method:
        set_promise(order, now)
    notify_order(order, "order_confirmed", now=now, lines=lines)
    if issue_purchased_gift_cards(order, now=now, lines=lines) and not order.shipping_method:
        # Only e-gift cards: their e-mails are the delivery.
        move(order, "deliver_electronically", actor="system", now=now)


def settle_paid_order(order: Order, *, actor: str, now: datetime, lines=None) -> None:
    """The order's payment is secured (captured, authorised, or covered by gift cards): confirm it,
    or leave it waiting for the brand's confirmation (OG-ORD-02)."""
    if order.brand.policy_object.orders.confirmation == "automatic":
        _confirm(order, actor=actor, now=now, lines=lines)
    else:
        move(order, "await_confirmation", actor=actor, now=now)
        notify_order(order, "order_received", now=now, lines=lines)
    order.payment_due_by = None
    earn_for_order(order, now=now, lines=lines)  # AL-LOY-01/03: pending loves, for signed-in members


def release_order_holds(order: Order, *, reason: str, now: datetime) -> None:
    """A failed or cancelled order gives everything back: stock, gift card and credit note amounts,
    discount code uses, authorisations and captures."""
    release_stock(_quantities(order))
    for payment in Payment.objects.select_for_update().filter(order=order).order_by("created_at"):
        payments.release(payment, reason=reason, now=now)
    release_redemptions(order, now=now)
    release_for_order(order, now=now)  # its loyalty voucher comes back, its loves are cancelled


def _reopen_cart(order: Order, now: datetime) -> None:
    """An order that failed its payment gives its cart back, so the shopper can try again."""
    if order.cart_id:
        Cart.objects.filter(pk=order.cart_id, status=Cart.ORDERED).update(status=Cart.OPEN, updated_at=now)


def apply_payment_outcome(order: Order, payment: Payment, result: GatewayResult, *, actor: str,
                          now: datetime, lines=None) -> None:
    """Record a gateway outcome and move the order on (inside a transaction, order row locked).

    `lines` are the order's lines when the caller holds them (placement), sparing the e-mail a query.
    """
    payments.record_result(payment, result, key=f"{payment.id}:{result.status}:{result.psp_reference}", now=now)
    policy = order.brand.policy_object
    if result.status in ("authorised", "captured"):
        if order.status == states.AWAITING_PAYMENT:
            settle_paid_order(order, actor=actor, now=now, lines=lines)
        order.payment_due_by = None
    elif result.status == "card_registered":
        move(order, "await_confirmation", actor=actor, now=now)
        order.payment_due_by = None
        notify_order(order, "order_received", now=now, lines=lines)
    elif result.status == "requires_action":
        order.payment_due_by = now + timedelta(minutes=policy.orders.payment_step_timeout_minutes)
    elif result.status == "refused":
        move(order, "fail_payment", actor=actor, now=now, data={"refusal_code": result.refusal_code})
        release_order_holds(order, reason="payment_refused", now=now)
        _reopen_cart(order, now)
        order.payment_due_by = None
    order.save()


def complete_payment_step(brand: Brand, payment_id, *, answer: str, customer, actor: str, now: datetime) -> Payment:
    """The shopper answers a 3-D Secure challenge (AA-PAY-02) or returns from PayPal. A signed-in
    shopper's payment is theirs alone; a guest's is reached by its unguessable id."""
    payment = Payment.objects.select_related("order__brand").filter(pk=payment_id, order__brand=brand).first()
    owner = payment.order.customer_id if payment is not None else None
    if payment is None or (owner is not None and (customer is None or customer.id != owner)):
        raise NotFound("not_found", thing="payment")
    # An order no longer awaiting payment (its step expired, it was cancelled) takes no late answer:
    # the stock went back, so completing the step would charge for an order that will not ship.
    if payment.order.status != states.AWAITING_PAYMENT or (
        payment.order.payment_due_by and now > payment.order.payment_due_by
    ):
        raise Conflict("payment_step_expired")
    if payment.status != "requires_action":
        raise Conflict("payment_step_not_pending")
    result = payments.complete_step(payment, answer=answer, now=now)
    with transaction.atomic():
        order = lock_order(payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == "requires_action":
            apply_payment_outcome(order, payment, result, actor=actor, now=now)
    if result.status == "refused":
        raise PaymentRefused(result.refusal_code or "payment_refused", rule="AL-PAY-06")
    return payment


def expire_payment_steps(now: datetime) -> int:
    """Worker sweep: orders whose 3-D Secure or PayPal step was abandoned, or whose bank transfer did
    not arrive in time (AA-PAY-03), free their stock."""
    expired = 0
    due = Order.objects.filter(status=states.AWAITING_PAYMENT, payment_due_by__lt=now).values_list("pk", flat=True)
    for order_id in list(due[:200]):
        with transaction.atomic():
            order = lock_order(order_id)
            if order.status != states.AWAITING_PAYMENT or order.payment_due_by is None or order.payment_due_by >= now:
                continue
            reason = "transfer_not_received" if order.payment_method == "bank_transfer" else "payment_step_expired"
            move(order, "fail_payment", actor="system", now=now, data={"reason": reason})
            order.payment_due_by = None
            # A step abandoned, or a gateway answer a stopped process never recorded (orders.gateway_events).
            for payment in Payment.objects.select_for_update().filter(order=order, status__in=("requires_action", "pending")):
                expired_step = GatewayResult("refused", payment.psp_reference, 0, refusal_code="payment_step_expired")
                payments.record_result(payment, expired_step, key=f"{payment.id}:step_expired", now=now)
            release_order_holds(order, reason=reason, now=now)
            _reopen_cart(order, now)
            order.save()
            expired += 1
    return expired


def confirm_order(order: Order, *, actor: str, now: datetime) -> Order:
    """Staff confirm an order (OG-ORD-02): the bank is asked for a pre-authorisation; a refusal
    refuses the order, which goes no further."""
    if order.status != states.AWAITING_CONFIRMATION:
        raise states.IllegalTransition("order", order.status, "confirm")
    payment = order.payments.filter(status__in=["card_registered", "authorised", "captured"]).first()
    result = None
    if payment is not None and payment.status == "card_registered":
        result = payments.authorise_registered_card(payment, capture=False, reference=order.number, now=now)
    with transaction.atomic():
        order = lock_order(order.pk)
        if result is not None:
            payment = Payment.objects.select_for_update().get(pk=payment.pk)
            payments.record_result(payment, result, key=f"{payment.id}:preauthorisation", now=now)
            if result.status == "refused":
                move(order, "refuse", actor=actor, now=now, data={"refusal_code": result.refusal_code})
                release_order_holds(order, reason="preauthorisation_refused", now=now)
                notify_order(order, "order_refused", now=now, reason_code="preauthorisation_refused")
                order.save()
                return order
        _confirm(order, actor=actor, now=now)
        order.save()
    return order


def prepare_order(order: Order, *, actor: str, now: datetime) -> Order:
    with transaction.atomic():
        order = lock_order(order.pk)
        move(order, "prepare", actor=actor, now=now)
        order.save(update_fields=["status"])
    return order


def ship_order(order: Order, *, tracking_number: str, line_ids: list[int] | None, actor: str,
               now: datetime) -> Shipment:
    """Hand a parcel to the carrier: the lines given (default: every line not yet shipped).

    Captures an authorisation still held (OG: pre-authorised at confirmation), e-mails tracking
    (ALL-SHP-06). When lines remain (pre-orders, AL-ORD-03) the order is partially shipped.
    """
    policy = order.brand.policy_object
    method = policy.shipping_method(order.shipping_method)
    if method.kind == "store_pickup":
        raise Conflict("pickup_orders_are_not_shipped", rule="OG-SHP-03")
    tracking_number = (tracking_number or "").strip()
    if not tracking_number:
        raise InvalidInput("tracking_number_required", carrier=method.carrier)
    if order.status not in (states.CONFIRMED, states.PREPARING, states.PARTIALLY_SHIPPED):
        raise states.IllegalTransition("order", order.status, "ship")
    _capture_held_payment(order, now=now)
    with transaction.atomic():
        order = lock_order(order.pk)
        unshipped = {line.id: line for line in order.lines.filter(shipment__isnull=True)}
        chosen = list(unshipped) if not line_ids else line_ids
        for line_id in chosen:
            if line_id not in unshipped:
                raise InvalidInput("line_not_in_order", line=line_id)
        if not chosen:
            raise Conflict("nothing_to_ship")
        shipment = Shipment.objects.create(
            order=order, method=method.code, carrier=method.carrier, tracking_number=tracking_number,
            tracking_url=tracking_url(method, tracking_number), shipped_at=now,
        )
        OrderLine.objects.filter(id__in=chosen).update(shipment=shipment)
        move(order, "ship" if len(chosen) == len(unshipped) else "ship_part", actor=actor, now=now,
             data={"shipment": str(shipment.id), "tracking_number": tracking_number})
        order.save(update_fields=["status"])
        notify_order(order, "order_shipped", now=now, shipment=shipment, key_suffix=str(shipment.id))
    return shipment


def _capture_held_payment(order: Order, *, now: datetime) -> None:
    payment = order.payments.filter(status="authorised").first()
    if payment is None:
        return
    amount = payments.balance(payment).capturable_minor
    if amount <= 0:
        return
    key = payments.capture_key(payment)
    result = payments.capture(payment, amount_minor=amount, key=key, now=now)
    if result.status == "refused":
        raise PaymentRefused(result.refusal_code or "payment_refused")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == "authorised":
            payments.record_capture(payment, result, key=key, now=now)


def mark_ready_for_pickup(order: Order, *, actor: str, now: datetime) -> Order:
    """The parcel is at the store: the shopper gets an e-mail saying so (OG-SHP-03)."""
    method = order.brand.policy_object.shipping_method(order.shipping_method)
    if method.kind != "store_pickup":
        raise Conflict("not_a_pickup_order")
    _capture_held_payment(order, now=now)
    with transaction.atomic():
        order = lock_order(order.pk)
        move(order, "make_ready_for_pickup", actor=actor, now=now)
        order.save(update_fields=["status"])
        notify_order(order, "pickup_ready", now=now)
    return order


def mark_delivered(order: Order, *, actor: str, now: datetime) -> Order:
    with transaction.atomic():
        order = lock_order(order.pk)
        move(order, "deliver", actor=actor, now=now)
        order.shipments.filter(delivered_at__isnull=True).update(delivered_at=now)
        order.save(update_fields=["status"])
    return order


def cancel_order(order: Order, *, by_shopper: bool, actor: str, reason: str, now: datetime) -> Order:
    """Cancel before dispatch: stock goes back, an authorisation is voided or a capture refunded."""
    policy = order.brand.policy_object
    facts = OrderFacts(order.status, order.placed_at)
    decision = check_shopper_cancellation(policy, facts, now) if by_shopper else check_staff_cancellation(facts)
    decision.enforce()
    with transaction.atomic():
        order = lock_order(order.pk)
        move(order, "cancel", actor=actor, now=now, data={"reason": reason})
        release_order_holds(order, reason="cancellation", now=now)
        order.payment_due_by = None
        order.save()
        notify_order(order, "order_cancelled", now=now, reason_text=reason)
    return order


def change_shipping_address(order: Order, *, address: dict, by_shopper: bool, actor: str, now: datetime) -> Order:
    """AL-ORD-05 (shopper, before dispatch) or OG-ORD-05 (customer care, without guarantee)."""
    policy = order.brand.policy_object
    facts = OrderFacts(order.status, order.placed_at)
    decision = (
        check_shopper_modification(policy, facts, "shipping_address") if by_shopper
        else check_staff_address_change(policy, facts)
    )
    decision.enforce()
    if address.get("country") != order.shipping_address.get("country"):
        raise InvalidInput("invalid_input", fields="country (the destination country cannot change)")
    check_address_deliverable(policy, [address.get("line1", ""), address.get("line2", "")]).enforce(InvalidInput)
    with transaction.atomic():
        order = lock_order(order.pk)
        old = order.shipping_address
        order.shipping_address = address
        record_event(order, "shipping_address_changed", actor=actor, now=now, data={"old": old, "new": address})
        order.save(update_fields=["shipping_address"])
    return order


def change_line_variant(order: Order, *, line_id: int, sku: str, actor: str, now: datetime) -> Order:
    """AL-ORD-05: another size or colour of the same item, before dispatch; the price stays."""
    policy = order.brand.policy_object
    check_shopper_modification(policy, OrderFacts(order.status, order.placed_at), "variant").enforce()
    with transaction.atomic():
        order = lock_order(order.pk)
        line = order.lines.select_related("variant").filter(id=line_id).first()
        if line is None:
            raise NotFound("line_not_in_order", line=line_id)
        new_variant = variants_by_sku(order.brand, [sku])[sku]
        if new_variant.product_id != line.variant.product_id:
            raise InvalidInput("variant_of_another_product", rule="AL-ORD-05")
        check_purchasable(new_variant, line.quantity)
        reserve_stock({new_variant.id: line.quantity}, {new_variant.id: new_variant})
        release_stock({line.variant_id: line.quantity})
        record_event(order, "line_variant_changed", actor=actor, now=now,
                     data={"line": line.id, "old_sku": line.sku, "new_sku": sku})
        line.variant, line.sku, line.size, line.colour = new_variant, sku, new_variant.size, new_variant.colour
        line.save(update_fields=["variant", "sku", "size", "colour"])
    return order


def _quantities(order: Order) -> dict[int, int]:
    quantities: dict[int, int] = {}
    for variant_id, quantity in order.lines.values_list("variant_id", "quantity"):
        quantities[variant_id] = quantities.get(variant_id, 0) + quantity
    return quantities
