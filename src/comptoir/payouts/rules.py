"""Pure rules of payouts: whether an IBAN is well formed, and whether a transfer date can be recorded."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date

# ISO 13616: two letters, two check digits, then up to 30 letters or digits; mod 97 of the rearranged number is 1.
IBAN_MIN_LENGTH, IBAN_MAX_LENGTH = 15, 34


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    code: str = ""
    rule: str = ""


def normalise_iban(text: str) -> str:
    """The IBAN as the bank prints it without spaces, upper case ("fr76 3000 …" → "FR763000…")."""
    return "".join(text.split()).upper()


def check_iban(iban: str) -> Decision:
    """A normalised IBAN is plausible: its length, its country letters and its mod-97 check digits."""
    if not IBAN_MIN_LENGTH <= len(iban) <= IBAN_MAX_LENGTH or not iban.isascii() or not iban.isalnum():
        return Decision(False, "iban_invalid")
    if not (iban[:2].isalpha() and iban[2:4].isdigit()):
        return Decision(False, "iban_invalid")
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(string.ascii_uppercase.index(c) + 10) if c.isalpha() else c for c in rearranged)
    return Decision(True) if int(digits) % 97 == 1 else Decision(False, "iban_invalid")


def check_sent_on(sent_on: date, *, opened_on: date, today: date) -> Decision:
    """A transfer is recorded as sent on a day between the day it was asked for and today (brand calendar)."""
    if sent_on > today:
        return Decision(False, "payout_sent_on_in_future")
    if sent_on < opened_on:
        return Decision(False, "payout_sent_on_before_opened")
    return Decision(True)


def age_in_days(opened_on: date, today: date) -> int:
    """Whole days a transfer has been waiting, in the brand's calendar."""
    return max((today - opened_on).days, 0)
