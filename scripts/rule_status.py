"""Print the README's rule status table: each rules.md ID, proved by which tests, or planned where.

Usage: python scripts/rule_status.py [path/to/rules.md]  (default: ../shared/rules.md)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULE_LINE = re.compile(r"^- ((?:[A-Z]{2,3})-([A-Z]{3,4})-\d{2}) (.*)$")
# Where a rule not yet proved is planned, by area code (issues in the tracker).
PLANNED = {
    "RET": "#4 returns", "RFD": "#4 refunds", "EXC": "#4 exchanges", "REP": "#4 repairs", "GAR": "#4 guarantee",
    "LOY": "#5 loyalty", "RAF": "#5 referral", "NEWS": "#5 newsletter", "CARE": "#6 help center",
    "INFO": "#6 help center", "PAY": "#3 payments", "ACC": "#5 personal data", "STK": "#5 stock alerts",
    "ORD": "#3 invoices", "SHP": "#4/#6 claims", "CAT": "#2",
}
# Rules a test cites while they are only partly honoured (the test proves a part, or is an xfail);
# remove an entry when the rule is fully proved.
PARTIAL = {
}


def main() -> None:
    rules_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "rules.md"
    tests = {path: path.read_text() for path in (ROOT / "tests").rglob("test_*.py")}
    print("| rule | promise | status |")
    print("|---|---|---|")
    done = 0
    total = 0
    for line in rules_path.read_text().splitlines():
        match = RULE_LINE.match(line)
        if not match:
            continue
        rule, area, text = match.groups()
        total += 1
        pattern = re.compile(re.escape(rule) + "|" + re.escape(rule.replace("-", "_")))
        proving = sorted(str(path.relative_to(ROOT)) for path, source in tests.items() if pattern.search(source))
        short = text if len(text) <= 90 else text[:87] + "…"
        if rule in PARTIAL:
            status = PARTIAL[rule]
        elif proving:
            done += 1
            status = "done — " + ", ".join(f"`{p}`" for p in proving[:2])
        else:
            status = "planned " + PLANNED.get(area, "")
        print(f"| {rule} | {short.replace('|', '/')} | {status} |")
    print(f"\n{done} of {total} rules proved by a test.")


if __name__ == "__main__":
    main()
