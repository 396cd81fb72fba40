"""Neo4j appends: a store writes a batch of sources it has found no records of without
looking up stored hashes, and falls back to the lookup when a key does exist."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from neo4j.exceptions import ConstraintError

import graph.neo4j_store
from api.settings import Settings
from cypher.catalog import statement
from graph.errors import StoreError
from graph.neo4j_store import Neo4jStore
from graph.records import PersonRecord
from graph.store import AppendOutcome
from graph.vocabulary import Department

ACCEPTED, DUPLICATE, NEW_VERSION = (
    AppendOutcome.ACCEPTED, AppendOutcome.DUPLICATE, AppendOutcome.NEW_VERSION)


def _person(source_id: str, phone: str = "13812345678",
            source: Department = Department.PETITION_OFFICE) -> PersonRecord:
    return PersonRecord(source=source, source_id=source_id,
                        observed_at=datetime(2026, 11, 1), name="王芳", phone=phone)


@pytest.fixture
def statements_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the statements the store runs, in order."""
    names: list[str] = []
    def spy(name: str) -> Any:
        names.append(name)
        return statement(name)

    monkeypatch.setattr(graph.neo4j_store, "statement", spy)
    return names


@pytest.fixture
def second_store(neo4j_store: Neo4jStore, neo4j_settings: Settings) -> Iterator[Neo4jStore]:
    """Another connection to the same (emptied) database, as another process would open."""
    store = Neo4jStore.connect(neo4j_settings.neo4j_uri, neo4j_settings.neo4j_user,
                               neo4j_settings.neo4j_password_value(),
                               neo4j_settings.neo4j_database)
    yield store
    store.close()


@pytest.mark.neo4j
def test_a_first_load_skips_the_lookup_and_a_repeated_one_creates_no_duplicate(
    neo4j_store: Neo4jStore, second_store: Neo4jStore, statements_run: list[str],
) -> None:
    assert neo4j_store.append_records([_person("a"), _person("b")]) == [ACCEPTED, ACCEPTED]
    assert "latest_hashes" not in statements_run

    # Another store knows nothing of petition's records: its guess fails on "b" (stored,
    # after a new key), the batch is decided again with the lookup, and so is the next.
    statements_run.clear()
    batch = [_person("c"), _person("b"), _person("a", phone="13900000000")]
    assert second_store.append_records(batch) == [ACCEPTED, DUPLICATE, NEW_VERSION]
    assert statements_run.count("latest_hashes") == 1
    statements_run.clear()
    assert second_store.append_records([_person("d")]) == [ACCEPTED]
    assert statements_run.count("latest_hashes") == 1

    counts = neo4j_store.counts()
    assert counts.records_by_source == {"petition": 4}
    assert counts.record_versions == 5
    history = neo4j_store.record_history("petition", "a")
    assert [v.record.phone for v in history] == ["13812345678", "13900000000"]  # type: ignore[union-attr]


@pytest.mark.neo4j
def test_a_source_with_records_does_not_stop_the_guess_for_another(
    neo4j_store: Neo4jStore, second_store: Neo4jStore, statements_run: list[str],
) -> None:
    neo4j_store.append_records([_person("a")])
    assert second_store.append_records([_person("a")]) == [DUPLICATE]
    statements_run.clear()
    hotline = _person("h", source=Department.HOTLINE_81890)
    assert second_store.append_records([hotline, hotline]) == [ACCEPTED, DUPLICATE]
    assert "latest_hashes" not in statements_run
    assert neo4j_store.counts().records_by_source == {"petition": 1, "hotline81890": 1}


@pytest.mark.neo4j
def test_a_guess_refused_only_at_commit_is_decided_again_with_the_lookup(
    neo4j_store: Neo4jStore, second_store: Neo4jStore, statements_run: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Were the uniqueness constraint to refuse a guessed key only when the transaction
    commits (appends not serialised by the counter lock), the batch is still decided again
    with the lookup, as when the CREATE refuses it."""
    neo4j_store.append_records([_person("a")])
    write = Neo4jStore._write

    def refused_at_commit(store: Neo4jStore, work: Any, rows: Any, received_at: str,
                          look_up: bool) -> Any:
        if not look_up:
            raise StoreError("Neo4j query failed") from ConstraintError("already exists")
        return write(store, work, rows, received_at, look_up)

    monkeypatch.setattr(Neo4jStore, "_write", refused_at_commit)
    assert second_store.append_records([_person("a"), _person("b")]) == [DUPLICATE, ACCEPTED]
    assert statements_run.count("latest_hashes") == 1
    assert neo4j_store.counts().records_by_source == {"petition": 2}
