"""The resolution half of the store contract: both stores keep resolved entities alike.

Every test runs on the embedded store and on Neo4j (the `store` fixture); the last one
resolves the same generated data in both and compares what they keep.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from api.settings import Settings
from graph.embedded_store import EmbeddedStore
from graph.entities import (
    Candidate,
    Decision,
    EntityKind,
    EventType,
    MentionLink,
    ResolutionWrite,
    ReviewerConstraint,
    ReviewItem,
    ReviewState,
    StepContext,
)
from graph.neo4j_store import Neo4jStore
from graph.records import CaseRecord, Party, PersonRecord
from graph.store import GraphStore, ResolvingStore
from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole
from loaders.generator import generate
from resolver.batch import ResolveOptions
from resolver.online import OnlineResolver, load_models
from resolver.store_resolution import resolve_store
from tests.graph.test_differential import load_everything

NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
PERSON = EntityKind.PERSON
ENTERPRISE = EntityKind.ENTERPRISE


@pytest.fixture
def rs(store: GraphStore) -> ResolvingStore:
    assert isinstance(store, ResolvingStore)
    return store


def _second_handle(store: ResolvingStore, request: pytest.FixtureRequest) -> ResolvingStore:
    if isinstance(store, EmbeddedStore):
        return EmbeddedStore(store.data_dir)
    settings: Settings = request.getfixturevalue("neo4j_settings")
    return Neo4jStore.connect(settings.neo4j_uri, settings.neo4j_user,
                              settings.neo4j_password_value(), settings.neo4j_database)


def person(source_id: str) -> PersonRecord:
    return PersonRecord(source=Department.PETITION_OFFICE, source_id=source_id,
                        observed_at=NOW, name="王芳", phone="13812345678")


def case(source_id: str) -> CaseRecord:
    return CaseRecord(
        source=Department.LABOUR_ARBITRATION, source_id=source_id, observed_at=NOW,
        channel=Channel.LABOUR_ARBITRATION, category=DisputeCategory.WAGE_ARREARS,
        state=CaseState.FILED, filed_on=date(2026, 10, 1),
        parties=(Party(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="黄伟"),
                 Party(role=PartyRole.THIRD_PARTY, kind=PartyKind.PERSON, name="黄伟"),
                 Party(role=PartyRole.RESPONDENT, kind=PartyKind.ENTERPRISE,
                       name="宁波某某电器有限公司")))


def link(source_id: str, entity: str, keys: tuple[str, ...] = (), *, source: str = "petition",
         slot: str = "", kind: EntityKind = PERSON, decision: Decision = Decision.NEW,
         score: float = 0.0) -> MentionLink:
    mention = f"{source}:{source_id}" + (f"#{slot}" if slot else "")
    return MentionLink(mention, source, source_id, slot, kind, entity, decision, score,
                       {"contributions": [{"field": "姓名", "weight": 2.5}], "against": None},
                       "person-v1", NOW, {"name": "王芳", "phone": "13812345678",
                                          "id_number": None}, keys)


def stored(written: MentionLink) -> MentionLink:
    """What a store gives back for a written link (keys are not read back)."""
    return replace(written, keys=())


def graph_counts(store: ResolvingStore) -> tuple[dict[str, int], dict[str, int]]:
    counts = store.counts()
    return counts.nodes_by_label, counts.edges_by_type


def three_people(store: ResolvingStore) -> list[str]:
    """p1, p2 → first entity; p3 → second; keys shared."""
    store.append_records([person("p1"), person("p2"), person("p3")])
    a, b = store.allocate_entity_ids(PERSON, 2)
    store.write_resolution(ResolutionWrite(
        new_entities=[(a, PERSON), (b, PERSON)],
        links=[link("p2", a, ("phone:1", "name:王芳")), link("p1", a, ("phone:1",)),
               link("p3", b, ("name:王芳",))]))
    return [a, b]


def test_allocated_ids_are_distinct_and_formatted(rs: ResolvingStore) -> None:
    assert rs.allocate_entity_ids(PERSON, 3) == ["P00000001", "P00000002", "P00000003"]
    assert rs.allocate_entity_ids(ENTERPRISE, 1) == ["E00000001"]
    assert rs.allocate_entity_ids(PERSON, 0) == []
    assert rs.allocate_entity_ids(PERSON, 2) == ["P00000004", "P00000005"]


def test_links_and_new_entities(rs: ResolvingStore) -> None:
    assert rs.entity_total(PERSON) == 0
    a, b = three_people(rs)
    assert rs.entity_total(PERSON) == 2
    assert rs.entity_total(ENTERPRISE) == 0
    assert rs.mention_total(PERSON) == 3
    assert rs.mention_total(ENTERPRISE) == 0
    assert rs.mention_link("petition:p1") == stored(link("p1", a, ("phone:1",)))
    assert rs.mention_link("petition:missing") is None
    assert [m.mention_id for m in rs.entity_members(a)] == ["petition:p1", "petition:p2"]
    assert rs.entity_members("P99999999") == []
    assert rs.mention_assignments(PERSON) == {
        "petition:p1": a, "petition:p2": a, "petition:p3": b}
    assert rs.mention_assignments(ENTERPRISE) == {}
    assert rs.resolve_entity(a) == a
    assert rs.resolve_entity("P99999999") is None
    nodes, edges = graph_counts(rs)
    assert nodes["Person"] == 2 and "Enterprise" not in nodes
    assert edges["RESOLVED_TO"] == 3


def test_relinking_a_mention_replaces_its_link_and_keys(rs: ResolvingStore) -> None:
    a, b = three_people(rs)
    relinked = link("p1", b, ("phone:2",), decision=Decision.LINK, score=0.93)
    rs.write_resolution(ResolutionWrite(links=[relinked]))
    assert rs.mention_link("petition:p1") == stored(relinked)
    assert rs.key_count("phone:1") == 1
    assert rs.key_count("phone:2") == 1
    assert [m.mention_id for m in rs.entity_members(b)] == ["petition:p1", "petition:p3"]
    rs.write_resolution(ResolutionWrite(links=[link("p2", b, ("phone:2",))]))
    # a is still a live entity, but no record resolves to it any more
    assert rs.entity_total(PERSON) == 2
    assert rs.entity_members(a) == []
    nodes, edges = graph_counts(rs)
    assert nodes["Person"] == 1 and edges["RESOLVED_TO"] == 3


def test_candidates_by_key(rs: ResolvingStore) -> None:
    ids = ["p5", "p2", "p9", "p1", "p7"]
    rs.append_records([person(i) for i in ids])
    entities = rs.allocate_entity_ids(PERSON, len(ids))
    [company] = rs.allocate_entity_ids(ENTERPRISE, 1)
    links = [link(i, e, ("k1",) if n % 2 else ("k1", "k2")) for n, (i, e)
             in enumerate(zip(ids, entities, strict=True))]
    links.append(link("x1", company, ("k1", "k2"), source="court", kind=ENTERPRISE))
    rs.write_resolution(ResolutionWrite(
        new_entities=[(e, PERSON) for e in entities] + [(company, ENTERPRISE)], links=links))
    found = rs.mention_candidates(PERSON, ["k2", "k1", "k2", "none"], per_key=2)
    # k2: p5, p9, p7 → first two by mention id; then k1: p1, p2 (p5 already found)
    assert [c.mention_id for c in found] == [
        "petition:p5", "petition:p7", "petition:p1", "petition:p2"]
    assert found[0] == stored(links[0])
    assert [c.mention_id for c in rs.mention_candidates(ENTERPRISE, ["k1"], 10)] == [
        "court:x1"]
    assert rs.mention_candidates(PERSON, [], 10) == []
    assert rs.mention_candidates(PERSON, ["k1"], 0) == []
    assert len(rs.mention_candidates(PERSON, ["k1"], 50)) == 5
    assert rs.key_count("k1") == 6  # every kind
    assert rs.key_count("k2") == 4
    assert rs.key_count("none") == 0


def test_step_context_answers_as_the_single_reads(rs: ResolvingStore) -> None:
    a, b = three_people(rs)
    apart = ReviewerConstraint("petition:p1", "petition:p3", False, "reviewer:lee", NOW)
    rs.write_resolution(ResolutionWrite(constraints=[apart]))
    keys = ["name:王芳", "phone:1", "none"]
    context = rs.step_context(PERSON, "petition:p1", keys, 2, ["phone:1", "none"])
    assert context.link == rs.mention_link("petition:p1") == stored(link("p1", a, ()))
    assert context.constraints == (apart,)
    fields = link("p1", a).fields
    # name:王芳: p2, p3; then phone:1: p1 (p2 already found)
    assert context.candidates == (
        Candidate("petition:p2", "petition", "p2", "", PERSON, a, fields),
        Candidate("petition:p3", "petition", "p3", "", PERSON, b, fields),
        Candidate("petition:p1", "petition", "p1", "", PERSON, a, fields))
    assert [c.mention_id for c in context.candidates] == [
        c.mention_id for c in rs.mention_candidates(PERSON, keys, 2)]
    assert context.entity_total == rs.entity_total(PERSON) == 2
    assert context.key_counts == {"phone:1": 2, "none": 0}
    assert rs.step_context(ENTERPRISE, "court:none", [], 5, []) == StepContext(
        None, (apart,), (), 0, {})


def test_merge_points_the_absorbed_id_at_the_survivor(rs: ResolvingStore) -> None:
    a, b = three_people(rs)
    rs.append_records([person("p4")])
    [c] = rs.allocate_entity_ids(PERSON, 1)
    rs.write_resolution(ResolutionWrite(new_entities=[(c, PERSON)], links=[link("p4", c)]))
    merge = ResolutionWrite(merges=[(b, a)])
    merge.event(EventType.MERGED, a, b, ("petition:p3",), "reviewer said so", "reviewer:lee")
    rs.write_resolution(merge)
    assert rs.resolve_entity(b) == a
    assert [m.mention_id for m in rs.entity_members(a)] == [
        "petition:p1", "petition:p2", "petition:p3"]
    assert rs.entity_members(b) == []
    assert rs.entity_total(PERSON) == 2
    # merging the survivor on re-points what it had absorbed: one hop
    rs.write_resolution(ResolutionWrite(merges=[(a, c)]))
    assert rs.resolve_entity(a) == c
    assert rs.resolve_entity(b) == c
    assert rs.entity_total(PERSON) == 1
    assert len(rs.entity_members(c)) == 4
    assert set(rs.mention_assignments(PERSON).values()) == {c}
    nodes, edges = graph_counts(rs)
    assert nodes["Person"] == 1 and edges["RESOLVED_TO"] == 4


def test_chained_merges_in_one_step(rs: ResolvingStore) -> None:
    a, b = three_people(rs)
    rs.append_records([person("p4")])
    [c] = rs.allocate_entity_ids(PERSON, 1)
    rs.write_resolution(ResolutionWrite(new_entities=[(c, PERSON)], links=[link("p4", c)]))
    rs.write_resolution(ResolutionWrite(merges=[(a, b), (b, c)]))
    assert [rs.resolve_entity(e) for e in (a, b, c)] == [c, c, c]
    assert len(rs.entity_members(c)) == 4
    assert rs.entity_total(PERSON) == 1


def test_moves_split_an_entity(rs: ResolvingStore) -> None:
    a, _ = three_people(rs)
    [d] = rs.allocate_entity_ids(PERSON, 1)
    split = ResolutionWrite(new_entities=[(d, PERSON)], moves=[("petition:p2", d)])
    split.event(EventType.SPLIT, a, d, ("petition:p2",), "reviewer split", "reviewer:lee")
    rs.write_resolution(split)
    assert [m.mention_id for m in rs.entity_members(a)] == ["petition:p1"]
    assert [m.mention_id for m in rs.entity_members(d)] == ["petition:p2"]
    assert rs.mention_assignments(PERSON)["petition:p2"] == d
    assert rs.entity_total(PERSON) == 3
    assert graph_counts(rs)[0]["Person"] == 3
    # an entity created with nothing resolved to it counts as live, but is not drawn
    [e] = rs.allocate_entity_ids(PERSON, 1)
    rs.write_resolution(ResolutionWrite(new_entities=[(e, PERSON)]))
    assert rs.entity_total(PERSON) == 4
    assert rs.resolve_entity(e) == e
    assert graph_counts(rs)[0]["Person"] == 3


def test_events_are_appended_in_order(rs: ResolvingStore) -> None:
    a, b = three_people(rs)
    first = ResolutionWrite()
    first.event(EventType.CREATED, a, None, ("petition:p1", "petition:p2"), "no match", "v1")
    first.event(EventType.CREATED, b, None, (), "no match", "v1")
    rs.write_resolution(first)
    before = rs.entity_events()
    second = ResolutionWrite(merges=[(b, a)])
    second.event(EventType.MERGED, a, b, ("petition:p3",), "matched", "reviewer:lee")
    second.event(EventType.REVIEW_DECIDED, b, None, (), "decided", "reviewer:lee")
    rs.write_resolution(second)
    events = rs.entity_events()
    assert events[:2] == before  # append-only
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert [(e.event, e.entity_id, e.other_entity_id) for e in events] == [
        (EventType.CREATED, a, None), (EventType.CREATED, b, None),
        (EventType.MERGED, a, b), (EventType.REVIEW_DECIDED, b, None)]
    assert events[0].mention_ids == ("petition:p1", "petition:p2")
    assert events[1].mention_ids == ()
    assert events[2].reason == "matched" and events[2].decided_by == "reviewer:lee"
    assert events[0].at.tzinfo is not None and events[0].at <= events[2].at
    assert [e.seq for e in rs.entity_events(a)] == [1, 3]
    assert [e.seq for e in rs.entity_events(b)] == [2, 3, 4]  # other_entity_id counts too
    assert rs.entity_events("P99999999") == []


def _review(review_id: str, probability: float = 0.7) -> ReviewItem:
    left, _, right = review_id.partition("~")
    return ReviewItem(review_id, PERSON, left, right, probability, "uncertain",
                      {"contributions": [{"field": "name", "weight": -1.25}]})


def test_review_queue(rs: ResolvingStore) -> None:
    ids = ["c:2~d:1", "a:1~b:9", "b:1~c:1", "a:1~b:10", "e:1~f:1"]
    rs.write_resolution(ResolutionWrite(reviews=[_review(i) for i in ids]))
    again = replace(_review("a:1~b:9", 0.99), state=ReviewState.MERGED)
    rs.write_resolution(ResolutionWrite(reviews=[again]))  # queued once: left as it was
    assert [r.review_id for r in rs.review_items()] == sorted(ids)
    assert rs.review_item("a:1~b:9") == _review("a:1~b:9")
    assert rs.review_item("missing") is None
    assert [r.review_id for r in rs.review_items(limit=2, offset=1)] == [
        "a:1~b:9", "b:1~c:1"]
    rs.write_resolution(ResolutionWrite(review_updates=[
        ("b:1~c:1", ReviewState.MERGED, "reviewer:lee"),
        ("a:1~b:9", ReviewState.KEPT_APART, "reviewer:wu")]))
    assert [r.review_id for r in rs.review_items()] == ["a:1~b:10", "c:2~d:1", "e:1~f:1"]
    assert [r.review_id for r in rs.review_items(ReviewState.MERGED)] == ["b:1~c:1"]
    assert (rs.review_count(), rs.review_count(ReviewState.MERGED),
            rs.review_count(ReviewState.KEPT_APART)) == (3, 1, 1)
    assert [r.review_id for r in rs.review_items(None, limit=3, offset=2)] == [
        "b:1~c:1", "c:2~d:1", "e:1~f:1"]
    decided = rs.review_item("a:1~b:9")
    assert decided is not None
    assert (decided.state, decided.decided_by) == (ReviewState.KEPT_APART, "reviewer:wu")
    assert decided.decided_at is not None and decided.decided_at.tzinfo is not None
    assert replace(decided, state=ReviewState.OPEN, decided_by=None, decided_at=None) == (
        _review("a:1~b:9"))


def test_review_order_is_by_code_point(rs: ResolvingStore) -> None:
    # U+FF5A sorts before U+20000 by code point (as SQLite compares UTF-8), after it in UTF-16
    ids = ["x~\U00020000", "x~\uff5a", "x~z", "x~甬"]
    rs.write_resolution(ResolutionWrite(reviews=[_review(i) for i in ids]))
    assert [r.review_id for r in rs.review_items(limit=2)] == ["x~z", "x~甬"]
    assert [r.review_id for r in rs.review_items(offset=2)] == ["x~\uff5a", "x~\U00020000"]


def test_reviewer_constraints_keep_their_order(rs: ResolvingStore) -> None:
    given = [ReviewerConstraint("b:1", "a:1", True, "reviewer:lee", NOW),
             ReviewerConstraint("a:1", "c:1", False, "reviewer:wu",
                                datetime(2026, 11, 26, tzinfo=UTC))]
    rs.write_resolution(ResolutionWrite(constraints=given[:1]))
    rs.write_resolution(ResolutionWrite(constraints=given[1:]))
    assert rs.reviewer_constraints() == given


def test_one_edge_per_record_and_entity(rs: ResolvingStore) -> None:
    """A case naming one person twice draws one RESOLVED_TO edge, as the embedded graph."""
    rs.append_records([case("c1")])
    a, b = rs.allocate_entity_ids(PERSON, 2)
    [company] = rs.allocate_entity_ids(ENTERPRISE, 1)
    rs.write_resolution(ResolutionWrite(
        new_entities=[(a, PERSON), (b, PERSON), (company, ENTERPRISE)],
        links=[link("c1", a, source="labour", slot="party0"),
               link("c1", b, source="labour", slot="party1"),
               link("c1", company, source="labour", slot="party2", kind=ENTERPRISE)]))
    assert graph_counts(rs)[1]["RESOLVED_TO"] == 3
    rs.write_resolution(ResolutionWrite(merges=[(b, a)]))
    nodes, edges = graph_counts(rs)
    assert nodes["Person"] == 1 and nodes["Enterprise"] == 1
    assert edges["RESOLVED_TO"] == 2
    assert rs.entity_total(ENTERPRISE) == 1


def test_a_party_that_changed_kind_is_resolved_again(rs: ResolvingStore,
                                                     tmp_path: Path) -> None:
    """A newer version of a case may turn a party from a person into an enterprise: its
    mention id stays, stored under the other kind, and a batch rerun must not take it for
    a mention the store has never seen (Neo4j would refuse to create it twice)."""
    rs.append_records([case("c1")])
    resolve_store(rs, ResolveOptions(), tmp_path / "models")
    first = case("c1")
    changed = first.model_copy(update={"parties": (
        first.parties[0].model_copy(update={"kind": PartyKind.ENTERPRISE,
                                            "name": "宁波黄伟贸易有限公司"}),
        *first.parties[1:])})
    rs.append_records([changed])
    resolve_store(rs, ResolveOptions(), tmp_path / "models")
    assert "labour:c1#party0" in rs.mention_assignments(ENTERPRISE)
    assert "labour:c1#party0" not in rs.mention_assignments(PERSON)


def test_counts_are_the_same_on_both_stores(rs: ResolvingStore, tmp_path: Path) -> None:
    """The same writes on a fresh embedded store draw the same graph as on `rs`."""
    with EmbeddedStore(tmp_path / "reference") as reference:
        for target in (rs, reference):
            a, b = three_people(target)
            target.append_records([case("c1")])
            [c] = target.allocate_entity_ids(PERSON, 1)
            target.write_resolution(ResolutionWrite(
                new_entities=[(c, PERSON)],
                links=[link("c1", c, source="labour", slot="party0"),
                       link("c1", c, source="labour", slot="party1")],
                merges=[(b, a)], moves=[("petition:p1", c)]))
        assert rs.counts() == reference.counts()
        assert rs.counts().nodes_by_label["Person"] == 2
        assert rs.counts().edges_by_type["RESOLVED_TO"] == 4


def test_everything_persists(rs: ResolvingStore, request: pytest.FixtureRequest) -> None:
    a, b = three_people(rs)
    merge = ResolutionWrite(merges=[(b, a)], reviews=[_review("a:1~b:2")],
                            constraints=[ReviewerConstraint("a:1", "b:2", True, "r", NOW)])
    merge.event(EventType.MERGED, a, b, (), "test", "reviewer:lee")
    rs.write_resolution(merge)
    expected = (rs.mention_assignments(PERSON), rs.entity_events(), rs.review_items(),
                rs.reviewer_constraints(), rs.counts(), rs.entity_members(a))
    with _second_handle(rs, request) as again:
        assert isinstance(again, ResolvingStore)
        assert (again.mention_assignments(PERSON), again.entity_events(), again.review_items(),
                again.reviewer_constraints(), again.counts(),
                again.entity_members(a)) == expected
        assert again.resolve_entity(b) == a
        assert again.key_count("phone:1") == 2
        assert again.entity_total(PERSON) == 1
        assert again.allocate_entity_ids(PERSON, 1) == ["P00000003"]


def test_resolution_lock_serialises_threads_and_is_reentrant(rs: ResolvingStore) -> None:
    order: list[str] = []
    inside = threading.Event()

    def other() -> None:
        inside.wait(5)
        with rs.resolution_lock():
            order.append("other")

    thread = threading.Thread(target=other)
    thread.start()
    with rs.resolution_lock():
        with rs.resolution_lock():  # reentrant in one thread
            inside.set()
            time.sleep(0.3)
            order.append("first")
        rs.allocate_entity_ids(PERSON, 1)  # the store stays usable while the lock is held
    thread.join(10)
    assert order == ["first", "other"]


@pytest.mark.neo4j
def test_neo4j_lock_holds_across_connections(neo4j_store: Neo4jStore,
                                             neo4j_settings: Settings) -> None:
    """Two Neo4jStore objects (as two processes would hold) wait for each other."""
    s = neo4j_settings
    with Neo4jStore.connect(s.neo4j_uri, s.neo4j_user, s.neo4j_password_value(),
                            s.neo4j_database) as elsewhere:
        order: list[str] = []
        inside = threading.Event()

        def other() -> None:
            inside.wait(5)
            with elsewhere.resolution_lock():
                order.append("other")

        thread = threading.Thread(target=other)
        thread.start()
        with neo4j_store.resolution_lock():
            inside.set()
            time.sleep(0.5)
            order.append("first")
        thread.join(10)
        assert order == ["first", "other"]
        with elsewhere.resolution_lock():
            pass  # and it is free again


def test_resolution_step_runs_under_the_lock_and_inside_a_held_one(rs: ResolvingStore) -> None:
    order: list[str] = []
    inside = threading.Event()

    def other() -> None:
        inside.wait(5)
        rs.resolution_step(lambda: order.append("other"))

    thread = threading.Thread(target=other)
    thread.start()

    def step() -> list[str]:
        inside.set()
        time.sleep(0.3)
        order.append("first")
        return rs.allocate_entity_ids(PERSON, 1)

    assert rs.resolution_step(step) == ["P00000001"]
    thread.join(10)
    assert order == ["first", "other"]
    with rs.resolution_lock():
        assert rs.resolution_step(lambda: rs.allocate_entity_ids(PERSON, 1)) == ["P00000002"]


@pytest.mark.neo4j
def test_neo4j_step_is_one_transaction(neo4j_store: Neo4jStore,
                                       neo4j_settings: Settings) -> None:
    """A step that fails after writing leaves nothing behind and frees the lock."""
    neo4j_store.append_records([person("p1")])

    def failing() -> None:
        [entity] = neo4j_store.allocate_entity_ids(PERSON, 1)
        neo4j_store.write_resolution(ResolutionWrite(new_entities=[(entity, PERSON)],
                                                     links=[link("p1", entity, ("k",))]))
        assert neo4j_store.mention_link("petition:p1") is not None  # the step sees it
        raise LookupError("after the write")

    with pytest.raises(LookupError):
        neo4j_store.resolution_step(failing)
    assert neo4j_store.mention_link("petition:p1") is None
    assert neo4j_store.entity_total(PERSON) == 0
    s = neo4j_settings
    with Neo4jStore.connect(s.neo4j_uri, s.neo4j_user, s.neo4j_password_value(),
                            s.neo4j_database) as elsewhere:
        assert elsewhere.resolution_step(
            lambda: elsewhere.allocate_entity_ids(PERSON, 1)) == ["P00000001"]


@pytest.mark.neo4j
def test_neo4j_concurrent_pushes_of_one_new_person_create_one_entity(
        neo4j_store: Neo4jStore, neo4j_settings: Settings, tmp_path: Path) -> None:
    """Pushes through two Neo4jStore objects (as two API processes hold), three threads
    each, all at once: one entity."""
    s = neo4j_settings
    records = [PersonRecord(source=Department.HOTLINE_81890, source_id=f"SAME-{k}",
                            observed_at=NOW, name="欧阳明远", id_number="330203198503151234",
                            phone="13912345678") for k in range(6)]
    neo4j_store.append_records(records)
    models = load_models(tmp_path / "no-models")
    with Neo4jStore.connect(s.neo4j_uri, s.neo4j_user, s.neo4j_password_value(),
                            s.neo4j_database) as elsewhere:
        resolvers = [OnlineResolver(store, models) for store in (neo4j_store, elsewhere)]
        outcomes: list[str] = []
        barrier = threading.Barrier(len(records))

        def push(k: int) -> None:
            barrier.wait()
            outcomes.append(resolvers[k % 2].resolve_record(records[k])[0].entity_id)

        threads = [threading.Thread(target=push, args=(k,)) for k in range(len(records))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert len(outcomes) == len(records) and len(set(outcomes)) == 1
    assert len(neo4j_store.entity_members(outcomes[0])) == len(records)
    assert neo4j_store.entity_total(PERSON) == 1


@pytest.mark.neo4j
def test_batch_resolution_of_the_same_data_agrees(tmp_path: Path,
                                                  neo4j_store: Neo4jStore) -> None:
    data = tmp_path / "data"
    generate(data, people=120, seed=3)
    with EmbeddedStore(tmp_path / "embedded") as embedded:
        load_everything(data, embedded, tmp_path / "q1")
        load_everything(data, neo4j_store, tmp_path / "q2")
        assert [s.key for s in embedded.iter_records()] == [
            s.key for s in neo4j_store.iter_records()]
        for run in range(2):  # the second run reconciles with what the first wrote
            reports = [resolve_store(s, ResolveOptions(), tmp_path / f"models-{n}-{run}")
                       for n, s in enumerate((embedded, neo4j_store))]
            assert reports[0] == reports[1]
            for kind in EntityKind:
                assert embedded.mention_assignments(kind) == neo4j_store.mention_assignments(
                    kind)
                assert embedded.entity_total(kind) == neo4j_store.entity_total(kind)
                assert embedded.mention_total(kind) == neo4j_store.mention_total(kind)
            assert embedded.counts() == neo4j_store.counts()
            assert embedded.counts().nodes_by_label["Person"] > 50
            assert [(e.seq, e.event, e.entity_id, e.other_entity_id) for e in
                    embedded.entity_events()] == [(e.seq, e.event, e.entity_id,
                                                   e.other_entity_id)
                                                  for e in neo4j_store.entity_events()]
            assert [r.review_id for r in embedded.review_items(None, limit=10_000)] == [
                r.review_id for r in neo4j_store.review_items(None, limit=10_000)]
        # record by record, on top: the same candidates, counts and so the same outcomes
        again = [s.record.model_copy(update={"source_id": f"{s.record.source_id}-again"})
                 for s in list(embedded.iter_records())[::29]]
        outcomes = []
        for n, target in enumerate((embedded, neo4j_store)):
            target.append_records(again)
            online = OnlineResolver(target, load_models(tmp_path / f"models-{n}-1"))
            outcomes.append([online.resolve_record(record) for record in again])
        assert outcomes[0] == outcomes[1]
        assert {o.decision for found in outcomes[0] for o in found} >= {Decision.LINK}
        for kind in EntityKind:
            assert embedded.mention_assignments(kind) == neo4j_store.mention_assignments(kind)
            assert embedded.entity_total(kind) == neo4j_store.entity_total(kind)
        assert embedded.counts() == neo4j_store.counts()
        for mention in sorted(embedded.mention_assignments(EntityKind.PERSON))[::37]:
            mine, theirs = embedded.mention_link(mention), neo4j_store.mention_link(mention)
            assert mine is not None and theirs is not None
            assert replace(mine, at=NOW) == replace(theirs, at=NOW)  # written at other times
            assert [replace(m, at=NOW) for m in embedded.entity_members(mine.entity_id)] == [
                replace(m, at=NOW) for m in neo4j_store.entity_members(theirs.entity_id)]


@pytest.mark.neo4j
def test_neighbourhood_through_resolved_entities(tmp_path: Path,
                                                 neo4j_store: Neo4jStore) -> None:
    with EmbeddedStore(tmp_path / "embedded") as embedded:
        found = []
        for target in (embedded, neo4j_store):
            a, _ = three_people(target)
            found.append((target.neighbourhood(("SourceRecord", "petition:p1"), 2),
                          target.neighbourhood(("Person", a), 1)))
        assert ("Person", "P00000001") in found[0][0]
        assert found[0] == found[1]
