from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.values import ValueParseError, clean, parse_amount, parse_date, parse_datetime

FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(FORMATS))
def test_every_department_date_form_parses_back(day: date, fmt: str) -> None:
    assert parse_date(day.strftime(fmt)) == day


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)))
def test_spreadsheet_serial_dates(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(serial) == day
    assert parse_date(float(serial)) == day


def test_unpadded_and_fullwidth_dates() -> None:
    assert parse_date("2026/3/5") == date(2026, 3, 5)
    assert parse_date("２０２６年３月５日") == date(2026, 3, 5)
    assert parse_date("2026-03-05 14:22:01") == date(2026, 3, 5)


@pytest.mark.parametrize("text", ["2026-02-30", "next tuesday", "2026年13月1日", "0"])
def test_impossible_dates_are_errors(text: str) -> None:
    with pytest.raises(ValueParseError):
        parse_date(text)


def test_explicit_format_is_strict() -> None:
    assert parse_date("05/03/2026", "%d/%m/%Y") == date(2026, 3, 5)
    with pytest.raises(ValueParseError, match="does not match date format"):
        parse_date("2026-03-05", "%d/%m/%Y")


def test_datetimes() -> None:
    assert parse_datetime("2026-11-01 09:30:00") == datetime(2026, 11, 1, 9, 30)
    assert parse_datetime("2026-11-01T09:30:00") == datetime(2026, 11, 1, 9, 30)
    assert parse_datetime("2026年11月1日") == datetime(2026, 11, 1)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("12,800.50", "12800.50"), ("¥3000元", "3000"), ("1.5万", "15000.0"), (3000.0, "3000.0")],
)
def test_amounts(text: str | float, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


def test_amount_garbage_is_an_error() -> None:
    with pytest.raises(ValueParseError, match="not an amount"):
        parse_amount("about three thousand")


@pytest.mark.parametrize("cell", ["", "  ", "-", "无", "NULL", None, float("nan")])
def test_empty_markers(cell: object) -> None:
    assert clean(cell) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20261101083005", datetime(2026, 11, 1, 8, 30, 5)),
        ("2026/3/5 8:05", datetime(2026, 3, 5, 8, 5)),
        ("2026年3月5日 14:30", datetime(2026, 3, 5, 14, 30)),
        ("2026.03.05 14:30:59", datetime(2026, 3, 5, 14, 30, 59)),
        ("2026-03-05T14:30:00.250", datetime(2026, 3, 5, 14, 30, 0, 250000)),
    ],
)
def test_datetime_forms(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["2026-03-05 25:00", "2026-3", "202603051", "2026-03-05x"])
def test_malformed_datetimes_are_errors(text: str) -> None:
    with pytest.raises(ValueParseError):
        parse_datetime(text)


MAPPING_FORMATS = (*FORMATS, "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%Y%m%d%H%M%S")
_DATE_LIKE = st.text(alphabet="0123456789 -/.:年月日٣", max_size=20)


def _strptime_or_error(text: str, fmt: str) -> datetime | str:
    try:
        return datetime.strptime(text, fmt)
    except ValueError:
        return "error"


@given(st.one_of(
    _DATE_LIKE,
    st.datetimes(min_value=datetime(1, 1, 1)).map(lambda d: d.strftime("%Y%m%d%H%M%S")),
    st.tuples(st.datetimes(), st.sampled_from(MAPPING_FORMATS)).map(lambda p: p[0].strftime(p[1])),
    st.datetimes().map(lambda d: f"{d.year:04d}/{d.month}/{d.day} {d.hour}:{d.minute}"),
    st.dates().map(lambda d: f"{d.year:04d}年{d.month}月{d.day}日"),
), st.sampled_from(MAPPING_FORMATS))
def test_a_mapping_date_format_reads_what_strptime_reads(text: str, fmt: str) -> None:
    # These formats are read without strptime (loaders.values._fixed_width): the outcome
    # must be strptime's for any text, padded or not, valid or not.
    expected = _strptime_or_error(text.strip(), fmt)
    try:
        parsed: datetime | str = parse_datetime(text, fmt)
    except ValueParseError:
        parsed = "error"
    assert parsed == expected
    try:
        day: date | str = parse_date(text, fmt)
    except ValueParseError:
        day = "error"
    assert day == (expected.date() if isinstance(expected, datetime) else expected)
