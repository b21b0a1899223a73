"""The sandbox PSP posts its webhook events to Comptoir, signed at the moment of sending, as a
real PSP does. Undelivered events are retried on the next worker round."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from datetime import datetime
from time import monotonic

from django.conf import settings
from django.db import connection, transaction

from comptoir.psp_sandbox.models import SandboxWebhookEvent
from comptoir.psp_sandbox.webhooks import signed_delivery

logger = logging.getLogger(__name__)
WEBHOOK_PATH = "/api/payments/sandbox/webhook"
BATCH = 50
# The sandbox posts from the shop's own worker, one event after another: under load each post waits its
# turn in the app server's queue, so a round stops posting after this long and leaves the rest to the next,
# rather than hold up the worker's e-mails and invoices (a real PSP posts from machines of its own).
ROUND_BUDGET_SECONDS = 1.0


def deliver_gateway_webhooks(now: datetime, *, post=None) -> int:
    """Post due events to the merchant's endpoint; returns how many were accepted."""
    post = post or _post
    url = settings.BASE_URL.rstrip("/") + WEBHOOK_PATH
    delivered = 0
    started = monotonic()
    with transaction.atomic():
        events = SandboxWebhookEvent.objects.filter(delivered_at__isnull=True).order_by("created_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            events = events.select_for_update(skip_locked=True)
        for event in list(events[:BATCH]):
            if monotonic() - started > ROUND_BUDGET_SECONDS:
                break
            body, headers = signed_delivery(event, now)
            if not post(url, body, headers):
                break  # the endpoint is down: try again next round, in order
            event.delivered_at = now
            event.save(update_fields=["delivered_at"])
            delivered += 1
    return delivered


def _post(url: str, body: bytes, headers: dict) -> bool:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError) as error:
        logger.info("sandbox webhook not delivered to %s: %s", url, error)
        return False
