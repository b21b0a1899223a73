"""Lexical retrieval over a brand's help-center passages: BM25 over question, authored phrasings and answer,
both languages, with stemming, shop-vocabulary concepts and typo tolerance (ALL-CARE-04).

An entry's score is the best of its question-like views (the question in each language, each phrasing) plus
a smaller share of its best answer view. The confidence is the share of the question's weight (IDF) the top
entry covers, damped when the runner-up is as good: below `NO_ANSWER_BELOW` the assistant says it has no
answer. Build an `Index` once per brand and FAQ version (`index_for`); searching it is pure and fast.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from comptoir.care.text import STOPWORDS, analyse, detect_language, lexicon_words, stem, words
from comptoir.care.vocabulary import LOW_SIGNAL

K1, B = 1.2, 0.75
QUESTION_WEIGHT = 1.0
ANSWER_WEIGHT = 0.2
CONCEPT_WEIGHT = 0.8  # a concept match ("~refund") is good evidence, a little less than the word itself
NO_ANSWER_BELOW = 0.3
COVERAGE_EXPONENT = 2  # rank by BM25 × coverage^e: a passage explaining all of the question beats a longer match
MARGIN_SHARE = 0.15  # how much a close runner-up lowers the confidence
ALSO_SHOWN_FROM = 0.15  # further answers below this confidence are noise, not alternatives
MIN_TYPO_LENGTH = 4
ANSWER_COVERAGE = 0.8  # a question word found only in the answer covers a little less than in a question view
POOLED_SHARE = 0.5
WEAK_ONLY_SHARE = 0.3  # an entry that matched only low-signal words ("do you sell bags" → a wash bag)
# A word no passage knows ("perfume") weighs this share of the rarest word's IDF in the confidence.
UNKNOWN_WORD_SHARE = 0.5
TYPO_WEIGHT = 0.6  # a word matched only after correcting a typo is weaker evidence ("homme" is not "home")
LOW_SIGNAL_WEIGHT = 0.3
_LOW_SIGNAL_WORDS = frozenset(word for text in LOW_SIGNAL for word in words(text))
_LOW_SIGNAL_STEMS = frozenset(stem(word) for word in _LOW_SIGNAL_WORDS)


@dataclass(frozen=True, slots=True)
class Passage:
    """One answerable passage: an FAQ entry or a service notice."""

    id: str
    question: dict  # {"en": ..., "fr": ...}
    answer: dict
    phrasings: tuple[str, ...] = ()
    url: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float  # raw BM25
    confidence: float  # 0..1


@dataclass(frozen=True, slots=True)
class SearchResult:
    language: str | None  # detected, None when the question gives no sign
    hits: list[Hit] = field(default_factory=list)
    answer_from: float = NO_ANSWER_BELOW  # the ranking's thresholds (care.hybrid has its own)
    also_shown_from: float = ALSO_SHOWN_FROM

    @property
    def answered(self) -> bool:
        return bool(self.hits) and self.hits[0].confidence >= self.answer_from

    def shown(self) -> list[Hit]:
        """What the shopper sees: nothing below the threshold; after the first, only hits worth reading."""
        if not self.answered:
            return []
        return [self.hits[0], *(hit for hit in self.hits[1:] if hit.confidence >= self.also_shown_from)]


class Index:
    def __init__(self, passages: list[Passage], *, low_signal_words: tuple[str, ...] = ()):
        """`low_signal_words`: words such as the brand's own name, which say nothing about the question."""
        self.passages = list(passages)
        self._low_signal = _LOW_SIGNAL_STEMS | {stem(word) for text in low_signal_words for word in words(text)}
        self._vocabulary: dict[str, str] = {}  # folded surface word -> stem
        views: list[tuple[int, str, Counter]] = []
        for position, passage in enumerate(self.passages):
            texts_q = [*passage.question.values(), *passage.phrasings]
            for text in texts_q:
                views.append((position, "q", self._terms(text)))
            for text in passage.answer.values():
                views.append((position, "a", self._terms(text)))
        self._view_entry = [entry for entry, _, _ in views]
        self._view_field = [kind for _, kind, _ in views]
        lengths = [sum(terms.values()) or 1 for _, _, terms in views]
        average = {kind: sum(n for n, (_, k, _) in zip(lengths, views) if k == kind) /
                   max(1, sum(1 for _, k, _ in views if k == kind)) for kind in ("q", "a")}
        self._norm = [K1 * (1 - B + B * n / average[kind]) for n, (_, kind, _) in zip(lengths, views)]
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        entries_with: dict[str, set[int]] = defaultdict(set)
        for view, (entry, _, terms) in enumerate(views):
            for term, count in terms.items():
                self._postings[term].append((view, count))
                entries_with[term].add(entry)
        total = max(1, len(self.passages))
        self._idf = {term: math.log(1 + (total - len(found) + 0.5) / (len(found) + 0.5))
                     for term, found in entries_with.items()}
        self._unknown_idf = math.log(1 + (total + 0.5) / 0.5)
        for word in lexicon_words() | _LOW_SIGNAL_WORDS:  # known words, never "corrected" ("shoes" is not "shops")
            self._vocabulary.setdefault(word, stem(word))
        self._deletes: dict[str, list[str]] = defaultdict(list)
        for word in self._vocabulary:
            if len(word) >= MIN_TYPO_LENGTH:
                for variant in _deletes(word):
                    self._deletes[variant].append(word)

    def _terms(self, text: str) -> Counter:
        for word in words(text):
            if word not in STOPWORDS:
                self._vocabulary.setdefault(word, stem(word))
        return Counter(term for group in analyse(text) for term in group)

    def _correct(self, word: str, word_stem: str) -> str:
        """Typo tolerance: an unknown word becomes the known word one edit away with the most entries."""
        if word_stem in self._postings or word in self._vocabulary or len(word) < MIN_TYPO_LENGTH \
                or not word.isalpha():
            return word_stem
        candidates = set(self._deletes.get(word, ()))
        for variant in _deletes(word):
            if variant in self._vocabulary:
                candidates.add(variant)
            candidates.update(self._deletes.get(variant, ()))
        if not candidates:
            return word_stem
        best = max(sorted(candidates), key=lambda known: len(self._postings.get(self._vocabulary[known], ())))
        return self._vocabulary[best]

    def search(self, question: str, *, k: int = 3) -> SearchResult:
        language = detect_language(question)
        corrected: set[str] = set()

        def correct(word: str, word_stem: str) -> str:
            fixed = self._correct(word, word_stem)
            if fixed != word_stem:
                corrected.add(fixed)
            return fixed

        groups = analyse(question, correct)
        if not groups:
            return SearchResult(language)
        view_scores: dict[int, float] = defaultdict(float)
        view_matched: dict[int, float] = defaultdict(float)
        total_weight = 0.0
        entry_groups: dict[int, dict[int, float]] = defaultdict(dict)  # entry -> {group: matched weight}
        weak_groups: set[int] = set()  # groups made only of low-signal words ("bag", "find")
        for number, group in enumerate(dict.fromkeys(groups)):  # a repeated word counts once
            if all(term in self._low_signal for term in group):
                weak_groups.add(number)
            known = [self._weight(term) * (TYPO_WEIGHT if term in corrected else 1.0)
                     for term in group if term in self._idf]
            if known:
                weight = max(known)
            else:
                weight = UNKNOWN_WORD_SHARE * self._unknown_idf * (LOW_SIGNAL_WEIGHT if group & self._low_signal
                                                                   else 1.0)
            total_weight += weight
            best: dict[int, tuple[float, float]] = {}
            for term in group:
                idf = self._idf.get(term)
                if idf is None:
                    continue
                boost = _boost(term, self._low_signal) * (TYPO_WEIGHT if term in corrected else 1.0)
                for view, count in self._postings[term]:
                    contribution = boost * idf * count * (K1 + 1) / (count + self._norm[view])
                    if contribution > best.get(view, (0.0, 0.0))[0]:
                        best[view] = (contribution, boost * idf)
            for view, (contribution, matched) in best.items():
                view_scores[view] += contribution
                view_matched[view] += matched
                share = matched if self._view_field[view] == "q" else ANSWER_COVERAGE * matched
                found = entry_groups[self._view_entry[view]]
                if share > found.get(number, 0.0):
                    found[number] = share
        entries: dict[int, list[float]] = {}  # entry -> [best q, best a, matched weight q, matched weight a]
        for view, score in view_scores.items():
            slot = entries.setdefault(self._view_entry[view], [0.0, 0.0, 0.0, 0.0])
            offset = 0 if self._view_field[view] == "q" else 1
            if score > slot[offset]:
                slot[offset], slot[offset + 2] = score, view_matched[view]
        scored = []
        for entry, (q, a, matched_q, matched_a) in entries.items():
            score = QUESTION_WEIGHT * q + ANSWER_WEIGHT * a
            best_view = max(matched_q, ANSWER_COVERAGE * matched_a)
            pooled = sum(entry_groups[entry].values())
            covered = (1 - POOLED_SHARE) * best_view + POOLED_SHARE * pooled
            coverage = min(1.0, covered / total_weight) if total_weight else 0.0
            if entry_groups[entry].keys() <= weak_groups:
                coverage *= WEAK_ONLY_SHARE  # only words such as "bag" matched: not an answer
            scored.append((score * coverage ** COVERAGE_EXPONENT, score, coverage, entry))
        ranked = sorted(scored, key=lambda item: (-item[0], item[3]))[:k]
        if not ranked:
            return SearchResult(language)
        top = ranked[0][0]
        hits = []
        for position, (rank_score, score, coverage, entry) in enumerate(ranked):
            runner_up = ranked[position + 1][0] if position + 1 < len(ranked) else 0.0
            margin = (rank_score - runner_up) / rank_score if rank_score else 0.0
            relative = rank_score / top if top else 0.0
            confidence = coverage * (1 - MARGIN_SHARE + MARGIN_SHARE * margin) * relative
            hits.append(Hit(self.passages[entry], round(score, 4), round(min(1.0, confidence), 3)))
        return SearchResult(language, hits)

    def _weight(self, term: str) -> float:
        return _boost(term, self._low_signal) * self._idf[term]


def _boost(term: str, low_signal: frozenset[str]) -> float:
    if term.startswith("~"):
        return CONCEPT_WEIGHT
    return LOW_SIGNAL_WEIGHT if term in low_signal else 1.0


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def passage_text(passage: Passage, language: str) -> tuple[str, str]:
    """The question and answer of a passage in `language`, falling back to the other language."""
    other = "fr" if language == "en" else "en"
    return (passage.question.get(language) or passage.question.get(other, ""),
            passage.answer.get(language) or passage.answer.get(other, ""))
