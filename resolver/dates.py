"""Partial dates (birth dates, mostly) as departments write them, and how two agree.

A resolver wants whatever parts are known, so a date keeps its parts even when they do
not make a calendar date (19900229), and even when one of them is out of range
(1994-11-71, 1939-13-19, 9185-10-14): such a part is a typo, and the record still agrees
with another on the parts written right ("one part differs") instead of losing its whole
date. A zero month or day (19850000, 1985-00-00) means "unknown", not invalid.

Slash-, dot- or dash-separated dates with the year last are read day first (05/03/2024 is
5 March), unless the first part cannot be a month and the second can: then the only
reading is month first (12/25/2024). Two-digit years are not accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from resolver.addresses import chinese_numeral_to_int

Agreement = Literal["exact", "swapped_day_month", "same_year_month", "same_year",
                    "year_off_by_one_or_digit", "different", "unknown"]

_CACHE_SIZE = 1 << 14
_MIN_YEAR = 1000  # four digits: anything else in a date field is not a year
_MAX_YEAR = 9999

# A trailing time ("1985-03-15 00:00:00", "1985-03-15T08:30") is an export artefact.
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?")
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_COMPACT = re.compile(r"\d{4}(?:\d{2}){0,2}")
_CN_NUM = r"[\d零〇一二两三四五六七八九十]"
_CHINESE = re.compile(
    rf"({_CN_NUM}{{4}})年(?:({_CN_NUM}{{1,3}})月(?:({_CN_NUM}{{1,3}})[日号]?)?)?(?:出生|生)?"
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date with possibly unknown month and day (year is always set by the parser)."""

    year: int | None
    month: int | None
    day: int | None


def parse_partial_date(raw: str | None) -> PartialDate | None:
    """Parse a date written in any of the usual forms; None when nothing sensible is there.

    Accepted: 2024-03-05, 2024/3/5, 2024.3.5, 2024-03, 20240305, 202403, 2024,
    2024年3月5日, 二〇二四年三月五日, 2024年3月, 05/03/2024 (day first, see module doc).
    """
    if not raw:
        return None
    return _parse(raw)


@lru_cache(maxsize=_CACHE_SIZE)
def _parse(raw: str) -> PartialDate | None:
    text = _TIME.sub("", unicodedata.normalize("NFKC", raw).strip())
    match = _YMD.fullmatch(text)
    if match:
        return _build(match.group(1), match.group(3), match.group(4))
    match = _DMY.fullmatch(text)
    if match:
        first, second = int(match.group(1)), int(match.group(3))
        if first <= 12 < second:
            return _build(match.group(4), match.group(1), match.group(3))
        return _build(match.group(4), match.group(3), match.group(1))
    if _COMPACT.fullmatch(text):
        return _build(text[:4], text[4:6] or None, text[6:8] or None)
    match = _CHINESE.fullmatch(_SPACES.sub("", text))
    if match:
        parts = [_cn_value(g) for g in match.groups()]
        if None in parts[:1] or (match.group(2) and parts[1] is None) or \
                (match.group(3) and parts[2] is None):
            return None
        return _from_ints(parts[0], parts[1], parts[2])
    return None


def _cn_value(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    return chinese_numeral_to_int(text)


def _build(year: str, month: str | None, day: str | None) -> PartialDate | None:
    return _from_ints(int(year), int(month) if month else None, int(day) if day else None)


def _from_ints(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    if year is None or not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    month = month or None  # 0 is how several systems write "unknown"
    day = day or None
    if month is None:
        day = None  # a day without its month says nothing useful
    return PartialDate(year, month, day)


def to_iso(p: PartialDate) -> str:
    """ISO-like text with `?` for unknown parts: 1985-03-15, 1985-03-??, 1985-??-??."""
    year = f"{p.year:04d}" if p.year is not None else "????"
    month = f"{p.month:02d}" if p.month is not None else "??"
    day = f"{p.day:02d}" if p.day is not None else "??"
    return f"{year}-{month}-{day}"


def date_agreement(a: PartialDate, b: PartialDate) -> Agreement:
    """How two partial dates agree, at the finest level both of them know.

    "exact" needs both dates complete. Dates that agree on every shared part give the
    finest shared level ("same_year_month" for 1985-03-15 vs 1985-03). A year one apart or
    one digit apart, with every shared month and day equal, is "year_off_by_one_or_digit".
    Without a year on both sides the answer is "unknown".
    """
    if a.year is None or b.year is None:
        return "unknown"
    months = a.month is not None and b.month is not None
    days = months and a.day is not None and b.day is not None
    month_ok = not months or a.month == b.month
    day_ok = not days or a.day == b.day
    if a.year != b.year:
        if month_ok and day_ok and _year_typo(a.year, b.year):
            return "year_off_by_one_or_digit"
        return "different"
    if days and a.day == b.month and a.month == b.day and a.day != a.month:
        return "swapped_day_month"
    if days and month_ok and day_ok:
        return "exact"
    if months and month_ok:
        return "same_year_month"
    return "same_year"


def _year_typo(x: int, y: int) -> bool:
    if abs(x - y) == 1:
        return True
    sx, sy = f"{x:04d}", f"{y:04d}"
    return len(sx) == len(sy) and sum(c != d for c, d in zip(sx, sy, strict=True)) == 1
