"""A database outage (PostgreSQL restarting) answers 503 service_unavailable with Retry-After, never 500,
on the API and on the pages, and the next request after it succeeds again (issue #8, faults).

The outage is simulated: every data statement raises the OperationalError psycopg raises when the server
closes the connection. Transaction control (savepoints) is let through so the test's own transaction
survives.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, RequestFactory

from comptoir.core.outage import server_error
from comptoir.orders.models import Order

ALME = "alme"
pytestmark = pytest.mark.django_db


@contextmanager
def database_down(error: type[Exception] = OperationalError):
    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            return execute(sql, params, many, context)
        raise error("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


def _assert_typed_503(response) -> dict:
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    body = json.loads(response.content)
    assert set(body) == {"code", "message", "rule"}
    assert body["code"] == "service_unavailable"
    assert body["rule"] is None
    return body


def test_the_api_answers_a_typed_503_with_retry_after_while_the_database_is_down():
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(f"/api/brands/{ALME}/products", HTTP_ACCEPT_LANGUAGE="fr")
    body = _assert_typed_503(response)
    assert body["message"] == "Le service est momentanément indisponible. Veuillez réessayer dans un instant."


def test_a_write_interrupted_by_a_dropped_connection_answers_503_not_500():
    client = Client(raise_request_exception=False)
    with database_down(InterfaceError):
        response = client.post(f"/api/brands/{ALME}/carts", data=json.dumps({"lines": [{"sku": "AL-TEE-WHT-S",
                               "quantity": 1}]}), content_type="application/json")
    _assert_typed_503(response)


def test_a_page_answers_503_with_retry_after_while_the_database_is_down():
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(f"/{ALME}/products/", HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response["Content-Type"].startswith("text/html")
    assert "The service is briefly unavailable" in response.content.decode()


def test_a_page_asked_for_json_answers_the_typed_body():
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(f"/{ALME}/products/", HTTP_ACCEPT="application/json")
    _assert_typed_503(response)


def test_the_service_recovers_by_itself_once_the_database_is_back():
    client = Client(raise_request_exception=False)
    with database_down():
        assert client.get(f"/api/brands/{ALME}/products").status_code == 503
        assert client.get(f"/{ALME}/products/").status_code == 503
    assert client.get(f"/api/brands/{ALME}/products").status_code == 200
    assert client.get(f"/{ALME}/products/").status_code == 200


def test_an_outage_raised_outside_a_view_is_a_503_too():
    """handler500 sees the exception being handled (a middleware's or the session save's)."""
    request = RequestFactory().get("/api/brands/alme/products")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    _assert_typed_503(response)


def test_any_other_error_outside_a_view_stays_a_500():
    request = RequestFactory().get(f"/{ALME}/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500


def test_the_worker_survives_a_database_outage_and_works_again_next_round():
    """A sweep failing with OperationalError is logged and retried next round; the loop does not stop."""
    from datetime import datetime, timezone

    from comptoir.worker.loop import run_round

    calls, logged = [], []

    def sweep(now):
        calls.append(now)
        return 1

    now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    with database_down():
        assert run_round(tasks=[sweep, lambda now: list(Order.objects.all())], now=now, log=logged.append) == 1
    assert any("database error" in line for line in logged)
    logged.clear()
    assert run_round(tasks=[sweep], now=now, log=logged.append) == 1
    assert len(calls) == 2 and logged == []
