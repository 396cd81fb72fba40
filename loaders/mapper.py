"""Turning one department row into one canonical record, or saying precisely why not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
    """The canonical record a row stands for; raises RowRejected naming field and column."""
    if row.error is not None:
        raise RowRejected([RowProblem("row", None, row.error)])
    origins: dict[str, str] = {}
    problems: list[RowProblem] = []
    data: dict[str, Any] = {**table.constants, "kind": table.kind, "source": source}
    _apply_fields(table.fields, row.cells, data, origins, problems, prefix="")
    data.setdefault("observed_at", observed_fallback)
    if table.kind == "case":
        data["parties"] = _case_parties(table, row.cells, origins, problems)
    for group_name in ("subject", "person", "enterprise"):
        group: PartyGroup | None = getattr(table, group_name)
        if group is not None:
            data[group_name] = _party(group, row.cells, origins, problems, group_name)
    if problems:
        raise RowRejected(problems)
    try:
        return parse_record(data)
    except ValidationError as exc:
        problems = [_problem_from(err, origins, table.kind) for err in exc.errors()]
        raise RowRejected(problems) from exc


def _apply_fields(
    fields: dict[str, ColumnSpec],
    cells: dict[str, Any],
    out: dict[str, Any],
    origins: dict[str, str],
    problems: list[RowProblem],
    prefix: str,
) -> None:
    for name, spec in fields.items():
        path = f"{prefix}{name}"
        origins[path] = "+".join(spec.columns)
        try:
            value = _value(spec, cells, name)
        except ValueParseError as exc:
            problems.append(RowProblem(path, origins[path] or None, str(exc)))
            continue
        if value is not None:
            out[name] = value


def _value(spec: ColumnSpec, cells: dict[str, Any], field_name: str) -> Any:
    if spec.join is not None:
        parts = [clean(_cell(cells, c)) for c in spec.join]
        raw: Any = None if any(p is None for p in parts) else ":".join(as_text(p) for p in parts)
    elif spec.column is not None:
        raw = clean(_cell(cells, spec.column))
    else:
        raw = None
    if spec.values is not None and raw is not None:
        key = as_text(raw)
        if key in spec.values:
            return spec.values[key]
        if spec.default is None:
            known = ", ".join(list(spec.values)[:12])
            raise ValueParseError(f"value {key!r} is not in the mapping (known: {known})")
        return spec.default
    if raw is None:
        return spec.default
    return _convert(field_name, raw, spec.date_format)


def _convert(field_name: str, raw: Any, date_format: str | None) -> Any:
    if field_name in _IDENTIFIER_FIELDS and isinstance(raw, float) and raw >= _EXACT_FLOAT_LIMIT:
        raise ValueParseError(
            f"numeric cell {raw:.0f} has lost digits (spreadsheets keep 15); "
            "export the column as text"
        )
    if field_name in _DATE_FIELDS:
        return parse_date(raw, date_format)
    if field_name == "observed_at":
        return parse_datetime(raw, date_format)
    if field_name in _AMOUNT_FIELDS:
        return parse_amount(raw)
    if field_name in _RATIO_FIELDS:
        text = as_text(raw).strip()
        if text.endswith("%"):
            return parse_amount(text[:-1]) / 100
        return parse_amount(raw)
    return as_text(raw)


def _cell(cells: dict[str, Any], column: str) -> Any:
    if column in cells:
        return cells[column]
    value: Any = cells
    for part in column.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _case_parties(
    table: TableMapping, cells: dict[str, Any], origins: dict[str, str],
    problems: list[RowProblem],
) -> list[dict[str, Any]]:
    parties: list[dict[str, Any]] = []
    for group in table.parties:
        prefix = f"parties[{len(parties)}]"
        if group.optional and _group_is_empty(group, cells):
            continue
        parties.append(_party(group, cells, origins, problems, prefix))
    if table.party_list is not None:
        parties.extend(_listed_parties(table.party_list, cells, origins, problems, len(parties)))
    return parties


def _listed_parties(
    spec: PartyListSpec, cells: dict[str, Any], origins: dict[str, str],
    problems: list[RowProblem], start: int,
) -> list[dict[str, Any]]:
    items = _cell(cells, spec.column)
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        problems.append(RowProblem("parties", spec.column, "expected a list of objects"))
        return []
    group = PartyGroup(role=spec.role, kind=spec.kind, fields=spec.fields)
    parties = []
    for offset, item in enumerate(items):
        prefix = f"parties[{start + offset}]"
        parties.append(_party(group, item, origins, problems, prefix, list_column=spec.column))
    return parties


def _party(
    group: PartyGroup, cells: dict[str, Any], origins: dict[str, str],
    problems: list[RowProblem], prefix: str, list_column: str | None = None,
) -> dict[str, Any]:
    party: dict[str, Any] = {}
    for key in ("role", "kind"):
        spec = getattr(group, key)
        if spec is None:
            continue
        if isinstance(spec, str):
            party[key] = spec
            continue
        try:
            value = _value(spec, cells, key)
        except ValueParseError as exc:
            problems.append(RowProblem(f"{prefix}.{key}", "+".join(spec.columns), str(exc)))
            continue
        if value is not None:
            party[key] = value
    _apply_fields(group.fields, cells, party, origins, problems, prefix=f"{prefix}.")
    if list_column is not None:
        for path in [p for p in origins if p.startswith(f"{prefix}.")]:
            origins[path] = f"{list_column}[].{origins[path]}"
    return party


def _group_is_empty(group: PartyGroup, cells: dict[str, Any]) -> bool:
    """An optional party is absent only when every one of its columns is empty: a party
    with an ID but no name is a bad row to quarantine, not a missing party."""
    columns = [c for spec in group.fields.values() for c in spec.columns]
    return all(clean(_cell(cells, column)) is None for column in columns)


def _problem_from(error: Any, origins: dict[str, str], kind: str) -> RowProblem:
    loc = list(error["loc"])
    if loc and loc[0] == kind:
        loc = loc[1:]  # the union tag pydantic puts first
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    reason = str(error["msg"]).removeprefix("Value error, ")
    return RowProblem(path or "record", origins.get(path) or None, reason)
