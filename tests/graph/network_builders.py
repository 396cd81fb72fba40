"""Small hand-made networks for analytics tests: records built in a line, resolved by a
dictionary instead of the resolver, facts normalised by the resolver's own normaliser."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from graph.entities import EntityKind
from graph.network import DisputeNetwork, NetworkChange
from graph.records import CaseRecord, CreditEventRecord, Party, PersonRecord, RelationRecord
from graph.store import StoredRecord
from graph.vocabulary import (
    CaseState,
    Channel,
    CreditEventType,
    Department,
    DisputeCategory,
    PartyKind,
    PartyRole,
    RelationType,
)
from resolver.fact_normaliser import ResolverFactNormaliser

AT = datetime(2026, 10, 1, 9, 0)
_seq = iter(range(1, 10**9))


def stored(record: object) -> StoredRecord:
    return StoredRecord(next(_seq), "hash", AT, record)  # type: ignore[arg-type]


def network() -> DisputeNetwork:
    return DisputeNetwork(ResolverFactNormaliser("574"))


def person(name: str, role: PartyRole = PartyRole.APPLICANT, id_number: str | None = None,
           phone: str | None = None) -> Party:
    return Party(role=role, kind=PartyKind.PERSON, name=name, id_number=id_number, phone=phone)


def company(name: str, role: PartyRole = PartyRole.RESPONDENT,
            credit_code: str | None = None) -> Party:
    return Party(role=role, kind=PartyKind.ENTERPRISE, name=name, credit_code=credit_code)


def case(source_id: str, parties: list[Party], *, filed: date = date(2026, 10, 1),
         closed: date | None = None, state: CaseState = CaseState.FILED,
         channel: Channel = Channel.LABOUR_ARBITRATION,
         category: DisputeCategory = DisputeCategory.WAGE_ARREARS,
         source: Department = Department.LABOUR_ARBITRATION, amount: str | None = None,
         escalated_from: str | None = None) -> CaseRecord:
    return CaseRecord(source=source, source_id=source_id, observed_at=AT, channel=channel,
                      category=category, state=state, filed_on=filed, closed_on=closed,
                      parties=tuple(parties), escalated_from=escalated_from,
                      amount_claimed=Decimal(amount) if amount else None)


def person_record(source_id: str, name: str, phone: str | None = None,
                  address: str | None = None, id_number: str | None = None) -> PersonRecord:
    return PersonRecord(source=Department.HOTLINE_81890, source_id=source_id, observed_at=AT,
                        name=name, phone=phone, address=address, id_number=id_number)


def relation(source_id: str, kind: RelationType, who: str, firm: str) -> RelationRecord:
    return RelationRecord(source=Department.MARKET_REGULATION, source_id=source_id,
                          observed_at=AT, relation_type=kind,
                          person=Party(kind=PartyKind.PERSON, name=who),
                          enterprise=Party(kind=PartyKind.ENTERPRISE, name=firm))


def credit(source_id: str, subject: Party, kind: CreditEventType, starts: date,
           expires: date | None = None) -> CreditEventRecord:
    return CreditEventRecord(source=Department.CREDIT_CENTRE, source_id=source_id,
                             observed_at=AT, event_type=kind, subject=subject,
                             starts_on=starts, expires_on=expires)


def add(net: DisputeNetwork, record: object, resolved: dict[str, str]) -> NetworkChange:
    """Add a record and resolve its mentions by `resolved` (slot or mention id → entity)."""
    change = net.add_record(stored(record))
    key = f"{record.source.value}:{record.source_id}"  # type: ignore[attr-defined]
    for slot, entity in resolved.items():
        mention = slot if ":" in slot else (f"{key}#{slot}" if slot else key)
        kind = EntityKind.ENTERPRISE if entity.startswith("E") else EntityKind.PERSON
        change.update(net.assign(mention, entity, kind))
    return change
