"""Cell values as departments write them: empty markers, dates, amounts.

Only parsing lives here; what a value means is the canonical schema's business.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

EMPTY_MARKERS = frozenset({"", "-", "—", "--", "无", "null", "NULL", "None", "N/A", "n/a", "/"})

# Spreadsheet serial dates count from 1899-12-30 (Excel's 1900 leap-year bug included).
_SPREADSHEET_EPOCH = date(1899, 12, 30)
_AMOUNT_NOISE = re.compile(r"[,，\s元¥￥]|人民币")


class ValueParseError(ValueError):
    """A cell cannot be read as the type its field needs."""


def clean(value: Any) -> Any:
    """A cell's value with surrounding space removed, or None when it is empty."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return None if text in EMPTY_MARKERS else text
    if isinstance(value, float) and value != value:  # NaN from spreadsheets
        return None
    return value


def as_text(value: Any) -> str:
    """Text of a cell; integral floats from spreadsheets lose their '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def parse_date(value: Any, date_format: str | None = None) -> date:
    """A date from any of the forms departments export (or exactly `date_format`)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value))
    parsed = _datetime_in_text(str(value), date_format)
    if parsed is None:
        text = _normalised(str(value))
        if date_format is not None:
            raise ValueParseError(f"{text!r} does not match date format {date_format!r}")
        raise ValueParseError(
            f"{text!r} is not a date (expected e.g. 2026-11-25, 2026/11/25, 20261125 or "
            "2026年11月25日)"
        )
    return parsed.date()


def parse_datetime(value: Any, date_format: str | None = None) -> datetime:
    """A date-time; a bare date means its midnight."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        serial = float(value)
        return datetime.combine(_from_serial(serial), time()) + timedelta(days=serial % 1)
    parsed = _datetime_in_text(str(value), date_format)
    if parsed is None:
        text = _normalised(str(value))
        if date_format is not None:
            raise ValueParseError(f"{text!r} does not match format {date_format!r}")
        raise ValueParseError(f"{text!r} is not a date-time (expected e.g. 2026-11-25 14:30:00)")
    return parsed


def _normalised(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# A department's dates repeat from row to row (filing days, birth dates), and a load reads
# several per row: a text read once is looked up after, not parsed again. (datetimes are
# immutable, so sharing one is safe.)
@lru_cache(maxsize=16384)
def _datetime_in_text(raw: str, date_format: str | None) -> datetime | None:
    """The date-time a cell's text holds (exactly in `date_format` if given), or None."""
    text = _normalised(raw)
    if date_format is not None:
        fixed = _fixed_width(text, date_format)
        if fixed is not None:
            return fixed
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            return None
    return _match_datetime(text)


# One pattern for every form departments use, instead of trying strptime formats one by
# one (the loader's hottest path): 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日, 20260305,
# each optionally followed by a time (14:30, 14:30:05, T14:30:05), or 20260305143005.
_DATETIME_PATTERN = re.compile(
    r"(?P<y>\d{4})(?:[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?|(?P<cm>\d{2})(?P<cd>\d{2}))"
    r"(?:(?:[ T]|(?<=\d{8}))(?P<H>\d{1,2}):?(?P<M>\d{2})(?::?(?P<S>\d{2}))?)?"
)


def _match_datetime(text: str) -> datetime | None:
    found = _DATETIME_PATTERN.fullmatch(text)
    if found is None:
        try:
            return datetime.fromisoformat(text)  # fractions of seconds, time zones
        except ValueError:
            return None
    month = found["m"] or found["cm"]
    day = found["d"] or found["cd"]
    try:
        return datetime(
            int(found["y"]), int(month), int(day),
            int(found["H"] or 0), int(found["M"] or 0), int(found["S"] or 0),
        )
    except ValueError:
        return None


# strptime costs about 10 µs a call (a general pattern, then a dozen directive lookups),
# and mapping files name formats for most date columns. A format made only of %Y, %m, %d,
# %H, %M, %S and literal characters is read here by one compiled pattern: the year takes
# 4 digits; another field takes 1 or 2 digits where a non-digit literal or the end of the
# text follows it (so the literal fixes where it ends), else exactly 2. Where that pattern
# matches and makes a valid date-time, strptime reads the same fields (its directive
# patterns try the longer alternatives first and must stop where the next literal is);
# anything else — space padding, other directives, invalid dates — goes to strptime, so
# what is accepted and every error message stay strptime's.
_FIELD_WIDTHS = {"Y": "4", "m": "1,2", "d": "1,2", "H": "1,2", "M": "1,2", "S": "1,2"}


@lru_cache(maxsize=64)
def _fixed_width_pattern(date_format: str) -> re.Pattern[str] | None:
    parts: list[str] = []
    seen: set[str] = set()
    chars = list(date_format)
    i = 0
    while i < len(chars):
        char = chars[i]
        if char != "%":
            parts.append(re.escape(char))
            i += 1
            continue
        field = chars[i + 1] if i + 1 < len(chars) else ""
        if field not in _FIELD_WIDTHS or field in seen:
            return None
        seen.add(field)
        following = chars[i + 2] if i + 2 < len(chars) else ""
        delimited = following == "" or not (following == "%" or following.isdigit())
        width = _FIELD_WIDTHS[field] if delimited or field == "Y" else "2"
        parts.append(f"(?P<{field}>[0-9]{{{width}}})")
        i += 2
    if not {"Y", "m", "d"} <= seen:
        return None  # strptime's defaults (1900-01-01) for a missing field stay its job
    return re.compile("".join(parts))


def _fixed_width(text: str, date_format: str) -> datetime | None:
    """The date-time `text` holds in `date_format`, or None when strptime has to decide."""
    pattern = _fixed_width_pattern(date_format)
    found = pattern.fullmatch(text) if pattern is not None else None
    if found is None:
        return None
    fields = found.groupdict()
    try:
        return datetime(
            int(fields["Y"]), int(fields["m"]), int(fields["d"]),
            int(fields.get("H") or 0), int(fields.get("M") or 0), int(fields.get("S") or 0),
        )
    except ValueError:
        return None


def parse_amount(value: Any) -> Decimal:
    """A sum of money in yuan, tolerating thousands separators and a currency mark."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _AMOUNT_NOISE.sub("", unicodedata.normalize("NFKC", str(value)))
    multiplier = Decimal(1)
    if text.endswith("万"):
        text, multiplier = text[:-1], Decimal(10_000)
    try:
        return Decimal(text) * multiplier
    except InvalidOperation as exc:
        raise ValueParseError(f"{value!r} is not an amount of money") from exc


def _from_serial(serial: float) -> date:
    if not 1 <= serial < 2_958_466:  # up to 9999-12-31
        raise ValueParseError(f"{serial!r} is not a spreadsheet date")
    return _SPREADSHEET_EPOCH + timedelta(days=int(serial))
