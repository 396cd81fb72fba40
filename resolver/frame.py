"""Normalised columns of one batch of records of one kind, ready to block and compare.

Every field is normalised once per record here; blocking and comparison then work on
whole columns (numpy arrays of integer codes or of strings) and never re-parse a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

import numpy as np

from resolver import trade_name_sounds
from resolver.addresses import normalise_address
from resolver.arrays import IntArray, TextArray
from resolver.columns import Column, Columns, RawRow, columns_of, first_seen_codes
from resolver.company_names import (
    ADMIN_SUFFIX,
    MAX_SOUND_KEYS,
    CompanyName,
    company_sounds,
    legal_kind,
    parse_company_name,
)
from resolver.dates import parse_partial_date
from resolver.fields import Field
from resolver.forked import in_child
from resolver.identifiers import parse_credit_code, parse_id_number
from resolver.person_names import PersonName, blocking_key, parse_person_name, wu_dialect_keys
from resolver.phones import parse_phones, phone_digits

Kind = Literal["person", "enterprise"]

T = TypeVar("T")

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
    _distinct: dict[str, TextArray] = field(default_factory=dict)

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

    def preset_codes(self, column: str, codes: IntArray) -> None:
        self._codes[column] = codes
        self._distinct.pop(column, None)

    def distinct(self, column: str) -> TextArray:
        """The values of a text column indexed by their code."""
        if column not in self._distinct:
            codes = self.codes(column)
            held = codes >= 0
            values = np.empty(int(codes.max()) + 1 if held.any() else 0, dtype=object)
            values[codes[held]] = self.text[column][held]
            self._distinct[column] = values
        return self._distinct[column]

    def shared_codes(self, columns: tuple[str, ...]) -> list[IntArray]:
        """Codes of several text columns in one code space, to compare across columns.

        The same codes as encoding the columns one after the other, got from each
        column's own codes and distinct values instead of a million strings again.
        """
        key = "+".join(columns)
        if key not in self._codes:
            distinct = [self.distinct(c) for c in columns]
            joint = encode(np.concatenate(distinct))
            start = 0
            for column, values in zip(columns, distinct, strict=True):
                to_joint = np.append(joint[start:start + values.size], -1)  # -1 stays -1
                self._codes[f"{key}:{column}"] = to_joint[self.codes(column)]
                start += values.size
            self._codes[key] = np.concatenate(
                [self._codes[f"{key}:{column}"] for column in columns])
        return [self._codes[f"{key}:{column}"] for column in columns]

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
            both = np.concatenate(self.shared_codes(PHONE_COLUMNS))
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
SOUND_COLUMNS = ("company_sound", *(f"company_sound_{k}" for k in range(2, MAX_SOUND_KEYS + 1)))
"""A company name's sound keys (company_names.company_sounds), the reading in context first."""
TF_COLUMNS = ("name_key", "given_name_key", "surname_key", "phone_1", "phone_2", "address",
              "street_number", "street", "locality", "city", "state", "postcode", "company_k0",
              "company_k1", "company_k2")


def unique_pairs(a: IntArray, b: IntArray) -> tuple[IntArray, IntArray]:
    """The distinct (a, b) pairs of two non-negative integer arrays, by sorting."""
    if a.size == 0:
        return a, b
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    keep = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]
    return a[keep], b[keep]


def _term_counts(codes: IntArray, groups: IntArray | None) -> IntArray:
    valid = codes >= 0
    if not valid.any():
        return np.zeros(codes.size, dtype=np.int64)
    keyed = codes[valid]
    if groups is not None:
        keyed = unique_pairs(keyed, groups[valid])[0]
    counts = np.bincount(keyed, minlength=int(codes.max()) + 1)
    return np.where(valid, counts[np.maximum(codes, 0)], 0).astype(np.int64)


def encode(values: Iterable[object]) -> IntArray:
    """Codes numbered in order of first appearance; None is -1."""
    return first_seen_codes(values)[0]


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
    """A frame of rows held as dicts (a store's mentions, a few records to resolve)."""
    return frame_of_columns(kind, record_ids, sources,
                            columns_of(rows, [f.value for f in fields]), fields, default_area)


def frame_of_columns(
    kind: Kind,
    record_ids: list[str],
    sources: Sequence[int] | IntArray,
    columns: Columns,
    fields: frozenset[Field],
    default_area: str | None,
    shared: Callable[[], Columns] | None = None,
) -> Frame:
    """A frame of these rows; `shared` gives their place columns when `shared_columns`
    was started before (in a child, while this process did something else)."""
    if shared is None:
        with shared_columns(kind, record_ids, columns, fields, default_area) as started:
            return frame_of_columns(kind, record_ids, sources, columns, fields, default_area,
                                    started)
    frame = Frame(kind, record_ids, np.asarray(sources, dtype=np.int64), fields)
    if kind == "person":
        _person_columns(frame, columns, fields)
    else:
        _enterprise_columns(frame, columns, fields)
    for name, column in shared().items():
        frame.text[name] = _array([*column.values, None])[column.codes]  # code -1: None
        frame.preset_codes(name, column.codes)
    return frame


def shared_columns(kind: Kind, record_ids: list[str], columns: Columns,
                   fields: frozenset[Field], default_area: str | None
                   ) -> AbstractContextManager[Callable[[], dict[str, Column]]]:
    """Start parsing the phone, address and other place columns of these rows; inside the
    block, the function given gives them as coded columns.

    From PARALLEL_FROM rows they are parsed in a forked child (about half the work of a
    frame), which sends back codes and distinct values, not a million references.
    """
    def parse() -> dict[str, Column]:
        part = Frame(kind, record_ids, np.zeros(len(record_ids), dtype=np.int64), fields)
        _shared_columns(part, columns, fields, default_area)
        return {name: Column(part.codes(name), part.distinct(name).tolist())
                for name in part.text}

    return in_child(parse) if len(record_ids) >= PARALLEL_FROM else nullcontext(parse)


PARALLEL_FROM = 50_000
"""Rows from which phones and addresses are parsed in a forked child."""


class _Distinct(Generic[T]):
    """A field parsed once per distinct raw value, expanded to rows by index.

    Names, phones and addresses repeat across the records of one person, so parsing each
    distinct value once is several times faster than parsing every row.
    """

    def __init__(self, columns: Columns, n: int, field: Field,
                 parse: Callable[[str], T | None], present: bool = True) -> None:
        column = columns.get(field.value) if present else None
        if column is None:
            self.parsed: list[T | None] = []
            self.index = np.full(n, -1, dtype=np.int64)
        else:
            self.parsed = column.parsed(parse)
            self.index = column.codes

    @classmethod
    def of_parsed(cls, parsed: list[T | None], index: IntArray) -> _Distinct[T]:
        """Values parsed elsewhere (`index`: per row, its value's position; -1 none)."""
        out: _Distinct[T] = object.__new__(_Distinct)
        out.parsed = parsed
        out.index = index
        return out

    def mapped(self, change: Callable[[T], T | None]) -> _Distinct[T]:
        """The same rows with each parsed value changed (None: treated as missing)."""
        out: _Distinct[T] = object.__new__(_Distinct)
        out.parsed = [None if p is None else change(p) for p in self.parsed]
        out.index = self.index
        return out

    def column(self, derive: Callable[[T], object]) -> TextArray:
        """One derived value per row (None where the field or the derived value is missing)."""
        values = np.empty(len(self.parsed) + 1, dtype=object)
        values[:-1] = [None if p is None else (derive(p) or None) for p in self.parsed]
        values[-1] = None  # index -1: the row had no value
        return np.asarray(values[self.index])

    def into(self, frame: Frame, column: str, derive: Callable[[T], object]) -> None:
        """Set a frame column and its codes, encoding distinct values rather than rows."""
        values = np.empty(len(self.parsed) + 1, dtype=object)
        values[:-1] = [None if p is None else (derive(p) or None) for p in self.parsed]
        values[-1] = None
        codes = encode(values)
        frame.text[column] = np.asarray(values[self.index])
        frame.preset_codes(column, codes[self.index])

    def numbers(self, derive: Callable[[T], int]) -> IntArray:
        values = np.zeros(len(self.parsed) + 1, dtype=np.int64)
        values[:-1] = [0 if p is None else derive(p) for p in self.parsed]
        return np.asarray(values[self.index])


def _name_columns(frame: Frame, prefix: str, names: _Distinct[PersonName]) -> None:
    names.into(frame, f"{prefix}_key", lambda p: p.key)
    names.into(frame, f"{prefix}_fold", blocking_key)
    names.into(frame, f"{prefix}_pinyin", lambda p: p.pinyin)
    names.into(frame, f"{prefix}_fuzzy", lambda p: p.fuzzy)
    # The same characters in any order: a transposition typo (吴雨燕 / 吴燕雨).
    names.into(frame, f"{prefix}_sorted", lambda p: "".join(sorted(p.key)))
    frame.numbers[f"{prefix}_han"] = names.numbers(lambda p: int(p.script == "han"))


def _person_columns(frame: Frame, columns: Columns, fields: frozenset[Field]) -> None:
    n = frame.n
    title_sex = np.full(n, None, dtype=object)
    if Field.name in fields:
        names = _Distinct(columns, n, Field.name, parse_person_name)
        title_sex = names.column(lambda p: p.sex)
        full = names.mapped(lambda p: None if p.surname_only else p)
        _name_columns(frame, "name", full)
        names.into(frame, "surname_only", lambda p: p.key if p.surname_only else None)
        names.into(frame, "first_char", lambda p: p.key[:1])
        # Surnames a Ningbo ear confuses (王/黄, 陈/程/郑): for finding candidates only.
        names.into(frame, "name_wu", lambda p: next(iter(wu_dialect_keys(p)), None))
    for name_field in (Field.given_name, Field.surname):
        if name_field in fields:
            which: Literal["given", "surname"] = (
                "given" if name_field is Field.given_name else "surname")
            _name_columns(frame, name_field.value, _Distinct(
                columns, n, name_field,
                lambda raw, w=which: parse_person_name(raw, w)))  # type: ignore[misc]

    ids = _Distinct(columns, n, Field.id_number, parse_id_number, Field.id_number in fields)
    ids.into(frame, "id", lambda i: i.canonical)
    ids.into(frame, "id_strong", lambda i: i.canonical if i.valid else None)
    frame.numbers["id_masked"] = ids.numbers(lambda i: int(i.masked))
    ids.into(frame, "id_region_last4", lambda i: _region_last4(i.canonical))

    dates = _Distinct(columns, n, Field.birth_date, parse_partial_date, Field.birth_date in fields)
    from_id = ids.numbers(lambda i: int(i.valid and i.birth_date is not None))
    known = dates.numbers(lambda d: int(d.year is not None)) == 1
    units: dict[str, IntArray] = {}
    for unit in ("year", "month", "day"):
        written = dates.numbers(lambda d, u=unit: getattr(d, u) or 0)  # type: ignore[misc]
        implied = ids.numbers(
            lambda i, u=unit: getattr(i.birth_date, u)  # type: ignore[misc]
            if i.valid and i.birth_date else 0)
        units[unit] = np.where(~known & (from_id == 1), implied, written)
        frame.numbers[f"birth_{unit}"] = units[unit]
    years, months, days = units["year"], units["month"], units["day"]
    _as_text(frame, "birth_year", years)
    complete = (years > 0) & (months > 0) & (days > 0)
    _as_text(frame, "birth_full", np.where(complete, years * 10000 + months * 100 + days, 0))

    written_sex = _Distinct(columns, n, Field.sex, _sex, Field.sex in fields).column(lambda v: v)
    # Sex as written, else as the ID number's 17th digit says, else as a title says
    # (李女士, 王先生): a disagreement tells two members of one household apart.
    implied_sex = ids.column(lambda i: i.sex if i.valid else None)
    sex = np.array(written_sex, dtype=object)
    none = np.array(None, dtype=object)
    for fallback in (implied_sex, title_sex):
        missing = np.equal(sex, none)
        sex[missing] = fallback[missing]
    frame.text["sex"] = sex
    if Field.other_id in fields:
        _Distinct(columns, n, Field.other_id, compact_id).into(frame, "other_id", lambda v: v)


def _as_text(frame: Frame, column: str, numbers: IntArray) -> None:
    """A text column of each number as text (None for 0), with its codes: both made once
    per distinct number."""
    distinct, first, inverse = np.unique(numbers, return_index=True, return_inverse=True)
    values = _array([str(v) if v else None for v in distinct.tolist()])
    frame.text[column] = values[inverse.reshape(-1)]
    # Codes in order of first appearance, as `encode` numbers them.
    present = np.flatnonzero(distinct != 0)
    codes = np.full(distinct.size, -1, dtype=np.int64)
    codes[present[np.argsort(first[present])]] = np.arange(present.size)
    frame.preset_codes(column, codes[inverse.reshape(-1)])


def _nth(values: tuple[str, ...], k: int) -> str | None:
    return values[k] if k < len(values) else None


def _company_names(values: list[str], n: int
                   ) -> tuple[list[CompanyName | None], dict[str, tuple[str, ...]]]:
    """Each distinct company name parsed, and the pinyin in context of each name without
    its region (k2), a syllable per character, for its sound keys.

    From PARALLEL_FROM rows the later half of the names is parsed in a forked child (the
    frame's largest serial part, about 0.33 s of CPU at 100,000 enterprise records; a few
    thousand parsed names pickle quickly). The pinyin comes from `trade_name_sounds`,
    whose child works out that of this process's half while the other half is parsed.
    """
    if n < PARALLEL_FROM or len(values) < 2:
        parsed = [parse_company_name(v) for v in values]
        return parsed, _sounds_of(parsed, {})
    half = len(values) // 2
    with in_child(lambda: [parse_company_name(v) for v in values[half:]]) as later:
        parsed = [parse_company_name(v) for v in values[:half]]
        sounds = _sounds_of(parsed, {})
        parsed += later()
    return parsed, _sounds_of(parsed, sounds)


def _sounds_of(parsed: list[CompanyName | None], known: dict[str, tuple[str, ...]]
               ) -> dict[str, tuple[str, ...]]:
    """`known` and the pinyin of these names' k2 it does not hold yet."""
    new = list(dict.fromkeys(c.k2 for c in parsed
                             if c is not None and c.k2 and c.k2 not in known))
    return known | dict(zip(new, trade_name_sounds.syllables(new), strict=True))


def _region_last4(canonical: str) -> str | None:
    head, tail = canonical[:6], canonical[-4:]
    if "*" in head or "*" in tail:
        return None
    return head + tail


def _enterprise_columns(frame: Frame, columns: Columns, fields: frozenset[Field]) -> None:
    n = frame.n
    column = columns.get(Field.company_name.value) if Field.company_name in fields else None
    parsed, sounds = _company_names(column.values if column is not None else [], n)
    names = _Distinct.of_parsed(parsed, column.codes if column is not None
                                else np.full(n, -1, dtype=np.int64))
    for key in ("k0", "k1", "k2", "k3"):
        names.into(frame, f"company_{key}", lambda c, k=key: getattr(c, k))  # type: ignore[misc]
    frame.numbers["company_branch"] = names.numbers(lambda c: int(c.is_branch))
    names.into(frame, "company_branch_name", lambda c: c.branch if c.is_branch else None)
    keys = {c: company_sounds(c, sounds.get(c.k2, ())) for c in parsed if c is not None}
    for k, sound_column in enumerate(SOUND_COLUMNS):
        names.into(frame, sound_column, lambda c, k=k: _nth(keys[c], k))  # type: ignore[misc]
    names.into(frame, "company_region", lambda c: ADMIN_SUFFIX.sub("", c.region or ""))
    names.into(frame, "company_legal_form", lambda c: c.legal_form)
    names.into(frame, "company_legal_kind", lambda c: legal_kind(c.legal_form))
    codes = _Distinct(columns, n, Field.credit_code, parse_credit_code, Field.credit_code in fields)
    codes.into(frame, "credit_code", lambda c: c.canonical)
    codes.into(frame, "credit_strong", lambda c: c.canonical if c.valid else None)


def _shared_columns(
    frame: Frame, columns: Columns, fields: frozenset[Field], default_area: str | None,
) -> None:
    n = frame.n
    if Field.phone in fields:
        phones = _Distinct(columns, n, Field.phone, lambda raw: _phones(raw, default_area))
        phones.into(frame, "phone_1", lambda p: p[0] if p else None)
        phones.into(frame, "phone_2", lambda p: p[1] if len(p) > 1 else None)
    if Field.address in fields:
        addresses = _Distinct(columns, n, Field.address, normalise_address)
        addresses.into(frame, "address", lambda a: a.key)
        addresses.into(frame, "address_area", lambda a: (a.district or "") + (a.road or ""))
    for name in (Field.street_number, Field.locality, Field.city, Field.postcode, Field.state):
        if name in fields:
            _Distinct(columns, n, name, simple_text).into(frame, name.value, lambda v: v)
    if Field.street in fields:
        streets = _Distinct(columns, n, Field.street, normalise_address)
        streets.into(frame, "street", lambda a: a.key)


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
