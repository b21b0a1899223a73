"""Operations: liveness, readiness, Prometheus metrics, JSON logs, a typed 405, production settings."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from comptoir.core.logs import JsonFormatter
from factories import order
from test_errors import MONDAY_10AM, Raw, assert_typed


def test_health_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_when_the_database_answers_and_every_migration_is_applied(client, db):
    response = client.get("/ready")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": "ok"}


def test_not_ready_with_a_migration_pending(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)])
    response = client.get("/ready")
    assert response.status_code == 503 and response.json()["pending_migrations"] == 1


def test_not_ready_when_the_database_is_unreachable(client, db, monkeypatch):
    from django.db import OperationalError

    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("comptoir.core.operations.connection", Unreachable())
    response = client.get("/ready")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def test_metrics_in_prometheus_text_format(api, client, settings):
    settings.METRICS_CACHE_SECONDS = 0
    placed = order(api, "alme", [("AL-TEE-WHT-S", 1)], now=MONDAY_10AM, method="colissimo_home")
    assert placed.status == 201
    api.get(f"/brands/alme/orders/{placed['number']}", query={"token": placed["access_token"]}, now=MONDAY_10AM)
    response = client.get("/metrics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    assert "# TYPE comptoir_http_requests_total counter" in text
    assert 'comptoir_http_requests_total{method="GET",route="/api/brands/<slug>/orders/<number>",status="200"}' in text
    assert 'comptoir_http_request_duration_seconds_bucket{method="POST",route="/api/brands/<slug>/carts",le="+Inf"}' \
        in text
    assert 'comptoir_orders{brand="alme",status="' in text
    assert 'comptoir_outbox_messages{status="pending"}' in text and "comptoir_database_up 1" in text


def test_metrics_can_require_a_token(client, db, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200


def test_a_wrong_method_on_a_known_api_path_is_a_typed_405(client, db):
    response = client.delete("/api/brands/alme/products", HTTP_X_COMPTOIR_NOW=MONDAY_10AM.isoformat())
    reply = Raw(response)
    assert_typed(reply, 405, "method_not_allowed")
    assert "DELETE" in reply["message"]
    assert response["Allow"] == "GET"
    assert response["Content-Type"].startswith("application/json")


def test_json_logs_are_one_object_per_line_with_extra_fields():
    record = logging.LogRecord("comptoir.api", logging.WARNING, __file__, 1, "refused %s", ("twice",), None)
    record.route = "/api/brands/<slug>"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "WARNING" and entry["logger"] == "comptoir.api"
    assert entry["message"] == "refused twice" and entry["route"] == "/api/brands/<slug>"
    assert entry["time"].endswith("+00:00")


# --- production settings ------------------------------------------------------------------------

def _import_settings(**env) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("COMPTOIR_")}
    return subprocess.run([sys.executable, "-c", "import comptoir.settings as s; print(s.DEBUG, s.SECURE_HSTS_SECONDS, "
                           "s.SESSION_COOKIE_SECURE, s.ALLOWED_HOSTS)"],
                          env={**clean, **env}, capture_output=True, text=True, timeout=60)


PRODUCTION = {"COMPTOIR_PRODUCTION": "1", "COMPTOIR_SECRET_KEY": "k" * 50, "COMPTOIR_ALLOWED_HOSTS": "shop.example",
              "COMPTOIR_SANDBOX_GATEWAY_SECRET": "s" * 32}


@pytest.mark.parametrize("missing", ["COMPTOIR_SECRET_KEY", "COMPTOIR_ALLOWED_HOSTS", "COMPTOIR_SANDBOX_GATEWAY_SECRET"])
def test_production_refuses_to_start_without_its_secrets_and_hosts(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = _import_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_settings_are_hardened():
    result = _import_settings(**PRODUCTION, COMPTOIR_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "31536000", "True", "['shop.example']"]


def test_the_test_clock_is_refused_in_production():
    result = _import_settings(**PRODUCTION, COMPTOIR_TEST_CLOCK="1")
    assert result.returncode != 0 and "COMPTOIR_TEST_CLOCK" in result.stderr
