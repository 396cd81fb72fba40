"""Batch and record-by-record resolution through the store port (embedded store)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from graph.embedded_store import EmbeddedStore
from graph.entities import Decision, EntityKind, EventType, ReviewerConstraint
from graph.records import EnterpriseRecord, PersonRecord
from graph.vocabulary import Department
from loaders.generator import generate
from loaders.mapping import shipped_mapping
from loaders.pipeline import load_path
from resolver.arrays import FloatArray, IntArray
from resolver.batch import ResolveOptions
from resolver.clustering import cluster
from resolver.comparisons import comparison_matrix, comparisons_named
from resolver.entity_fit import PairEvidence
from resolver.mentions import mentions_of
from resolver.online import OnlineResolver, load_models
from resolver.predict import field_weights, match_probabilities
from resolver.store_resolution import mention_frame, resolve_store

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    generate(data, people=150, seed=5)
    return data


@pytest.fixture
def loaded(generated: Path, tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "store")
    try:
        for department in Department:
            if (generated / department.value).is_dir():
                load_path(generated / department.value, mapping=shipped_mapping(department),
                          store=store, quarantine_dir=tmp_path / "q")
        yield store
    finally:
        store.close()


def _person(source: Department, source_id: str, name: str, id_number: str | None,
            phone: str | None = None) -> PersonRecord:
    return PersonRecord(source=source, source_id=source_id, observed_at=NOW, name=name,
                        id_number=id_number, phone=phone)


def test_batch_resolution_writes_entities_with_evidence_and_saves_models(
        loaded: EmbeddedStore, tmp_path: Path) -> None:
    report = resolve_store(loaded, ResolveOptions(), tmp_path / "models")
    kinds = {k.kind: k for k in report.kinds}
    assert kinds[EntityKind.PERSON].mentions > kinds[EntityKind.PERSON].entities > 50
    assert (tmp_path / "models" / "person.json").exists()
    assignments = loaded.mention_assignments(EntityKind.PERSON)
    assert len(assignments) == kinds[EntityKind.PERSON].mentions
    links = [loaded.mention_link(m) for m in assignments]
    link = next(x for x in links if x is not None and x.decision is Decision.LINK)
    linked = link.mention_id
    assert link.score >= 0.8
    assert {c["comparison"] for c in link.evidence["contributions"]} >= {"name", "id_number"}
    entity = link.entity_id
    assert any(m.mention_id == linked for m in loaded.entity_members(entity))
    events = loaded.entity_events(entity)
    assert events and events[0].event is EventType.CREATED
    assert events[0].decided_by.startswith("person-")  # the model version
    counts = loaded.counts()
    assert counts.nodes_by_label.get("Person", 0) == kinds[EntityKind.PERSON].entities
    assert counts.edges_by_type.get("RESOLVED_TO", 0) > 0


def test_rerun_keeps_every_entity_id(loaded: EmbeddedStore, tmp_path: Path) -> None:
    resolve_store(loaded, ResolveOptions(), tmp_path / "models")
    before = loaded.mention_assignments(EntityKind.PERSON)
    events_before = len(loaded.entity_events())
    again = resolve_store(loaded, ResolveOptions(), tmp_path / "models")
    assert loaded.mention_assignments(EntityKind.PERSON) == before
    person = next(k for k in again.kinds if k.kind is EntityKind.PERSON)
    assert (person.created, person.merged, person.split) == (0, 0, 0)
    assert len(loaded.entity_events()) == events_before


def test_reviewer_keep_apart_splits_and_the_larger_part_keeps_the_id(
        loaded: EmbeddedStore, tmp_path: Path) -> None:
    resolve_store(loaded, ResolveOptions(), tmp_path / "models")
    assignments = loaded.mention_assignments(EntityKind.PERSON)
    sizes: dict[str, list[str]] = {}
    for mention, entity in assignments.items():
        sizes.setdefault(entity, []).append(mention)
    entity, members = max(sizes.items(), key=lambda item: len(item[1]))
    lone = members[-1]
    from graph.entities import ResolutionWrite

    change = ResolutionWrite(constraints=[
        ReviewerConstraint(lone, other, False, "reviewer:test", NOW) for other in members[:-1]])
    loaded.write_resolution(change)
    resolve_store(loaded, ResolveOptions(), tmp_path / "models")
    after = loaded.mention_assignments(EntityKind.PERSON)
    assert after[members[0]] == entity  # the larger part keeps the id
    assert after[lone] != entity
    splits = [e for e in loaded.entity_events(entity) if e.event is EventType.SPLIT]
    assert splits and splits[0].other_entity_id == after[lone]
    assert loaded.resolve_entity(entity) == entity


def test_online_push_links_to_the_stored_entity_by_id_number(
        loaded: EmbeddedStore, tmp_path: Path) -> None:
    resolve_store(loaded, ResolveOptions(), tmp_path / "models")
    resolver = OnlineResolver(loaded, load_models(tmp_path / "models"))
    target = next(link for link in (loaded.mention_link(m) for m in
                                    loaded.mention_assignments(EntityKind.PERSON))
                  if link is not None and link.fields.get("id_number")
                  and len(str(link.fields["id_number"])) == 18)
    record = _person(Department.PETITION_OFFICE, "NEW-1", str(target.fields["name"]),
                     str(target.fields["id_number"]))
    loaded.append_records([record])
    [outcome] = resolver.resolve_record(record)
    assert outcome.decision is Decision.LINK
    assert outcome.entity_id == loaded.resolve_entity(target.entity_id)
    # A repeated push of the same record changes nothing.
    members = len(loaded.entity_members(outcome.entity_id))
    events = len(loaded.entity_events())
    assert resolver.resolve_record(record)[0].entity_id == outcome.entity_id
    assert len(loaded.entity_members(outcome.entity_id)) == members
    assert len(loaded.entity_events()) == events


def test_online_namesake_with_another_id_number_gets_its_own_entity(
        loaded: EmbeddedStore, tmp_path: Path) -> None:
    resolve_store(loaded, ResolveOptions(), tmp_path / "models")
    resolver = OnlineResolver(loaded, load_models(tmp_path / "models"))
    target = next(link for link in (loaded.mention_link(m) for m in
                                    loaded.mention_assignments(EntityKind.PERSON))
                  if link is not None and link.fields.get("id_number")
                  and len(str(link.fields["id_number"])) == 18)
    record = _person(Department.PETITION_OFFICE, "NEW-2", str(target.fields["name"]),
                     "11010519491231002X")
    [outcome] = resolver.resolve_record(record)
    assert outcome.entity_id != loaded.resolve_entity(target.entity_id)
    assert outcome.decision in (Decision.NEW, Decision.REVIEW)


def test_concurrent_pushes_of_one_new_person_create_one_entity(
        loaded: EmbeddedStore, tmp_path: Path) -> None:
    resolve_store(loaded, ResolveOptions(), tmp_path / "models")
    resolver = OnlineResolver(loaded, load_models(tmp_path / "models"))
    records = [_person(Department.HOTLINE_81890, f"SAME-{k}", "欧阳明远", "330203198503151234",
                       "13912345678") for k in range(6)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(records))

    def push(record: PersonRecord) -> None:
        barrier.wait()
        outcomes.append(resolver.resolve_record(record)[0].entity_id)

    threads = [threading.Thread(target=push, args=(r,)) for r in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(outcomes)) == 1
    assert len(loaded.entity_members(outcomes[0])) == len(records)


def test_shipped_default_models_fit_this_version(tmp_path: Path) -> None:
    # Falls back to resolver/default_models/ when the folder holds no trained model.
    from resolver.online import check_model

    models = load_models(tmp_path / "none")
    assert set(models) == {EntityKind.PERSON, EntityKind.ENTERPRISE}
    for model in models.values():
        check_model(model)
        assert 0 < model.prior < 0.5


def test_a_new_store_links_a_repeat_caller_without_frequency_penalties(tmp_path: Path) -> None:
    # In a store of one entity, "黄芳" is held by every entity there is: a frequency taken
    # from so few says nothing, so it must not cost the name, phone and address their
    # evidence (it used to make this caller a new entity at probability 0.0003).
    with EmbeddedStore(tmp_path / "store") as store:
        resolver = OnlineResolver(store, load_models(tmp_path / "no-models"))
        first = _person(Department.HOTLINE_81890, "C-1", "黄芳", "330203198503151234",
                        phone="13812345678")
        again = _person(Department.HOTLINE_81890, "C-2", "黄芳", None, phone="13812345678")
        store.append_records([first, again])
        [made] = resolver.resolve_record(first)
        [linked] = resolver.resolve_record(again)
        assert linked.decision is Decision.LINK and linked.entity_id == made.entity_id


def _enterprise(source: Department, source_id: str, name: str, code: str | None = None,
                phone: str | None = None, address: str | None = None) -> EnterpriseRecord:
    return EnterpriseRecord(source=source, source_id=source_id, observed_at=NOW, name=name,
                            credit_code=code, phone=phone, address=address)


def test_a_pushed_branch_written_by_its_parents_name_goes_to_the_branch(tmp_path: Path) -> None:
    # The mention names the parent but gives the branch's phone and address: its strongest
    # single pair is with the parent's bare-name records, but every parent record holding
    # an address disagrees with it, and the branch's agree. One at the parent's name and a
    # new address still goes to the parent.
    parent, branch = "宁波恒达电器有限公司", "宁波恒达电器有限公司海曙分公司"
    amr, labour = Department.MARKET_REGULATION, Department.LABOUR_ARBITRATION
    branch_phone, branch_address = "0574-87331234", "宁波市海曙区药行街200号"
    stored = [
        _enterprise(amr, "p1", parent, "91330200MA2AFBCG9U", "0574-87650001",
                    "宁波市鄞州区天童南路100号"),
        _enterprise(amr, "p2", parent, "91330200MA2AFBCG9U", None, "宁波市鄞州区天童南路100号"),
        _enterprise(labour, "p3", parent), _enterprise(labour, "p4", parent),
        _enterprise(amr, "b1", branch, "91330203MA2AFBCH72", branch_phone, branch_address),
        _enterprise(amr, "b2", branch, "91330203MA2AFBCH72", branch_phone, branch_address),
        _enterprise(labour, "b3", branch)]
    with EmbeddedStore(tmp_path / "store") as store:
        resolver = OnlineResolver(store, load_models(tmp_path / "no-models"))
        entity: dict[str, str] = {}
        for record in [*stored,
                       _enterprise(labour, "x", parent, None, branch_phone, branch_address),
                       _enterprise(labour, "y", parent, None, None, "宁波市鄞州区中山东路9号")]:
            store.append_records([record])
            [outcome] = resolver.resolve_record(record)
            entity[record.source_id] = outcome.entity_id
        assert entity["x"] == entity["b1"] != entity["p1"]
        assert entity["y"] == entity["p1"] == entity["p3"]


def test_a_tie_between_look_alike_companies_is_decided_as_in_batch(tmp_path: Path) -> None:
    # Two companies differing only in their legal form. A writes its name with 有限公司
    # (once with 有限责任公司, as B does); B always with 有限责任公司. A mention giving
    # only the name 有限责任公司 agrees exactly with one of A's records and with B's: its
    # strongest pairs tie, and which entity the store's candidates list first decided.
    # Batch decides such ties against each entity's identified records
    # (entity_fit.follow_identified): B, which writes the name so. Record by record, with
    # the same model and thresholds, the push must go to B as well.
    a_name, b_name = "宁波信联物业服务有限公司", "宁波信联物业服务有限责任公司"
    a_code, b_code = "91330200MA2AFBCG9U", "91330203MA2AFBCH72"
    amr, labour = Department.MARKET_REGULATION, Department.LABOUR_ARBITRATION
    stored = [_enterprise(amr, "a1", a_name, a_code), _enterprise(amr, "a2", a_name, a_code),
              _enterprise(amr, "a3", a_name, a_code), _enterprise(amr, "a4", b_name, a_code),
              _enterprise(amr, "b1", b_name, b_code), _enterprise(amr, "b2", b_name, b_code),
              _enterprise(amr, "b3", b_name, b_code)]
    pushed = _enterprise(labour, "x", b_name)
    models = load_models(tmp_path / "no-models")
    model = models[EntityKind.ENTERPRISE]
    options = ResolveOptions()

    # Batch, with the same model (no term-frequency adjustment, as in a new store).
    mentions = [m for r in [*stored, pushed] for m in mentions_of(r)]
    frame = mention_frame(EntityKind.ENTERPRISE, mentions, options.default_area)
    comparisons = comparisons_named([c.name for c in model.comparisons])
    i, j = (x.astype(np.int64) for x in np.triu_indices(frame.n, k=1))
    levels, tf = comparison_matrix(frame, comparisons, i, j)
    tf[:] = 0

    def weights_between(a: IntArray, b: IntArray) -> FloatArray:
        found, counts = comparison_matrix(frame, comparisons, a, b)
        return field_weights(model, found, counts * 0, frame.tf_size)

    evidence = PairEvidence(model.prior_weight,
                            lambda pairs: field_weights(model, levels[pairs], tf[pairs],
                                                        frame.tf_size),
                            weights_between)
    probabilities = match_probabilities(model, levels, tf, frame.tf_size)
    labels = cluster(frame.n, i, j, probabilities, frame.codes("credit_strong"),
                     options.link_threshold, options.review_threshold,
                     evidence=evidence).labels
    x, a1, b1 = len(stored), 0, 4
    assert labels[x] == labels[b1] != labels[a1]

    # Record by record.
    with EmbeddedStore(tmp_path / "store") as store:
        resolver = OnlineResolver(store, models, options)
        entity: dict[str, str] = {}
        for record in [*stored, pushed]:
            store.append_records([record])
            [outcome] = resolver.resolve_record(record)
            entity[record.source_id] = outcome.entity_id
        assert entity["a1"] == entity["a4"] != entity["b1"]
        assert entity["x"] == entity["b1"]
