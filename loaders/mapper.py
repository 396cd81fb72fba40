"""Turning one department row into one canonical record, or saying precisely why not.

A `RowMapper` works out once per table what does not change from row to row (which
cells feed which field, how each is converted, which column to blame for it), so a row
costs only reading its cells; `map_row` maps a single row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from pydantic import ValidationError

from graph.records import CanonicalRecord, parse_record
from loaders.mapping import ColumnSpec, PartyGroup, PartyListSpec, TableMapping
from loaders.readers import SourceRow
from loaders.values import ValueParseError, as_text, clean, parse_amount, parse_date, parse_datetime

_DATE_FIELDS = frozenset({
    "filed_on", "closed_on", "starts_on", "expires_on", "ends_on", "birth_date", "registered_on",
})
_AMOUNT_FIELDS = frozenset({"amount_claimed"})
_RATIO_FIELDS = frozenset({"share_ratio"})
_IDENTIFIER_FIELDS = frozenset({"id_number", "credit_code", "phone", "legal_rep_id_number"})
# A spreadsheet number keeps 15 significant digits: an 18-digit ID typed into a numeric
# cell has already lost its last digits, and what is left still looks like an ID.
_EXACT_FLOAT_LIMIT = 10**15

Cells = dict[str, Any]
Reader = Callable[[Cells], Any]


@dataclass(frozen=True)
class RowProblem:
    """Why a row could not become a record: the canonical field, its column, the reason."""

    field: str
    column: str | None
    reason: str

    def describe(self) -> str:
        where = f"{self.field} (column {self.column})" if self.column else self.field
        return f"{where}: {self.reason}"


class RowRejected(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("; ".join(p.describe() for p in problems))
        self.problems = problems


def map_row(
    table: TableMapping, row: SourceRow, *, source: str, observed_fallback: datetime
) -> CanonicalRecord:
    """The canonical record a row stands for; raises RowRejected naming field and column.
    (A load maps a file's rows with one `RowMapper`.)"""
    return RowMapper(table, source=source).map(row, observed_fallback=observed_fallback)


@dataclass(frozen=True)
class _Field:
    """One canonical field of a table or party: its name, the column(s) it comes from
    (`origin`, blamed when it is wrong) and how to read it from a row's cells."""

    name: str
    origin: str
    read: Reader


@dataclass(frozen=True)
class _Group:
    """A party's fixed parts: role and kind (constants or read from cells) and fields."""

    role: str | _Field | None
    kind: str | _Field | None
    fields: tuple[_Field, ...]
    columns: tuple[str, ...]  # every column its fields read, to tell an absent party
    optional: bool = False


# Where a party's fields were read from: its path prefix, its group, and for a party
# from a JSON list the list's column. Kept per row, turned into field origins only when
# the row is rejected.
_PartyScope = tuple[str, _Group, str | None]


class RowMapper:
    """Maps rows of one table of a department's mapping into canonical records."""

    def __init__(self, table: TableMapping, *, source: str) -> None:
        self._kind = table.kind
        self._base: dict[str, Any] = {**table.constants, "kind": table.kind, "source": source}
        self._fields = _fields(table.fields)
        self._origins = {f.name: f.origin for f in self._fields}
        self._parties = tuple(_group(g) for g in table.parties)
        self._party_list: tuple[str, _Group] | None = None
        if table.party_list is not None:
            self._party_list = (table.party_list.column, _listed_group(table.party_list))
        self._named_groups = tuple(
            (name, _group(group)) for name in ("subject", "person", "enterprise")
            if (group := getattr(table, name)) is not None
        )

    def map(self, row: SourceRow, *, observed_fallback: datetime) -> CanonicalRecord:
        """The canonical record a row stands for; raises RowRejected naming field and
        column."""
        if row.error is not None:
            raise RowRejected([RowProblem("row", None, row.error)])
        cells = row.cells
        problems: list[RowProblem] = []
        scopes: list[_PartyScope] = []
        data = dict(self._base)
        _read_fields(self._fields, cells, data, problems, "")
        data.setdefault("observed_at", observed_fallback)
        if self._kind == "case":
            data["parties"] = self._case_parties(cells, problems, scopes)
        for name, group in self._named_groups:
            data[name] = _party(group, cells, problems, scopes, name)
        if problems:
            raise RowRejected(problems)
        try:
            return parse_record(data)
        except ValidationError as exc:
            origins = self._origins_of(scopes)
            raise RowRejected(
                [_problem_from(err, origins, self._kind) for err in exc.errors()]
            ) from exc

    def _case_parties(
        self, cells: Cells, problems: list[RowProblem], scopes: list[_PartyScope],
    ) -> list[dict[str, Any]]:
        parties: list[dict[str, Any]] = []
        for group in self._parties:
            if group.optional and _group_is_empty(group, cells):
                continue
            parties.append(_party(group, cells, problems, scopes, f"parties[{len(parties)}]"))
        if self._party_list is not None:
            column, group = self._party_list
            items = _cell(cells, column)
            if items is None:
                return parties
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                problems.append(RowProblem("parties", column, "expected a list of objects"))
                return parties
            for item in items:
                prefix = f"parties[{len(parties)}]"
                parties.append(_party(group, item, problems, scopes, prefix, column))
        return parties

    def _origins_of(self, scopes: list[_PartyScope]) -> dict[str, str]:
        """Each field path of a mapped row and the column(s) it came from."""
        origins = dict(self._origins)
        for prefix, group, list_column in scopes:
            for f in group.fields:
                origin = f"{list_column}[].{f.origin}" if list_column else f.origin
                origins[f"{prefix}.{f.name}"] = origin
        return origins


def _fields(specs: dict[str, ColumnSpec]) -> tuple[_Field, ...]:
    return tuple(_field(name, spec) for name, spec in specs.items())


def _field(name: str, spec: ColumnSpec) -> _Field:
    return _Field(name, "+".join(spec.columns), _reader(spec, name))


def _group(group: PartyGroup) -> _Group:
    return _Group(
        role=_constant_or_field("role", group.role), kind=_constant_or_field("kind", group.kind),
        fields=_fields(group.fields),
        columns=tuple(c for spec in group.fields.values() for c in spec.columns),
        optional=group.optional,
    )


def _listed_group(spec: PartyListSpec) -> _Group:
    return _group(PartyGroup(role=spec.role, kind=spec.kind, fields=spec.fields))


def _constant_or_field(name: str, spec: str | ColumnSpec | None) -> str | _Field | None:
    return _field(name, spec) if isinstance(spec, ColumnSpec) else spec


def _read_fields(
    fields: tuple[_Field, ...], cells: Cells, out: dict[str, Any],
    problems: list[RowProblem], prefix: str,
) -> None:
    for f in fields:
        try:
            value = f.read(cells)
        except ValueParseError as exc:
            problems.append(RowProblem(f"{prefix}{f.name}", f.origin or None, str(exc)))
            continue
        if value is not None:
            out[f.name] = value


def _party(
    group: _Group, cells: Cells, problems: list[RowProblem], scopes: list[_PartyScope],
    prefix: str, list_column: str | None = None,
) -> dict[str, Any]:
    party: dict[str, Any] = {}
    for key, spec in (("role", group.role), ("kind", group.kind)):
        if spec is None:
            continue
        if isinstance(spec, str):
            party[key] = spec
            continue
        try:
            value = spec.read(cells)
        except ValueParseError as exc:
            problems.append(RowProblem(f"{prefix}.{key}", spec.origin, str(exc)))
            continue
        if value is not None:
            party[key] = value
    _read_fields(group.fields, cells, party, problems, f"{prefix}.")
    scopes.append((prefix, group, list_column))
    return party


def _group_is_empty(group: _Group, cells: Cells) -> bool:
    """An optional party is absent only when every one of its columns is empty: a party
    with an ID but no name is a bad row to quarantine, not a missing party."""
    return all(clean(_cell(cells, column)) is None for column in group.columns)


def _reader(spec: ColumnSpec, field_name: str) -> Reader:
    """How to read one field from a row's cells (raises ValueParseError)."""
    raw_of = _raw_reader(spec)
    default = spec.default
    values = spec.values
    if values is not None:
        known = ", ".join(list(values)[:12])

        def mapped(cells: Cells) -> Any:
            raw = raw_of(cells)
            if raw is None:
                return default
            key = as_text(raw)
            if key in values:
                return values[key]
            if default is None:
                raise ValueParseError(f"value {key!r} is not in the mapping (known: {known})")
            return default

        return mapped
    convert = _converter(field_name, spec.date_format)

    def converted(cells: Cells) -> Any:
        raw = raw_of(cells)
        return default if raw is None else convert(raw)

    return converted


def _raw_reader(spec: ColumnSpec) -> Reader:
    """A field's cleaned cell value (None when empty), before conversion."""
    if spec.join is not None:
        join = spec.join

        def joined(cells: Cells) -> Any:
            parts = [clean(_cell(cells, c)) for c in join]
            return None if any(p is None for p in parts) else ":".join(as_text(p) for p in parts)

        return joined
    column = spec.column
    if column is None:
        return lambda cells: None
    if "." in column:
        return lambda cells: clean(_cell(cells, column))
    return lambda cells: clean(cells.get(column))  # what _cell does for a plain name


def _converter(field_name: str, date_format: str | None) -> Callable[[Any], Any]:
    if field_name in _IDENTIFIER_FIELDS:
        return _identifier
    if field_name in _DATE_FIELDS:
        return partial(parse_date, date_format=date_format)
    if field_name == "observed_at":
        return partial(parse_datetime, date_format=date_format)
    if field_name in _AMOUNT_FIELDS:
        return parse_amount
    if field_name in _RATIO_FIELDS:
        return _ratio
    return _text


def _text(raw: Any) -> str:
    return raw if type(raw) is str else as_text(raw)


def _identifier(raw: Any) -> str:
    if isinstance(raw, float) and raw >= _EXACT_FLOAT_LIMIT:
        raise ValueParseError(
            f"numeric cell {raw:.0f} has lost digits (spreadsheets keep 15); "
            "export the column as text"
        )
    return _text(raw)


def _ratio(raw: Any) -> Any:
    text = as_text(raw).strip()
    if text.endswith("%"):
        return parse_amount(text[:-1]) / 100
    return parse_amount(raw)


def _cell(cells: Cells, column: str) -> Any:
    if column in cells:
        return cells[column]
    value: Any = cells
    for part in column.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _problem_from(error: Any, origins: dict[str, str], kind: str) -> RowProblem:
    loc = list(error["loc"])
    if loc and loc[0] == kind:
        loc = loc[1:]  # the union tag pydantic puts first
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    reason = str(error["msg"]).removeprefix("Value error, ")
    return RowProblem(path or "record", origins.get(path) or None, reason)
