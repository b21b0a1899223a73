"""The help center's content: categories with their questions, one entry, search, and the brand's retrieval
index, built once per brand and FAQ version in each process (ALL-CARE-04): lexical, or hybrid with dense vectors
of the passages when the optional extra is installed (care.hybrid)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from comptoir.brands.models import Brand
from comptoir.care.hybrid import HybridIndex, dense_enabled, question_views
from comptoir.care.models import FaqEntry, HelpContentVersion, ServiceNotice
from comptoir.care.retrieval import Index, Passage
from comptoir.core.errors import NotFound

NOTICE_PREFIX = "notice:"
VECTOR_STORE = "assistant-vectors"  # under COMPTOIR_VAR_DIR: passage vectors shared by the processes (hybrid)
_INDEXES: dict[int, tuple[tuple, Index | HybridIndex]] = {}


def entry_url(brand: Brand, key: str) -> str:
    return f"/{brand.slug}/help/{key}"


def notice_url(brand: Brand, key: str) -> str:
    return f"/{brand.slug}/help#notice-{key}"


def faq_categories(brand: Brand, language: str) -> list[dict]:
    """Every category of the brand's FAQ, in preset order, with its questions (one query)."""
    categories: dict[str, dict] = {}
    for entry in FaqEntry.objects.filter(brand=brand).order_by("position"):
        category = categories.setdefault(entry.category, {
            "key": entry.category, "title": _pick(entry.category_title, language), "questions": [],
        })
        category["questions"].append({"id": entry.key, "question": _pick(entry.question, language),
                                      "url": entry_url(brand, entry.key)})
    return list(categories.values())


def faq_entry(brand: Brand, key: str) -> FaqEntry:
    entry = FaqEntry.objects.filter(brand=brand, key=key).first()
    if entry is None:
        raise NotFound("not_found", thing="question")
    return entry


@dataclass(frozen=True, slots=True)
class NoticeState:
    """What the index needs to know of the brand's help content: its version (to rebuild) and which notices
    are live."""

    signature: tuple
    live_keys: frozenset[str]


def record_help_content_change(brand: Brand) -> None:
    """Give the brand's help content a new version token; call in the transaction that writes FAQ entries or
    notices, so that a rollback restores the token with the content (ALL-CARE-04)."""
    HelpContentVersion.objects.update_or_create(brand=brand, defaults={"token": uuid.uuid4()})


def notice_state(brand: Brand, now) -> NoticeState:
    """The brand's content version: its FAQ token, and its notices with their content, so that a notice written
    without a new token (a shell, a rolled-back test reusing a primary key) still rebuilds the index."""
    token = HelpContentVersion.objects.filter(brand=brand).values_list("token", flat=True).first()
    rows = list(ServiceNotice.objects.filter(brand=brand).order_by("pk")
                .values_list("pk", "key", "title", "body", "phrasings", "starts_at", "ends_at"))
    live = frozenset(row[1] for row in rows if row[5] <= now and (row[6] is None or now < row[6]))
    notices = tuple((pk, key, json.dumps([title, body, phrasings], sort_keys=True))
                    for pk, key, title, body, phrasings, _, _ in rows)
    return NoticeState((token, notices), live)


def brand_index(brand: Brand, notices: NoticeState) -> Index | HybridIndex:
    """The brand's index (FAQ entries and notices), rebuilt when the brand row (its preset) or its help content
    changes; the slug is part of the key because a rolled-back brand's primary key may be reused."""
    dense = dense_enabled()
    version = (brand.slug, brand.updated_at, notices.signature, dense)
    cached = _INDEXES.get(brand.pk)
    if cached is not None and cached[0] == version:
        return cached[1]
    passages = [
        Passage(entry.key, entry.question, entry.answer, tuple(entry.phrasings), entry_url(brand, entry.key))
        for entry in FaqEntry.objects.filter(brand=brand).order_by("position")
    ]
    passages += [
        Passage(NOTICE_PREFIX + notice.key, notice.title, notice.body, tuple(notice.phrasings),
                notice_url(brand, notice.key))
        for notice in ServiceNotice.objects.filter(brand=brand).order_by("pk")
    ]
    index = Index(passages, low_signal_words=(brand.name,))
    if dense:
        from comptoir.care.embeddings import encoder  # the optional extra: imported only when it is used

        vectors = encoder(Path(settings.VAR_DIR) / VECTOR_STORE).passage_vectors(
            [question_views(passage) for passage in passages])
        index = HybridIndex(index, vectors)
    _INDEXES[brand.pk] = (version, index)
    return index


def _pick(text: dict, language: str) -> str:
    return text.get(language) or text.get("en") or next(iter(text.values()), "")
