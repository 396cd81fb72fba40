"""Drift guard for `cypher/entity_write_step.cypher`: the one statement a record-by-record
push writes with repeats the bodies of the chunked statements every other step uses
(entity_create, entity_upsert_mentions, entity_set_keys, entity_add_events,
entity_add_reviews, entity_unlink_stale, entity_link_records, entity_refresh_labels,
analyst_drop_unlinked). The same steps written either way must leave the same graph."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import graph.neo4j_entities
from graph.analyst_model import PARTY_TO, AnalystEdge, AnalystGraph
from graph.entities import (
    Decision,
    EntityKind,
    EventType,
    MentionLink,
    ResolutionWrite,
    ReviewItem,
)
from graph.neo4j_entities import _fits_one_statement, _write_resolution
from graph.neo4j_store import Neo4jStore, delete_everything
from graph.records import CaseRecord, Party, PersonRecord
from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
AT = "2026-11-25T09:00:00+00:00"  # the step's write time, fixed so both ways agree
PERSON, ENTERPRISE = EntityKind.PERSON, EntityKind.ENTERPRISE
RECEIVED_AT = "received_at"  # when a record was appended: differs between the two runs


def _person(source_id: str) -> PersonRecord:
    return PersonRecord(source=Department.PETITION_OFFICE, source_id=source_id,
                        observed_at=NOW, name="王芳", phone="13812345678")


def _case(first_party: PartyKind) -> CaseRecord:
    name = "黄伟" if first_party is PartyKind.PERSON else "宁波黄伟贸易有限公司"
    return CaseRecord(
        source=Department.LABOUR_ARBITRATION, source_id="c1", observed_at=NOW,
        channel=Channel.LABOUR_ARBITRATION, category=DisputeCategory.WAGE_ARREARS,
        state=CaseState.FILED, filed_on=date(2026, 10, 1),
        parties=(Party(role=PartyRole.APPLICANT, kind=first_party, name=name),
                 Party(role=PartyRole.THIRD_PARTY, kind=PartyKind.PERSON, name="黄伟"),
                 Party(role=PartyRole.RESPONDENT, kind=PartyKind.ENTERPRISE,
                       name="宁波某某电器有限公司")))


def _link(source_id: str, entity: str, keys: tuple[str, ...], *, source: str = "petition",
          slot: str = "", kind: EntityKind = PERSON, decision: Decision = Decision.NEW,
          score: float = 0.0) -> MentionLink:
    mention = f"{source}:{source_id}" + (f"#{slot}" if slot else "")
    return MentionLink(mention, source, source_id, slot, kind, entity, decision, score,
                       {"contributions": [{"field": "姓名", "weight": score}]}, "person-v1",
                       NOW, {"name": "王芳", "slot": slot or None}, keys)


def _review(left: str, right: str) -> ReviewItem:
    return ReviewItem(f"{left}|{right}", PERSON, left, right, 0.62, "uncertain",
                      {"contributions": []})


def _labour(slot: str, entity: str, keys: tuple[str, ...], kind: EntityKind = PERSON,
            decision: Decision = Decision.NEW) -> MentionLink:
    return _link("c1", entity, keys, source="labour", slot=slot, kind=kind, decision=decision)


def _steps(store: Neo4jStore) -> None:
    """Resolution steps of pushes, each of the kind written as one statement: create,
    attach, review, keys changed and unchanged, a party that changed kind, an entity left
    with no record (and so without its analyst edges)."""
    def write(change: ResolutionWrite) -> None:
        store._entity_write(_write_resolution, change, AT)

    store.append_records([_person("p1"), _person("p2"), _person("p3"), _case(PartyKind.PERSON)])
    created = ResolutionWrite(
        new_entities=[("P1", PERSON), ("P2", PERSON), ("E1", ENTERPRISE)],
        links=[_link("p1", "P1", ("phone:1", "name:王芳", "phone:1")),
               _labour("party0", "P2", ("name:黄伟",)),
               _labour("party1", "P2", ("name:黄伟", "role:third")),
               _labour("party2", "E1", ("trade:某某电器",), ENTERPRISE)])
    created.event(EventType.CREATED, "P1", None, ("petition:p1",), "new", "person-v1")
    created.event(EventType.CREATED, "P2", None, ("labour:c1#party0", "labour:c1#party1"),
                  "new", "person-v1")
    created.event(EventType.CREATED, "E1", None, ("labour:c1#party2",), "new", "company-v1")
    write(created)
    store.replace_analyst_graph(AnalystGraph(edges=[
        AnalystEdge(PARTY_TO, ("Person", "P2"), ("Case", "labour:c1"), {"role": "applicant"}),
        AnalystEdge(PARTY_TO, ("Enterprise", "E1"), ("Case", "labour:c1"),
                    {"role": "respondent"})]))

    attached = ResolutionWrite(links=[_link("p2", "P1", ("phone:1",), decision=Decision.LINK,
                                            score=0.97)])
    attached.event(EventType.ATTACHED, "P1", None, ("petition:p2",), "link", "person-v1")
    write(attached)

    review = ResolutionWrite(new_entities=[("P3", PERSON)], links=[
        _link("p3", "P3", ("name:王芳",), decision=Decision.REVIEW, score=0.62)],
        reviews=[_review("petition:p3", "petition:p1")])
    review.event(EventType.CREATED, "P3", None, ("petition:p3",), "review", "person-v1")
    review.event(EventType.REVIEW_QUEUED, "P3", "P1", ("petition:p3", "petition:p1"),
                 "uncertain", "person-v1")
    write(review)

    # p1's keys change, p2's are written again unchanged; the queued pair is queued again
    write(ResolutionWrite(
        links=[_link("p1", "P1", ("phone:2", "name:王芳"), decision=Decision.LINK, score=0.9),
               _link("p2", "P1", ("phone:1",), decision=Decision.LINK, score=0.97)],
        reviews=[_review("petition:p3", "petition:p1")]))

    # a newer version of the case names an enterprise as its first party
    store.append_records([_case(PartyKind.ENTERPRISE)])
    changed = ResolutionWrite(new_entities=[("E2", ENTERPRISE)], links=[
        _labour("party0", "E2", ("trade:黄伟贸易",), ENTERPRISE)])
    changed.event(EventType.CREATED, "E2", None, ("labour:c1#party0",), "new", "company-v1")
    write(changed)

    # P2 and P3 lose their last records: unlinked, and P2 loses its analyst edge
    write(ResolutionWrite(links=[
        _labour("party1", "P1", ("name:黄伟",), decision=Decision.LINK),
        _link("p3", "P1", ("name:王芳",), decision=Decision.LINK, score=0.88)]))


def _graph(store: Neo4jStore) -> tuple[list[str], list[str]]:
    """The whole database as sorted lists of nodes and relationships, each a JSON string
    of labels and properties (a relationship's with its two ends')."""
    with store._session() as session:
        nodes = session.run((FIXTURES / "whole_graph_nodes.cypher").read_text("utf-8")).data()
        edges = session.run(
            (FIXTURES / "whole_graph_relationships.cypher").read_text("utf-8")).data()
    shown: dict[str, Any] = {}
    for node in nodes:
        props = {k: v for k, v in node["props"].items() if k != RECEIVED_AT}
        shown[node["id"]] = [sorted(node["labels"]), props]
    return (sorted(json.dumps(n, sort_keys=True, ensure_ascii=False) for n in shown.values()),
            sorted(json.dumps([shown[e["start"]], e["type"], shown[e["end"]], e["props"]],
                              sort_keys=True, ensure_ascii=False) for e in edges))


@pytest.mark.neo4j
def test_one_statement_and_chunked_writes_draw_the_same_graph(
        neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> None:
    # keys of two mentions or more are indexed: their marking and edge copies compared too
    monkeypatch.setattr(graph.neo4j_entities, "INDEXED_KEY_DEGREE", 1)
    ways: list[bool] = []

    def checked(change: ResolutionWrite) -> bool:
        ways.append(_fits_one_statement(change))
        return ways[-1]

    monkeypatch.setattr(graph.neo4j_entities, "_fits_one_statement", checked)
    _steps(neo4j_store)
    assert ways and all(ways)  # every step went through entity_write_step
    one_statement = _graph(neo4j_store)

    delete_everything(neo4j_store)
    ways.clear()
    monkeypatch.setattr(graph.neo4j_entities, "_fits_one_statement", lambda change: False)
    _steps(neo4j_store)
    chunked = _graph(neo4j_store)

    for part in (0, 1):  # nodes, then relationships
        only_one = [x for x in one_statement[part] if x not in chunked[part]]
        only_chunked = [x for x in chunked[part] if x not in one_statement[part]]
        assert one_statement[part] == chunked[part], (only_one, only_chunked)
    # the steps reached every state they are meant to cover
    labels = {label for node in chunked[0] for label in json.loads(node)[0]}
    assert {"Person", "Enterprise", "UnlinkedEntity", "ReviewItem", "EntityEvent",
            "BlockKey"} <= labels
    types = {json.loads(edge)[1] for edge in chunked[1]}
    assert {"RESOLVED_TO", "KEYED", "PARTY_TO"} <= types
    assert any(json.loads(node)[1].get("indexed") for node in chunked[0])
    party_to = [json.loads(edge) for edge in chunked[1] if json.loads(edge)[1] == PARTY_TO]
    assert [edge[0][1]["entity_id"] for edge in party_to] == ["E1"]  # P2's edge dropped
