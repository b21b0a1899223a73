"""An exchange asked from "my orders" (OG-EXC-01, AL-EXC-01/02): the shopper picks a line and the size or
product she wants instead; the line's return and its exchange are declared together, so a refused exchange
leaves no return behind.

Order of work (design: no gateway call inside a transaction): check and price the exchange first, register
the card with the gateway outside any transaction when something is due, then write the return and the
exchange in one transaction. If that write fails after the card was registered (say the return window was
closed by a concurrent declaration), the registration stays unused at the gateway: registering authorises
nothing and charges nothing, the exchange order alone would charge it (exchanges/ordering.py).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from comptoir.catalog.models import Variant
from comptoir.catalog.services import variant_label
from comptoir.core.errors import InvalidInput
from comptoir.exchanges.models import ExchangeRequest
from comptoir.exchanges.services import (
    ExchangeQuote, keep_card_for, line_delivered_at, quote_exchange, record_exchange,
)
from comptoir.orders.models import OrderLine
from comptoir.payments.gateway import CardDetails
from comptoir.returns.models import ReturnedQuantity
from comptoir.returns.rules import LineRequest, ReturnFacts, check_return_eligible, reason_of
from comptoir.returns.services import ItemRequest, declare_return


def _line_of(order, line_id: int) -> OrderLine:
    line = (OrderLine.objects.select_related("variant__product", "shipment")
            .filter(order=order, pk=line_id, is_gift_card=False).first())
    if line is None:
        raise InvalidInput("line_not_in_order", line=line_id)
    return line


def quote_for_line(order, line, *, sku: str, quantity: int, reason_code: str, now: datetime) -> ExchangeQuote:
    """Check and price exchanging `quantity` units of an order line for `sku` (AL-EXC-01/02); writes nothing."""
    if not sku:
        raise InvalidInput("invalid_input", fields="sku")
    policy = order.brand.policy_object
    # The return's own rules first (window, reason, quantity left): a refusal must come before the card.
    claimed = ReturnedQuantity.objects.filter(order_line_id=line.id).values_list("claimed", flat=True).first() or 0
    facts = ReturnFacts((LineRequest(line.id, line_delivered_at(line), line.quantity, claimed, quantity,
                                     reason_code),))
    check_return_eligible(policy, facts, now).enforce()
    reason = reason_of(policy, reason_code)
    return quote_exchange(order, line, sku=sku, quantity=quantity, reason_kind=reason.kind if reason else "",
                          return_open=True, now=now)


def exchange_choices(brand, line, language: str) -> dict:
    """What a line may be exchanged for (AL-EXC-01): the reference's other sizes where size exchanges are
    offered; the brand's other products and colours, each with its price, where product exchanges are."""
    offered = brand.policy_object.exchanges
    if offered is None or line.variant_id is None:
        return {"sizes": [], "products": []}
    variants = (Variant.objects.select_related("product")
                .filter(brand=brand, product__is_active=True, product__is_gift_card=False)
                .exclude(sku=line.sku).order_by("product__slug", "colour", "pk"))
    if not offered.product_exchange:
        variants = variants.filter(product_id=line.variant.product_id, colour=line.colour)
    sizes, products = [], {}
    for variant in variants:
        if variant.product_id == line.variant.product_id and variant.colour == line.colour:
            if offered.size_exchange:
                sizes.append({"sku": variant.sku, "label": variant_label(variant)})
            continue
        group = products.setdefault(variant.product_id, {
            "name": variant.product.name.get(language) or variant.product.name.get("en", variant.sku),
            "price_minor": variant.product.price_minor, "variants": []})
        group["variants"].append({"sku": variant.sku, "label": variant_label(variant)})
    return {"sizes": sizes, "products": list(products.values())}


def request_exchange_for_line(order, *, line_id: int, quantity: int, reason_code: str, sku: str,
                              card: CardDetails | None, customer, actor: str, now: datetime) -> ExchangeRequest:
    """Return `quantity` units of the line and exchange them for `sku`: priced first, the card kept outside
    any transaction, then the return and the exchange written together (AL-EXC-01/02/03)."""
    quote = quote_for_line(order, _line_of(order, line_id), sku=sku, quantity=quantity, reason_code=reason_code,
                           now=now)
    token, last4 = keep_card_for(order, quote, card, reference=order.number, now=now)
    with transaction.atomic():
        ret = declare_return(order, items=[ItemRequest(line_id, quantity, reason_code)], customer=customer,
                             actor=actor, now=now)
        item = ret.items.select_related("order_line").get(order_line_id=line_id)
        return record_exchange(ret, item, quote, sku=sku, card_token=token, card_last4=last4, channel="online",
                               actor=actor, now=now)


def shopper_exchanges(brand, customer, *, limit: int = 50) -> list[ExchangeRequest]:
    """The shopper's exchanges, newest first, with what was returned and what was asked for (one query)."""
    return list(ExchangeRequest.objects.filter(brand=brand, original_order__customer=customer)
                .select_related("original_order", "exchange_order", "return_item__order_line",
                                "return_item__return_request", "wanted_variant__product")
                .order_by("-requested_at")[:limit])
