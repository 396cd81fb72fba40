"""The store contract: every store answers these the same way (embedded and Neo4j)."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import pytest

from graph.records import CanonicalRecord, CaseRecord, CreditEventRecord, Party, PersonRecord
from graph.store import AppendOutcome, GraphStore
from graph.vocabulary import (
    CaseState,
    Channel,
    CreditEventType,
    Department,
    DisputeCategory,
    PartyKind,
    PartyRole,
)

OBSERVED = datetime(2026, 11, 1)


def person(source_id: str, phone: str = "13812345678") -> PersonRecord:
    return PersonRecord(source=Department.PETITION_OFFICE, source_id=source_id,
                        observed_at=OBSERVED, name="王芳", phone=phone)


def case(source_id: str, state: CaseState = CaseState.FILED) -> CaseRecord:
    return CaseRecord(
        source=Department.LABOUR_ARBITRATION, source_id=source_id, observed_at=OBSERVED,
        channel=Channel.LABOUR_ARBITRATION, category=DisputeCategory.WAGE_ARREARS, state=state,
        filed_on=date(2026, 10, 1),
        parties=(Party(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="黄伟"),),
    )


def listing(source_id: str) -> CreditEventRecord:
    return CreditEventRecord(
        source=Department.COURT, source_id=source_id, observed_at=OBSERVED,
        event_type=CreditEventType.DISHONEST_DEBTOR, starts_on=date(2026, 1, 5),
        subject=Party(kind=PartyKind.ENTERPRISE, name="宁波某某电器有限公司",
                      credit_code="91330203MA2H0K1P1Y"),
    )


def test_append_reports_new_duplicate_and_changed_records(store: GraphStore) -> None:
    first = store.append_records([person("a"), person("b")])
    again = store.append_records([person("a"), person("b", phone="13900000000")])
    assert first == [AppendOutcome.ACCEPTED, AppendOutcome.ACCEPTED]
    assert again == [AppendOutcome.DUPLICATE, AppendOutcome.NEW_VERSION]
    counts = store.counts()
    assert counts.records == 2
    assert counts.record_versions == 3


def test_latest_version_and_history(store: GraphStore) -> None:
    store.append_records([person("b")])
    store.append_records([person("b", phone="13900000000")])
    latest = store.get_record("petition", "b")
    assert latest is not None
    assert latest.record == person("b", phone="13900000000")
    history = store.record_history("petition", "b")
    assert [h.record for h in history] == [person("b"), person("b", phone="13900000000")]
    assert history[0].seq < history[1].seq
    assert store.get_record("petition", "missing") is None
    assert store.record_history("petition", "missing") == []


def test_repeats_inside_one_batch(store: GraphStore) -> None:
    outcomes = store.append_records([person("a"), person("a"), person("a", phone="110 0000")])
    assert outcomes == [AppendOutcome.ACCEPTED, AppendOutcome.DUPLICATE,
                        AppendOutcome.NEW_VERSION]
    assert store.counts().record_versions == 2


def test_iteration_by_kind_and_source_in_arrival_order(store: GraphStore) -> None:
    store.append_records([person("p1"), case("c1"), listing("l1"), person("p2")])
    assert [s.record.source_id for s in store.iter_records()] == ["p1", "c1", "l1", "p2"]
    assert [s.record.source_id for s in store.iter_records(kind="person")] == ["p1", "p2"]
    assert [s.record.source_id for s in store.iter_records(source="court")] == ["l1"]
    assert list(store.iter_records(kind="relation")) == []


def test_records_round_trip_unchanged(store: GraphStore) -> None:
    records: list[CanonicalRecord] = [person("p1"), case("c1"), listing("l1")]
    store.append_records(records)
    assert [s.record for s in store.iter_records()] == records


def test_graph_shape(store: GraphStore) -> None:
    store.append_records([person("p1"), case("c1"), case("c2"), listing("l1")])
    store.append_records([case("c1", state=CaseState.AWARD)])
    counts = store.counts()
    assert counts.nodes_by_label == {
        "Department": len(Department), "SourceRecord": 4, "Case": 2, "CreditEvent": 1,
    }
    assert counts.edges_by_type == {"FROM": 4, "DESCRIBES": 3, "HANDLED_BY": 2}
    assert counts.records_by_kind == {"person": 1, "case": 2, "credit_event": 1}
    assert counts.records_by_source == {"petition": 1, "labour": 2, "court": 1}
    assert counts.record_versions == 5


def test_concurrent_pushes_of_the_same_records_store_each_once(store: GraphStore) -> None:
    batch = [person(f"c{i}") for i in range(50)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(store.append_records, [batch] * 4))
    outcomes = Counter(outcome for result in results for outcome in result)
    assert outcomes == {AppendOutcome.ACCEPTED: 50, AppendOutcome.DUPLICATE: 150}
    assert store.counts().record_versions == 50


def test_neighbourhood_by_hops(store: GraphStore) -> None:
    store.append_records([case("c1"), case("c2"), person("p1")])
    one_hop = store.neighbourhood(("Case", "labour:c1"), 1)
    assert one_hop == {("SourceRecord", "labour:c1"), ("Department", "labour")}
    two_hops = store.neighbourhood(("Case", "labour:c1"), 2)
    assert two_hops == one_hop | {("Case", "labour:c2"), ("SourceRecord", "labour:c2")}
    assert ("SourceRecord", "petition:p1") in store.neighbourhood(("Department", "petition"), 1)
    assert store.neighbourhood(("Case", "labour:missing"), 2) == set()
    with pytest.raises(ValueError, match="hops must be between 1 and 3"):
        store.neighbourhood(("Case", "labour:c1"), 4)
