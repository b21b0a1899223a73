"""Signed webhooks of the sandbox PSP, in Stripe's scheme.

The header is `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; the receiver recomputes it
with the shared secret (`settings.SANDBOX_GATEWAY_SECRET`) and refuses old timestamps, which stops
replays. Events are rows appended with each state change; the worker sends the pending ones and
marks them delivered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

from django.conf import settings

from comptoir.psp_sandbox.models import SandboxWebhookEvent

SIGNATURE_HEADER = "Comptoir-Sandbox-Signature"


def sign(payload_bytes: bytes, secret: str, timestamp: int) -> str:
    """The signature header value for `payload_bytes` sent at `timestamp` (unix seconds)."""
    return f"t={int(timestamp)},v1={_digest(payload_bytes, secret, int(timestamp))}"


def verify(payload_bytes: bytes, header: str, secret: str, now: datetime, tolerance_seconds: int = 300) -> bool:
    """Whether `header` signs `payload_bytes` with `secret` within `tolerance_seconds` of `now`.

    Several `v1=` entries are accepted (one per secret while a secret is rotated).
    """
    timestamp = None
    signatures = []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    if abs(now.timestamp() - timestamp) > tolerance_seconds:
        return False
    expected = _digest(payload_bytes, secret, timestamp)
    # Compare every candidate, so the time taken does not tell which one matched.
    matches = [hmac.compare_digest(expected, candidate) for candidate in signatures]
    return any(matches)


def _digest(payload_bytes: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode() + b"." + payload_bytes
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def event_body(event: SandboxWebhookEvent) -> bytes:
    """The JSON body sent for `event`: its payload plus its id."""
    return json.dumps({"id": event.event_id, **event.payload}, sort_keys=True, separators=(",", ":")).encode()


def signed_delivery(event: SandboxWebhookEvent, now: datetime) -> tuple[bytes, dict[str, str]]:
    """The body and headers to send `event` at `now`, signed with the configured secret."""
    body = event_body(event)
    header = sign(body, settings.SANDBOX_GATEWAY_SECRET, int(now.timestamp()))
    return body, {"Content-Type": "application/json", SIGNATURE_HEADER: header}


def pending_events(limit: int) -> list[SandboxWebhookEvent]:
    """The oldest undelivered events, at most `limit`, in the order they happened."""
    return list(SandboxWebhookEvent.objects.filter(delivered_at__isnull=True).order_by("created_at", "id")[:limit])


def mark_delivered(event_id: str, now: datetime) -> bool:
    """Record that the merchant accepted the event; False if it was unknown or already delivered."""
    updated = SandboxWebhookEvent.objects.filter(event_id=event_id, delivered_at__isnull=True).update(delivered_at=now)
    return updated == 1
