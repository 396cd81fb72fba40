"""Cell values as departments write them: empty markers, dates, amounts.

Only parsing lives here; what a value means is the canonical schema's business.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
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
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if date_format is not None:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError as exc:
            raise ValueParseError(f"{text!r} does not match date format {date_format!r}") from exc
    parsed = _match_datetime(text)
    if parsed is None:
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
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if date_format is not None:
        try:
            return datetime.strptime(text, date_format)
        except ValueError as exc:
            raise ValueParseError(f"{text!r} does not match format {date_format!r}") from exc
    parsed = _match_datetime(text)
    if parsed is None:
        raise ValueParseError(f"{text!r} is not a date-time (expected e.g. 2026-11-25 14:30:00)")
    return parsed


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
