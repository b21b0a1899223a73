"""Shared test set-up: the four bundled brands loaded once per test database, a JSON API client
that carries the test clock, and small personas created through the public API."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from comptoir.brands.presets import bundled_preset_folders, load_preset

LOADED_AT = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the four presets once; each test then runs in a transaction that is rolled back."""
    with django_db_blocker.unblock():
        for folder in bundled_preset_folders():
            load_preset(folder, now=LOADED_AT)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.TEST_CLOCK = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Password hashing cost is irrelevant to behaviour; argon2 stays the production hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests create and roll back brands and flush the database: every request reads its brand row.
    settings.BRAND_CACHE_SECONDS = 0
    settings.CATALOG_CACHE_SECONDS = 0


class Api:
    """A JSON client for /api that sends the test clock and remembers nothing between calls."""

    def __init__(self, client):
        self.client = client

    def call(self, method: str, path: str, body=None, *, token=None, now=None, key=None, lang=None, query=None):
        headers = {}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if now is not None:
            headers["HTTP_X_COMPTOIR_NOW"] = now.isoformat()
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        if lang:
            headers["HTTP_ACCEPT_LANGUAGE"] = lang
        url = "/api" + path
        if method == "get":
            response = self.client.get(url, query or {}, **headers)
        else:
            if query:
                from urllib.parse import urlencode

                url += "?" + urlencode(query)
            response = getattr(self.client, method)(
                url, data=json.dumps(body if body is not None else {}), content_type="application/json", **headers
            )
        return Reply(response.status_code, response.json() if response.content else None)

    def get(self, path, **kw):
        return self.call("get", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("post", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.call("put", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("patch", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("delete", path, **kw)


class Reply:
    def __init__(self, status: int, body):
        self.status = status
        self.body = body

    def __getitem__(self, key):
        return self.body[key]

    def __repr__(self) -> str:
        return f"<Reply {self.status} {self.body!r}>"


@pytest.fixture
def api(client, db):
    return Api(client)
