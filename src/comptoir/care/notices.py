"""Service notices (AL-CARE-03): loaded from a preset's optional notices.toml, shown in the help center,
answered by the assistant, and returned at checkout for an affected e-mail address."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from pydantic import AwareDatetime, Field

from comptoir.brands.models import Brand
from comptoir.brands.policy_base import Schema, Text
from comptoir.care.help_center import record_help_content_change
from comptoir.care.models import ServiceNotice


class NoticeEntry(Schema):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: Text
    body: Text
    phrasings: list[str] = []
    # Checkout warns a shopper whose e-mail address ends with one of these domains (lower case, no "@").
    email_domains: list[str] = []
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None


class NoticesFile(Schema):
    notices: list[NoticeEntry] = []


def load_notices(brand: Brand, entries: list[NoticeEntry], *, now: datetime) -> None:
    """Create or update the preset's notices; notices staff added in the back office are kept."""
    record_help_content_change(brand)
    for entry in entries:
        ServiceNotice.objects.update_or_create(
            brand=brand, key=entry.id,
            defaults={"title": entry.title.model_dump(), "body": entry.body.model_dump(),
                      "phrasings": entry.phrasings,
                      "email_domains": [domain.lower().lstrip("@") for domain in entry.email_domains],
                      "starts_at": entry.starts_at, "ends_at": entry.ends_at, "updated_at": now},
        )


def live_notices(brand: Brand, now: datetime):
    return ServiceNotice.objects.filter(brand=brand, starts_at__lte=now).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )


def notice_for_email(brand: Brand, email: str, now: datetime) -> ServiceNotice | None:
    """The live notice that concerns this e-mail address's domain, if any (AL-CARE-03, at checkout)."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for notice in live_notices(brand, now).order_by("-starts_at", "pk"):
        if any(domain == affected or domain.endswith("." + affected) for affected in notice.email_domains):
            return notice
    return None
