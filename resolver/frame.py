"""Normalised columns of one batch of records of one kind, ready to block and compare.

Every field is normalised once per record here; blocking and comparison then work on
whole columns (numpy arrays of integer codes or of strings) and never re-parse a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
from pypinyin import lazy_pinyin

from resolver.addresses import normalise_address
from resolver.arrays import IntArray, TextArray
from resolver.company_names import parse_company_name
from resolver.dates import parse_partial_date
from resolver.fields import ENTERPRISE_FIELDS, PERSON_NAME_FIELDS, Field
from resolver.identifiers import parse_credit_code, parse_id_number
from resolver.person_names import PersonName, blocking_key, parse_person_name
from resolver.phones import parse_phones, phone_digits

Kind = Literal["person", "enterprise"]

RawRow = Mapping[Field, str | None]

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


@dataclass
class Frame:
    """Columns for `n` records of one kind; missing values are None (text) or -1 (codes)."""

    kind: Kind
    record_ids: list[str]
    sources: IntArray
    fields: frozenset[Field]
    text: dict[str, TextArray] = field(default_factory=dict)
    numbers: dict[str, IntArray] = field(default_factory=dict)
    tf_total: int = 0  # records the term frequencies count over (0: this frame's size)
    _codes: dict[str, IntArray] = field(default_factory=dict)
    _counts: dict[str, IntArray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.record_ids)

    def has(self, column: str) -> bool:
        return column in self.text and any(v is not None for v in self.text[column])

    def codes(self, column: str) -> IntArray:
        """Integer codes of a text column (equal values, equal codes; missing is -1)."""
        if column not in self._codes:
            self._codes[column] = encode(self.text[column])
        return self._codes[column]

    def counts(self, column: str) -> IntArray:
        """How many records hold each code of `column`, indexed by code."""
        if column not in self._counts:
            codes = self.codes(column)
            present = codes[codes >= 0]
            size = int(codes.max()) + 1 if present.size else 0
            self._counts[column] = np.bincount(present, minlength=size).astype(np.int64)
        return self._counts[column]


    def tf(self, column: str) -> IntArray:
        """Per record, how many records hold the same value of `column` (0 when missing).

        Set from outside (as `numbers[column + "#tf"]`) when the frame is a few records
        compared against a store, or by `count_terms_by_entity` after a first clustering;
        otherwise counted over this frame's records.
        """
        if f"{column}#tf" not in self.numbers:
            self.count_terms(None)
        return self.numbers[f"{column}#tf"]

    def count_terms(self, groups: IntArray | None) -> None:
        """Term frequencies of every frequency-adjusted column, over records or over groups.

        Counting distinct groups (entities from a first clustering) instead of records
        keeps an enterprise named in a hundred cases from making its own name look common.
        """
        for column in TF_COLUMNS:
            if column in PHONE_COLUMNS or column not in self.text:
                continue
            self.numbers[f"{column}#tf"] = _term_counts(self.codes(column), groups)
        if all(c in self.text for c in PHONE_COLUMNS):  # a number counts in either slot
            both = encode(np.concatenate([self.text[c] for c in PHONE_COLUMNS]))
            doubled = None if groups is None else np.concatenate([groups, groups])
            counts = _term_counts(both, doubled)
            for k, c in enumerate(PHONE_COLUMNS):
                self.numbers[f"{c}#tf"] = counts[k * self.n:(k + 1) * self.n]
        if groups is not None:
            self.tf_total = len(np.unique(groups))

    @property
    def tf_size(self) -> int:
        return self.tf_total or self.n


PHONE_COLUMNS = ("phone_1", "phone_2")
TF_COLUMNS = ("name_key", "given_name_key", "surname_key", "phone_1", "phone_2", "address",
              "street_number", "street", "locality", "city", "state", "postcode", "company_k0")


def _term_counts(codes: IntArray, groups: IntArray | None) -> IntArray:
    valid = codes >= 0
    if not valid.any():
        return np.zeros(codes.size, dtype=np.int64)
    keyed = codes[valid]
    if groups is not None:
        keyed = np.unique(np.stack([keyed, groups[valid]]), axis=1)[0]
    counts = np.bincount(keyed, minlength=int(codes.max()) + 1)
    return np.where(valid, counts[np.maximum(codes, 0)], 0).astype(np.int64)


def encode(values: Iterable[object]) -> IntArray:
    table: dict[object, int] = {}
    out = [-1 if v is None else table.setdefault(v, len(table)) for v in values]
    return np.asarray(out, dtype=np.int64)


def row_kind(row: RawRow) -> Kind:
    """A row is an enterprise when it names one and no person; otherwise a person."""
    has_person = any(row.get(f) for f in PERSON_NAME_FIELDS)
    has_enterprise = any(row.get(f) for f in ENTERPRISE_FIELDS)
    return "enterprise" if has_enterprise and not has_person else "person"


def simple_text(value: str | None) -> str | None:
    """Case, accents, punctuation and spacing folded: for free-text fields like locality."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _SPACES.sub(" ", _PUNCT.sub(" ", text)).strip()
    return text or None


def compact_id(value: str | None) -> str | None:
    text = simple_text(value)
    return text.replace(" ", "") if text else None


def _sex(value: str | None) -> str | None:
    text = simple_text(value)
    if not text:
        return None
    if text in {"m", "male", "男", "1", "man"}:
        return "M"
    if text in {"f", "female", "女", "2", "woman"}:
        return "F"
    return None


def _array(values: Sequence[object]) -> TextArray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def build_frame(
    kind: Kind,
    record_ids: list[str],
    sources: Sequence[int],
    rows: Sequence[RawRow],
    fields: frozenset[Field],
    default_area: str | None,
) -> Frame:
    frame = Frame(kind, record_ids, np.asarray(sources, dtype=np.int64), fields)
    if kind == "person":
        _person_columns(frame, rows, fields)
    else:
        _enterprise_columns(frame, rows, fields)
    _shared_columns(frame, rows, fields, default_area)
    return frame


def _name_columns(frame: Frame, prefix: str, names: list[PersonName | None]) -> None:
    frame.text[f"{prefix}_key"] = _array([p.key if p else None for p in names])
    frame.text[f"{prefix}_fold"] = _array([blocking_key(p) if p else None for p in names])
    frame.text[f"{prefix}_pinyin"] = _array([p.pinyin or None if p else None for p in names])
    frame.text[f"{prefix}_fuzzy"] = _array([p.fuzzy or None if p else None for p in names])
    # The same characters in any order: a transposition typo (吴雨燕 / 吴燕雨).
    frame.text[f"{prefix}_sorted"] = _array(["".join(sorted(p.key)) if p else None
                                             for p in names])
    frame.numbers[f"{prefix}_han"] = np.asarray(
        [1 if p and p.script == "han" else 0 for p in names], dtype=np.int64)


def _person_columns(frame: Frame, rows: Sequence[RawRow], fields: frozenset[Field]) -> None:
    if Field.name in fields:
        names = [parse_person_name(r.get(Field.name)) for r in rows]
        _name_columns(frame, "name", [None if p and p.surname_only else p for p in names])
        frame.text["surname_only"] = _array(
            [p.key if p and p.surname_only else None for p in names])
        frame.text["first_char"] = _array([p.key[:1] if p and p.key else None for p in names])
    for part in (Field.given_name, Field.surname):
        if part in fields:
            which: Literal["given", "surname"] = (
                "given" if part is Field.given_name else "surname")
            _name_columns(frame, part.value, [parse_person_name(r.get(part), which)
                                              for r in rows])

    ids = [parse_id_number(r.get(Field.id_number)) for r in rows] if Field.id_number in fields \
        else [None] * len(rows)
    frame.text["id"] = _array([i.canonical if i else None for i in ids])
    frame.text["id_strong"] = _array([i.canonical if i and i.valid else None for i in ids])
    frame.numbers["id_masked"] = np.asarray([1 if i and i.masked else 0 for i in ids], np.int64)
    frame.text["id_region_last4"] = _array(
        [_region_last4(i.canonical) if i else None for i in ids])

    dates = [parse_partial_date(r.get(Field.birth_date)) for r in rows] \
        if Field.birth_date in fields else [None] * len(rows)
    years, months, days = [], [], []
    for date, idn in zip(dates, ids, strict=True):
        if date is None and idn is not None and idn.valid and idn.birth_date is not None:
            years.append(idn.birth_date.year)
            months.append(idn.birth_date.month)
            days.append(idn.birth_date.day)
        else:
            years.append(date.year or 0 if date else 0)
            months.append(date.month or 0 if date else 0)
            days.append(date.day or 0 if date else 0)
    frame.numbers["birth_year"] = np.asarray(years, dtype=np.int64)
    frame.numbers["birth_month"] = np.asarray(months, dtype=np.int64)
    frame.numbers["birth_day"] = np.asarray(days, dtype=np.int64)
    frame.text["birth_year"] = _array([str(y) if y else None for y in years])
    frame.text["birth_full"] = _array([
        f"{y:04d}{m:02d}{d:02d}" if y and m and d else None
        for y, m, d in zip(years, months, days, strict=True)])

    sexes = [_sex(r.get(Field.sex)) for r in rows] if Field.sex in fields else [None] * len(rows)
    frame.text["sex"] = _array([
        s if s else (i.sex if i and i.valid else None) for s, i in zip(sexes, ids, strict=True)])
    if Field.other_id in fields:
        frame.text["other_id"] = _array([compact_id(r.get(Field.other_id)) for r in rows])


@lru_cache(maxsize=1 << 16)
def _sound(text: str) -> str | None:
    """Toneless pinyin of the Han characters, for names heard over the phone (德泰/德太)."""
    sound = "".join(lazy_pinyin(text, errors="ignore"))
    return sound or None


def _region_last4(canonical: str) -> str | None:
    head, tail = canonical[:6], canonical[-4:]
    if "*" in head or "*" in tail:
        return None
    return head + tail


def _enterprise_columns(frame: Frame, rows: Sequence[RawRow], fields: frozenset[Field]) -> None:
    names = [parse_company_name(r.get(Field.company_name)) for r in rows] \
        if Field.company_name in fields else [None] * len(rows)
    for key in ("k0", "k1", "k2", "k3"):
        frame.text[f"company_{key}"] = _array([getattr(c, key) or None if c else None
                                               for c in names])
    frame.numbers["company_branch"] = np.asarray(
        [1 if c and c.is_branch else 0 for c in names], dtype=np.int64)
    frame.text["company_branch_name"] = _array([c.branch if c and c.is_branch else None
                                                for c in names])
    frame.text["company_sound"] = _array(
        [_sound(c.k2) if c and c.k2 else None for c in names])
    codes = [parse_credit_code(r.get(Field.credit_code)) for r in rows] \
        if Field.credit_code in fields else [None] * len(rows)
    frame.text["credit_code"] = _array([c.canonical if c else None for c in codes])
    frame.text["credit_strong"] = _array([c.canonical if c and c.valid else None for c in codes])


def _shared_columns(
    frame: Frame, rows: Sequence[RawRow], fields: frozenset[Field], default_area: str | None,
) -> None:
    if Field.phone in fields:
        phones = [_phones(r.get(Field.phone), default_area) for r in rows]
        frame.text["phone_1"] = _array([p[0] if p else None for p in phones])
        frame.text["phone_2"] = _array([p[1] if len(p) > 1 else None for p in phones])
    if Field.address in fields:
        addresses = [normalise_address(r.get(Field.address)) for r in rows]
        frame.text["address"] = _array([a.key or None if a else None for a in addresses])
        frame.text["address_area"] = _array(
            [(a.district or "") + (a.road or "") or None if a else None for a in addresses])
    for name in (Field.street_number, Field.locality, Field.city, Field.postcode, Field.state):
        if name in fields:
            frame.text[name.value] = _array([simple_text(r.get(name)) for r in rows])
    if Field.street in fields:
        streets = [normalise_address(r.get(Field.street)) for r in rows]
        frame.text["street"] = _array([a.key or None if a else None for a in streets])


def _phones(raw: str | None, default_area: str | None) -> list[str]:
    if not raw:
        return []
    parsed = parse_phones(raw, default_area)
    found = [p.e164 for p in parsed if p.kind in ("mobile", "landline") and p.e164]
    if found or any(p.kind == "service" for p in parsed):
        return list(dict.fromkeys(found))
    # A number in no Chinese pattern (foreign data) is still evidence, compared as digits.
    digits = phone_digits(raw)
    return [digits] if digits and len(digits) >= 7 else []
