"""Reading a bank statement export to find the transfers received (AA-PAY-03). Pure: text in, lines out.

Format (documented in docs and the CLI help): CSV text in UTF-8, a header row naming the columns
`date`, `amount` and `reference` (any order, any case; other columns are ignored), separated by commas
or semicolons (French banks export with `;`). Dates are `YYYY-MM-DD` or `DD/MM/YYYY`. Amounts are in
euros (major units) with a dot or a comma as decimal mark and optional spaces as thousands separators:
`120.50`, `120,50`, `1 234,56`, `"1,234.56"`. Negative amounts (debits) are reported, never matched.

    date;amount;reference
    2026-11-25;120,50;AA-ABCD2345
    26/11/2026;89.00;VIR SEPA AA-EFGH6789 MARTIN

Each line gets a fingerprint from (date, amount, reference, its rank among identical lines of the file),
so importing the same statement twice, or an overlapping one, records each transfer once; two identical
transfers on one statement stay two.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from comptoir.core.money import Money

REQUIRED_COLUMNS = ("date", "amount", "reference")
MAX_LINES = 5000


@dataclass(frozen=True, slots=True)
class StatementLine:
    line: int  # 1-based line number in the file (the header is line 1)
    received_on: date | None
    amount_minor: int | None
    reference: str
    fingerprint: str
    problem: str = ""  # "invalid_date", "invalid_amount", "not_a_credit"


class StatementError(ValueError):
    """The file itself cannot be read (no header, a missing column, too long)."""


def read_statement(text: str, currency: str) -> list[StatementLine]:
    """The lines of a statement, each parsed or carrying the problem that stops it."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise StatementError("empty statement")
    header = [name.strip().lower() for name in rows[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise StatementError(f"missing column(s): {', '.join(missing)}")
    if len(rows) - 1 > MAX_LINES:
        raise StatementError(f"more than {MAX_LINES} lines")
    index = {name: header.index(name) for name in REQUIRED_COLUMNS}
    seen: dict[tuple, int] = {}
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
        received_on = parse_day(cells["date"])
        amount = parse_amount(cells["amount"], currency)
        identity = (cells["date"], cells["amount"], cells["reference"])
        seen[identity] = seen.get(identity, 0) + 1
        fingerprint = hashlib.sha256("\x1f".join([*identity, str(seen[identity])]).encode()).hexdigest()[:40]
        problem = ("invalid_date" if received_on is None else "invalid_amount" if amount is None
                   else "not_a_credit" if amount <= 0 else "")
        lines.append(StatementLine(number, received_on, amount, cells["reference"], fingerprint, problem))
    return lines


def parse_day(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_amount(text: str, currency: str) -> int | None:
    """Minor units from "1 234,56", "1,234.56", "120.5" or "-12,00"; None when unreadable."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if not re.fullmatch(r"[+-]?[0-9.,]+", cleaned or "x"):
        return None
    marks = [position for position, character in enumerate(cleaned) if character in ".,"]
    if marks:
        last = marks[-1]
        decimals = cleaned[last + 1:]
        if len(decimals) in (1, 2):  # the last mark is the decimal one, the others group thousands
            cleaned = cleaned[:last].replace(".", "").replace(",", "") + "." + decimals
        else:
            cleaned = cleaned.replace(".", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    money = Money.from_decimal(value, currency)
    return money.amount if money.to_decimal() == value else None


def find_order_number(reference: str, prefix: str) -> str | None:
    """The order number a bank reference carries ("VIR SEPA AA-ABCD2345 MARTIN" → "AA-ABCD2345")."""
    compact = re.sub(r"\s+", " ", reference.upper())
    found = re.search(rf"(?<![A-Z0-9]){re.escape(prefix)}-?([A-Z0-9]{{8}})(?![A-Z0-9])", compact)
    return f"{prefix}-{found.group(1)}" if found else None
