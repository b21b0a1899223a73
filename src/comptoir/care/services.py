"""Customer-care use cases: the assistant's `ask`, and cases opened from the contact form or a claim, answered
by staff (ALL-CARE-02, ALL-CARE-04, AL-CARE-03, ALL-SHP-10). Every face (API, pages, CLI, admin) calls these."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from comptoir.brands.models import Brand
from comptoir.care import intents
from comptoir.care.cases import open_case, reply_to_case  # noqa: F401  (re-exported use cases)
from comptoir.care.help_center import NOTICE_PREFIX, brand_index, notice_state
from comptoir.care.hours import opening_status
from comptoir.care.models import AssistantLog
from comptoir.care.notices import load_notices, notice_for_email  # noqa: F401  (re-exported)
from comptoir.care.retrieval import passage_text

MAX_QUESTION_LENGTH = 500
ANSWERS_SHOWN = 3
PURGE_BATCH = 1000  # rows per DELETE: short transactions, no long lock on the log while the shop runs


@dataclass(frozen=True, slots=True)
class Answer:
    id: str
    question: str
    answer: str
    url: str
    score: float


@dataclass(frozen=True, slots=True)
class Handover:
    reason: str  # "no_answer", "sign_in_required", "not_available"
    contact: dict  # {"email", "phone", "contact_form", "opening_hours": [...], "timezone"}
    open_now: bool
    next_opening: datetime | None


@dataclass(frozen=True, slots=True)
class AskResult:
    language: str
    answers: list[Answer] = field(default_factory=list)
    intent: str | None = None
    handover: Handover | None = None

    def as_dict(self) -> dict:
        """The API body: `{"answers", "intent", "handover"}` (issue 6)."""
        return {"answers": [asdict(answer) for answer in self.answers], "intent": self.intent,
                "handover": asdict(self.handover) if self.handover else None}


def ask(brand: Brand, question: str, *, language: str | None, customer, now: datetime) -> AskResult:
    """Answer a shopper's free-text question: their own account first (signed in), a live service notice,
    then the FAQ's best passages — or say there is none and hand over to customer care. Logged."""
    question = " ".join(question.split())[:MAX_QUESTION_LENGTH]
    notices = notice_state(brand, now)
    result = brand_index(brand, notices).search(question, k=ANSWERS_SHOWN + len(notices.live_keys) + 1)
    policy = brand.policy_object
    language = language or result.language or (customer.language if customer else policy.default_language)
    answers: list[Answer] = []
    intent = intents.recognise(question)
    reply = None
    if intent is not None:
        reply = intents.answer(intent, question, brand=brand, customer=customer, language=language, now=now)
        answers.append(Answer(f"intent:{intent}", question, reply.text, reply.url, 1.0))
    passages = _shown_passages(result, notices.live_keys, language)
    if reply is not None and reply.handover is not None:
        answers = passages + answers  # a guest's "sign in" hint or a hand-over comes after what answers now
    else:
        answers += passages
    if reply is not None and reply.handover == "not_available":
        handover_reason = "not_available"
    elif not passages and (reply is None or reply.handover is not None):
        handover_reason = reply.handover if reply is not None else "no_answer"
    else:
        handover_reason = None
    handover = _handover(brand, handover_reason, now) if handover_reason else None
    AssistantLog.objects.create(
        brand=brand, customer=customer, question=question, language=language, intent=intent or "",
        answer_ids=[answer.id for answer in answers], at=now, handover_reason=handover_reason or "",
        confidence=result.hits[0].confidence if result.hits else 0.0,
    )
    return AskResult(language, answers, intent, handover)


def _shown_passages(result, live_notice_keys: frozenset[str], language: str) -> list[Answer]:
    """Live notices first, then up to ANSWERS_SHOWN FAQ passages; an ended notice is never shown."""
    notices, entries = [], []
    for hit in result.shown():
        if hit.passage.id.startswith(NOTICE_PREFIX):
            if hit.passage.id[len(NOTICE_PREFIX):] not in live_notice_keys or hit.confidence < result.answer_from:
                continue  # ended, or only loosely related
            target = notices
        else:
            target = entries
        title, text = passage_text(hit.passage, language)
        target.append(Answer(hit.passage.id, title, text, hit.passage.url, hit.confidence))
    return notices + entries[:ANSWERS_SHOWN]


def search(brand: Brand, query: str, *, language: str, now: datetime, limit: int = 10) -> list[Answer]:
    """The help center's search box: the best passages for `query`, live notices included, not logged."""
    notices = notice_state(brand, now)
    result = brand_index(brand, notices).search(" ".join(query.split())[:MAX_QUESTION_LENGTH],
                                                 k=limit + len(notices.signature))
    found = []
    for hit in result.hits:
        if hit.passage.id.startswith(NOTICE_PREFIX) and hit.passage.id[len(NOTICE_PREFIX):] not in notices.live_keys:
            continue
        title, text = passage_text(hit.passage, language)
        found.append(Answer(hit.passage.id, title, text, hit.passage.url, hit.confidence))
    return found[:limit]


def care_contact(brand: Brand) -> dict:
    """How to reach customer care, with its opening hours in the brand's time zone (OG-CARE-01, AL-CARE-01)."""
    policy = brand.policy_object
    contact = policy.contact
    return {
        "email": contact.email, "phone": contact.phone, "contact_form": contact.contact_form,
        "opening_hours": [{"weekdays": list(interval.weekdays),
                           "opens_local_time": interval.opens_local_time.strftime("%H:%M"),
                           "closes_local_time": interval.closes_local_time.strftime("%H:%M")}
                          for interval in contact.opening_hours],
        "timezone": policy.timezone,
    }


def care_hours(brand: Brand, now: datetime):
    """Is customer care open at `now`, and when does it next open (in the brand's time zone)?"""
    policy = brand.policy_object
    return opening_status(policy.contact, policy.tz, policy.dispatch.holidays_country, now)


def _handover(brand: Brand, reason: str, now: datetime) -> Handover:
    status = care_hours(brand, now)
    return Handover(reason, care_contact(brand), status.open_now, status.next_opening)


def purge_assistant_logs(now: datetime) -> int:
    """Worker sweep: delete assistant log rows older than ASSISTANT_LOG_RETENTION_DAYS, in batches (personal
    data is kept no longer than needed: docs/personal-data.md). Returns how many rows went."""
    days = settings.ASSISTANT_LOG_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = now - timedelta(days=days)
    deleted = 0
    while True:
        batch = list(AssistantLog.objects.filter(at__lt=cutoff).order_by("at").values_list("pk", flat=True)
                     [:PURGE_BATCH])
        if not batch:
            return deleted
        deleted += AssistantLog.objects.filter(pk__in=batch).delete()[0]
        if len(batch) < PURGE_BATCH:
            return deleted
