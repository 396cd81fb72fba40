"""Mentions: every place a source record names a person or an enterprise.

A person record is one mention; a case names each of its parties; a credit event its
subject; a relation a person and an enterprise; an enterprise record itself and, when
given, its legal representative. Each mention becomes one row of resolver fields, so the
same resolver that reads CSV files resolves what the departments pushed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graph.entities import mention_id
from graph.records import (
    CanonicalRecord,
    CaseRecord,
    CreditEventRecord,
    EnterpriseRecord,
    Party,
    PersonRecord,
    RelationRecord,
)
from graph.vocabulary import PartyKind
from resolver.fields import Field
from resolver.frame import Kind


@dataclass(frozen=True)
class Mention:
    mention_id: str  # "source:source_id" or "source:source_id#slot"
    record_key: tuple[str, str]
    slot: str
    kind: Kind
    fields: dict[Field, str | None]


def _party_fields(party: Party) -> tuple[Kind, dict[Field, str | None]]:
    if party.kind is PartyKind.ENTERPRISE:
        return "enterprise", {Field.company_name: party.name, Field.credit_code: party.credit_code,
                              Field.phone: party.phone, Field.address: party.address}
    return "person", {Field.name: party.name, Field.id_number: party.id_number,
                      Field.phone: party.phone, Field.address: party.address}


def _slots(record: CanonicalRecord) -> Iterator[tuple[str, Kind, dict[Field, str | None]]]:
    if isinstance(record, PersonRecord):
        yield "", "person", {
            Field.name: record.name, Field.id_number: record.id_number,
            Field.phone: record.phone, Field.address: record.address,
            Field.sex: record.sex.value if record.sex else None,
            Field.birth_date: record.birth_date.isoformat() if record.birth_date else None}
    elif isinstance(record, EnterpriseRecord):
        yield "", "enterprise", {
            Field.company_name: record.name, Field.credit_code: record.credit_code,
            Field.phone: record.phone, Field.address: record.address}
        if record.legal_rep_name:
            yield "legal_rep", "person", {Field.name: record.legal_rep_name,
                                          Field.id_number: record.legal_rep_id_number}
    elif isinstance(record, CaseRecord):
        for k, party in enumerate(record.parties):
            yield (f"party{k}", *_party_fields(party))
    elif isinstance(record, CreditEventRecord):
        yield ("subject", *_party_fields(record.subject))
    elif isinstance(record, RelationRecord):
        yield ("person", *_party_fields(record.person))
        yield ("enterprise", *_party_fields(record.enterprise))


def mentions_of(record: CanonicalRecord) -> list[Mention]:
    source = record.source.value
    return [Mention(mention_id(source, record.source_id, slot), (source, record.source_id),
                    slot, kind, fields)
            for slot, kind, fields in _slots(record)]


PERSON_FIELDS = frozenset({Field.name, Field.id_number, Field.phone, Field.address, Field.sex,
                           Field.birth_date})
ENTERPRISE_FIELDS = frozenset({Field.company_name, Field.credit_code, Field.phone, Field.address})
