"""Webhooks from the payment service provider: verified by signature, processed once; an outcome the
shop never recorded is settled from them (orders.gateway_events)."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import IntegrityError, transaction
from ninja import Router, Schema

from comptoir.core.errors import InvalidInput, PermissionDenied
from comptoir.orders.gateway_events import OUTCOME_EVENTS, settle_from_gateway
from comptoir.payments.models import GatewayWebhookReceipt
from comptoir.psp_sandbox.webhooks import verify

router = Router(tags=["payments"])


class Receipt(Schema):
    received: bool
    duplicate: bool


@router.post("/payments/sandbox/webhook", response=Receipt, summary="Sandbox PSP webhook (signed)")
def sandbox_webhook(request):
    body = request.body
    if not verify(body, request.headers.get("Comptoir-Sandbox-Signature", ""), settings.SANDBOX_GATEWAY_SECRET,
                  request.now):
        raise PermissionDenied("invalid_webhook_signature")
    try:
        event = json.loads(body)
        event_id, event_type = str(event["id"]), str(event["type"])
        reference = str(event.get("data", {}).get("psp_reference", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InvalidInput("invalid_input", fields="body") from None
    try:
        with transaction.atomic():
            GatewayWebhookReceipt.objects.create(
                event_id=event_id, event_type=event_type, psp_reference=reference, received_at=request.now,
                payload=event,
            )
    except IntegrityError:
        return {"received": True, "duplicate": True}
    if event_type in OUTCOME_EVENTS:
        settle_from_gateway(psp_reference=reference, order_number=str(event.get("data", {}).get("reference", "")),
                            now=request.now)
    return {"received": True, "duplicate": False}
