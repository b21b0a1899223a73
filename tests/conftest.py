"""Shared test set-up: the four bundled brands loaded once per test database, a JSON API client
that carries the test clock, and small personas created through the public API."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from comptoir.brands.models import Brand
from comptoir.brands.presets import bundled_preset_folders, load_preset
from comptoir.care.help_center import VECTOR_STORE
from comptoir.care.hybrid import EXTRA_MODULES

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


@pytest.fixture(scope="session")
def sentence_encoder():
    """The assistant's dense encoder (care.embeddings), with the passage-vector store the service uses; tests
    that need it skip without the optional extra (make install-assistant-model)."""
    for module in EXTRA_MODULES:
        pytest.importorskip(module, reason="the assistant's optional extra is not installed")
    from comptoir.care.embeddings import encoder  # imports numpy: only once the extra is known to be there

    return encoder(Path(django_settings.VAR_DIR) / VECTOR_STORE)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files (inspection photos) go to a folder of this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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


# --- Browser tests (tests/browser/) ---------------------------------------------------------------------
# Playwright drives Debian's Chromium (`apt-get install chromium`; never a browser download) against
# pytest-django's live server. The fixtures skip, saying why, where either is missing.

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the session."""
    import os
    import shutil

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls a test makes between two
    # browser steps are ordinary blocking calls, which Django would otherwise refuse there.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browse(chromium, live_server):
    """Open a shopper's browser (its own cookies): `page = browse()`, `browse(javascript=False)`.
    Each page knows the live server's address as `page.base`."""
    contexts = []

    def open_page(*, javascript: bool = True):
        context = chromium.new_context(locale="en-GB", accept_downloads=True, java_script_enabled=javascript)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.base = live_server.url
        return page

    yield open_page
    for context in contexts:
        context.close()


def reload_preset(slug: str) -> None:
    """Load one bundled preset again (a transactional test starts from a flushed or dirty database)."""
    load_preset(next(folder for folder in bundled_preset_folders() if folder.name == slug), now=LOADED_AT)


@pytest.fixture
def presets_in_place(presets_restored_afterwards, django_db_blocker):
    """For a transactional test: the four presets are in the database when it starts (a transactional test
    of another module may have flushed them just before), and put back when its module is done."""
    with django_db_blocker.unblock():
        if not Brand.objects.exists():
            for folder in bundled_preset_folders():
                load_preset(folder, now=LOADED_AT)


@pytest.fixture(scope="module")
def presets_restored_afterwards(django_db_blocker):
    """Transactional tests flush the database: put the four presets back when the module is done."""
    yield
    with django_db_blocker.unblock():
        for folder in bundled_preset_folders():
            load_preset(folder, now=LOADED_AT)
