"""What the embedded store keeps about resolved entities."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from graph.embedded_store import EmbeddedStore
from graph.entities import (
    Decision,
    EntityKind,
    EventType,
    MentionLink,
    ResolutionWrite,
    ReviewItem,
    ReviewState,
)

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def _link(mention: str, entity: str, keys: tuple[str, ...] = ()) -> MentionLink:
    source, _, source_id = mention.partition(":")
    return MentionLink(mention, source, source_id, "", EntityKind.PERSON, entity, Decision.NEW,
                       0.0, {}, "person-test", NOW, {"name": "张伟"}, keys)


def test_merge_keeps_the_survivor_and_the_absorbed_id_still_resolves(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as store:
        first, second = store.allocate_entity_ids(EntityKind.PERSON, 2)
        assert first != second
        change = ResolutionWrite(new_entities=[(first, EntityKind.PERSON),
                                               (second, EntityKind.PERSON)],
                                 links=[_link("court:a", first, ("phone:+8613800000000",)),
                                        _link("labour:b", second, ("phone:+8613800000000",))])
        store.write_resolution(change)
        assert store.entity_total(EntityKind.PERSON) == 2
        merge = ResolutionWrite(merges=[(second, first)])
        merge.event(EventType.MERGED, first, second, (), "test", "reviewer:lee")
        store.write_resolution(merge)
        assert store.resolve_entity(second) == first
        assert store.resolve_entity(first) == first
        assert store.resolve_entity("P99999999") is None
        assert {m.mention_id for m in store.entity_members(first)} == {"court:a", "labour:b"}
        assert store.entity_total(EntityKind.PERSON) == 1
        [event] = store.entity_events(second)
        assert (event.event, event.entity_id, event.decided_by) == (
            EventType.MERGED, first, "reviewer:lee")
    with EmbeddedStore(tmp_path) as reopened:  # durable, and the graph is rebuilt from it
        assert reopened.resolve_entity(second) == first
        assert reopened.counts().nodes_by_label.get("Person") == 1
        assert reopened.key_count("phone:+8613800000000") == 2
        assert len(reopened.mention_candidates(EntityKind.PERSON,
                                               ["phone:+8613800000000"], 10)) == 2


def test_review_queue_items_are_listed_and_decided(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as store:
        item = ReviewItem("court:a~labour:b", EntityKind.PERSON, "court:a", "labour:b", 0.7,
                          "uncertain", {"contributions": []})
        store.write_resolution(ResolutionWrite(reviews=[item]))
        store.write_resolution(ResolutionWrite(reviews=[item]))  # queued once
        assert [r.review_id for r in store.review_items()] == ["court:a~labour:b"]
        store.write_resolution(ResolutionWrite(
            review_updates=[("court:a~labour:b", ReviewState.KEPT_APART, "reviewer:lee")]))
        assert store.review_items() == []
        decided = store.review_item("court:a~labour:b")
        assert decided is not None and decided.state is ReviewState.KEPT_APART
        assert decided.decided_by == "reviewer:lee"
