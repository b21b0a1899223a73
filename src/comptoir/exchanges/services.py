"""Exchange use cases: ask for one during the return (OG-EXC-01, AL-EXC-01/02), settle them once the parcel
is inspected — an exchange order, or a return when the item cannot be had (AL-EXC-03/04) — and let customer
care change where the exchange order goes (AL-EXC-04). Each loads, checks a rule, writes in one transaction."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from comptoir.catalog.rules import availability
from comptoir.catalog.services import variants_by_sku
from comptoir.core.errors import Conflict, DomainError, InvalidInput, NotFound, PaymentRefused
from comptoir.core.money import Money, net_of_vat
from comptoir.exchanges import ordering, rules, states
from comptoir.exchanges.emails import notify_exchange
from comptoir.exchanges.models import ExchangeEvent, ExchangeRequest
from comptoir.orders import states as order_states
from comptoir.orders.models import Order, OrderEvent
from comptoir.orders.services import lock_order, record_event as record_order_event
from comptoir.payments.gateway import CardDetails, card_network_of, get_gateway
from comptoir.payments.rules import check_payment_method
from comptoir.refunds.amounts import paid_for_units
from comptoir.refunds.services import issue_refund
from comptoir.returns import states as return_states
from comptoir.returns.models import ReturnItem, ReturnRequest
from comptoir.returns.transitions import lock_return, move as move_return, record_event as record_return_event
from comptoir.shipping.rules import find_rate

logger = logging.getLogger("comptoir.exchanges")
UNAVAILABLE_CODES = frozenset({"sold_out", "coming_soon", "not_enough_stock", "stock_changed", "unknown_sku"})
# Exchanges whose returned item is not refunded: the exchange order pays for it, or is about to.
LIVE = (states.REQUESTED, states.ORDERED)


def move(exchange: ExchangeRequest, move_name: str, *, actor: str, now: datetime, data: dict | None = None) -> None:
    old = exchange.status
    exchange.status = states.next_status(old, move_name)
    ExchangeEvent.objects.create(exchange=exchange, kind=move_name, from_status=old, to_status=exchange.status,
                                 actor=actor, at=now, data=data or {})


@dataclass(frozen=True, slots=True)
class ExchangeQuote:
    """What an exchange would cost, fixed before anything is written (AL-EXC-02), and whether the wanted item
    can be had now (AL-EXC-03). `due` is what the kept card must cover: the supplement and the shipping."""
    wanted: object
    kind: str
    paid: int
    price: rules.ExchangePrice
    new_value: int
    shipping: int
    available: bool

    @property
    def due(self) -> int:
        return self.price.supplement_minor + self.shipping if self.available else 0


def quote_exchange(original: Order, line, *, sku: str, quantity: int, reason_kind: str, return_open: bool,
                   now: datetime) -> ExchangeQuote:
    """Check the exchange is allowed (OG-EXC-01, AL-EXC-01) and price it (AL-EXC-02); reads, never writes."""
    policy = original.brand.policy_object
    wanted = variants_by_sku(original.brand, [sku])[sku]
    returned_facts = rules.VariantFacts(line.variant.product_id, line.sku, line.colour, line.is_gift_card)
    wanted_facts = rules.VariantFacts(wanted.product_id, wanted.sku, wanted.colour, wanted.product.is_gift_card)
    facts = rules.ExchangeFacts(returned_facts, wanted_facts, return_open, line_delivered_at(line),
                                policy.returns.request_window_days)
    rules.check_exchange_allowed(policy, facts, now).enforce()
    kind = rules.exchange_kind(returned_facts, wanted_facts)
    paid = paid_for_units(line.unit_price_minor, line.discount_minor, line.quantity, quantity)
    unit = wanted.product.price_minor
    if not original.prices_include_vat:  # an export sold net of VAT (OG-ORD-07): the same basis
        unit = net_of_vat(unit, policy.tax.vat_rate_basis_points)
    price = rules.exchange_price(policy, kind, paid, unit * quantity)
    new_value = paid if kind == rules.SIZE and policy.exchanges.size_exchange_keeps_price else unit * quantity
    shipping = _shipping_minor(policy, original, brand_at_fault=reason_kind in policy.returns.brand_pays_for)
    state = availability(stock=wanted.stock, when_out_of_stock=wanted.when_out_of_stock,
                         preorder_ships_on=wanted.product.preorder_ships_on)
    return ExchangeQuote(wanted, kind, paid, price, new_value, shipping,
                         available=state.purchasable and wanted.stock >= quantity)


def keep_card_for(original: Order, quote: ExchangeQuote, card: CardDetails | None, *, reference: str,
                  now: datetime) -> tuple[str, str]:
    """Register the card for what the quote leaves due, if anything. A gateway call: never inside a
    transaction (design: no lock held during a network call)."""
    if not quote.due:
        return "", ""
    return _keep_card(original.brand.policy_object, original, card, quote.due, reference=reference, now=now)


def request_exchange(ret: ReturnRequest, *, item_id: int, sku: str, card: CardDetails | None, channel: str,
                     actor: str, now: datetime) -> ExchangeRequest:
    """Ask for another size or product instead of a refund for an item of a return not yet received
    (OG-EXC-01); the price is fixed now (AL-EXC-02) and a card kept for what it costs more. An item already
    unavailable makes the exchange a return at once (AL-EXC-03)."""
    item = (ReturnItem.objects.select_related("order_line__variant__product", "order_line__shipment")
            .filter(return_request=ret, pk=item_id).first())
    if item is None:
        raise NotFound("item_not_in_return", item=item_id)
    quote = quote_exchange(ret.order, item.order_line, sku=sku, quantity=item.quantity, reason_kind=item.reason_kind,
                           return_open=ret.status in return_states.OPEN_FOR_ITEMS, now=now)
    token, last4 = keep_card_for(ret.order, quote, card, reference=ret.number, now=now)
    with transaction.atomic():
        return record_exchange(ret, item, quote, sku=sku, card_token=token, card_last4=last4, channel=channel,
                               actor=actor, now=now)


def record_exchange(ret: ReturnRequest, item: ReturnItem, quote: ExchangeQuote, *, sku: str, card_token: str,
                    card_last4: str, channel: str, actor: str, now: datetime) -> ExchangeRequest:
    """Write the exchange of a priced quote; call in a transaction. An unavailable item is a return at once."""
    original, price, shipping = ret.order, quote.price, quote.shipping
    ret = lock_return(ret.pk)
    if ret.status not in return_states.OPEN_FOR_ITEMS:
        raise states.IllegalTransition("return", ret.status, "exchange", rule="OG-EXC-01")
    if ExchangeRequest.objects.filter(return_item=item).exists():
        raise Conflict("exchange_already_requested", rule="OG-EXC-01")
    exchange = ExchangeRequest.objects.create(
        brand=ret.brand, return_item=item, original_order=original, wanted_variant=quote.wanted, wanted_sku=sku,
        kind=quote.kind, quantity=item.quantity, channel=channel, paid_minor=quote.paid,
        new_value_minor=quote.new_value, covered_minor=price.covered_minor, supplement_minor=price.supplement_minor,
        refund_minor=price.refund_minor, shipping_minor=shipping, card_token=card_token, card_last4=card_last4,
        shipping_address=original.shipping_address, requested_at=now,
    )
    ExchangeEvent.objects.create(exchange=exchange, kind="requested", to_status=exchange.status, actor=actor,
                                 at=now, data={"item": item.pk, "sku": sku, "kind": quote.kind, "channel": channel,
                                               "supplement_minor": price.supplement_minor,
                                               "refund_minor": price.refund_minor, "shipping_minor": shipping})
    record_return_event(ret, "exchange_requested", actor=actor, now=now,
                        data={"item": item.pk, "exchange": str(exchange.pk), "sku": sku})
    if not quote.available:
        _convert(exchange, "unavailable", actor=actor, now=now)
    return exchange


def line_delivered_at(line):
    """When the line reached the shopper: its parcel's delivery, else the order's (a pick-up)."""
    if line.shipment_id and line.shipment.delivered_at:
        return line.shipment.delivered_at
    return (OrderEvent.objects.filter(order_id=line.order_id, kind="deliver").order_by("at")
            .values_list("at", flat=True).first())


def _shipping_minor(policy, original: Order, *, brand_at_fault: bool) -> int:
    if not original.shipping_method:
        return 0
    rate = find_rate(policy, policy.shipping_method(original.shipping_method),
                     original.shipping_address.get("country", "")).price_minor
    if not original.prices_include_vat:
        rate = net_of_vat(rate, policy.tax.vat_rate_basis_points)
    return rules.exchange_shipping_minor(policy, rate, brand_at_fault=brand_at_fault)


def _keep_card(policy, original: Order, card: CardDetails | None, due: int, *, reference: str,
               now: datetime) -> tuple[str, str]:
    """Register the card for the amount due (nothing is charged now); AL-EXC-02 "you will have to pay the
    price difference". Without a card the request is refused with the amount, so nothing is written."""
    if card is None:
        raise InvalidInput("exchange_payment_required", rule="AL-EXC-02",
                           amount=Money(due, original.currency).format(original.language))
    check_payment_method(policy, "card", card_network_of(card.number)).enforce(InvalidInput)
    result = get_gateway().register_card(card=card, currency=original.currency, reference=reference, now=now,
                                         idempotency_key=f"exchange:register:{uuid.uuid4()}")
    if result.status != "card_registered":
        raise PaymentRefused(result.refusal_code or "authentication_unavailable", rule="AL-EXC-02")
    return result.psp_reference, result.card_last4 or ""


def _convert(exchange: ExchangeRequest, reason: str, *, actor: str, now: datetime) -> None:
    """AL-EXC-03 "If the item you wish to exchange is no longer available, we invite you to return it": the
    returned item is refunded with the return (its refund method), and the shopper is told why."""
    move(exchange, "convert", actor=actor, now=now, data={"reason": reason})
    exchange.conversion_reason, exchange.closed_at = reason, now
    exchange.save(update_fields=["status", "conversion_reason", "closed_at"])
    notify_exchange(exchange, "exchange_converted", now=now)


def settle_exchanges(ret: ReturnRequest, *, actor: str, now: datetime) -> ReturnRequest:
    """Once the parcel is inspected (AL-EXC-04 "dispatched after receipt of the return"): each accepted item
    becomes its exchange order, or a return when it cannot be had (AL-EXC-03); a refused item refuses its
    exchange. A return whose every accepted item was exchanged ends "exchanged" (nothing to refund)."""
    pending = list(ExchangeRequest.objects.filter(return_item__return_request=ret, status=states.REQUESTED)
                   .select_related("return_item__order_line", "original_order__brand", "wanted_variant__product"))
    for exchange in pending:
        decision = exchange.return_item.inspection_status
        if decision == "refused":
            with transaction.atomic():
                move(exchange, "refuse", actor=actor, now=now, data={"reason": exchange.return_item.refusal_reason})
                exchange.closed_at = now
                exchange.save(update_fields=["status", "closed_at"])
        elif decision == "accepted":
            _order_or_convert(exchange, ret, actor=actor, now=now)
    with transaction.atomic():
        ret = lock_return(ret.pk)
        accepted = set(ret.items.filter(inspection_status="accepted").values_list("pk", flat=True))
        if ret.status == return_states.INSPECTED and accepted and accepted <= exchanged_item_ids(ret):
            move_return(ret, "exchange", actor=actor, now=now)
            ret.save(update_fields=["status"])
    return ret


def _order_or_convert(exchange: ExchangeRequest, ret: ReturnRequest, *, actor: str, now: datetime) -> None:
    try:
        order = ordering.create_exchange_order(exchange, actor=actor, now=now)
    except (Conflict, PaymentRefused) as error:
        reason = "payment_refused" if isinstance(error, PaymentRefused) else "unavailable"
        if isinstance(error, Conflict) and error.code not in UNAVAILABLE_CODES:
            raise
        with transaction.atomic():
            exchange = ExchangeRequest.objects.select_for_update().get(pk=exchange.pk)
            if exchange.status == states.REQUESTED:
                _convert(exchange, reason, actor=actor, now=now)
        return
    with transaction.atomic():
        exchange = (ExchangeRequest.objects.select_for_update(of=("self",))
                    .select_related("original_order__brand", "return_item__order_line", "wanted_variant__product")
                    .get(pk=exchange.pk))
        if exchange.status != states.REQUESTED:
            return
        exchange.exchange_order, exchange.ordered_at = order, now
        move(exchange, "order", actor=actor, now=now, data={"order": order.number})
        exchange.save(update_fields=["status", "exchange_order", "ordered_at"])
        notify_exchange(exchange, "exchange_ordered", now=now)
    if exchange.refund_minor:
        _refund_difference(exchange, ret, now=now)


def _refund_difference(exchange: ExchangeRequest, ret: ReturnRequest, *, now: datetime) -> None:
    """AL-EXC-02 "if the product you wish to exchange is cheaper, a refund will be issued": money alone, on the
    original order, by the refund method chosen for the return; once per exchange (its key)."""
    try:
        refund = issue_refund(exchange.original_order, items=[], amount_minor=exchange.refund_minor,
                              choice=ret.refund_choice, reason="exchange_difference", return_reference=ret.number,
                              idempotency_key=f"exchange:{exchange.pk}:difference", now=now)
    except DomainError as error:  # left for staff: the exchange order itself stands
        logger.warning("exchange %s: difference refund refused: %s", exchange.pk, error)
        return
    ExchangeRequest.objects.filter(pk=exchange.pk).update(refund_reference=str(refund.pk))


def exchanged_item_ids(ret: ReturnRequest) -> set[int]:
    """Items of the return that an exchange pays back in kind: the return does not refund them."""
    return set(ExchangeRequest.objects.filter(return_item__return_request=ret, status__in=LIVE)
               .values_list("return_item_id", flat=True))


def change_exchange_address(exchange: ExchangeRequest, *, address: dict, actor: str, now: datetime) -> ExchangeRequest:
    """AL-EXC-04 "If you wish to change your delivery address, please contact our customer service": staff
    change it until the exchange order leaves; the destination country stays (its rate and promise)."""
    if address.get("country") != exchange.shipping_address.get("country"):
        raise InvalidInput("invalid_input", fields="country (the destination country cannot change)")
    with transaction.atomic():
        exchange = ExchangeRequest.objects.select_for_update().get(pk=exchange.pk)
        if exchange.status not in LIVE:
            raise states.IllegalTransition("exchange", exchange.status, "change_address", rule="AL-EXC-04")
        old = exchange.shipping_address
        if exchange.exchange_order_id:
            order = lock_order(exchange.exchange_order_id)
            if order.status not in order_states.NOT_DISPATCHED:
                raise Conflict("exchange_address_locked", rule="AL-EXC-04")
            order.shipping_address = address
            order.save(update_fields=["shipping_address"])
            record_order_event(order, "shipping_address_changed", actor=actor, now=now, data={"old": old, "new": address})
        exchange.shipping_address = address
        exchange.save(update_fields=["shipping_address"])
        ExchangeEvent.objects.create(exchange=exchange, kind="address_changed", actor=actor, at=now,
                                     data={"old": old, "new": address})
    return exchange
