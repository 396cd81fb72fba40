from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolver.dates import Agreement, PartialDate, date_agreement, parse_partial_date, to_iso

P = PartialDate


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-03-05", P(2024, 3, 5)),
    ("2024/3/5", P(2024, 3, 5)),
    ("2024.3.5", P(2024, 3, 5)),
    ("20240305", P(2024, 3, 5)),
    ("2024年3月5日", P(2024, 3, 5)),
    ("2024年03月05号", P(2024, 3, 5)),
    ("2024年3月", P(2024, 3, None)),
    ("2024年", P(2024, None, None)),
    ("二〇二四年三月五日", P(2024, 3, 5)),
    ("一九八五年十二月三十一日", P(1985, 12, 31)),
    ("1985", P(1985, None, None)),
    ("198503", P(1985, 3, None)),
    ("1985-03", P(1985, 3, None)),
    ("05/03/2024", P(2024, 3, 5)),  # day first by default
    ("25/12/2024", P(2024, 12, 25)),
    ("12/25/2024", P(2024, 12, 25)),  # only a month-first reading exists
    ("05.03.2024", P(2024, 3, 5)),
    ("２０２４－０３－０５", P(2024, 3, 5)),
    (" 1985-03-15 00:00:00 ", P(1985, 3, 15)),
    ("1985-03-15T08:30:00Z", P(1985, 3, 15)),
    ("19900229", P(1990, 2, 29)),  # not a calendar date, but the parts are evidence
    ("19850231", P(1985, 2, 31)),
    ("19850000", P(1985, None, None)),  # zero = unknown
    ("1985-00-15", P(1985, None, None)),
    # A part out of range is a typo; the other parts are still evidence.
    ("1994-11-71", P(1994, 11, 71)),
    ("1939-13-19", P(1939, 13, 19)),
    ("9185-10-14", P(9185, 10, 14)),
    ("1700-01-01", P(1700, 1, 1)),
    ("2024年13月", P(2024, 13, None)),
])
def test_accepted_forms(raw: str, expected: PartialDate) -> None:
    assert parse_partial_date(raw) == expected


@pytest.mark.parametrize("raw", [
    None, "", "   ", "abc", "12345", "1234567", "0000-00-00", "0985-03-15", "85-03-15",
    "2024-03/05", "不详", "2024年XX月",
])
def test_rejected_forms(raw: str | None) -> None:
    assert parse_partial_date(raw) is None


@pytest.mark.parametrize(("date", "iso"), [
    (P(1985, 3, 15), "1985-03-15"), (P(1985, 3, None), "1985-03-??"),
    (P(1985, None, None), "1985-??-??"), (P(None, 3, 15), "????-03-15"),
])
def test_to_iso(date: PartialDate, iso: str) -> None:
    assert to_iso(date) == iso


@pytest.mark.parametrize(("a", "b", "expected"), [
    (P(1985, 3, 15), P(1985, 3, 15), "exact"),
    (P(1985, 3, 5), P(1985, 5, 3), "swapped_day_month"),
    (P(1985, 3, 3), P(1985, 3, 3), "exact"),
    (P(1985, 3, 15), P(1985, 3, 16), "same_year_month"),
    (P(1985, 3, 15), P(1985, 3, None), "same_year_month"),
    (P(1985, 3, None), P(1985, 3, None), "same_year_month"),
    (P(1985, 3, 15), P(1985, 4, 15), "same_year"),
    (P(1985, 3, 15), P(1985, None, None), "same_year"),
    (P(1985, None, None), P(1985, None, None), "same_year"),
    (P(1985, 3, 15), P(1986, 3, 15), "year_off_by_one_or_digit"),
    (P(1985, 3, 15), P(1995, 3, 15), "year_off_by_one_or_digit"),
    (P(1985, 3, 15), P(1984, 3, None), "year_off_by_one_or_digit"),
    (P(1985, 3, 15), P(1986, 4, 15), "different"),
    (P(1985, 3, 15), P(1958, 3, 15), "different"),
    (P(1985, 3, 15), P(2001, 3, 15), "different"),
    (P(None, 3, 15), P(1985, 3, 15), "unknown"),
])
def test_date_agreement(a: PartialDate, b: PartialDate, expected: Agreement) -> None:
    assert date_agreement(a, b) == expected
    assert date_agreement(b, a) == expected


FORMATS: list[Callable[[dt.date], str]] = [
    lambda d: d.strftime("%Y-%m-%d"),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: d.strftime("%Y%m%d"),
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: d.strftime("%Y-%m-%d 00:00:00"),
]


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)),
       st.sampled_from(range(len(FORMATS))))
def test_any_real_date_round_trips_in_every_format(date: dt.date, which: int) -> None:
    assert parse_partial_date(FORMATS[which](date)) == P(date.year, date.month, date.day)


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_year_month_forms_round_trip(date: dt.date) -> None:
    expected = P(date.year, date.month, None)
    assert parse_partial_date(date.strftime("%Y%m")) == expected
    assert parse_partial_date(f"{date.year}年{date.month}月") == expected
    assert parse_partial_date(str(date.year)) == P(date.year, None, None)


@given(st.text())
def test_never_raises(raw: str) -> None:
    parsed = parse_partial_date(raw)
    if parsed is not None:
        to_iso(parsed)
        date_agreement(parsed, parsed)
