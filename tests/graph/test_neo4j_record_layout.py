"""The Neo4j store's record layout: a SourceRecord holds its latest version, superseded
versions are RecordVersion nodes, and stores in the earlier layout are migrated on open."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from cypher.catalog import statement, statements
from graph.neo4j_store import _SCHEMA_STATEMENT, Neo4jStore, _schema_change_needed
from graph.records import PersonRecord
from graph.store import AppendOutcome
from graph.vocabulary import Department

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "old_layout_records.cypher"


def _person(phone: str) -> PersonRecord:
    return PersonRecord(source=Department.PETITION_OFFICE, source_id="old-1",
                        observed_at=datetime(2026, 11, 1), name="王芳", phone=phone)


def _version(record: PersonRecord, seq: int) -> dict[str, object]:
    return {"seq": seq, "content_hash": record.content_hash(),
            "payload": record.model_dump_json()}


@pytest.mark.neo4j
def test_a_store_in_the_earlier_layout_is_migrated_when_opened(neo4j_store: Neo4jStore) -> None:
    first, second = _person("13812345678"), _person("13900000000")
    with neo4j_store._session() as session:
        session.run(FIXTURE.read_text(encoding="utf-8"), first=_version(first, 1),
                    second=_version(second, 2), received_at="2026-11-02T00:00:00+00:00").consume()
    neo4j_store.apply_schema()  # what opening the store runs
    neo4j_store.apply_schema()  # and again: nothing more changes

    latest = neo4j_store.get_record("petition", "old-1")
    assert latest is not None and latest.record == second and latest.seq == 2
    assert [v.record for v in neo4j_store.record_history("petition", "old-1")] == [first, second]
    assert neo4j_store.counts().record_versions == 2
    assert neo4j_store.append_records([second]) == [AppendOutcome.DUPLICATE]
    third = _person("13700000000")
    assert neo4j_store.append_records([third]) == [AppendOutcome.NEW_VERSION]
    seqs = [v.seq for v in neo4j_store.record_history("petition", "old-1")]
    assert seqs[:2] == [1, 2] and seqs[2] > 2 and len(seqs) == 3
    assert neo4j_store.get_record("petition", "old-1").record == third  # type: ignore[union-attr]


@pytest.mark.neo4j
def test_a_first_load_writes_one_node_per_record(neo4j_store: Neo4jStore) -> None:
    neo4j_store.append_records([_person("13812345678")])
    assert neo4j_store.counts().record_versions == 1
    with neo4j_store._session() as session:
        query = (FIXTURES / "count_record_version_nodes.cypher").read_text(encoding="utf-8")
        superseded = session.run(query).single()
    assert superseded is not None and superseded["n"] == 0
    neo4j_store.append_records([_person("13900000000")])
    history = neo4j_store.record_history("petition", "old-1")
    assert [v.record.phone for v in history] == ["13812345678", "13900000000"]  # type: ignore[union-attr]


@pytest.mark.parametrize("text", statements("schema"))
def test_every_schema_statement_is_recognised_so_opening_a_store_can_skip_it(text: str) -> None:
    match = _SCHEMA_STATEMENT.match(text)
    assert match is not None, text
    name = match.group(2)
    assert _schema_change_needed(text, set()) == text.upper().startswith("CREATE")
    assert _schema_change_needed(text, {name}) == text.upper().startswith("DROP")


@pytest.mark.neo4j
def test_opening_a_store_again_writes_no_schema(neo4j_store: Neo4jStore) -> None:
    with neo4j_store._session() as session:
        existing = {row["name"] for row in session.run(statement("schema_names"))}
    assert not [t for t in statements("schema") if _schema_change_needed(t, existing)]
