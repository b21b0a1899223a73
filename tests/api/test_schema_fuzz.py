"""schemathesis against /api/openapi.json: every operation, through the WSGI app, on a bounded budget.

Checks: no 5xx, status codes and content types the schema declares (every error is the documented
`default` response), bodies and headers that conform to it. Budget: the schema's examples, then
SCHEMA_FUZZ_EXAMPLES generated cases per operation (default 8: 121 operations in about 25 s on 2 cores);
SCHEMA_FUZZ_PHASES=examples,coverage,fuzzing adds schemathesis' deterministic boundary and wrong-method
cases (about a minute more). SCHEMA_FUZZ=0 skips the module; CI runs it by default.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from comptoir.wsgi import application
from factories import shopper, staff
from test_errors import MONDAY_10AM

pytestmark = pytest.mark.skipif(os.environ.get("SCHEMA_FUZZ") == "0", reason="SCHEMA_FUZZ=0")
EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "8"))
BRANDS = ("alme", "officine-generale", "alme", "opalook")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]

PHASES = os.environ.get("SCHEMA_FUZZ_PHASES", "examples,fuzzing").split(",")

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
schema.config.phases.update(phases=PHASES)


@pytest.fixture
def tokens(api):
    """An Alme shopper's and staff member's tokens, then requests through the real WSGI handler.

    That handler's request signals close a connection that is not in autocommit, as the test's
    transaction is on PostgreSQL: like Django's test client (whose calls above reconnect them), the
    signals are detached while the operations run."""
    tokens = {"shopper": shopper(api, "alme", now=MONDAY_10AM)["token"], "staff": staff(api, "alme", now=MONDAY_10AM)}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield tokens
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_or_off_schema(case, tokens):
    # Mostly a real brand (a random slug only ever reaches the brand's 404), signed in as its staff on
    # /staff paths and as a shopper elsewhere, so that the operations themselves are exercised.
    seed = sum(map(ord, repr(case.path_parameters) + repr(case.body)))
    if case.path_parameters and "slug" in case.path_parameters and seed % 5:
        case.path_parameters["slug"] = BRANDS[seed % 4]
    who = "staff" if case.path.startswith("/api/staff") else "shopper"
    headers = {"X-Comptoir-Now": MONDAY_10AM.isoformat()}
    if seed % 3:  # the tokens are Alme's
        headers["Authorization"] = f"Bearer {tokens[who]}"
        if case.path_parameters and "slug" in case.path_parameters and seed % 5:
            case.path_parameters["slug"] = "alme"
    case.call_and_validate(headers=headers, checks=CHECKS)
