"""Rows planted to fail validation, the way real exports carry a few broken ones.

About one row in a thousand, and at least one per department once the population is big
enough (200 people) that a department has rows to spare. Ground truth marks each with
`"bad": <canonical field>` so a test can check the load quarantined exactly these.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

BAD_ROW_RATE = 0.001
MIN_PEOPLE_FOR_BAD_ROWS = 200

# Dates that do not exist, in each department's style, and words clerks type instead.
_BAD_DATES = {
    "iso": ("2026-02-30", "2025-13-01", "2026-00-15"),
    "slash": ("2026/2/30", "2025/13/1"),
    "chinese": ("2026年2月30日", "2025年13月1日", "二〇二六年三月"),
    "compact": ("20260230", "20251301", "2026030"),
    "dotted": ("2026.02.30", "2025.13.01"),
    "datetime": ("2026-02-30 09:12:00", "2025-13-01 10:00:00"),
    "slash_datetime": ("2026/02/30 09:12", "2025/13/01 10:00"),
}
_DATE_WORDS = ("待定", "不详", "见附件")


class BadRows:
    """Which rows of one table are planted bad, and with which broken field."""

    def __init__(self, rng: random.Random, rows: int, kinds: Sequence[str], *,
                 enabled: bool) -> None:
        self.kinds: dict[int, str] = {}
        if not enabled or rows == 0 or not kinds:
            return
        count = max(1, round(rows * BAD_ROW_RATE))
        for n, row in enumerate(sorted(rng.sample(range(rows), min(count, rows)))):
            self.kinds[row] = kinds[n % len(kinds)]

    def kind(self, row: int) -> str | None:
        return self.kinds.get(row)


def bad_date(style: str, rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(_DATE_WORDS)
    return rng.choice(_BAD_DATES[style])


def bad_id(true_id: str | None, rng: random.Random) -> str:
    """An ID number no system could hold: a letter O for a zero, or a digit short."""
    base = true_id if true_id and len(true_id) == 18 else "330203198001011234"
    if rng.random() < 0.5:
        i = rng.randrange(6, 17)
        return base[:i] + "O" + base[i + 1:]
    return base[:17]


def bad_credit_code(code: str, rng: random.Random) -> str:
    """A credit code with a letter GB 32100 never uses, or one character short."""
    if rng.random() < 0.5:
        i = rng.randrange(8, 17)
        return code[:i] + "O" + code[i + 1:]
    return code[:17]
