"""Files in and out of `wutong resolve`: input tables, the column mapping, the results."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graph.errors import InputFileError
from loaders.readers import detect_encoding, read_rows
from resolver.batch import BatchResult
from resolver.columns import Column
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
    columns: dict[str, Column]  # keyed by field name
    sources: list[int]
    extra: dict[str, Column]  # columns asked for besides the mapped ones, by column name


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
    import yaml  # only for a mapping file: most runs map columns with --map

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
    """Every row of every input, mapped to resolver fields; errors name file, row, column.

    Large CSV files are read by pyarrow's multi-threaded reader; whatever it does not take
    as it stands (a cut-off row, another encoding, an empty or repeated record id) is read
    again by the line-by-line reader, whose error names the row.
    """
    wanted = [mapping.id_column, *mapping.fields.values(), *extra_columns]
    try:
        return _table([_fast_read(path, wanted) or _checked_read(path, wanted, mapping, {})
                       for path in paths], mapping, extra_columns)
    except _RepeatedId:
        seen: dict[str, tuple[Path, int]] = {}  # across inputs, to name the first use
        return _table([_checked_read(path, wanted, mapping, seen) for path in paths],
                      mapping, extra_columns, repeated_ids_checked=True)


class _RepeatedId(Exception):
    """Record ids repeat somewhere; only the line-by-line reader can say at which rows."""


def _table(files: Sequence[tuple[list[str], list[Column]]], mapping: ColumnMapping,
           extra_columns: Sequence[str], repeated_ids_checked: bool = False) -> InputTable:
    record_ids = [record_id for ids, _ in files for record_id in ids]
    if not repeated_ids_checked and len(set(record_ids)) != len(record_ids):
        raise _RepeatedId
    sources = [source for source, (ids, _) in enumerate(files) for _ in ids]
    joined = [Column.concat([columns[k] for _, columns in files])
              for k in range(len(mapping.fields) + len(extra_columns))]
    mapped = len(mapping.fields)
    return InputTable(record_ids, dict(zip([f.value for f in mapping.fields], joined[:mapped],
                                           strict=True)),
                      sources, dict(zip(extra_columns, joined[mapped:], strict=True)))


def _checked_read(path: Path, wanted: Sequence[str], mapping: ColumnMapping,
                  seen: dict[str, tuple[Path, int]]) -> tuple[list[str], list[Column]]:
    """Record ids and wanted columns of one file, read row by row and checked as read
    (`seen`: the ids read so far, with where)."""
    rows = _csv_rows(path, wanted) if path.suffix.lower() == ".csv" else _other_rows(
        path, wanted)
    ids: list[str] = []
    cells: list[list[str | None]] = [[] for _ in wanted[1:]]
    for number, values in rows:
        record_id = values[0]
        if record_id is None:
            raise InputFileError(
                f"{path}, row {number}: column {mapping.id_column!r} (the record id) "
                "is empty")
        if record_id in seen:
            first_path, first_row = seen[record_id]
            raise InputFileError(
                f"{path}, row {number}: record id {record_id!r} already used at "
                f"{first_path}, row {first_row}; record ids must be unique across inputs")
        seen[record_id] = (path, number)
        ids.append(record_id)
        for column, value in zip(cells, values[1:], strict=True):
            column.append(value)
    return ids, [Column.of(column) for column in cells]


FAST_READ_FROM = 8 << 20
"""Bytes from which a CSV file is read with pyarrow: smaller files are read line by line
sooner than pyarrow is imported."""


def _fast_read(path: Path, wanted: Sequence[str]) -> tuple[list[str], list[Column]] | None:
    """Record ids and wanted columns of a large UTF-8 CSV file, read on every core; None
    when the file is anything else or does not read cleanly (`_checked_read` then says why).

    Cells are stripped as the line-by-line reader strips them, once per distinct value.
    """
    if path.suffix.lower() != ".csv" or path.stat().st_size < FAST_READ_FROM:
        return None
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except UnicodeDecodeError:
        return None
    names = [h.strip() for h in header]
    if len(set(names)) != len(names) or any(c not in names for c in wanted):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    raw = list(dict.fromkeys(header[names.index(c)] for c in wanted))
    try:
        table = pa_csv.read_csv(
            path, parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(raw, pa.string()), include_columns=raw))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if table.schema.names != raw or any(t != pa.string() for t in table.schema.types):
        return None
    ids = [cell.strip() for cell in table.column(0).to_pylist()]
    if not all(ids):
        return None
    columns = []
    for c in wanted[1:]:
        encoded = pc.dictionary_encode(table.column(raw.index(header[names.index(c)]))
                                       .combine_chunks())
        cells = [cell.strip() or None for cell in encoded.dictionary.to_pylist()]
        # Through DLPack, not Array.to_numpy: that imports pandas (0.3-0.4 s of CPU per run)
        # to convert. The indices have no nulls (the reader reads no cell as null), which
        # DLPack would refuse rather than misread.
        columns.append(Column.recoded(np.from_dlpack(encoded.indices).astype(np.int64), cells))
    return ids, columns


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
