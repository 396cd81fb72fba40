"""A batch's input fields as coded columns: per row a code, per code one distinct value.

Records of one entity repeat their name, phone and address, so every later step (finding
identical rows, parsing, encoding) works once per distinct value. Holding the input this
way from the start, instead of a dict per row, also spares a million small dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from resolver.arrays import IntArray

# Keyed by field name (a Field is its own name). Plain-str keys matter at a million rows:
# hashing an enum member runs Python code, hashing a str does not.
RawRow = Mapping[str, str | None]


@dataclass(frozen=True)
class Column:
    """One field over a batch's rows.

    `codes[row]` indexes `values` (-1: the row has no value); values are distinct and in
    order of first appearance, so codes number values as `frame.encode` would.
    """

    codes: IntArray
    values: list[str]
    # Parsed values by parser, aligned with `values`: parsing the same column twice (to
    # find rows that carry a valid ID, then to build the frame) costs once.
    _parsed: dict[Callable[[str], Any], list[Any]] = field(default_factory=dict, repr=False,
                                                          compare=False)

    @classmethod
    def of(cls, cells: Iterable[str | None]) -> Column:
        codes, values = first_seen_codes(cells)
        return cls(codes, values)

    @classmethod
    def recoded(cls, codes: IntArray, cells: Sequence[str | None]) -> Column:
        """From `codes` (>= 0) into `cells` that may repeat or be None (an encoded column
        whose values were then cleaned)."""
        inner = cls.of(cells)
        return cls(np.append(inner.codes, -1)[codes], inner.values)

    @classmethod
    def concat(cls, columns: Sequence[Column]) -> Column:
        """The rows of several columns one after the other."""
        if len(columns) == 1:
            return columns[0]
        table: dict[str, int] = {}
        parts = []
        for column in columns:
            renumber = [table.setdefault(v, len(table)) for v in column.values]
            parts.append(np.asarray([*renumber, -1], dtype=np.int64)[column.codes])
        return cls(np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64),
                   list(table))

    def parsed(self, parse: Callable[[str], Any]) -> list[Any]:
        """`parse` applied to each distinct value (once per parser)."""
        if parse not in self._parsed:
            self._parsed[parse] = [parse(v) for v in self.values]
        return self._parsed[parse]

    def truthy(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Per row: does it hold a non-empty value?"""
        held = np.fromiter(map(bool, self.values), dtype=bool, count=len(self.values))
        return np.append(held, False)[self.codes]  # code -1 reads the appended False

    def take(self, rows: IntArray) -> Column:
        """These rows only, with the values they use renumbered in order of appearance."""
        codes = self.codes[rows]
        # Where each value first appears (the slot after the last: missing); written in
        # reverse so that the first appearance is written last.
        first = np.full(len(self.values) + 1, rows.size, dtype=np.int64)
        first[codes[::-1]] = np.arange(rows.size - 1, -1, -1)
        used = np.flatnonzero(first[:-1] < rows.size)
        order = used[np.argsort(first[used], kind="stable")]
        if order.size == len(self.values) and bool((order == np.arange(order.size)).all()):
            return Column(codes, self.values, dict(self._parsed))
        renumber = np.full(len(self.values) + 1, -1, dtype=np.int64)
        renumber[order] = np.arange(order.size)
        kept = order.tolist()
        return Column(renumber[codes], [self.values[k] for k in kept],
                      {parse: [p[k] for k in kept] for parse, p in self._parsed.items()})

    def cells(self) -> list[str | None]:
        """The value of every row (None where missing)."""
        table: list[str | None] = [*self.values, None]
        return [table[k] for k in self.codes.tolist()]


Columns = Mapping[str, Column]


def columns_of(rows: Sequence[RawRow], names: Iterable[str]) -> dict[str, Column]:
    """Coded columns of rows held as dicts."""
    return {name: Column.of([row.get(name) for row in rows]) for name in names}


T = TypeVar("T")


def first_seen_codes(cells: Iterable[T | None]) -> tuple[IntArray, list[T]]:
    """Codes numbered in order of first appearance (None is -1), and the value of each
    code."""
    cells = cells if isinstance(cells, Sequence | np.ndarray) else list(cells)
    # dict.fromkeys and map run in C: a few times faster than a Python loop at 1M rows.
    seen = dict.fromkeys(cells)
    seen.pop(None, None)
    table: dict[T | None, int] = {value: code for code, value in enumerate(seen)}
    table[None] = -1
    codes = np.fromiter(map(table.__getitem__, cells), dtype=np.int64, count=len(cells))
    return codes, [value for value in seen if value is not None]
