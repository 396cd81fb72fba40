"""Planted scenarios: patterns the alert rules (domain-china §6.4) must find, and controls
they must not fire on.

Every entity a scenario uses is made "quiet": background cases never touch it, so what the
alert rules see around it is exactly what the scenario planted. Dates are fixed relative
to the reference date, so "the last seven days" is the same on every run.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from graph.vocabulary import CaseState, CreditEventType, Department, DisputeCategory, PartyRole
from loaders.generator.clock import days_ago
from loaders.generator.companies import Enterprise, Enterprises
from loaders.generator.listings import Listing
from loaders.generator.matters import Entity, Involved, Matter, applicant, respondent
from loaders.generator.population import Person, Population, make_namesake
from loaders.generator.registry import Registry

C = DisputeCategory
S = CaseState
D = Department


class TooSmall(Exception):
    """The population has too few suitable people or firms left for a scenario."""


@dataclass
class Scenario:
    name: str
    rule: str  # the rule it exercises
    expected_alert: str | None  # None for a control: the rule must stay silent
    expected_level: str | None
    description: str
    focus: list[Entity]
    members: list[Entity]
    window: tuple[date, date]
    matters: list[Matter] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rule": self.rule,
            "expected_alert": self.expected_alert,
            "expected_level": self.expected_level,
            "description": self.description,
            "focus": [e.entity_id for e in self.focus],
            "members": [e.entity_id for e in self.members],
            "window": {"from": self.window[0].isoformat(), "to": self.window[1].isoformat()},
            "cases": [{"source": m.source, "source_id": m.source_id} for m in self.matters],
            "credit_events": [{"source": s, "source_id": i}
                              for listing in self.listings for s, i in listing.records],
        }


@dataclass
class ScenarioPlan:
    scenarios: list[Scenario]

    def matters_for(self, department: Department) -> list[Matter]:
        return [m for s in self.scenarios for m in s.matters if m.source == department.value]

    def listings(self) -> list[Listing]:
        return [listing for s in self.scenarios for listing in s.listings]


class _Picker:
    """Hands out people no scenario has used yet, and marks them quiet."""

    def __init__(self, population: Population, enterprises: Enterprises, registry: Registry,
                 rng: random.Random) -> None:
        self.population = population
        self.registry = registry
        self.rng = rng
        # People running firms carry credit and corporate links a scenario must not inherit.
        self.office_holders = {e.legal_rep for e in enterprises.items} | {
            holder for e in enterprises.items for holder, _ in e.shareholders}

    def adults(self, count: int, low: int = 22, high: int = 60) -> list[Person]:
        """`count` Han adults aged `low`..`high` from different households, none used yet."""
        candidates = [p for p in self.population.persons
                      if low <= p.age <= high and self._free(p) and p.ethnicity == "han"]
        self.rng.shuffle(candidates)
        return self._take(candidates, count)

    def neighbours(self, count: int) -> list[Person]:
        """`count` adults from different households of one compound (the fullest one)."""
        compounds = self.population.compounds
        fullest = max(range(len(compounds)), key=lambda c: len(compounds[c]))
        members = [self.population.persons[i] for i in compounds[fullest]]
        candidates = [p for p in members if not p.is_minor and self._free(p)]
        self.rng.shuffle(candidates)
        return self._take(candidates, count)

    def _free(self, person: Person) -> bool:
        return (person.index not in self.registry.quiet_persons
                and person.index not in self.office_holders)

    def _take(self, candidates: list[Person], count: int) -> list[Person]:
        chosen: list[Person] = []
        households: set[int] = set()
        for candidate in candidates:
            if candidate.household not in households:
                chosen.append(candidate)
                households.add(candidate.household)
            if len(chosen) == count:
                for person in chosen:
                    self.quiet(person)
                return chosen
        raise TooSmall(f"{count} suitable people wanted, {len(chosen)} found")

    def company(self, enterprises: Enterprises) -> Enterprise:
        """An ordinary active company no scenario has used: a counterparty."""
        candidates = [e for e in enterprises.items
                      if e.form == "company" and e.active and e.in_area and not e.role
                      and e.index not in self.registry.quiet_enterprises]
        if not candidates:
            raise TooSmall("no ordinary company left")
        company = self.rng.choice(candidates)
        self.quiet(company)
        return company

    def quiet(self, entity: Entity) -> None:
        if isinstance(entity, Person):
            self.registry.quiet_persons.add(entity.index)
        else:
            self.registry.quiet_enterprises.add(entity.index)


def _employ(worker: Person, employer: Enterprise, rng: random.Random) -> None:
    """Move `worker` to `employer`; the job they had becomes their former one."""
    hired = max(employer.registered_on, days_ago(rng.randint(200, 1500)))
    previous, since = worker.employer, worker.hired_on
    worker.former_employer = worker.former_hired_on = worker.former_left_on = None
    if previous is not None and since is not None and since < hired - timedelta(days=30):
        worker.former_employer, worker.former_hired_on = previous, since
        worker.former_left_on = hired - timedelta(days=1)
    worker.employer, worker.hired_on = employer.index, hired


def _case(source: Department, category: DisputeCategory, day: date, parties: list[Involved],
          state: CaseState, *, amount: int | None = None, summary: str = "",
          closed_on: date | None = None, extra: dict[str, str] | None = None) -> Matter:
    return Matter(category=category, filed_on=day, parties=parties, amount=amount,
                  summary=summary, state=state, closed_on=closed_on, source=source.value,
                  extra=extra or {})


def _collective_wage_arrears(pick: _Picker, ents: Enterprises, rng: random.Random) -> Scenario:
    employer = ents.by_role["r1_employer"]
    branch = ents.by_role.get("r1_branch", employer)
    workers = pick.adults(12, 22, 55)
    for n, worker in enumerate(workers):
        _employ(worker, branch if n >= 9 else employer, rng)
    start = days_ago(27)
    day = [start + timedelta(days=d) for d in (0, 1, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11)]
    amounts = [rng.randint(90, 180) * 100 for _ in workers]

    def text(n: int) -> str:
        months = rng.randint(2, 4)
        return f"{employer.zihao}公司拖欠{months}个月工资共计{amounts[n]}元，工地已停工。"

    matters = [
        _case(D.LABOUR_ARBITRATION, C.WAGE_ARREARS, day[n], [applicant(workers[n]),
              respondent(employer)], S.ACCEPTED if n < 3 else S.FILED, amount=amounts[n],
              summary=text(n))
        for n in range(6)
    ]
    for n in range(4, 9):
        target = respondent(employer)
        if n == 8:
            # A branch worker names the head company: the record says the parent's name.
            target = Involved(PartyRole.RESPONDENT, branch, as_parent=True)
        matters.append(_case(D.HOTLINE_81890, C.WAGE_ARREARS, day[n] + timedelta(days=1),
                             [applicant(workers[n]), target], S.DISPATCHED, summary=text(n)))
    matters.append(_case(D.PETITION_OFFICE, C.WAGE_ARREARS, day[11],
                         [applicant(w) for w in workers[9:12]] + [respondent(employer)],
                         S.REGISTERED, amount=sum(amounts[9:12]),
                         summary=f"{len(workers[9:12])}名工人联名反映" + text(9),
                         extra={"form": "来访"}))
    matters.append(_case(D.PETITION_OFFICE, C.WAGE_ARREARS, day[10],
                         [applicant(workers[0]), respondent(employer)], S.ACCEPTED,
                         amount=amounts[0], summary=text(0), extra={"form": "网上信访"}))
    # Worker 3 also went to arbitration; nobody files twice through complaint channels,
    # which would make this a repeat petition (R4) as well.
    matters.append(_case(D.PEOPLES_MEDIATION, C.WAGE_ARREARS, day[9],
                         [applicant(workers[3]), respondent(branch)], S.IN_MEDIATION,
                         amount=amounts[3], summary=text(3)))
    pick.quiet(employer)
    pick.quiet(branch)
    return Scenario(
        name="R1_collective_wage_arrears", rule="R1", expected_alert="R1", expected_level="red",
        description=("12 workers of one employer and its branch claim unpaid wages within 12 "
                     "days through labour arbitration, the 81890 hotline, petitions and "
                     "mediation; arrears exceed the ¥100,000 crime threshold"),
        focus=[employer], members=[employer, branch, *workers],
        window=(day[0], day[-1] + timedelta(days=1)), matters=matters,
    )


def _repeat_petition(pick: _Picker, ents: Enterprises, rng: random.Random) -> Scenario:
    developer = ents.by_role["r4_developer"]
    petitioner = pick.adults(1, 45, 70)[0]
    area = rng.randint(60, 140)
    matter_text = (f"反映{developer.zihao}地块征地拆迁补偿标准过低，"
                   f"房屋{area}平方米仅按旧标准补偿，要求按市场价重新评估")
    parties = [applicant(petitioner), respondent(developer)]
    matters = [
        _case(D.PETITION_OFFICE, C.LAND_REQUISITION, days_ago(236), parties, S.CLOSED,
              closed_on=days_ago(177), summary=matter_text + "。", extra={"form": "来访"}),
        _case(D.PEOPLES_MEDIATION, C.LAND_REQUISITION, days_ago(203), parties, S.FAILED,
              closed_on=days_ago(183), summary=matter_text + "，调解未果。"),
        _case(D.PETITION_OFFICE, C.LAND_REQUISITION, days_ago(139), parties, S.REVIEW,
              summary="对答复意见不服，再次" + matter_text + "。", extra={"form": "来信"}),
        _case(D.HOTLINE_81890, C.LAND_REQUISITION, days_ago(122), parties, S.CLOSED,
              closed_on=days_ago(117), summary="来电" + matter_text + "。"),
        _case(D.PETITION_OFFICE, C.LAND_REQUISITION, days_ago(42), parties, S.REGISTERED,
              summary="信访事项已终结后仍" + matter_text + "。", extra={"form": "来访"}),
        _case(D.HOTLINE_81890, C.LAND_REQUISITION, days_ago(24), parties, S.REPLIED,
              summary="再次来电" + matter_text + "。"),
    ]
    pick.quiet(developer)
    return Scenario(
        name="R4_repeat_petition", rule="R4", expected_alert="R4", expected_level="red",
        description=("one person raises the same land-requisition compensation matter against "
                     "the same developer four times by petition and hotline (and once in "
                     "mediation), again after the petition was closed (终结)"),
        focus=[petitioner], members=[petitioner, developer],
        window=(days_ago(236), days_ago(24)), matters=matters,
    )


def _mediation_to_litigation(pick: _Picker, rng: random.Random) -> Scenario:
    lender, borrower = pick.adults(2, 30, 65)
    amount = rng.randint(50, 120) * 1000
    parties = [applicant(lender), respondent(borrower)]
    mediation = _case(D.PEOPLES_MEDIATION, C.PRIVATE_LENDING, days_ago(104), parties, S.FAILED,
                      closed_on=days_ago(75), amount=amount,
                      summary=f"借款{amount}元到期未还，双方对利息计算分歧较大，调解不成。")
    lawsuit = _case(D.COURT, C.PRIVATE_LENDING, days_ago(54), parties, S.ACCEPTED,
                    amount=amount, summary=f"原告诉请被告归还借款{amount}元及利息。")
    lawsuit.escalated_from = mediation
    return Scenario(
        name="R7_mediation_to_litigation", rule="R7", expected_alert="R7",
        expected_level="yellow",
        description=("a people's mediation over a private loan fails and the same lender sues "
                     "the same borrower 21 days after it closed (escalated_from = the "
                     "mediation number)"),
        focus=[lender, borrower], members=[lender, borrower],
        window=(days_ago(104), days_ago(54)), matters=[mediation, lawsuit],
    )


def _dishonest_representative(pick: _Picker, ents: Enterprises, population: Population,
                              rng: random.Random) -> Scenario:
    company_a = ents.by_role["r13_company_a"]
    company_b = ents.by_role["r13_company_b"]
    assert company_a.legal_rep is not None
    rep = population.persons[company_a.legal_rep]
    creditor = pick.company(ents)
    supplier = pick.company(ents)
    worker, customer = pick.adults(2, 25, 55)
    amount = rng.randint(40, 90) * 10_000
    debt = [applicant(creditor), respondent(rep), respondent(company_a)]
    lawsuit = _case(D.COURT, C.CONTRACT_SALES, days_ago(716), debt, S.JUDGMENT,
                    closed_on=days_ago(560), amount=amount,
                    summary=f"被告拖欠货款{amount}元，法定代表人提供连带责任保证。")
    enforcement = _case(D.COURT, C.CONTRACT_SALES, days_ago(509), debt, S.TERMINATED,
                        closed_on=days_ago(335), amount=amount,
                        summary="被执行人有履行能力而拒不履行生效法律文书确定的义务。",
                        extra={"procedure": "enforcement"})
    enforcement.escalated_from = lawsuit
    listed = days_ago(195)
    expires = date(listed.year + 2, listed.month, listed.day)
    listings = [
        Listing(CreditEventType.DISHONEST_DEBTOR, subject, listed, expires,
                authority="宁波市海曙区人民法院",
                reason="有履行能力而拒不履行生效法律文书确定义务", origin=enforcement,
                legal_rep=rep if subject is company_a else None,
                scenario="R13_dishonest_rep_other_company")
        for subject in (rep, company_a)
    ]
    _employ(worker, company_b, rng)
    matters = [
        lawsuit, enforcement,
        _case(D.LABOUR_ARBITRATION, C.LABOUR, days_ago(50),
              [applicant(worker), respondent(company_b)], S.ACCEPTED,
              amount=rng.randint(20, 60) * 1000,
              summary="未依法缴纳社会保险，要求补缴并支付经济补偿。"),
        _case(D.COMPLAINT_96178, C.CONSUMER, days_ago(29),
              [applicant(customer), respondent(company_b)], S.ACCEPTED,
              amount=rng.randint(30, 80) * 1000,
              summary="装修公司收取工程款后停工，联系不上负责人，要求退款。"),
        _case(D.COURT, C.CONTRACT_SALES, days_ago(12),
              [applicant(supplier), respondent(company_b)], S.FILED,
              amount=rng.randint(10, 40) * 10_000, summary="被告拖欠建材货款。"),
    ]
    for entity in (rep, company_a, company_b):
        pick.quiet(entity)
    scenario = Scenario(
        name="R13_dishonest_rep_other_company", rule="R13", expected_alert="R13",
        expected_level="orange",
        description=("a legal representative listed as a dishonest judgment debtor (with "
                     "company A) represents company B, which appears in three new cases after "
                     "the listing"),
        focus=[company_b], members=[rep, company_a, company_b],
        window=(listed, days_ago(12)), matters=matters, listings=listings,
    )
    return scenario


def _namesake_of_debtor(pick: _Picker, population: Population, debtor: Person,
                        rng: random.Random) -> Scenario:
    candidates = [p for p in pick.adults(6, 25, 65) if p.sex is debtor.sex]
    if not candidates:
        raise TooSmall("no namesake of the right sex")
    namesake = candidates[0]
    other_driver, neighbour = pick.adults(2)
    make_namesake(population, debtor, namesake, rng)
    matters = [
        _case(D.TRAFFIC_POLICE, C.ROAD_TRAFFIC, days_ago(37),
              [applicant(other_driver), respondent(namesake)], S.APPLIED,
              amount=rng.randint(30, 90) * 100, summary="两车刮擦，对维修费用存在争议。"),
        _case(D.PEOPLES_MEDIATION, C.NEIGHBOURS, days_ago(22),
              [applicant(neighbour), respondent(namesake)], S.IN_MEDIATION,
              summary="楼上漏水导致楼下天花板受损，双方协商未果。"),
    ]
    return Scenario(
        name="control_namesake_of_debtor", rule="R13", expected_alert=None, expected_level=None,
        description=("a different person with the dishonest debtor's name and birth year "
                     "appears in new cases; only an ID match may carry the flag"),
        focus=[namesake], members=[namesake], window=(days_ago(37), days_ago(22)),
        matters=matters,
    )


def _growing_cluster(pick: _Picker, ents: Enterprises, rng: random.Random) -> Scenario:
    manager = ents.by_role["growth_property"]
    residents = pick.neighbours(13)
    complaint = ("小区电梯故障多日无人维修，物业费上涨却服务缩水，业主要求{manager}整改。")
    text = complaint.format(manager=manager.zihao + "物业")
    days = [days_ago(d) for d in (6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1)]
    matters: list[Matter] = []
    for n in range(6):
        matters.append(_case(D.HOTLINE_81890, C.PROPERTY_MANAGEMENT, days[n],
                             [applicant(residents[n]), respondent(manager)], S.DISPATCHED,
                             summary=text))
    for n in range(6, 9):
        matters.append(_case(D.PEOPLES_MEDIATION, C.PROPERTY_MANAGEMENT, days[n],
                             [applicant(residents[n]), respondent(manager)], S.ACCEPTED,
                             summary=text))
    for n in (9, 10):
        matters.append(_case(D.COMPLAINT_96178, C.PROPERTY_MANAGEMENT, days[n],
                             [applicant(residents[n]), respondent(manager)], S.REGISTERED,
                             summary=text))
    matters.append(_case(D.PETITION_OFFICE, C.PROPERTY_MANAGEMENT, days[11],
                         [applicant(residents[11]), applicant(residents[12]),
                          respondent(manager)], S.REGISTERED, summary=text,
                         extra={"form": "来访"}))
    pick.quiet(manager)
    return Scenario(
        name="cluster_growth", rule="cluster_growth", expected_alert="cluster_growth",
        expected_level="orange",
        description=("13 residents of one compound bring 12 new cases against their property "
                     "manager in the last 7 days, across hotline, mediation, 96178 and petition"),
        focus=[manager], members=[manager, *residents], window=(days[0], days[-1]),
        matters=matters,
    )


def _steady_employer(pick: _Picker, ents: Enterprises, rng: random.Random) -> Scenario:
    employer = ents.by_role["control_employer"]
    workers = pick.adults(20, 22, 58)
    for worker in workers:
        _employ(worker, employer, rng)
    matters = [
        _case(D.LABOUR_ARBITRATION, C.WAGE_ARREARS if n % 2 else C.LABOUR, days_ago(350 - 17 * n),
              [applicant(worker), respondent(employer)], S.AWARD if n < 15 else S.ACCEPTED,
              closed_on=days_ago(350 - 17 * n - 40) if n < 15 else None,
              amount=rng.randint(30, 150) * 100,
              summary=("加班费及未休年休假工资未支付。" if n % 2
                       else "解除劳动合同未支付经济补偿金。"))
        for n, worker in enumerate(workers)
    ]
    for n, ago in enumerate((300, 180, 60)):
        matters.append(_case(D.HOTLINE_81890, C.WAGE_ARREARS, days_ago(ago),
                             [applicant(workers[n * 5]), respondent(employer)], S.CLOSED,
                             closed_on=days_ago(ago - 4), summary="反映公司工资发放延迟。"))
    pick.quiet(employer)
    return Scenario(
        name="control_large_employer", rule="R1", expected_alert=None, expected_level=None,
        description=("a 420-worker employer with 23 ordinary labour claims by 20 workers spread "
                     "over a year: never more than 3 in any 30-day window"),
        focus=[employer], members=[employer, *workers], window=(days_ago(350), days_ago(27)),
        matters=matters,
    )


def _unrelated_petitions(pick: _Picker, ents: Enterprises) -> Scenario:
    petitioner = pick.adults(1, 30, 70)[0]
    factory = ents.by_role["control_factory"]
    hospital = ents.by_role["control_hospital"]
    matters = [
        _case(D.PETITION_OFFICE, C.ENVIRONMENT, days_ago(260),
              [applicant(petitioner), respondent(factory)], S.CLOSED, closed_on=days_ago(200),
              summary="附近化工厂夜间排放刺激性气味，影响居民休息。", extra={"form": "来信"}),
        _case(D.PETITION_OFFICE, C.MEDICAL, days_ago(90),
              [applicant(petitioner), respondent(hospital)], S.IN_PROGRESS,
              summary="母亲住院期间摔伤，对医院处理意见不满。", extra={"form": "网上信访"}),
    ]
    pick.quiet(factory)
    pick.quiet(hospital)
    return Scenario(
        name="control_unrelated_petitions", rule="R4", expected_alert=None, expected_level=None,
        description=("one person petitions twice, on unrelated matters against different "
                     "respondents: not a repeat petition"),
        focus=[petitioner], members=[petitioner, factory, hospital],
        window=(days_ago(260), days_ago(90)), matters=matters,
    )


def _settled_mediation(pick: _Picker) -> Scenario:
    first, second = pick.neighbours(2)
    matters = [
        _case(D.PEOPLES_MEDIATION, C.NEIGHBOURS, days_ago(88),
              [applicant(first), respondent(second)], S.AGREEMENT, closed_on=days_ago(70),
              summary="空调外机噪音扰民，经调解双方达成协议，移机处理。"),
    ]
    return Scenario(
        name="control_mediation_agreement", rule="R7", expected_alert=None, expected_level=None,
        description="a mediation ends in agreement and nobody sues: no escalation",
        focus=[first, second], members=[first, second], window=(days_ago(88), days_ago(70)),
        matters=matters,
    )


def plan_scenarios(population: Population, enterprises: Enterprises, registry: Registry,
                   rng: random.Random) -> ScenarioPlan:
    """Plant every scenario the population is large enough for, in order of importance."""
    pick = _Picker(population, enterprises, registry, rng)
    builders: list[tuple[str, Callable[[], Scenario]]] = [
        ("R13", lambda: _dishonest_representative(pick, enterprises, population, rng)),
        ("R1", lambda: _collective_wage_arrears(pick, enterprises, rng)),
        ("R4", lambda: _repeat_petition(pick, enterprises, rng)),
        ("R7", lambda: _mediation_to_litigation(pick, rng)),
        ("growth", lambda: _growing_cluster(pick, enterprises, rng)),
        ("control_R1", lambda: _steady_employer(pick, enterprises, rng)),
        ("control_R13", lambda: _namesake_of_debtor(pick, population, _debtor(planted), rng)),
        ("control_R4", lambda: _unrelated_petitions(pick, enterprises)),
        ("control_R7", lambda: _settled_mediation(pick)),
    ]
    planted: list[Scenario] = []
    for _, build in builders:
        quiet = (set(registry.quiet_persons), set(registry.quiet_enterprises))
        try:
            planted.append(build())
        except TooSmall:
            # A small demo population plants what fits; nothing half-planted stays quiet.
            registry.quiet_persons, registry.quiet_enterprises = quiet
    order = {name: n for n, name in enumerate(_ORDER)}
    planted.sort(key=lambda s: order[s.name])
    for scenario in planted:
        for matter in scenario.matters:
            matter.scenario = scenario.name
        for listing in scenario.listings:
            listing.scenario = scenario.name
    return ScenarioPlan(planted)


_ORDER = (
    "R1_collective_wage_arrears", "R4_repeat_petition", "R7_mediation_to_litigation",
    "R13_dishonest_rep_other_company", "cluster_growth", "control_large_employer",
    "control_namesake_of_debtor", "control_unrelated_petitions", "control_mediation_agreement",
)


def _debtor(planted: list[Scenario]) -> Person:
    for scenario in planted:
        if scenario.name == "R13_dishonest_rep_other_company":
            debtor = scenario.members[0]
            assert isinstance(debtor, Person)
            return debtor
    raise TooSmall("no dishonest debtor to have a namesake of")
