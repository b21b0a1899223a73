"""BERT's uncased WordPiece tokenizer, as the sentence encoder (care.embeddings) was trained with: clean the text,
space out CJK characters, strip accents, lower-case, split on white space and punctuation, then cut each word
into the longest pieces of the vocabulary ("##" marks a piece inside a word). Pure Python, no dependency; it
gives the same ids as the model's tokenizer.json (benchmarks/assistant_encoder_check.py compares them).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

UNKNOWN, CLASSIFY, SEPARATE = "[UNK]", "[CLS]", "[SEP]"
# Written in the text, these are the special tokens themselves, never normalised (tokenizer.json's added_tokens).
SPECIAL = ("[PAD]", UNKNOWN, CLASSIFY, SEPARATE, "[MASK]")
_SPECIAL = re.compile("(" + "|".join(re.escape(token) for token in SPECIAL) + ")")
MAX_WORD_CHARACTERS = 100  # a longer "word" is one unknown token
_CONTROL = frozenset(("Cc", "Cf", "Cs", "Co", "Cn"))
_SPACE = frozenset(("Zs", "Zl", "Zp"))
_CJK = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
        (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


class WordPiece:
    def __init__(self, vocabulary: list[str]):
        """`vocabulary`: the tokens, one per id (the model's vocab.txt)."""
        self.ids = {token: number for number, token in enumerate(vocabulary)}
        self.unknown = self.ids[UNKNOWN]

    @classmethod
    def from_file(cls, path: Path) -> WordPiece:
        return cls(path.read_text(encoding="utf-8").split("\n")[:-1])

    def encode(self, text: str, *, max_length: int) -> list[int]:
        """The ids of `text` between [CLS] and [SEP], cut to `max_length` ids in all."""
        ids = [self.ids[CLASSIFY]]
        for part in _SPECIAL.split(text):
            if part in SPECIAL:
                ids.append(self.ids[part])
                continue
            for word in pre_tokenize(normalise(part)):
                ids.extend(self._pieces(word))
        return [*ids[:max_length - 1], self.ids[SEPARATE]]

    def _pieces(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARACTERS:
            return [self.unknown]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unknown]  # a part of the word no piece covers: the whole word is unknown
            start = end
        return pieces


def normalise(text: str) -> str:
    """Control characters dropped, white space made plain, CJK characters spaced out, accents stripped, lower case."""
    characters = []
    for character in text:
        category = unicodedata.category(character)
        if character in "\t\n\r" or category in _SPACE:
            characters.append(" ")
        elif category in _CONTROL or character == "\ufffd":
            continue
        elif _is_cjk(ord(character)):
            characters.append(f" {character} ")
        else:
            characters.append(character)
    decomposed = unicodedata.normalize("NFD", "".join(characters))
    return "".join(character for character in decomposed if unicodedata.category(character) != "Mn").lower()


def pre_tokenize(text: str) -> list[str]:
    """Words split on white space, each punctuation mark a word of its own."""
    found = []
    for chunk in text.split():
        word = []
        for character in chunk:
            if _is_punctuation(character):
                if word:
                    found.append("".join(word))
                    word = []
                found.append(character)
            else:
                word.append(character)
        if word:
            found.append("".join(word))
    return found


def _is_punctuation(character: str) -> bool:
    code = ord(character)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True  # every ASCII mark counts, "$" and "^" included, as BERT was trained
    return unicodedata.category(character).startswith("P")


def _is_cjk(code: int) -> bool:
    return any(low <= code <= high for low, high in _CJK)
