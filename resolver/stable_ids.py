"""Keeping entity ids stable when a batch run regroups mentions that already had entities.

Risk scores, alerts and case files point at entity ids, so a new grouping must reuse them:
- each previous entity's id follows the largest share of its mentions (its "heir" group);
- a group that is the heir of several previous entities keeps the id of the one it holds
  most of (the oldest on a tie) and absorbs the others: a merge;
- a group holding mentions of a previous entity whose id went elsewhere is a split-off
  part: it gets a new id and a split event;
- a group of mentions never seen before is a new entity.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass
class Reconciliation:
    entity_of_group: dict[int, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    merges: list[tuple[str, str]] = field(default_factory=list)  # (absorbed, survivor)
    splits: list[tuple[str, str]] = field(default_factory=list)  # (from, new part)


def reconcile(
    groups: Mapping[str, int],
    previous: Mapping[str, str],
    new_ids: Callable[[int], list[str]],
) -> Reconciliation:
    """Entity ids for new groups of mentions, given each mention's previous entity."""
    members: dict[int, list[str]] = defaultdict(list)
    for mention, group in groups.items():
        members[group].append(mention)
    overlap: dict[str, Counter[int]] = defaultdict(Counter)
    for mention, group in groups.items():
        before = previous.get(mention)
        if before is not None:
            overlap[before][group] += 1
    heir = {entity: min(counts, key=lambda g: (-counts[g], g))
            for entity, counts in overlap.items()}
    inherited: dict[int, list[str]] = defaultdict(list)
    for entity, group in heir.items():
        inherited[group].append(entity)
    result = Reconciliation()
    orphans: list[int] = []
    for group in sorted(members):
        heirs = inherited.get(group)
        if heirs:
            survivor = min(heirs, key=lambda e: (-overlap[e][group], e))
            result.entity_of_group[group] = survivor
            result.merges.extend((e, survivor) for e in sorted(heirs) if e != survivor)
        else:
            orphans.append(group)
    fresh = iter(new_ids(len(orphans)) if orphans else [])
    for group in orphans:
        entity_id = next(fresh)
        result.entity_of_group[group] = entity_id
        sources = sorted({previous[m] for m in members[group] if m in previous})
        if sources:
            result.splits.extend((source, entity_id) for source in sources)
        else:
            result.created.append(entity_id)
    return result
