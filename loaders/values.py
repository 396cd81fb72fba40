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

_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日",
)
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y%m%d%H%M%S",
)
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
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return parse_datetime(text).date()
    except ValueParseError:
        pass
    raise ValueParseError(
        f"{text!r} is not a date (expected e.g. 2026-11-25, 2026/11/25, 20261125 or 2026年11月25日)"
    )


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
    formats = (date_format,) if date_format is not None else _DATETIME_FORMATS
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    if date_format is None:
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
    raise ValueParseError(f"{text!r} is not a date-time (expected e.g. 2026-11-25 14:30:00)")


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
