"""A small dispute network built by hand for alert-rule tests: records as departments send
them, each party's mention assigned to the entity the test names (as resolution would)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from graph.alert_config import AlertConfig, load_alert_config
from graph.alert_rules import ClusterMembers, evaluate
from graph.alerts import Finding
from graph.entities import EntityKind
from graph.network import DisputeNetwork, NetworkChange
from graph.records import (
    CanonicalRecord,
    CaseRecord,
    CreditEventRecord,
    EnterpriseRecord,
    Party,
    PersonRecord,
    RelationRecord,
)
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
from resolver.identifiers import id_check_digit, uscc_check_char

AS_OF = date(2026, 11, 1)
_ZIHAO = "康成宏昌启天博和鑫诚海兴通源新达港腾泰达盛丰众越诚通甬越兴航"


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def id_number(n: int, born: date = date(1980, 5, 17)) -> str:
    body = f"330203{born:%Y%m%d}{n % 1000:03d}"
    return body + id_check_digit(body)


def credit_code(n: int) -> str:
    body = f"91330203MA2{n:06d}"
    return body + uscc_check_char(body)


class Scene:
    """Entities are named "P1", "E2"...: P for people, E for enterprises."""

    def __init__(self) -> None:
        self.network = DisputeNetwork(ResolverFactNormaliser())
        self.config: AlertConfig = load_alert_config()
        self._seq = 0
        self.change = NetworkChange()

    def name(self, entity: str) -> str:
        n = int(entity[1:])
        if entity.startswith("P"):
            return f"张{'伟芳敏军强磊洋勇艳杰娟涛明超秀霞平刚桂英'[n % 20]}{n}"
        return f"宁波{_ZIHAO[(2 * n) % len(_ZIHAO)]}{_ZIHAO[(2 * n + 1) % len(_ZIHAO)]}建设有限公司"

    def party(self, entity: str, role: PartyRole | None = None) -> Party:
        if entity.startswith("P"):
            return Party(role=role, kind=PartyKind.PERSON, name=self.name(entity))
        return Party(role=role, kind=PartyKind.ENTERPRISE, name=self.name(entity))

    def case(self, filed: date, applicants: list[str], respondents: list[str], *,
             channel: Channel = Channel.LABOUR_ARBITRATION,
             category: DisputeCategory = DisputeCategory.WAGE_ARREARS,
             state: CaseState = CaseState.ACCEPTED, closed: date | None = None,
             amount: int | None = None, summary: str | None = None,
             escalated_from: str | None = None, source: Department = Department.LABOUR_ARBITRATION
             ) -> str:
        parties = [self.party(a, PartyRole.APPLICANT) for a in applicants] + [
            self.party(r, PartyRole.RESPONDENT) for r in respondents]
        source_id = f"案{self._next()}"
        record = CaseRecord(
            source=source, source_id=source_id, observed_at=datetime(2026, 11, 1, tzinfo=UTC),
            channel=channel, category=category, state=state, filed_on=filed, closed_on=closed,
            amount_claimed=Decimal(amount) if amount is not None else None, summary=summary,
            parties=tuple(parties), escalated_from=escalated_from)
        self._add(record, [(f"party{k}", e) for k, e in enumerate(applicants + respondents)])
        return source_id

    def credit(self, entity: str, starts: date, *, expires: date | None = None,
               event_type: CreditEventType = CreditEventType.DISHONEST_DEBTOR,
               identified: bool = True, known: bool = True, born: date = date(1980, 5, 17)
               ) -> None:
        """A listing of `entity`; `known`: another record (a registration) carries the same
        identifier, as an identifier match needs."""
        n = int(entity[1:])
        if identified and known:
            self.register(entity, born)
        if entity.startswith("P"):
            subject = Party(kind=PartyKind.PERSON, name=self.name(entity),
                            id_number=id_number(n, born) if identified else None)
        else:
            subject = Party(kind=PartyKind.ENTERPRISE, name=self.name(entity),
                            credit_code=credit_code(n) if identified else None)
        record = CreditEventRecord(
            source=Department.COURT, source_id=f"SX{self._next()}",
            observed_at=datetime(2026, 11, 1, tzinfo=UTC), event_type=event_type,
            subject=subject, starts_on=starts, expires_on=expires)
        self._add(record, [("subject", entity)])

    def register(self, entity: str, born: date = date(1980, 5, 17)) -> None:
        """A registration record naming the entity by its full identifier."""
        n = int(entity[1:])
        record: CanonicalRecord
        if entity.startswith("P"):
            record = PersonRecord(
                source=Department.TRAFFIC_POLICE, source_id=f"RG{self._next()}",
                observed_at=datetime(2026, 11, 1, tzinfo=UTC), name=self.name(entity),
                id_number=id_number(n, born))
        else:
            record = EnterpriseRecord(
                source=Department.MARKET_REGULATION, source_id=f"RG{self._next()}",
                observed_at=datetime(2026, 11, 1, tzinfo=UTC), name=self.name(entity),
                credit_code=credit_code(n))
        self._add(record, [("", entity)])

    def legal_rep(self, person: str, enterprise: str, ended: date | None = None) -> None:
        record = RelationRecord(
            source=Department.MARKET_REGULATION, source_id=f"FR{self._next()}",
            observed_at=datetime(2026, 11, 1, tzinfo=UTC),
            relation_type=RelationType.LEGAL_REPRESENTATIVE, person=self.party(person),
            enterprise=self.party(enterprise), starts_on=date(2015, 1, 1), ends_on=ended)
        self._add(record, [("person", person), ("enterprise", enterprise)])

    def branch(self, parent: str, branch: str) -> None:
        """Registers `branch` as "<parent's name>海曙分公司"."""
        record = EnterpriseRecord(
            source=Department.MARKET_REGULATION, source_id=f"EN{self._next()}",
            observed_at=datetime(2026, 11, 1, tzinfo=UTC),
            name=self.name(parent) + "海曙分公司")
        self._add(record, [("", branch)])

    def findings(self, rule: str | None = None, clusters: list[ClusterMembers] | None = None,
                 touched: set[str] | None = None) -> list[Finding]:
        found = evaluate(self.network, self.config, AS_OF, clusters or [], touched)
        return [f for f in found if rule is None or f.rule == rule]

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _add(self, record: CanonicalRecord, slots: list[tuple[str, str]]) -> None:
        stored = StoredRecord(self._seq, f"h{self._seq}", datetime(2026, 11, 1, tzinfo=UTC),
                              record)
        self.change.update(self.network.add_record(stored))
        for slot, entity in slots:
            mention = f"{record.source.value}:{record.source_id}" + (f"#{slot}" if slot else "")
            kind = EntityKind.PERSON if entity.startswith("P") else EntityKind.ENTERPRISE
            self.change.update(self.network.assign(mention, entity, kind))
