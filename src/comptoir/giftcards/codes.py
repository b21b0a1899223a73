"""Gift card and credit note codes: random, unambiguous, shown in groups, stored only as a hash.

16 characters from a 30-symbol alphabet (no 0/O, 1/I/L, U) carry about 78 bits: far beyond
guessing, so a plain SHA-256 of the normalised code is a safe lookup key. The clear code lives only
in the e-mail that delivers it (issue 3: "codes are unguessable and never shown in logs").
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U (reads as V)
LENGTH = 16
GROUP = 4


def generate_code() -> str:
    """A new code as the shopper reads it: XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return display(raw)


def normalise(code: str) -> str:
    """What the shopper typed, without spaces or dashes, upper-cased."""
    return "".join(code.split()).replace("-", "").upper()


def display(code: str) -> str:
    raw = normalise(code)
    return "-".join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def hash_code(code: str) -> str:
    """The stored lookup key: hex SHA-256 of the normalised code."""
    return hashlib.sha256(normalise(code).encode("utf-8")).hexdigest()


def last4(code: str) -> str:
    return normalise(code)[-4:]
