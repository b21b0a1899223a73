"""An exchange asked from "my orders" (OG-EXC-01, AL-EXC-01/02): the shopper picks a line and the size or
product she wants instead; the line's return and its exchange are declared together, so a refused exchange
leaves no return behind."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from comptoir.exchanges.models import ExchangeRequest
from comptoir.exchanges.services import request_exchange
from comptoir.payments.gateway import CardDetails
from comptoir.returns.services import ItemRequest, declare_return


def request_exchange_for_line(order, *, line_id: int, quantity: int, reason_code: str, sku: str,
                              card: CardDetails | None, customer, actor: str, now: datetime) -> ExchangeRequest:
    """Return `quantity` units of the line and exchange them for `sku`, in one transaction (the sandbox card
    registration, when something is due, happens inside it: nothing is charged before the exchange order)."""
    with transaction.atomic():
        ret = declare_return(order, items=[ItemRequest(line_id, quantity, reason_code)], customer=customer,
                             actor=actor, now=now)
        item = ret.items.get(order_line_id=line_id)
        return request_exchange(ret, item_id=item.pk, sku=sku, card=card, channel="online", actor=actor, now=now)


def shopper_exchanges(brand, customer, *, limit: int = 50) -> list[ExchangeRequest]:
    """The shopper's exchanges, newest first, with what was returned and what was asked for (one query)."""
    return list(ExchangeRequest.objects.filter(brand=brand, original_order__customer=customer)
                .select_related("original_order", "exchange_order", "return_item__order_line",
                                "return_item__return_request", "wanted_variant__product")
                .order_by("-requested_at")[:limit])
