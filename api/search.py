"""Finding entities by name, ID number, phone or company name.

Candidates come from the store's blocking-key index (`mention_candidates`), with the keys
the resolver itself would give a record holding only the searched fields: an ID number
finds its exact canonical form and, through the region + last-four key, near misses; a
phone its normalised numbers; a company name its region-free, trade-name and sound keys; a
person's name its normalised form (traditional → simplified, spacing, full-width). Each
candidate is then ranked by how closely its values agree with the query, field by field.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from graph.entities import EntityKind, MentionLink
from graph.store import ResolvingStore
from resolver.blocking import record_keys, rules_with_columns
from resolver.fields import Field
from resolver.frame import compact_id, simple_text
from resolver.mentions import Mention
from resolver.person_names import parse_person_name
from resolver.phones import identity_phones
from resolver.store_resolution import mention_frame, tf_keys

CANDIDATES_PER_KEY = 200


@dataclass(frozen=True)
class SearchQuery:
    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    company_name: str | None = None

    def fields(self, kind: EntityKind) -> dict[Field, str | None]:
        if kind is EntityKind.PERSON:
            found = {Field.name: self.name, Field.id_number: self.id_number,
                     Field.phone: self.phone}
        else:
            found = {Field.company_name: self.company_name or self.name, Field.phone: self.phone}
        return {f: v for f, v in found.items() if v}


@dataclass(frozen=True)
class Hit:
    entity_id: str
    kind: EntityKind
    score: float
    mention: MentionLink  # the entity's mention that agreed best


def search_entities(store: ResolvingStore, query: SearchQuery, kinds: list[EntityKind],
                    default_area: str | None) -> list[Hit]:
    """Entities ranked by agreement with the query, best first (ties by entity id)."""
    best: dict[str, Hit] = {}
    for kind in kinds:
        fields = query.fields(kind)
        if not fields:
            continue
        probe = Mention("query", ("", ""), "", kind.value, fields)
        frame = mention_frame(kind, [probe], default_area)
        keys = record_keys(frame, 0, rules_with_columns(frame)) + tf_keys(frame, 0)
        for link in store.mention_candidates(kind, keys, CANDIDATES_PER_KEY):
            score = _agreement(fields, link.fields, default_area)
            held = best.get(link.entity_id)
            if score > 0 and (held is None or score > held.score):
                best[link.entity_id] = Hit(link.entity_id, kind, round(score, 4), link)
    return sorted(best.values(), key=lambda h: (-h.score, h.entity_id))


def _agreement(query: dict[Field, str | None], found: dict[str, str | None],
               default_area: str | None) -> float:
    scores = [_similarity(f, q, found.get(f.value), default_area) for f, q in query.items()]
    return sum(scores) / len(scores) if scores else 0.0


def _similarity(field: Field, query: str | None, value: str | None, area: str | None) -> float:
    if not query or not value:
        return 0.0
    if field is Field.phone:
        mine, theirs = set(identity_phones(query, area)), set(identity_phones(value, area))
        return 1.0 if mine & theirs else 0.0
    if field is Field.id_number:
        a, b = compact_id(query), compact_id(value)
        return 1.0 if a == b else fuzz.ratio(a or "", b or "") / 100 * 0.8
    if field is Field.name:
        left, right = parse_person_name(query), parse_person_name(value)
        if left is None or right is None:
            return 0.0
        if left.key == right.key:
            return 1.0
        return max(fuzz.ratio(left.key, right.key),
                   fuzz.ratio(left.pinyin, right.pinyin)) / 100 * 0.9
    a, b = simple_text(query) or "", simple_text(value) or ""
    return 1.0 if a == b else fuzz.ratio(a, b) / 100 * 0.9
