"""The help center's content: categories with their questions, one entry, search, and the brand's retrieval
index, built once per brand and FAQ version in each process (ALL-CARE-04)."""

from __future__ import annotations

from dataclasses import dataclass

from comptoir.brands.models import Brand
from comptoir.care.models import FaqEntry, ServiceNotice
from comptoir.care.retrieval import Index, Passage
from comptoir.core.errors import NotFound

NOTICE_PREFIX = "notice:"
_INDEXES: dict[int, tuple[tuple, Index]] = {}


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
    """What the index needs to know of the brand's notices: which exist (to rebuild) and which are live."""

    signature: tuple
    live_keys: frozenset[str]


def notice_state(brand: Brand, now) -> NoticeState:
    rows = list(ServiceNotice.objects.filter(brand=brand).order_by("pk")
                .values_list("pk", "key", "updated_at", "starts_at", "ends_at"))
    live = frozenset(key for _, key, _, starts, ends in rows if starts <= now and (ends is None or now < ends))
    return NoticeState(tuple((pk, updated) for pk, _, updated, _, _ in rows), live)


def brand_index(brand: Brand, notices: NoticeState) -> Index:
    """The brand's index (FAQ entries and notices), rebuilt when the brand row (its preset) or a notice changes."""
    version = (brand.updated_at, notices.signature)
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
    _INDEXES[brand.pk] = (version, index)
    return index


def _pick(text: dict, language: str) -> str:
    return text.get(language) or text.get("en") or next(iter(text.values()), "")
