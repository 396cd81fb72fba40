"""Files in and out of `wutong resolve`: input tables, the column mapping, the results."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from graph.errors import InputFileError
from loaders.readers import detect_encoding, read_rows
from resolver.batch import BatchResult
from resolver.fields import Field, parse_field
from resolver.predict import explain


class ResolveMappingError(InputFileError):
    """The column mapping does not fit the input files."""


@dataclass(frozen=True)
class ColumnMapping:
    id_column: str
    fields: dict[Field, str]


@dataclass
class InputTable:
    record_ids: list[str]
    rows: list[dict[str, str | None]]  # keyed by field name
    sources: list[int]
    extra: list[dict[str, str | None]]  # columns asked for besides the mapped ones


def parse_map_options(pairs: Sequence[str]) -> dict[Field, str]:
    mapping: dict[Field, str] = {}
    for item in pairs:
        name, sep, column = item.partition("=")
        if not sep or not column.strip():
            raise ResolveMappingError(f"--map {item!r}: expected FIELD=COLUMN, e.g. name=姓名")
        field = parse_field(name)
        if field in mapping:
            raise ResolveMappingError(f"--map names field {field.value!r} twice")
        mapping[field] = column.strip()
    return mapping


def load_mapping_file(path: Path) -> ColumnMapping:
    """A YAML file: `id_column: COL` and `fields: {FIELD: COLUMN, ...}`."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResolveMappingError(f"{path}: cannot read the mapping ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise ResolveMappingError(f"{path}: expected keys id_column and fields (FIELD: COLUMN)")
    id_column = data.get("id_column")
    if not isinstance(id_column, str) or not id_column:
        raise ResolveMappingError(f"{path}: id_column must name the record id column")
    fields = parse_map_options([f"{k}={v}" for k, v in data["fields"].items()])
    return ColumnMapping(id_column, fields)


def _cell(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def read_inputs(paths: Sequence[Path], mapping: ColumnMapping,
                extra_columns: Sequence[str] = ()) -> InputTable:
    """Every row of every input, mapped to resolver fields; errors name file, row, column."""
    table = InputTable([], [], [], [])
    seen: dict[str, tuple[int, int]] = {}
    wanted = [mapping.id_column, *mapping.fields.values(), *extra_columns]
    fields = [f.value for f in mapping.fields]
    mapped = len(fields)
    no_extra: dict[str, str | None] = {}
    ids, rows_out, extras = table.record_ids, table.rows, table.extra
    for source, path in enumerate(paths):
        rows = _csv_rows(path, wanted) if path.suffix.lower() == ".csv" else _other_rows(
            path, wanted)
        for number, cells in rows:
            record_id = cells[0]
            if record_id is None:
                raise InputFileError(
                    f"{path}, row {number}: column {mapping.id_column!r} (the record id) "
                    "is empty")
            if record_id in seen:
                first_source, first_row = seen[record_id]
                raise InputFileError(
                    f"{path}, row {number}: record id {record_id!r} already used at "
                    f"{paths[first_source]}, row {first_row}; record ids must be unique "
                    "across inputs")
            seen[record_id] = (source, number)
            ids.append(record_id)
            rows_out.append(dict(zip(fields, cells[1:mapped + 1], strict=True)))
            extras.append(dict(zip(extra_columns, cells[mapped + 1:], strict=True))
                          if extra_columns else no_extra)
        table.sources.extend([source] * (len(ids) - len(table.sources)))
    return table


def _missing_column(path: Path, wanted: Sequence[str], header: Sequence[str]) -> None:
    missing = [c for c in wanted if c not in header]
    if missing:
        raise ResolveMappingError(
            f"{path}: no column {missing[0]!r} (columns: {', '.join(header)})")


def _csv_rows(path: Path, wanted: Sequence[str]
              ) -> Iterator[tuple[int, list[str | None]]]:
    """(row number, wanted cells) of a CSV file; a cut-off row is an error, not a guess."""
    codec = detect_encoding(path)
    with path.open(encoding=codec, newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        _missing_column(path, wanted, header)
        index = [header.index(c) for c in wanted]
        for number, values in enumerate(reader, start=2):
            if len(values) != len(header):
                if not any(v.strip() for v in values):
                    continue
                raise InputFileError(f"{path}, row {number}: row has {len(values)} cells but "
                                     f"the header has {len(header)} columns")
            yield number, [values[k].strip() or None for k in index]


def _other_rows(path: Path, wanted: Sequence[str]
                ) -> Iterator[tuple[int, list[str | None]]]:
    checked = False
    for row in read_rows(path):
        if row.error:
            raise InputFileError(f"{path}, row {row.row}: {row.error}")
        if not checked:
            _missing_column(path, wanted, list(row.cells))
            checked = True
        yield row.row, [_cell(row.cells.get(c)) for c in wanted]


def write_assignments(path: Path, record_ids: Sequence[str], entity_ids: Sequence[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "entity_id"])
        writer.writerows(zip(record_ids, entity_ids, strict=True))


def write_pairs(path: Path, result: BatchResult, min_probability: float) -> int:
    """Scored candidate pairs with their evidence and decision, one JSON object per line."""
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        for kind, part in result.kinds.items():
            ids, labels = part.frame.record_ids, part.clusters.labels
            review = {item.pair: f"review: {item.reason.value}" for item in part.review}
            for k in (part.probabilities >= min_probability).nonzero()[0].tolist():
                a, b = int(part.i[k]), int(part.j[k])
                decision = review.get(k) or (
                    "same entity" if labels[a] == labels[b] else "different entities")
                evidence = explain(part.model, part.levels[k], part.tf[k], part.frame.tf_size)
                line = {"kind": kind, "left": ids[a], "right": ids[b],
                        "match_probability": round(float(part.probabilities[k]), 6),
                        "decision": decision, "evidence": evidence.as_dict()}
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                written += 1
    return written
