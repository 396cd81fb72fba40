"""The shipped mapping files load the generator's exports: every row but the planted bad
ones becomes a valid canonical record, and each record agrees with the ground truth."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from graph.embedded_store import EmbeddedStore
from graph.records import CanonicalRecord, Party
from graph.vocabulary import Department
from loaders.generator import generate
from loaders.mapper import RowRejected, map_row
from loaders.mapping import shipped_mapping
from loaders.pipeline import load_path, plan_files
from loaders.readers import read_rows
from resolver.identifiers import id15_to_id18

Truth = dict[tuple[str, int], dict[str, Any]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth, dict[str, Any]]:
    out = tmp_path_factory.mktemp("demo")
    generate(out, people=300, seed=3)
    lines = [json.loads(line) for line in
             (out / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines()]
    entities = {e["id"]: e for e in (json.loads(line) for line in (
        out / "entities.jsonl").read_text(encoding="utf-8").splitlines())}
    return out, {(t["file"], t["row"]): t for t in lines}, entities


@pytest.mark.parametrize("department", list(Department), ids=lambda d: d.value)
def test_only_the_planted_bad_rows_are_quarantined(
    department: Department, demo: tuple[Path, Truth, dict[str, Any]], tmp_path: Path
) -> None:
    out, truth, _ = demo
    ours = {place: t for place, t in truth.items() if t["source"] == department.value}
    planted = {place: t for place, t in ours.items() if "bad" in t}
    assert planted, f"no bad row planted for {department.value}"
    with EmbeddedStore(tmp_path / "store") as store:
        report = load_path(out / department.value, mapping=shipped_mapping(department),
                           store=store, quarantine_dir=tmp_path / "quarantine")
    assert report.reconciled, report.reconciliation_line()
    assert (report.read, report.duplicates) == (len(ours), 0)
    assert report.quarantine_file is not None
    entries = [json.loads(line) for line in
               report.quarantine_file.read_text(encoding="utf-8").splitlines()]
    quarantined = {(f"{department.value}/{Path(e['file']).name}", e["row"]): e for e in entries}
    assert set(quarantined) == set(planted)
    for place, entry in quarantined.items():
        bad_field = planted[place]["bad"]
        assert any(p["field"].endswith(bad_field) for p in entry["problems"]), entry


def _records(out: Path, truth: Truth) -> Iterator[tuple[CanonicalRecord, dict[str, Any]]]:
    for department in Department:
        mapping = shipped_mapping(department)
        for path, table in plan_files(out / department.value, mapping):
            for row in read_rows(path, encoding=table.encoding, sheet=table.sheet):
                line = truth[(f"{department.value}/{path.name}", row.row)]
                if "bad" in line:
                    continue
                try:
                    record = map_row(table, row, source=department.value,
                                     observed_fallback=datetime(2026, 11, 1))
                except RowRejected as exc:  # pragma: no cover - the message is the point
                    pytest.fail(f"{path.name} row {row.row}: {exc}")
                yield record, line


def _id_agrees(written: str | None, true_id: str, noise: list[str]) -> bool:
    """A written ID number is the true one: whole, legacy, masked, or knowingly mistyped."""
    if written is None:
        return True
    if len(written) == 15:
        return id15_to_id18(written) == true_id
    if "*" in written:
        return all(w in ("*", t) for w, t in zip(written, true_id, strict=True))
    return (written != true_id) == ("id_typo" in noise)


def _party_agrees(party: Party, entity: dict[str, Any], noise: list[str]) -> bool:
    if party.kind.value != entity["kind"]:
        return False
    if entity["kind"] == "person":
        return _id_agrees(party.id_number, entity["id_number"], noise)
    return party.credit_code in (None, entity["credit_code"])


def test_every_record_agrees_with_ground_truth(demo: tuple[Path, Truth, dict[str, Any]]) -> None:
    out, truth, entities = demo
    kinds: set[str] = set()
    for record, line in _records(out, truth):
        assert record.source_id == line["source_id"]
        assert record.kind == line["kind"]
        kinds.add(record.kind)
        noise = line["noise"]
        if record.kind == "person":
            assert _id_agrees(record.id_number, entities[line["entity"]]["id_number"], noise)
        elif record.kind == "enterprise":
            assert record.credit_code == entities[line["entity"]]["credit_code"]
        elif record.kind == "case":
            assert [p.role for p in record.parties] == line["roles"]
            assert record.category.value == line["category"]
            assert record.filed_on.isoformat() == line["filed_on"]
            parties = zip(record.parties, line["parties"], line["party_noise"], strict=True)
            assert all(_party_agrees(p, entities[e], n) for p, e, n in parties), line
        elif record.kind == "credit_event":
            assert _party_agrees(record.subject, entities[line["subject"]], noise), line
        else:
            assert _party_agrees(record.person, entities[line["person"]], noise), line
            assert _party_agrees(record.enterprise, entities[line["enterprise"]], noise), line
    assert kinds == {"person", "enterprise", "case", "credit_event", "relation"}
