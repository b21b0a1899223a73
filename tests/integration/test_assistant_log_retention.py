"""The assistant's audit trail is kept ASSISTANT_LOG_RETENTION_DAYS days; the worker sweep deletes older rows
in batches and does nothing more when run again (docs/personal-data.md)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from comptoir.brands.models import Brand
from comptoir.care import services
from comptoir.care.models import AssistantLog

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def _log(brand, days_ago, question):
    return AssistantLog.objects.create(brand=brand, question=question, language="en", at=NOW - timedelta(days=days_ago))


def test_older_assistant_logs_are_deleted_in_batches_and_the_rest_kept(db, settings, monkeypatch):
    settings.ASSISTANT_LOG_RETENTION_DAYS = 30
    monkeypatch.setattr(services, "PURGE_BATCH", 2)
    brand = Brand.objects.get(slug="alme")
    AssistantLog.objects.all().delete()
    for days_ago in (31, 40, 90, 365, 400):
        _log(brand, days_ago, f"old {days_ago}")
    kept = {_log(brand, 30, "exactly 30 days").pk, _log(brand, 29, "recent").pk, _log(brand, 0, "today").pk}

    assert services.purge_assistant_logs(NOW) == 5
    assert set(AssistantLog.objects.values_list("pk", flat=True)) == kept
    assert services.purge_assistant_logs(NOW) == 0  # idempotent


def test_a_retention_of_zero_keeps_every_assistant_log(db, settings):
    settings.ASSISTANT_LOG_RETENTION_DAYS = 0
    brand = Brand.objects.get(slug="alme")
    _log(brand, 3650, "ten years ago")

    assert services.purge_assistant_logs(NOW) == 0
    assert AssistantLog.objects.filter(question="ten years ago").exists()
