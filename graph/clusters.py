"""Conflict clusters: the connected parts of the dispute network, kept up to date by change.

Two resolved entities are joined by a *tie* they share:

- ``case:<key>``: both are parties to the same case;
- ``link:<a>|<b>``: a legal-representative or shareholder link between them. Employment
  does not join: an employer with 300 staff would otherwise pull every employee, and
  whoever else they ever met in a dispute, into one part that says nothing about conflict;
  a worker who is in dispute with the employer is joined by the case itself;
- ``group:<key>``: enterprises of one company group (a parent and its branches);
- ``phone:<number>`` / ``address:<key>``: a phone or address shared by a few entities
  (at most `ClusterRules.shared_identifier_cap`); shared more widely it is a switchboard,
  an office block or a typing habit, not evidence of a relationship.

`ConflictClusters` keeps entity → ties and tie → entities, and components as labels
relabelled small-into-large when ties add up (amortised O(log n) per entity). A removal
(a mention moved away, a phone crossing the cap, a record version dropping a party) may
split a part, so the parts it touches are recomputed by a walk over that part only; an
entity absorbed by a merge is not a removal when the survivor took over its ties.
Parts larger than `community_min_size` are split into Louvain communities (fixed seed,
graph built in sorted order, so the same part always splits the same way). Cluster ids
are "C-" + the smallest entity id in the cluster: the same in incremental and full runs,
on both stores, and unchanged while that entity stays in its cluster.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph.network import DisputeNetwork, NetworkChange
from graph.vocabulary import RelationType

IDENTIFIER_TIES = ("phone:", "address:")
TIE_WEIGHTS = {"case": 1.0, "link": 2.0, "group": 2.0, "phone": 1.0, "address": 0.5}


@dataclass(frozen=True)
class ClusterRules:
    """What joins entities and when a part is split."""

    shared_identifier_cap: int = 3
    joining_relations: frozenset[RelationType] = frozenset(
        {RelationType.LEGAL_REPRESENTATIVE, RelationType.SHAREHOLDER})
    community_min_size: int = 40
    community_seed: int = 5
    community_resolution: float = 1.0
    coarse_split_from: int = 20_000  # larger parts are cut by label propagation first


@dataclass(frozen=True)
class Cluster:
    cluster_id: str
    entities: frozenset[str]
    part_size: int  # entities of the connected part it was cut from


def cluster_id(entities: Iterable[str]) -> str:
    return f"C-{min(entities)}"


def entity_ties(network: DisputeNetwork, entity: str, rules: ClusterRules) -> set[str]:
    """Every tie an entity has, whether or not it joins anything (caps are checked later).
    Interned: each tie is held by every entity that has it and as a key, once in memory."""
    ties = {f"case:{key}" for key in network.case_keys_of(entity)}
    for link, other in network.links_of(entity):
        if link.relation in rules.joining_relations:
            a, b = sorted((entity, other))
            ties.add(f"link:{a}|{b}")
    for facts in network.facts_of(entity):
        ties.update(f"phone:{p}" for p in facts.phones)
        if facts.address:
            ties.add(f"address:{facts.address}")
        if facts.company_group:
            ties.add(f"group:{facts.company_group}")
    return {sys.intern(tie) for tie in ties}


@dataclass
class _Parts:
    """Component labels: entity → label, label → entities."""

    label_of: dict[str, int] = field(default_factory=dict)
    members: dict[int, set[str]] = field(default_factory=dict)
    next_label: int = 0
    changed: set[int] = field(default_factory=set)

    def new(self, entities: Iterable[str]) -> int:
        label = self.next_label
        self.next_label += 1
        group = set(entities)
        self.members[label] = group
        for e in group:
            self.label_of[e] = label
        self.changed.add(label)
        return label

    def union(self, a: str, b: str) -> None:
        la, lb = self.label_of[a], self.label_of[b]
        if la == lb:
            return
        if len(self.members[la]) < len(self.members[lb]):
            la, lb = lb, la
        moved = self.members.pop(lb)
        for e in moved:
            self.label_of[e] = la
        self.members[la] |= moved
        self.changed.discard(lb)
        self.changed.add(la)

    def remove(self, entity: str) -> None:
        label = self.label_of.pop(entity, None)
        if label is not None:
            group = self.members[label]
            group.discard(entity)
            if group:
                self.changed.add(label)
            else:
                del self.members[label]
                self.changed.discard(label)

    def split_off(self, entities: set[str]) -> None:
        label = self.label_of[next(iter(entities))]
        self.members[label] -= entities
        self.changed.add(label)
        self.new(entities)

    def drop(self, labels: Iterable[int]) -> set[str]:
        out: set[str] = set()
        for label in set(labels):
            group = self.members.pop(label, set())
            self.changed.discard(label)
            for e in group:
                del self.label_of[e]
            out |= group
        return out


class ConflictClusters:
    """Connected parts and clusters of a `DisputeNetwork`, updated by `apply(change)`."""

    def __init__(self, network: DisputeNetwork, rules: ClusterRules | None = None) -> None:
        self.network = network
        self.rules = rules or ClusterRules()
        self._ties: dict[str, set[str]] = {}
        self._tie_members: dict[str, set[str]] = {}
        self._link_ends: dict[str, tuple[str, str]] = {}
        self._parts = _Parts()
        self._communities: dict[int, list[frozenset[str]]] = {}
        # Communities are cut lazily, when first read: readers that share the clusters (the
        # API's) may ask at once, and the cut must happen once and not under their feet.
        self._cutting = threading.Lock()

    # --- building -------------------------------------------------------------------

    @classmethod
    def full(cls, network: DisputeNetwork, rules: ClusterRules | None = None
             ) -> ConflictClusters:
        """Everything from scratch (the reference the incremental path must equal)."""
        clusters = cls(network, rules)
        for entity in sorted(network.entities()):
            ties = entity_ties(network, entity, clusters.rules)
            clusters._ties[entity] = ties
            for tie in ties:
                clusters._tie_members.setdefault(tie, set()).add(entity)
        clusters._link_ends = {key: (link.person_mention, link.enterprise_mention)
                               for key, link in network.links.items()}
        clusters._walk(set(clusters._ties))
        return clusters

    def apply(self, change: NetworkChange) -> set[str]:
        """Bring parts up to date with what one network update touched; returns the
        entities whose ties were re-read (those a lost tie held, too)."""
        touched = self._touched_entities(change)
        if not touched:
            return touched
        added: dict[str, set[str]] = {}
        removed: dict[str, set[str]] = {}
        old_size: dict[str, int] = {}
        vanished: set[str] = set()
        for entity in touched:
            old = self._ties.get(entity, set())
            alive = bool(self.network.members(entity))
            new = entity_ties(self.network, entity, self.rules) if alive else set()
            for tie in new - old:
                old_size.setdefault(tie, len(self._tie_members.get(tie, ())))
                added.setdefault(tie, set()).add(entity)
            for tie in old - new:
                old_size.setdefault(tie, len(self._tie_members.get(tie, ())))
                removed.setdefault(tie, set()).add(entity)
            if alive:
                self._ties[entity] = new
                if entity not in self._parts.label_of:
                    self._parts.new((entity,))
            elif entity in self._ties:
                del self._ties[entity]
                vanished.add(entity)
        # Old members matter only for ties that joined (a tie over the cap joined nothing).
        before = {tie: (self._tie_members[tie].copy() if self._joins(tie, size) else set())
                  for tie, size in old_size.items()}
        for tie, entities in added.items():
            self._tie_members.setdefault(tie, set()).update(entities)
        for tie, entities in removed.items():
            members = self._tie_members.get(tie)
            if members is not None:
                members -= entities
                if not members:
                    del self._tie_members[tie]
        # Ties lost: each group of entities a lost tie (or a vanished entity) held together
        # must still be connected, or their part has split.
        groups: list[set[str]] = []
        for tie, old_members in before.items():
            now = self._tie_members.get(tie, set())
            joined, joins = bool(old_members), self._joins(tie, len(now))
            if joins:
                # Members that were joined already share a label: only newcomers move.
                newcomers = now - old_members if joined else now
                anchor = next(iter(now - newcomers or now))
                for other in newcomers:
                    self._parts.union(anchor, other)
                self._parts.changed.add(self._parts.label_of[anchor])
            if joined:
                lost = old_members if not joins else old_members - now
                if lost - vanished:
                    groups.append(old_members)
                for e in lost:
                    if (label := self._parts.label_of.get(e)) is not None:
                        self._parts.changed.add(label)
        for entity in vanished:
            neighbours = self._old_neighbours(entity, before)
            if not self._taken_over(neighbours, touched):
                groups.append(neighbours)
            self._parts.remove(entity)
        for group in groups:
            # Members found apart from the first are checked against each other in turn.
            remaining = sorted(e for e in group if e in self._ties)
            while len(remaining) > 1:
                pivot = remaining[0]
                remaining = [e for e in remaining[1:] if not self._separate(pivot, e)]
        return touched

    # --- reading --------------------------------------------------------------------

    def parts(self) -> list[frozenset[str]]:
        """The connected parts, largest first (then by smallest entity id)."""
        out = [frozenset(group) for group in self._parts.members.values()]
        return sorted(out, key=lambda g: (-len(g), min(g)))

    def part_of(self, entity: str) -> frozenset[str]:
        label = self._parts.label_of.get(entity)
        return frozenset(self._parts.members[label]) if label is not None else frozenset()

    def active_ties(self, entity: str) -> list[str]:
        return sorted(t for t in self._ties.get(entity, ())
                      if self._joins(t, len(self._tie_members.get(t, ()))))

    def tie_members(self, tie: str) -> frozenset[str]:
        return frozenset(self._tie_members.get(tie, ()))

    def clusters(self) -> list[Cluster]:
        """Every cluster: small parts whole, large parts cut into communities."""
        with self._cutting:
            live = self._parts.members
            self._communities = {k: v for k, v in self._communities.items() if k in live}
            out = []
            for label, group in self._parts.members.items():
                for community in self._communities_of(label, group):
                    out.append(Cluster(cluster_id(community), community, len(group)))
        return sorted(out, key=lambda c: (-len(c.entities), c.cluster_id))

    def cluster_of(self, entity: str) -> Cluster | None:
        label = self._parts.label_of.get(entity)
        if label is None:
            return None
        group = self._parts.members[label]
        with self._cutting:
            communities = self._communities_of(label, group)
        for community in communities:
            if entity in community:
                return Cluster(cluster_id(community), community, len(group))
        return None

    def cluster(self, wanted: str) -> Cluster | None:
        """A cluster by id (its id names its smallest entity, so one part is searched)."""
        entity = wanted.removeprefix("C-")
        found = self.cluster_of(entity)
        return found if found is not None and found.cluster_id == wanted else None

    # --- internals ------------------------------------------------------------------

    def _joins(self, tie: str, size: int) -> bool:
        if size < 2:
            return False
        return not tie.startswith(IDENTIFIER_TIES) or size <= self.rules.shared_identifier_cap

    def _touched_entities(self, change: NetworkChange) -> set[str]:
        network = self.network
        touched = set(change.entities)
        for key in change.cases:
            touched |= self._tie_members.get(f"case:{key}", set())
            case = network.cases.get(key)
            if case is not None:
                touched.update(e for e, _ in network.case_entities(case))
        for key in change.links:
            # A replaced or dropped link's ends are found by its mention ids, which the
            # record's slots fix.
            ends = list(self._link_ends.get(key, ()))
            link = network.links.get(key)
            if link is not None:
                self._link_ends[key] = (link.person_mention, link.enterprise_mention)
                ends += self._link_ends[key]
            touched.update(e for m in ends if (e := network.entity_of(m)) is not None)
        return touched

    def _old_neighbours(self, entity: str, before: dict[str, set[str]]) -> set[str]:
        neighbours: set[str] = set()
        for tie, members in before.items():
            if entity in members and self._joins(tie, len(members)):
                neighbours |= members
        neighbours.discard(entity)
        return neighbours

    def _taken_over(self, neighbours: set[str], touched: set[str]) -> bool:
        """Whether one surviving entity is now directly tied to every entity a vanished one
        was tied to (what a merge does), so its going split nothing."""
        neighbours = {n for n in neighbours if n in self._ties}
        if not neighbours:
            return True
        for survivor in sorted(touched & neighbours) or sorted(touched):
            if survivor not in self._ties:
                continue
            if neighbours <= self._adjacent(survivor):
                return True
        return False

    def _adjacent(self, entity: str) -> set[str]:
        adjacent = {entity}
        for tie in self._ties[entity]:
            members = self._tie_members.get(tie)
            if members is not None and self._joins(tie, len(members)):
                adjacent |= members
        return adjacent

    def _separate(self, a: str, b: str) -> bool:
        """Whether `a` and `b` are still connected; if not, the side cut off gets its own
        label. Searches from both ends, always growing the smaller side: it stops when
        they meet, or when one side runs out, which makes that side a whole part."""
        if self._parts.label_of[a] != self._parts.label_of[b]:
            return False
        queues = (deque((a,)), deque((b,)))
        seen = ({a}, {b})
        while True:
            side = 0 if len(seen[0]) <= len(seen[1]) else 1
            queue, mine, theirs = queues[side], seen[side], seen[1 - side]
            if not queue:
                self._parts.split_off(mine)
                return False
            for other in self._adjacent(queue.popleft()):
                if other in theirs:
                    return True
                if other not in mine:
                    mine.add(other)
                    queue.append(other)

    def _walk(self, entities: set[str]) -> None:
        """Label the parts containing `entities` by a breadth-first walk over joining ties."""
        seen: set[str] = set()
        for start in sorted(entities):
            if start in seen or start not in self._ties:
                continue
            group = {start}
            queue = deque((start,))
            while queue:
                entity = queue.popleft()
                for tie in self._ties[entity]:
                    members = self._tie_members.get(tie)
                    if members is None or not self._joins(tie, len(members)):
                        continue
                    for other in members:
                        if other not in group:
                            group.add(other)
                            queue.append(other)
            seen |= group
            self._parts.drop({self._parts.label_of[e] for e in group
                              if e in self._parts.label_of})
            self._parts.new(group)

    def _communities_of(self, label: int, group: set[str]) -> list[frozenset[str]]:
        if len(group) <= self.rules.community_min_size:
            # Whole, and not kept: most parts are one entity, and keeping a list and a
            # frozenset for each cost more memory than making them when asked.
            self._communities.pop(label, None)
            self._parts.changed.discard(label)
            return [frozenset(group)]
        if label in self._parts.changed or label not in self._communities:
            self._communities[label] = self._split(group)
            self._parts.changed.discard(label)
        return self._communities[label]

    def _split(self, group: set[str]) -> list[frozenset[str]]:
        if len(group) <= self.rules.community_min_size:
            return [frozenset(group)]
        graph = part_graph(self, group)
        done: list[frozenset[str]] = []
        todo = [frozenset(group)]
        if len(group) > self.rules.coarse_split_from:
            # Louvain in pure Python over a part of hundreds of thousands of entities takes
            # minutes; label propagation (linear in the ties) cuts it into pieces first and
            # Louvain refines each piece as below.
            pieces = [frozenset(c) for c in nx.community.fast_label_propagation_communities(
                graph, weight="weight", seed=self.rules.community_seed)]
            done = [p for p in pieces if len(p) <= self.rules.community_min_size]
            todo = [p for p in pieces if len(p) > self.rules.community_min_size]
        # A community still too large to act on is cut again within itself; a raised
        # resolution instead would shatter stars (one employer, many workers) into leaves.
        for _ in range(3):
            again: list[frozenset[str]] = []
            for community in todo:
                # A copy: Louvain walks a view of a large graph many times more slowly.
                found = nx.community.louvain_communities(
                    graph.subgraph(sorted(community)).copy(), weight="weight",
                    resolution=self.rules.community_resolution, seed=self.rules.community_seed)
                for piece in map(frozenset, found):
                    big = len(piece) > self.rules.community_min_size and len(found) > 1
                    (again if big else done).append(piece)
            todo = again
        return sorted(done + todo, key=lambda c: (-len(c), min(c)))


def part_graph(clusters: ConflictClusters, group: set[str]) -> nx.Graph:
    """The weighted entity graph of one part, built in sorted order (Louvain's result
    depends on the order nodes and edges were added)."""
    weights: dict[tuple[str, str], float] = {}
    done: set[str] = set()
    for entity in sorted(group):
        for tie in clusters.active_ties(entity):
            if tie in done:
                continue
            done.add(tie)
            members = sorted(clusters.tie_members(tie))
            weight = TIE_WEIGHTS[tie.split(":", 1)[0]] / (len(members) - 1)
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    weights[(a, b)] = weights.get((a, b), 0.0) + weight
    graph = nx.Graph()
    graph.add_nodes_from(sorted(group))
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    return graph
