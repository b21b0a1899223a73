"""The REST API (django-ninja): routers from each app, and one mapping of errors to typed bodies.

Every error answers `{"code", "message", "rule"}`; no input yields a 500 (an unexpected failure is
logged and answered as `internal_error` without a traceback).
"""

from __future__ import annotations

import logging

from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from comptoir.accounts.api import router as accounts_router
from comptoir.accounts.staff_api import router as staff_accounts_router
from comptoir.brands.api import router as brands_router
from comptoir.care.api import router as care_router
from comptoir.catalog.api import router as catalog_router
from comptoir.checkout.api import router as checkout_router
from comptoir.consent.api import mount_account_deletion
from comptoir.consent.api import router as consent_router
from comptoir.consent.api import staff_router as staff_consent_router
from comptoir.core.errors import DomainError, NotFound, RateLimited
from comptoir.discounts.api import router as discounts_router
from comptoir.exchanges.api import router as exchanges_router, staff_router as staff_exchanges_router
from comptoir.giftcards.api import router as giftcards_router
from comptoir.invoices.api import router as invoices_router
from comptoir.loyalty.api import router as loyalty_router, staff_router as staff_loyalty_router
from comptoir.core.http import request_language
from comptoir.core.messages import render_message
from comptoir.orders.api import router as orders_router
from comptoir.orders.staff_api import router as staff_router
from comptoir.payments.gateway import GatewayError
from comptoir.payments.api import router as payments_router
from comptoir.payments.staff_api import router as staff_payments_router
from comptoir.payouts.staff_api import router as staff_payouts_router
from comptoir.repairs.api import router as repairs_router, staff_router as staff_repairs_router
from comptoir.returns.api import router as returns_router, staff_router as staff_returns_router
from comptoir.shipping.api import router as shipping_router

logger = logging.getLogger("comptoir.api")


class ObjectBodyParser(Parser):
    """Every request body of this API is a JSON object: `[]`, `42` or `null` are refused (HTTP 400
    invalid_input) instead of reading as an empty body whose fields all take their defaults.

    A NUL character is refused in the body and the query string: PostgreSQL cannot store it in a
    text or JSON column, so it would otherwise fail deep in a query as a 500.
    """

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        if _holds_nul(data):
            raise ValueError("the request body holds a NUL character")
        return data

    def parse_querydict(self, data, list_fields, request):
        if any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data):
            raise HttpError(400, "the query string holds a NUL character")
        return super().parse_querydict(data, list_fields, request)


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(map(_holds_nul, value))
    return False


# Every operation may answer an error: declared once, as the `default` response of each operation.
ERROR_SCHEMA = {
    "type": "object", "required": ["code", "message", "rule"],
    "properties": {"code": {"type": "string", "description": "Stable machine-readable code"},
                   "message": {"type": "string", "description": "For the shopper, in their language"},
                   "rule": {"type": ["string", "null"], "description": "The business rule enforced, if any"}},
}
ERROR_RESPONSE = {"description": "An error: `{code, message, rule}` (429 adds a Retry-After header)",
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


class ComptoirAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Built once per prefix (every router is added at import; building it takes ~0.3 s of CPU)."""
        cache = self.__dict__.setdefault("_schemas", {})
        key = path_prefix if path_prefix is not None else self.get_root_path(path_params or {})
        if key not in cache:
            schema = super().get_openapi_schema(path_prefix=key)
            schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
            for operations in schema["paths"].values():
                for operation in operations.values():
                    operation.setdefault("responses", {}).setdefault("default", ERROR_RESPONSE)
            cache[key] = schema
        return cache[key]


api = ComptoirAPI(
    parser=ObjectBodyParser(),
    title="Comptoir API",
    version="1.0",
    description=(
        "Orders, payments, shipping and customer care for independent fashion brands. "
        "Errors answer `{code, message, rule}`. Money is in minor units (cents). "
        "Money-moving calls take an `Idempotency-Key` header."
    ),
    docs_url="/docs",
    urls_namespace="api",
)

# DELETE /brands/{slug}/me shares its path with the accounts router: it must be registered there.
mount_account_deletion(accounts_router)
for router in (brands_router, catalog_router, shipping_router, accounts_router, checkout_router,
               orders_router, payments_router, staff_router, staff_accounts_router, giftcards_router,
               discounts_router, staff_payments_router, invoices_router, returns_router, staff_returns_router,
               consent_router, staff_consent_router, loyalty_router, staff_loyalty_router, exchanges_router,
               staff_exchanges_router, repairs_router, staff_repairs_router, staff_payouts_router):
    api.add_router("", router)
api.add_router("", care_router)

# Added after every other router, so that it only catches what no endpoint matched: an unknown /api/
# path answers a typed 404 like every other error, not Django's HTML page.
unknown_router = Router()


@unknown_router.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False)
def unknown_endpoint(request, rest: str):
    raise NotFound("not_found", thing="endpoint")


api.add_router("", unknown_router)


def _body(request, code: str, status: int, rule: str | None = None, **extra):
    language = request_language(request)
    body = {"code": code, "message": render_message(code, language, extra.pop("params", {})), "rule": rule}
    body.update(extra)
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request, error: DomainError):
    response = api.create_response(request, error.as_dict(request_language(request)), status=error.status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(ValidationError)
def invalid_input(request, error: ValidationError):
    fields = []
    for issue in error.errors:
        location = [str(part) for part in issue.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        fields.append(".".join(location) or "body")
    details = [{"field": field, "problem": issue.get("msg", "")} for field, issue in zip(fields, error.errors)]
    return _body(request, "invalid_input", 422, params={"fields": ", ".join(sorted(set(fields)))}, errors=details)


@api.exception_handler(Http404)
def not_found(request, error):
    return _body(request, "not_found", 404, params={"thing": "resource"})


@api.exception_handler(AuthenticationError)
def not_authenticated(request, error):
    return _body(request, "not_authenticated", 401)


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    code = {400: "invalid_input", 401: "not_authenticated", 403: "permission_denied", 404: "not_found"}.get(
        error.status_code, "invalid_input"
    )
    return _body(request, code, error.status_code if error.status_code < 500 else 400,
                 params={"fields": "body", "thing": "resource"})


@api.exception_handler(GatewayError)
def gateway_error(request, error: GatewayError):
    logger.warning("payment gateway refused an operation: %s", error)
    return _body(request, "payment_operation_refused", 409, params={"reason": getattr(error, "code", "")})


@api.exception_handler(Exception)
def unexpected(request, error: Exception):
    if isinstance(error, DataError):
        # Input the database cannot hold (a NUL character in a path segment or header, a value out of
        # a column's range) that no schema caught: the caller's input, not our failure.
        logger.warning("input refused by the database on %s %s: %s", request.method, request.path, error)
        return _body(request, "invalid_input", 422, params={"fields": "input"})
    if isinstance(error, (OperationalError, InterfaceError)):
        logger.warning("database unavailable: %s", error)
        response = _body(request, "service_unavailable", 503)
        response["Retry-After"] = "2"
        return response
    logger.exception("unexpected error on %s %s", request.method, request.path)
    return _body(request, "internal_error", 500)


class MethodNotAllowedAsJson:
    """Middleware: a known /api/ path called with a method it does not have answers a typed 405 (ninja
    answers it before any exception handler runs, with a plain-text body), keeping the Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and request.path.startswith("/api/") and response.has_header("Allow"):
            typed = _body(request, "method_not_allowed", 405, params={"method": request.method})
            typed["Allow"] = response["Allow"]
            return typed
        return response
