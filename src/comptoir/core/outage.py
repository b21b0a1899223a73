"""A database outage answers 503 with `Retry-After`, never 500 (issue #8: PostgreSQL restarted under load).

`OperationalError` and `InterfaceError` mean the database is unreachable or dropped the connection (a
restart, a failover, too many connections): the request is worth retrying, and every money-moving call
takes an Idempotency-Key, so a retry is safe. The API's own exception handler (comptoir.api) answers the
same for /api/; this module covers the pages (a view's error, through the middleware) and anything
raised outside a view (session save, a middleware), through `handler500`. The connection is recycled by
Django after the request (CONN_HEALTH_CHECKS), so the process recovers by itself once the database is back.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.views.defaults import server_error as django_server_error

from comptoir.core.http import request_language
from comptoir.core.messages import render_message

logger = logging.getLogger("comptoir.api")

RETRY_AFTER_SECONDS = 2
CODE = "service_unavailable"


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, (OperationalError, InterfaceError))


def service_unavailable(request) -> HttpResponse:
    """The typed 503: JSON `{code, message, rule}` for the API and JSON clients, a plain page otherwise.

    Renders no template and reads no session: either could need the database that just failed."""
    language = request_language(request)
    message = render_message(CODE, language, {})
    accept = request.headers.get("Accept", "")
    if request.path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept):
        response = JsonResponse({"code": CODE, "message": message, "rule": None}, status=503)
    else:
        title = "Service indisponible" if language == "fr" else "Service unavailable"
        response = HttpResponse(
            f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta http-equiv="refresh" content="{RETRY_AFTER_SECONDS * 5}"></head>'
            f"<body><h1>{title}</h1><p>{escape(message)}</p></body></html>",
            status=503, content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """A page whose view hit a database outage answers 503 instead of Django's 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, exception)
        return service_unavailable(request)


def server_error(request):
    """`handler500`: an outage raised outside any view (a middleware, the session save) is a 503 too."""
    error = sys.exc_info()[1]
    if is_database_outage(error):
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, error)
        return service_unavailable(request)
    return django_server_error(request)
