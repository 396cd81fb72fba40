"""Files in and out of `wutong resolve`: input tables, the column mapping, the results."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from graph.errors import InputFileError
from loaders.readers import read_rows
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
    rows: list[dict[Field, str | None]]
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
    seen: dict[str, tuple[Path, int]] = {}
    wanted = [mapping.id_column, *mapping.fields.values(), *extra_columns]
    mapped = list(mapping.fields.items())
    for source, path in enumerate(paths):
        checked = False
        for row in read_rows(path):
            if row.error:
                raise InputFileError(f"{path}, row {row.row}: {row.error}")
            if not checked:  # every row of a file has the header's columns
                missing = [c for c in wanted if c not in row.cells]
                if missing:
                    raise ResolveMappingError(
                        f"{path}: no column {missing[0]!r} (columns: {', '.join(row.cells)})")
                checked = True
            record_id = _cell(row.cells[mapping.id_column])
            if record_id is None:
                raise InputFileError(
                    f"{path}, row {row.row}: column {mapping.id_column!r} (the record id) "
                    "is empty")
            if record_id in seen:
                first = seen[record_id]
                raise InputFileError(
                    f"{path}, row {row.row}: record id {record_id!r} already used at "
                    f"{first[0]}, row {first[1]}; record ids must be unique across inputs")
            seen[record_id] = (path, row.row)
            table.record_ids.append(record_id)
            table.sources.append(source)
            table.rows.append({f: _cell(row.cells[c]) for f, c in mapped})
            table.extra.append({c: _cell(row.cells[c]) for c in extra_columns})
    return table


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
