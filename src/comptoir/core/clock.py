"""The clock is read once, at the edge, and passed down as `now`.

`RequestClockMiddleware` sets `request.now`. With the test clock enabled (`COMPTOIR_TEST_CLOCK=1`,
refused in production), a request may carry `X-Comptoir-Now: <ISO 8601>` to move time.
"""

from __future__ import annotations

from datetime import datetime, timezone

from django.conf import settings
from django.http import JsonResponse

from comptoir.core.messages import render_message

NOW_HEADER = "HTTP_X_COMPTOIR_NOW"


def wall_clock() -> datetime:
    """The real time, aware, in UTC. Only edges (requests, worker, CLI) call this."""
    return datetime.now(timezone.utc)


def parse_instant(text: str) -> datetime:
    """An aware datetime from ISO 8601; a naive one is taken as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


class RequestClockMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        override = request.META.get(NOW_HEADER)
        if override and settings.TEST_CLOCK:
            try:
                request.now = parse_instant(override)
            except ValueError:
                return JsonResponse(
                    {"code": "invalid_input", "rule": None,
                     "message": render_message("invalid_input", "en", {"fields": "X-Comptoir-Now"})},
                    status=422,
                )
        else:
            request.now = wall_clock()
        return self.get_response(request)
