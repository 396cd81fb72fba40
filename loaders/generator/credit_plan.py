"""Background credit listings: dishonest debtors (with the lawsuits and enforcement cases
behind them), wage-arrears blacklists, penalties, abnormal operation, commendations.

Listed debtors and blacklisted firms (and their representatives) are made quiet: a
dishonest debtor turning up in a new background case would set off R13 with no scenario
to explain it. Minors are never listed (失信 rules Art 4).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from graph.vocabulary import CaseState, CreditEventType, DisputeCategory
from loaders.generator.clock import LAST_DAY, REFERENCE_DATE, days_ago
from loaders.generator.companies import Enterprise, Enterprises
from loaders.generator.listings import Listing
from loaders.generator.matters import Entity, Matter, applicant, respondent
from loaders.generator.population import Person, Population
from loaders.generator.registry import Registry
from loaders.generator.scenarios import ScenarioPlan
from loaders.generator.texts import summary

E = CreditEventType

_PENALTIES = (
    ("宁波市市场监督管理局", "甬市监罚", "销售不符合食品安全标准的食品"),
    ("宁波市市场监督管理局", "甬市监罚", "发布虚假广告"),
    ("宁波市生态环境局", "甬环罚", "超标排放大气污染物"),
    ("宁波市应急管理局", "甬应急罚", "未按规定开展安全生产教育培训"),
    ("宁波市消防救援支队", "甬消行罚", "消防设施未保持完好有效"),
    ("国家税务总局宁波市税务局", "甬税罚", "未按期申报纳税"),
)
_COMMENDATIONS_FIRMS = (
    ("宁波市市场监督管理局", "守合同重信用企业"),
    ("国家税务总局宁波市税务局", "纳税信用A级纳税人"),
)
_COMMENDATIONS_PEOPLE = (
    ("宁波市见义勇为基金会", "见义勇为先进个人"),
    ("宁波市精神文明建设委员会", "宁波市道德模范"),
)


@dataclass
class CreditPlan:
    # Dishonest debtors the court publishes, with the cases behind each listing.
    dishonest: list[Listing] = field(default_factory=list)
    lawsuits: list[Matter] = field(default_factory=list)
    enforcements: list[Matter] = field(default_factory=list)
    # What the public credit centre holds besides republished dishonest listings.
    centre: list[Listing] = field(default_factory=list)


def _years_later(day: date, years: int) -> date:
    return date(day.year + years, day.month, min(day.day, 28))


def _sole_firms(enterprises: Enterprises) -> list[Enterprise]:
    """Active companies whose representative runs no other firm."""
    count: dict[int, int] = {}
    for ent in enterprises.items:
        if ent.legal_rep is not None:
            count[ent.legal_rep] = count.get(ent.legal_rep, 0) + 1
    # A branch is a graph neighbour of its parent, so firms with branches are left out too.
    parents = {e.parent.index for e in enterprises.items if e.parent is not None}
    return [e for e in enterprises.items if e.form == "company" and e.in_area and e.active
            and not e.role and e.legal_rep is not None and count[e.legal_rep] == 1
            and e.index not in parents]


def _origin_cases(debtor: Entity, creditor: Entity, listed: date, rng: random.Random,
                  category: DisputeCategory) -> tuple[Matter, Matter]:
    """The judgment and the enforcement case that led to a dishonest listing."""
    enforced = listed - timedelta(days=rng.randint(30, 150))
    judged = enforced - timedelta(days=rng.randint(20, 90))
    filed = judged - timedelta(days=rng.randint(60, 200))
    amount = rng.randint(3, 80) * 10_000
    parties = [applicant(creditor), respondent(debtor)]
    lawsuit = Matter(category=category, filed_on=filed, parties=parties, amount=amount,
                     summary=summary(category, amount, rng), state=CaseState.JUDGMENT,
                     closed_on=judged, source="court")
    ended = enforced + timedelta(days=rng.randint(90, 300))
    enforcement = Matter(
        category=category, filed_on=enforced, parties=parties, amount=amount,
        summary="被执行人有履行能力而拒不履行生效法律文书确定的义务。",
        state=CaseState.TERMINATED if ended < REFERENCE_DATE else CaseState.ENFORCING,
        closed_on=ended if ended < REFERENCE_DATE else None, source="court",
        extra={"procedure": "enforcement"}, escalated_from=lawsuit,
    )
    return lawsuit, enforcement


def build_credit_plan(population: Population, enterprises: Enterprises, registry: Registry,
                      scenarios: ScenarioPlan, rng: random.Random) -> CreditPlan:
    plan = CreditPlan()
    people = len(population.persons)
    persons = population.persons
    holders = {e.legal_rep for e in enterprises.items} | {
        h for e in enterprises.items for h, _ in e.shareholders}
    firms = [e for e in _sole_firms(enterprises) if e.index not in registry.quiet_enterprises]
    rng.shuffle(firms)
    blacklisted = firms[: max(1, round(people * 0.0015))]
    dishonest_firms = firms[len(blacklisted): len(blacklisted) + max(1, round(people * 0.002))]
    adults = [p for p in persons if p.age >= 25 and p.index not in holders
              and p.index not in registry.quiet_persons]
    debtors = rng.sample(adults, min(len(adults) // 3, max(2, round(people * 0.01))))
    # Everyone listed is quiet before any creditor is chosen, so no creditor named in one
    # listing's lawsuit is itself listed (and flagged in a case filed after its listing).
    listed: list[Entity] = [*blacklisted, *dishonest_firms, *debtors]
    for entity in listed:
        _make_quiet(registry, entity)
    for firm in [*blacklisted, *dishonest_firms]:
        _make_quiet(registry, persons[firm.legal_rep or 0])
    lenders = [p for p in adults if p.index not in registry.quiet_persons]
    creditors = [e for e in enterprises.items if e.form == "company" and e.active
                 and e.index not in registry.quiet_enterprises]
    for firm in blacklisted:
        _blacklist_wage_arrears(plan, firm, persons[firm.legal_rep or 0], rng)
    for firm in dishonest_firms:
        _list_dishonest(plan, firm, persons[firm.legal_rep or 0], rng.choice(creditors), rng)
    for debtor in debtors:
        lender: Entity = (rng.choice(lenders) if lenders and rng.random() < 0.6
                          else rng.choice(creditors))
        _list_dishonest(plan, debtor, None, lender, rng)
    _penalties_and_commendations(plan, population, enterprises, registry, rng)
    plan.dishonest.extend(scenarios.listings())
    return plan


def _list_dishonest(plan: CreditPlan, debtor: Person | Enterprise, rep: Person | None,
                    creditor: Entity, rng: random.Random) -> None:
    listed = days_ago(rng.randint(40, 1400))
    serious = rng.random() < 0.1
    expires = _years_later(listed, 2 + (rng.randint(1, 3) if serious else 0))
    category = (DisputeCategory.PRIVATE_LENDING if isinstance(debtor, Person)
                else rng.choice((DisputeCategory.CONTRACT_SALES, DisputeCategory.COMMERCIAL)))
    lawsuit, enforcement = _origin_cases(debtor, creditor, listed, rng, category)
    plan.lawsuits.append(lawsuit)
    plan.enforcements.append(enforcement)
    plan.dishonest.append(Listing(
        E.DISHONEST_DEBTOR, debtor, listed, expires, authority="",
        reason=rng.choice(("有履行能力而拒不履行生效法律文书确定义务",
                           "违反财产报告制度", "违反限制消费令")),
        origin=enforcement, legal_rep=rep,
    ))


def _blacklist_wage_arrears(plan: CreditPlan, firm: Enterprise, rep: Person,
                            rng: random.Random) -> None:
    # The legal representative is listed together with the company (人社部令45号).
    listed = days_ago(rng.randint(60, 1000))
    document = f"甬人社欠薪〔{listed.year}〕{rng.randint(1, 99)}号"
    for subject in (firm, rep):
        plan.centre.append(Listing(
            E.WAGE_ARREARS_BLACKLIST, subject, listed, _years_later(listed, 3),
            authority="宁波市人力资源和社会保障局",
            reason="拖欠农民工工资，经责令限期支付后逾期仍未支付", document=document,
            legal_rep=rep if subject is firm else None,
        ))


def _penalties_and_commendations(plan: CreditPlan, population: Population,
                                 enterprises: Enterprises, registry: Registry,
                                 rng: random.Random) -> None:
    people = len(population.persons)
    active = [e for e in enterprises.items if e.active and e.in_area and e.form != "hospital"
              and e.index not in registry.quiet_enterprises]
    for firm in rng.sample(active, min(len(active), round(people * 0.04))):
        authority, prefix, reason = rng.choice(_PENALTIES)
        starts = days_ago(rng.randint(10, 1000))
        light = rng.random() < 0.4  # warnings and small fines are public for 3 months
        expires = starts + timedelta(days=90) if light else _years_later(starts, 3)
        plan.centre.append(Listing(
            E.ADMINISTRATIVE_PENALTY, firm, starts, expires, authority=authority, reason=reason,
            document=f"{prefix}〔{starts.year}〕{rng.randint(1, 2999)}号",
        ))
    for firm in rng.sample(active, min(len(active), round(people * 0.015))):
        starts = days_ago(rng.randint(10, 900))
        removed = starts + timedelta(days=rng.randint(60, 400))
        plan.centre.append(Listing(
            E.ABNORMAL_OPERATION, firm, starts, removed if removed < LAST_DAY else None,
            authority=f"宁波市{firm.district.name}市场监督管理局",
            reason=rng.choice(("通过登记的住所或者经营场所无法联系",
                               "未按照规定期限公示年度报告")),
            document=f"甬{firm.district.short}市监异〔{starts.year}〕{rng.randint(1, 999)}号",
        ))
    for firm in rng.sample(active, min(len(active), round(people * 0.008))):
        authority, title = rng.choice(_COMMENDATIONS_FIRMS)
        starts = days_ago(rng.randint(30, 700))
        plan.centre.append(Listing(E.COMMENDATION, firm, starts, _years_later(starts, 2),
                                   authority=authority, reason=title,
                                   document=f"甬信用〔{starts.year}〕{rng.randint(1, 99)}号"))
    adults = [p for p in population.persons
              if p.age >= 20 and p.index not in registry.quiet_persons]
    for person in rng.sample(adults, min(len(adults), max(1, round(people * 0.004)))):
        authority, title = rng.choice(_COMMENDATIONS_PEOPLE)
        starts = days_ago(rng.randint(30, 700))
        plan.centre.append(Listing(E.COMMENDATION, person, starts, None, authority=authority,
                                   reason=title,
                                   document=f"甬文明〔{starts.year}〕{rng.randint(1, 99)}号"))


def _make_quiet(registry: Registry, entity: Entity) -> None:
    if isinstance(entity, Person):
        registry.quiet_persons.add(entity.index)
    else:
        registry.quiet_enterprises.add(entity.index)
