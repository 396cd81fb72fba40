"""Neo4j reads the candidates of a key of many mentions (marked indexed) from the
keyed_candidates index (KEYED edges by key, kind and mention_id, in that order), stopping
after the first $per_key, and those of other keys from the BlockKey: either way it must find
exactly what reading every mention of the key found (and what the embedded store finds),
whatever keys and kinds mentions were given and taken away since."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import graph.neo4j_entities
import graph.neo4j_store
from cypher.catalog import statement
from graph.embedded_store import EmbeddedStore
from graph.entities import Decision, EntityKind, MentionLink, ResolutionWrite
from graph.neo4j_store import Neo4jStore

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
KEYS = [f"k{n}" for n in range(6)]
KINDS = list(EntityKind)
# Mention ids whose order differs between code points and UTF-16 (U+FF5A, U+20000)
CHARACTERS = ["a", "b", "z", "0", "甬", "\uff5a", "\U00020000"]


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


class _Mentions:
    """Random mentions and the random changes made to them, written to both stores."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.links: dict[str, MentionLink] = {}
        self.entities = 0

    def _entity(self, kind: EntityKind, change: ResolutionWrite) -> str:
        self.entities += 1
        entity = f"{'P' if kind is EntityKind.PERSON else 'E'}{self.entities:08d}"
        change.new_entities.append((entity, kind))
        return entity

    def _keys(self) -> tuple[str, ...]:
        return tuple(self.rng.sample(KEYS, self.rng.randint(0, 4)))

    def new(self, change: ResolutionWrite) -> None:
        source_id = "".join(self.rng.choices(CHARACTERS, k=self.rng.randint(1, 4)))
        mention_id = f"s:{source_id}"
        if mention_id in self.links:
            return
        kind = self.rng.choice(KINDS)
        link = MentionLink(mention_id, "s", source_id, "", kind, self._entity(kind, change),
                           Decision.NEW, 0.0, {}, "test", NOW, {"name": source_id},
                           self._keys())
        self.links[mention_id] = link
        change.links.append(link)

    def change(self, change: ResolutionWrite) -> None:
        """Another key set, a key dropped or added, all keys taken away, or another kind."""
        old = self.rng.choice(sorted(self.links))
        link = self.links[old]
        what = self.rng.randrange(5)
        if what == 0:
            keys = self._keys()
        elif what == 1:
            keys = link.keys[1:]
        elif what == 2:
            keys = tuple(dict.fromkeys((*link.keys, self.rng.choice(KEYS))))
        elif what == 3:
            keys = ()
        else:
            keys = link.keys
        kind = link.kind
        entity = link.entity_id
        if what == 4 or self.rng.random() < 0.2:
            kind = KINDS[1 - KINDS.index(link.kind)]
            entity = self._entity(kind, change)
        new = MentionLink(link.mention_id, link.source, link.source_id, link.slot, kind,
                          entity, Decision.LINK, 0.5, {}, "test", NOW, link.fields, keys)
        self.links[old] = new
        change.links.append(new)


def _full_scan(store: Neo4jStore, kind: EntityKind, keys: list[str], per_key: int
               ) -> list[str]:
    with store._session() as session:
        rows = session.run(_fixture("candidates_full_scan.cypher"), keys=keys,
                           kind=kind.value, per_key=per_key).data()
    found: dict[str, None] = {}
    for row in sorted(rows, key=lambda r: (r["i"], r["mention_id"])):
        found.setdefault(row["mention_id"])
    return list(found)


def _ids(links: Any) -> list[str]:
    return [link.mention_id for link in links]


def _same_candidates(neo4j: Neo4jStore, embedded: EmbeddedStore) -> int:
    """Every key alone and several together, both kinds, limits below and above a key's
    mentions; returns how many lists were compared."""
    compared = 0
    for kind in KINDS:
        for keys in [[key] for key in KEYS] + [["k3", "k0", "none", "k3"], KEYS]:
            for per_key in (1, 2, 5, 50):
                found = _ids(neo4j.mention_candidates(kind, keys, per_key))
                assert found == _full_scan(neo4j, kind, keys, per_key), (kind, keys, per_key)
                assert found == _ids(embedded.mention_candidates(kind, keys, per_key))
                context = neo4j.step_context(kind, "s:none", keys, per_key, [])
                assert _ids(context.candidates) == found
                compared += 1
    return compared


def _index_keys_from(degree: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (graph.neo4j_entities, graph.neo4j_store):
        monkeypatch.setattr(module, "INDEXED_KEY_DEGREE", degree)


@pytest.mark.neo4j
@pytest.mark.parametrize(("seed", "degree"), [(1, 0), (2, 12), (3, 18), (4, 1000)])
def test_indexed_candidates_are_the_full_scans(neo4j_store: Neo4jStore, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               seed: int, degree: int) -> None:
    """Keys indexed from the first write (degree 0), keys passing the degree as mentions
    are added (12, 18: about 20 mentions a key), and none (1000)."""
    _index_keys_from(degree, monkeypatch)
    mentions = _Mentions(random.Random(seed))
    with EmbeddedStore(tmp_path / "embedded") as embedded:
        first = ResolutionWrite(links_are_new=True)  # batch resolution's first write
        for _ in range(60):
            mentions.new(first)
        for store in (neo4j_store, embedded):
            store.write_resolution(first)
        _same_candidates(neo4j_store, embedded)
        for round_ in range(8):
            # even rounds: pushes' one statement; odd rounds: the chunked statements
            monkeypatch.setattr(graph.neo4j_entities, "ONE_STATEMENT_ROWS",
                                100 if round_ % 2 == 0 else 0)
            change = ResolutionWrite()
            for _ in range(10):
                mentions.change(change)
            for _ in range(3):
                mentions.new(change)
            for store in (neo4j_store, embedded):
                store.write_resolution(change)
            assert _same_candidates(neo4j_store, embedded) == 2 * 8 * 4


@pytest.mark.neo4j
def test_the_candidate_read_stops_at_the_limit(neo4j_store: Neo4jStore) -> None:
    """A key of 300 mentions is indexed, and its read stops at $per_key: the planner
    takes the index's order."""
    links = [MentionLink(f"s:{n:04d}", "s", f"{n:04d}", "", EntityKind.PERSON, "P00000001",
                         Decision.LINK, 0.5, {}, "test", NOW, {}, ("hospital", f"own:{n}"))
             for n in range(300)]
    neo4j_store.write_resolution(ResolutionWrite(
        new_entities=[("P00000001", EntityKind.PERSON)], links=links, links_are_new=True))
    with neo4j_store._session() as session:
        result = session.run("PROFILE " + statement("entity_candidates"), keys=["hospital"],
                             kind="person", per_key=50)
        assert [row["mention_id"] for row in result] == [f"s:{n:04d}" for n in range(50)]
        profile = result.consume().profile
    assert profile is not None
    operators: list[dict[str, Any]] = []
    stack = [profile]
    while stack:
        operators.append(stack.pop())
        stack.extend(operators[-1].get("children", []))
    [seek] = [op for op in operators
              if op["operatorType"].startswith("DirectedRelationshipIndexSeek")]
    assert seek["rows"] == 50  # of the key's 300 edges
    [expand] = [op for op in operators if op["operatorType"].startswith("Expand")]
    assert expand["rows"] == 0  # the plain read, for keys not indexed, read nothing


@pytest.mark.neo4j
def test_a_store_with_bare_keyed_edges_is_migrated_when_opened(
        neo4j_store: Neo4jStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _index_keys_from(5, monkeypatch)
    mentions = _Mentions(random.Random(4))
    change = ResolutionWrite(links_are_new=True)
    for _ in range(40):
        mentions.new(change)
    neo4j_store.write_resolution(change)
    with neo4j_store._session() as session:
        session.run(_fixture("keyed_edges_old_layout_index.cypher")).consume()
        session.run(_fixture("keyed_edges_old_layout_edges.cypher")).consume()
        before = session.run(_fixture("keyed_edges_missing_properties.cypher")).single()
    assert before is not None and before["indexed"] == 0
    with EmbeddedStore(tmp_path / "embedded") as embedded:
        embedded.write_resolution(change)
        _same_candidates(neo4j_store, embedded)  # read the old way meanwhile
    neo4j_store.apply_schema()  # what opening the store runs
    neo4j_store.apply_schema()  # and again: nothing more changes
    with neo4j_store._session() as session:
        after = session.run(_fixture("keyed_edges_missing_properties.cypher")).single()
    assert after is not None and after["indexed"] > 0 and after["missing"] == 0
    with EmbeddedStore(tmp_path / "embedded2") as embedded:
        embedded.write_resolution(change)
        _same_candidates(neo4j_store, embedded)
