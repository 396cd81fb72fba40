"""The dispute network's facts: cases, credit events and corporate links over resolved entities.

Records name people and enterprises as mentions ("source:source_id#slot"); resolution says
which entity each mention is. `DisputeNetwork` keeps both sides — the facts the records
state and the mention → entity assignment — and indexes them by entity, so clusters, risk
and alerts read "the cases of this entity" without going back to the store, and a merge or
a newly resolved mention moves one index entry instead of forcing a rebuild.

Normalising identifiers is the resolver's job and `graph` may not import it, so the
builder takes a `FactNormaliser` (api/ wires the resolver's in).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from graph.entities import EntityKind, mention_id
from graph.records import (
    CanonicalRecord,
    CaseRecord,
    CreditEventRecord,
    EnterpriseRecord,
    Party,
    PersonRecord,
    RelationRecord,
)
from graph.store import ResolvingStore, StoredRecord
from graph.vocabulary import (
    CLOSED_STATES,
    CaseState,
    Channel,
    CreditEventType,
    DisputeCategory,
    PartyKind,
    PartyRole,
    RelationType,
)


class FactNormaliser(Protocol):
    """What the network needs from the resolver's normalisers."""

    def phone_keys(self, raw: str | None) -> tuple[str, ...]:
        """Canonical phone numbers that identify someone (service numbers left out)."""

    def address_key(self, raw: str | None) -> str | None:
        """A normalised address, or None when too vague to be shared evidence."""

    def person_id(self, raw: str | None) -> tuple[str | None, date | None]:
        """(full valid 18-digit ID or None when missing, masked or invalid; birth date)."""

    def credit_code(self, raw: str | None) -> str | None:
        """The unified social credit code when fully given, else None."""

    def company_group_key(self, name: str | None) -> str | None:
        """A key that a company and its branches share (the parent's name key)."""


@dataclass(frozen=True, slots=True)
class MentionFacts:
    """What one mention says about its entity beyond the record it sits in."""

    mention_id: str
    kind: EntityKind
    name: str
    identifier: str | None  # full valid ID number or credit code
    birth_date: date | None
    phones: tuple[str, ...] = ()
    address: str | None = None
    company_group: str | None = None


@dataclass(frozen=True, slots=True)
class CaseParty:
    mention_id: str
    role: PartyRole
    kind: EntityKind


@dataclass(frozen=True, slots=True)
class CaseFact:
    key: str  # "source:source_id"
    source: str
    source_id: str
    channel: Channel
    category: DisputeCategory
    state: CaseState
    filed_on: date
    closed_on: date | None
    amount: float | None
    cause: str | None
    summary: str | None
    escalated_from: str | None  # the earlier case's number, as the source wrote it
    parties: tuple[CaseParty, ...]
    observed_at: datetime

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES

    @property
    def closed_day(self) -> date | None:
        """When the case closed: its closing day, else — for a case in a closed state whose
        record gives none — the day the department last reported it; None while open."""
        if self.is_open:
            return None
        return self.closed_on or self.observed_at.date()

    def open_on(self, day: date) -> bool:
        """Not yet closed on `day`."""
        closed = self.closed_day
        return closed is None or closed > day

    def last_activity(self) -> date:
        return self.closed_day or self.filed_on


@dataclass(frozen=True, slots=True)
class CreditFact:
    key: str
    source: str
    event_type: CreditEventType
    mention_id: str
    kind: EntityKind
    starts_on: date
    expires_on: date | None
    reason: str | None
    case_number: str | None

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.expires_on is None or day < self.expires_on)


@dataclass(frozen=True, slots=True)
class CorporateLink:
    key: str
    relation: RelationType
    person_mention: str
    enterprise_mention: str
    starts_on: date | None
    ends_on: date | None

    def active_on(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day <= self.ends_on)


@dataclass
class NetworkChange:
    """What one update touched, for incremental clusters and alert evaluation."""

    cases: set[str] = field(default_factory=set)
    credits: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)

    def update(self, other: NetworkChange) -> None:
        self.cases |= other.cases
        self.credits |= other.credits
        self.links |= other.links
        self.entities |= other.entities

    def __bool__(self) -> bool:
        return bool(self.cases or self.credits or self.links or self.entities)


_ENTITY_KIND = {PartyKind.PERSON: EntityKind.PERSON, PartyKind.ENTERPRISE: EntityKind.ENTERPRISE}


class DisputeNetwork:
    """Facts from records, the mention → entity assignment, and indexes by entity."""

    def __init__(self, normaliser: FactNormaliser) -> None:
        self.normaliser = normaliser
        self.cases: dict[str, CaseFact] = {}
        self.credits: dict[str, CreditFact] = {}
        self.links: dict[str, CorporateLink] = {}
        self.mentions: dict[str, MentionFacts] = {}
        self.cases_by_number: dict[str, list[str]] = defaultdict(list)
        # number → keys of the cases that say they continue it (escalated_from)
        self._continued_by: dict[str, set[str]] = {}
        self._entity_of: dict[str, str] = {}
        self._members: dict[str, set[str]] = defaultdict(set)
        self._entity_kind: dict[str, EntityKind] = {}
        # mention → the case, credit event or link it appears in (a record key + slot)
        self._mention_case: dict[str, str] = {}
        self._mention_credit: dict[str, str] = {}
        self._mention_links: dict[str, set[str]] = defaultdict(set)
        self._record_mentions: dict[str, tuple[str, ...]] = {}
        self._group_mentions: dict[str, set[str]] = defaultdict(set)

    # --- building -------------------------------------------------------------------

    def add_record(self, stored: StoredRecord) -> NetworkChange:
        """Take in the latest version of a record (replacing an earlier version's facts)."""
        record = stored.record
        key = f"{record.source.value}:{record.source_id}"
        change = self._forget_record(key)
        mentions = list(self._mentions_of(record))
        for facts in mentions:
            self.mentions[facts.mention_id] = facts
            if facts.company_group:
                self._group_mentions[facts.company_group].add(facts.mention_id)
        self._record_mentions[key] = tuple(m.mention_id for m in mentions)
        if isinstance(record, CaseRecord):
            self._add_case(key, record)
            change.cases.add(key)
        elif isinstance(record, CreditEventRecord):
            self._add_credit(key, record)
            change.credits.add(key)
        elif isinstance(record, RelationRecord):
            self._add_link(CorporateLink(
                key, record.relation_type, mention_id(record.source.value, record.source_id,
                                                      "person"),
                mention_id(record.source.value, record.source_id, "enterprise"),
                record.starts_on, record.ends_on))
            change.links.add(key)
        elif isinstance(record, EnterpriseRecord) and record.legal_rep_name:
            link_key = f"{key}#legal_rep"
            self._add_link(CorporateLink(
                link_key, RelationType.LEGAL_REPRESENTATIVE,
                mention_id(record.source.value, record.source_id, "legal_rep"),
                mention_id(record.source.value, record.source_id, ""), None, None))
            change.links.add(link_key)
        change.entities |= {e for m in self._record_mentions[key]
                            if (e := self._entity_of.get(m)) is not None}
        return change

    def assign(self, mention: str, entity_id: str, kind: EntityKind) -> NetworkChange:
        """Record that `mention` resolved to `entity_id` (moving it from where it was)."""
        # The store hands out a new string each time: interned, every index shares one.
        mention, entity_id = sys.intern(mention), sys.intern(entity_id)
        change = NetworkChange()
        previous = self._entity_of.get(mention)
        if previous == entity_id:
            return change
        if previous is not None:
            self._drop_member(previous, mention)
            change.entities.add(previous)
        self._entity_of[mention] = entity_id
        self._members[entity_id].add(mention)
        self._entity_kind[entity_id] = kind
        change.entities.add(entity_id)
        self._note_mention(mention, change)
        return change

    def merge(self, absorbed: str, survivor: str) -> NetworkChange:
        """Every mention of `absorbed` now belongs to `survivor`."""
        change = NetworkChange()
        kind = self._entity_kind.get(absorbed) or self._entity_kind.get(survivor)
        if kind is None:
            return change
        for mention in list(self._members.get(absorbed, ())):
            change.update(self.assign(mention, survivor, kind))
        return change

    def assign_all(self, assignments: dict[str, str], kind: EntityKind) -> None:
        for mention, entity_id in assignments.items():
            self.assign(mention, entity_id, kind)

    # --- reading --------------------------------------------------------------------

    def entity_of(self, mention: str) -> str | None:
        return self._entity_of.get(mention)

    def members(self, entity_id: str) -> set[str]:
        return set(self._members.get(entity_id, ()))

    def kind_of(self, entity_id: str) -> EntityKind | None:
        return self._entity_kind.get(entity_id)

    def entities(self) -> Iterator[str]:
        return (e for e, members in self._members.items() if members)

    def cases_of(self, entity_id: str) -> list[tuple[CaseFact, PartyRole]]:
        """The cases an entity is party to, with its role in each (one row per case and
        role, even when several of its mentions sit in one case)."""
        seen: set[tuple[str, PartyRole]] = set()
        out: list[tuple[CaseFact, PartyRole]] = []
        for mention in self._members.get(entity_id, ()):
            case_key = self._mention_case.get(mention)
            if case_key is None:
                continue
            case = self.cases[case_key]
            role = next(p.role for p in case.parties if p.mention_id == mention)
            if (case_key, role) not in seen:
                seen.add((case_key, role))
                out.append((case, role))
        out.sort(key=lambda item: (item[0].filed_on, item[0].key, item[1].value))
        return out

    def case_keys_of(self, entity_id: str) -> set[str]:
        """The keys of the cases an entity is party to (cheaper than `cases_of`)."""
        mention_case = self._mention_case
        return {mention_case[m] for m in self._members.get(entity_id, ()) if m in mention_case}

    def case_entities(self, case: CaseFact) -> list[tuple[str, PartyRole]]:
        """(entity, role) for each resolved party of a case, distinct."""
        out: list[tuple[str, PartyRole]] = []
        for party in case.parties:
            entity_id = self._entity_of.get(party.mention_id)
            if entity_id is not None and (entity_id, party.role) not in out:
                out.append((entity_id, party.role))
        return out

    def credits_of(self, entity_id: str) -> list[CreditFact]:
        keys = {self._mention_credit[m] for m in self._members.get(entity_id, ())
                if m in self._mention_credit}
        return sorted((self.credits[k] for k in keys), key=lambda c: (c.starts_on, c.key))

    def links_of(self, entity_id: str) -> list[tuple[CorporateLink, str]]:
        """Corporate links of an entity with the entity at the other end (resolved)."""
        out: dict[tuple[str, str], tuple[CorporateLink, str]] = {}
        # Sorted, so the link kept for each (relation, entity) does not depend on the order
        # mentions were resolved in (which differs between stores).
        for mention in sorted(self._members.get(entity_id, ())):
            for link_key in sorted(self._mention_links.get(mention, ())):
                link = self.links[link_key]
                other_mention = (link.enterprise_mention if mention == link.person_mention
                                 else link.person_mention)
                other = self._entity_of.get(other_mention)
                if other is not None and other != entity_id:
                    out.setdefault((link.relation.value, other), (link, other))
        return sorted(out.values(), key=lambda item: (item[0].relation.value, item[1]))

    def facts_of(self, entity_id: str) -> list[MentionFacts]:
        return [self.mentions[m] for m in sorted(self._members.get(entity_id, ()))
                if m in self.mentions]

    def identifier_of(self, entity_id: str) -> str | None:
        """The entity's strong identifier (ID number or credit code), when any mention
        carries one in full."""
        ids = sorted({f.identifier for f in self.facts_of(entity_id) if f.identifier})
        return ids[0] if ids else None

    def birth_date_of(self, entity_id: str) -> date | None:
        dates = sorted({f.birth_date for f in self.facts_of(entity_id) if f.birth_date})
        return dates[0] if dates else None

    def name_of(self, entity_id: str) -> str:
        names = [f.name for f in self.facts_of(entity_id)]
        if not names:
            return entity_id
        return max(sorted(set(names)), key=names.count)

    def group_peers(self, entity_id: str) -> set[str]:
        """Enterprises whose names say they are this one's parent, branch or sibling branch
        (they share a company group key), itself included."""
        keys = {facts.company_group for m in self._members.get(entity_id, ())
                if (facts := self.mentions.get(m)) is not None and facts.company_group}
        peers = {entity_id}
        for key in keys:
            peers |= {e for m in self._group_mentions.get(key, ())
                      if (e := self._entity_of.get(m)) is not None}
        return peers

    def continuations(self, case_key: str) -> set[str]:
        """Keys of the cases that name this one's number as the case they continue (its
        arrival or change moves their escalation, wherever their parties are)."""
        number = case_key.partition(":")[2]
        return set(self._continued_by.get(number, ()))

    def escalation_source(self, case: CaseFact) -> CaseFact | None:
        """The earlier case a case continues, found by its number in any department."""
        if not case.escalated_from:
            return None
        for key in self.cases_by_number.get(case.escalated_from, ()):
            if key != case.key:
                return self.cases[key]
        return None

    # --- internals ------------------------------------------------------------------

    def _note_mention(self, mention: str, change: NetworkChange) -> None:
        if (case_key := self._mention_case.get(mention)) is not None:
            change.cases.add(case_key)
        if (credit_key := self._mention_credit.get(mention)) is not None:
            change.credits.add(credit_key)
        change.links |= self._mention_links.get(mention, set())

    def _drop_member(self, entity_id: str, mention: str) -> None:
        members = self._members.get(entity_id)
        if members is not None:
            members.discard(mention)
            if not members:
                del self._members[entity_id]

    def _forget_record(self, key: str) -> NetworkChange:
        change = NetworkChange()
        old = self.cases.pop(key, None)
        if old is not None:
            change.cases.add(key)
            numbers = self.cases_by_number.get(old.source_id, [])
            if key in numbers:
                numbers.remove(key)
            if old.escalated_from:
                continued = self._continued_by[old.escalated_from]
                continued.discard(key)
                if not continued:
                    del self._continued_by[old.escalated_from]
        if self.credits.pop(key, None) is not None:
            change.credits.add(key)
        for link_key in (key, f"{key}#legal_rep"):
            link = self.links.pop(link_key, None)
            if link is not None:
                change.links.add(link_key)
                for m in (link.person_mention, link.enterprise_mention):
                    self._mention_links[m].discard(link_key)
        for m in self._record_mentions.pop(key, ()):
            self._mention_case.pop(m, None)
            self._mention_credit.pop(m, None)
            facts = self.mentions.pop(m, None)
            if facts is not None and facts.company_group:
                self._group_mentions[facts.company_group].discard(m)
        return change

    def _add_case(self, key: str, record: CaseRecord) -> None:
        source = record.source.value
        parties = tuple(
            CaseParty(mention_id(source, record.source_id, f"party{k}"),
                      party.role or PartyRole.THIRD_PARTY, _ENTITY_KIND[party.kind])
            for k, party in enumerate(record.parties))
        self.cases[key] = CaseFact(
            key=key, source=source, source_id=record.source_id, channel=record.channel,
            category=record.category, state=record.state, filed_on=record.filed_on,
            closed_on=record.closed_on,
            amount=float(record.amount_claimed) if record.amount_claimed is not None else None,
            cause=record.cause, summary=record.summary, escalated_from=record.escalated_from,
            parties=parties, observed_at=record.observed_at)
        self.cases_by_number[record.source_id].append(key)
        if record.escalated_from:
            self._continued_by.setdefault(record.escalated_from, set()).add(key)
        for party in parties:
            self._mention_case[party.mention_id] = key

    def _add_credit(self, key: str, record: CreditEventRecord) -> None:
        subject = mention_id(record.source.value, record.source_id, "subject")
        self.credits[key] = CreditFact(
            key=key, source=record.source.value, event_type=record.event_type,
            mention_id=subject, kind=_ENTITY_KIND[record.subject.kind],
            starts_on=record.starts_on, expires_on=record.expires_on, reason=record.reason,
            case_number=record.case_number)
        self._mention_credit[subject] = key

    def _add_link(self, link: CorporateLink) -> None:
        self.links[link.key] = link
        self._mention_links[link.person_mention].add(link.key)
        self._mention_links[link.enterprise_mention].add(link.key)

    def _mentions_of(self, record: CanonicalRecord) -> Iterator[MentionFacts]:
        source, source_id = record.source.value, record.source_id
        if isinstance(record, PersonRecord):
            identifier, born = self.normaliser.person_id(record.id_number)
            yield MentionFacts(
                mention_id(source, source_id, ""), EntityKind.PERSON, record.name, identifier,
                born or record.birth_date, self.normaliser.phone_keys(record.phone),
                self.normaliser.address_key(record.address))
        elif isinstance(record, EnterpriseRecord):
            yield MentionFacts(
                mention_id(source, source_id, ""), EntityKind.ENTERPRISE, record.name,
                self.normaliser.credit_code(record.credit_code), None,
                self.normaliser.phone_keys(record.phone),
                self.normaliser.address_key(record.address),
                self.normaliser.company_group_key(record.name))
            if record.legal_rep_name:
                identifier, born = self.normaliser.person_id(record.legal_rep_id_number)
                yield MentionFacts(mention_id(source, source_id, "legal_rep"),
                                   EntityKind.PERSON, record.legal_rep_name, identifier, born)
        elif isinstance(record, CaseRecord):
            for k, party in enumerate(record.parties):
                yield self._party_facts(mention_id(source, source_id, f"party{k}"), party)
        elif isinstance(record, CreditEventRecord):
            yield self._party_facts(mention_id(source, source_id, "subject"), record.subject)
        elif isinstance(record, RelationRecord):
            yield self._party_facts(mention_id(source, source_id, "person"), record.person)
            yield self._party_facts(mention_id(source, source_id, "enterprise"),
                                    record.enterprise)

    def _party_facts(self, mention: str, party: Party) -> MentionFacts:
        phones = self.normaliser.phone_keys(party.phone)
        address = self.normaliser.address_key(party.address)
        if party.kind is PartyKind.ENTERPRISE:
            return MentionFacts(mention, EntityKind.ENTERPRISE, party.name,
                                self.normaliser.credit_code(party.credit_code), None, phones,
                                address, self.normaliser.company_group_key(party.name))
        identifier, born = self.normaliser.person_id(party.id_number)
        return MentionFacts(mention, EntityKind.PERSON, party.name, identifier, born, phones,
                            address)


def build_network(store: ResolvingStore, normaliser: FactNormaliser,
                  records: Iterable[StoredRecord] | None = None) -> DisputeNetwork:
    """The whole network from a store: every record's latest version and every resolved
    mention (`records` instead of the store's, when the caller already holds them)."""
    network = DisputeNetwork(normaliser)
    for stored in records if records is not None else store.iter_records():
        network.add_record(stored)
    for kind in EntityKind:
        network.assign_all(store.mention_assignments(kind), kind)
    return network
