"""The true enterprises: names, credit codes, legal representatives, shareholders, branches,
employees.

A name is kept in parts (region, 字号, trade, legal form, branch) so departments can write
it the ways they do (domain-china §4): without the region, with 有限责任公司 for 有限公司,
with the region in brackets. The clean name, the one in `entities.jsonl`, is the NFKC form
(ASCII brackets) the resolver normalises to.

Scenarios need particular enterprises (an employer with a branch, a representative with
two companies, a property manager); `ROLES` reserves them before the rest are drawn, and
the list is shuffled afterwards so a reserved enterprise's id says nothing about it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from loaders.generator import phones
from loaders.generator.clock import REFERENCE_DATE, days_ago
from loaders.generator.id_numbers import make_credit_code
from loaders.generator.industries import (
    HOSPITAL,
    INDUSTRIES,
    PUBLIC_HOSPITALS,
    SHOP,
    SHOPS,
    ZIHAO_FIRST,
    ZIHAO_SECOND,
    Industry,
)
from loaders.generator.population import Population
from loaders.generator.regions import (
    NINGBO,
    OTHER_PROVINCES,
    ZHEJIANG_OTHER,
    District,
    business_address,
    pick_ningbo,
)

ACTIVE_STATUSES = ("存续", "在业")
_NEW_STYLE_CODES_FROM = date(2015, 10, 1)
_WORKING_AGE = (18, 62)


@dataclass(slots=True)
class Enterprise:
    index: int
    form: str  # company | branch | individual | hospital
    prefix: str  # region as registered at the head of the name: 宁波, 宁波海曙, 浙江, ''
    zihao: str
    industry: Industry
    trade_word: str  # the trade part of the name as written: 电器, 五金, 医院
    legal_form: str  # 有限公司, 有限责任公司, 店 ..., '' for public hospitals
    bracket_region: str  # 宁波 for 字号(宁波)有限公司 names
    district: District
    credit_code: str
    registered_on: date
    status: str
    address: str
    phone: str
    size: int
    in_area: bool  # registered in Ningbo, so in the market-regulation export
    legal_rep: int | None = None  # person index
    shareholders: list[tuple[int, Decimal]] = field(default_factory=list)
    parent: Enterprise | None = None
    branch_suffix: str = ""  # 海曙分公司
    cluster: int = -1  # employer cluster: branches and companies sharing a representative
    role: str = ""  # the scenario role it was reserved for

    @property
    def entity_id(self) -> str:
        return f"E{self.index + 1:06d}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def name(self) -> str:
        """The clean registered name."""
        return compose_name(self)


def compose_name(
    ent: Enterprise, *, prefix: str | None = None, legal_form: str | None = None,
    brackets: tuple[str, str] = ("(", ")"),
) -> str:
    """The name from its parts, optionally with a different prefix, form or bracket style."""
    if ent.parent is not None:
        return compose_name(ent.parent, prefix=prefix, legal_form=legal_form,
                            brackets=brackets) + ent.branch_suffix
    head = ent.prefix if prefix is None else prefix
    form = ent.legal_form if legal_form is None else legal_form
    if ent.bracket_region:
        open_, close = brackets
        region = f"{open_}{ent.bracket_region}{close}"
        return f"{head}{ent.zihao}{ent.trade_word}{region}{form}"
    return f"{head}{ent.zihao}{ent.trade_word}{form}"


@dataclass
class Enterprises:
    items: list[Enterprise]
    by_role: dict[str, Enterprise]

    def employers(self) -> list[Enterprise]:
        return [e for e in self.items if e.active and e.in_area]


# Reserved for scenarios: (role, industry word, size, with a branch, name form). The large
# employer is a 字号(宁波)有限公司 name, so even a small data set has one.
ROLES: tuple[tuple[str, str, int, bool, str], ...] = (
    ("r1_employer", "建设工程", 160, True, "prefix"),
    ("control_employer", "机械制造", 420, False, "bracket"),
    ("growth_property", "物业服务", 40, False, "prefix"),
    ("r4_developer", "房地产开发", 30, False, "prefix"),
    ("r13_company_a", "贸易", 12, False, "prefix"),
    ("r13_company_b", "装饰工程", 25, False, "prefix"),
    ("control_factory", "化工", 60, False, "prefix"),
)


class _Builder:
    def __init__(self, population: Population, rng: random.Random) -> None:
        self.population = population
        self.rng = rng
        self.codes: set[str] = set()
        self.names: set[str] = set()
        self.items: list[Enterprise] = []
        self.rep_pool = ([p.index for p in population.persons if 28 <= p.age <= 70]
                         or [p.index for p in population.persons])
        self.reps_used: list[int] = []
        self.reserved: set[int] = set()

    def zihao(self) -> str:
        return self.rng.choice(ZIHAO_FIRST) + self.rng.choice(ZIHAO_SECOND)

    def registered_on(self) -> date:
        # More young firms than old ones: registrations grew through the 2010s.
        return days_ago(int(self.rng.triangular(60, 28 * 365, 60)))

    def status(self) -> str:
        roll = self.rng.random()
        return ("存续" if roll < 0.88 else "在业" if roll < 0.93 else "注销" if roll < 0.98
                else "吊销，未注销")

    def size(self, bias: float) -> int:
        roll = self.rng.random()
        base = (self.rng.randint(1, 9) if roll < 0.5 else self.rng.randint(10, 49) if roll < 0.83
                else self.rng.randint(50, 199) if roll < 0.96 else self.rng.randint(200, 800))
        return max(1, int(base * bias))

    def credit_code(self, prefix: str, district: District, registered: date) -> str:
        # District offices and the city bureau both register companies.
        region = district.current_code if self.rng.random() < 0.7 or not district.in_ningbo \
            else district.current_code[:4] + "00"
        return make_credit_code(prefix, region, self.rng, self.codes,
                                modern=registered >= _NEW_STYLE_CODES_FROM)

    def phone(self) -> str:
        return phones.make_landline(self.rng, self.population.taken_phones)

    def pick_rep(self, reuse: float = 0.12, *, shareable: bool = True) -> int:
        """A legal representative; with chance `reuse` one who already represents a firm.

        A scenario's representative (not `shareable`) is kept out of every other firm.
        """
        if self.reps_used and self.rng.random() < reuse:
            return self.rng.choice(self.reps_used)
        rep = self.fresh_person()
        if shareable:
            self.reps_used.append(rep)
        else:
            self.reserved.add(rep)
        return rep

    def fresh_person(self) -> int:
        for _ in range(1000):
            person = self.rng.choice(self.rep_pool)
            if person not in self.reserved:
                return person
        return self.rng.choice(self.rep_pool)  # a tiny population: nobody is left unreserved

    def add(self, ent: Enterprise) -> Enterprise | None:
        if ent.name in self.names:
            return None
        self.names.add(ent.name)
        self.items.append(ent)
        return ent

    def company(self, industry: Industry, *, size: int | None = None, role: str = "",
                out_of_area: bool = False, bracket: bool = False) -> Enterprise:
        rng = self.rng
        while True:
            district = (rng.choice(ZHEJIANG_OTHER + OTHER_PROVINCES[-2:]) if out_of_area
                        else pick_ningbo(rng))
            registered = self.registered_on()
            prefix, bracket_region = ("", "宁波") if bracket else self._region_parts(district)
            roll = rng.random()
            form = ("有限公司" if roll < 0.78 else "有限责任公司" if roll < 0.90
                    else "股份有限公司" if roll < 0.96 else "集团有限公司")
            ent = Enterprise(
                index=-1, form="company", prefix=prefix, zihao=self.zihao(), industry=industry,
                trade_word=industry.word, legal_form=form, bracket_region=bracket_region,
                district=district, credit_code="", registered_on=registered,
                status="存续" if role else self.status(),
                address=business_address(district, rng), phone=self.phone(),
                size=size or self.size(industry.size_bias), in_area=not out_of_area, role=role,
            )
            if self.add(ent) is not None:
                ent.credit_code = self.credit_code("91", district, registered)
                # A scenario's representative must not turn up running unrelated firms.
                ent.legal_rep = self.pick_rep(0.0 if role else 0.12, shareable=not role)
                ent.shareholders = self._shareholders(ent.legal_rep)
                return ent

    def _region_parts(self, district: District) -> tuple[str, str]:
        """(prefix, bracket region) for a name registered in `district`."""
        roll = self.rng.random()
        city = district.city.removesuffix("市")
        if not district.in_ningbo:
            return (city if roll < 0.7 else district.province.removesuffix("省")), ""
        if roll < 0.70:
            return "宁波", ""
        if roll < 0.80:
            return f"宁波{district.short}", ""
        if roll < 0.87:
            return "浙江", ""
        if roll < 0.95:
            return "", "宁波"
        return "", ""  # trades across provinces may leave the region out

    def _shareholders(self, rep: int) -> list[tuple[int, Decimal]]:
        count = self.rng.choice((1, 1, 2, 2, 3))
        holders = [rep] if self.rng.random() < 0.8 else []
        for _ in range(20):
            if len(holders) >= count:
                break
            candidate = self.fresh_person()
            if candidate not in holders:
                holders.append(candidate)
        holders = holders or [rep]
        cuts = sorted(self.rng.sample(range(5, 96, 5), len(holders) - 1))
        bounds = [0, *cuts, 100]
        return [(h, Decimal(bounds[i + 1] - bounds[i]) / 100) for i, h in enumerate(holders)]

    def branch(self, parent: Enterprise, role: str = "") -> Enterprise | None:
        district = self.rng.choice([d for d in NINGBO if d is not parent.district])
        registered = max(parent.registered_on, self.registered_on()) + timedelta(days=30)
        registered = min(registered, REFERENCE_DATE - timedelta(days=40))
        ent = Enterprise(
            index=-1, form="branch", prefix="", zihao=parent.zihao, industry=parent.industry,
            trade_word=parent.trade_word, legal_form="", bracket_region="", district=district,
            credit_code="", registered_on=registered, status="存续",
            address=business_address(district, self.rng), phone=self.phone(),
            size=max(1, parent.size // 3), in_area=True, parent=parent,
            branch_suffix=f"{district.short}分公司", role=role,
        )
        if self.add(ent) is None:
            return None
        ent.credit_code = self.credit_code("91", district, registered)
        # A branch's 负责人 is often the parent's legal representative.
        ent.legal_rep = (parent.legal_rep if self.rng.random() < 0.5
                         else self.pick_rep(0.0, shareable=not role))
        return ent

    def shop(self) -> Enterprise:
        rng = self.rng
        while True:
            district = pick_ningbo(rng)
            operator = self.pick_rep(0.0)
            trade, form = rng.choice(SHOPS)
            # The operator's own name may be the 字号 (domain-china §4.1).
            zihao = self.population.persons[operator].name if rng.random() < 0.4 \
                else self.zihao()
            registered = self.registered_on()
            ent = Enterprise(
                index=-1, form="individual", prefix=f"{district.city}{district.name}",
                zihao=zihao, industry=SHOP, trade_word=trade, legal_form=form,
                bracket_region="", district=district, credit_code="", registered_on=registered,
                status=self.status(), address=business_address(district, rng),
                phone=self.population.persons[operator].mobile or self.phone(),
                size=rng.randint(1, 4), in_area=True, legal_rep=operator,
            )
            if self.add(ent) is not None:
                ent.credit_code = self.credit_code("92", district, registered)
                return ent

    def hospital(self, number: int, role: str = "") -> Enterprise:
        rng = self.rng
        public = number < len(PUBLIC_HOSPITALS)
        while True:
            district = pick_ningbo(rng)
            if public:
                prefix, core, word = PUBLIC_HOSPITALS[number]
                form = ""
            else:
                prefix, core, word, form = "宁波", self.zihao(), "医院", "有限公司"
            registered = days_ago(rng.randint(3 * 365, 40 * 365)) if public \
                else self.registered_on()
            ent = Enterprise(
                index=-1, form="hospital", prefix=prefix, zihao=core, industry=HOSPITAL,
                trade_word=word, legal_form=form, bracket_region="", district=district,
                credit_code="", registered_on=registered, status="存续",
                address=business_address(district, rng), phone=self.phone(),
                size=rng.randint(300, 2000) if public else rng.randint(40, 200),
                in_area=not public, role=role,  # public hospitals are not AMR registrations
            )
            if self.add(ent) is not None:
                region = district.current_code if not public else "330200"
                modern = registered >= date(2016, 1, 1)
                ent.credit_code = make_credit_code("12" if public else "91", region, rng,
                                                   self.codes, modern=modern)
                ent.legal_rep = self.pick_rep(0.0)
                return ent


def build_enterprises(population: Population, rng: random.Random) -> Enterprises:
    """Enterprises scaled to the population: about one for every ten people."""
    people = len(population.persons)
    builder = _Builder(population, rng)
    by_role: dict[str, Enterprise] = {}
    industries = {i.word: i for i in INDUSTRIES}
    for role, word, size, with_branch, form in ROLES:
        by_role[role] = builder.company(industries[word], size=size, role=role,
                                        bracket=form == "bracket")
        if with_branch:
            branch = builder.branch(by_role[role], role=role.replace("employer", "branch"))
            if branch is not None:
                by_role[branch.role] = branch
    # Company B belongs to company A's legal representative: the R13 pattern.
    by_role["r13_company_b"].legal_rep = by_role["r13_company_a"].legal_rep
    hospitals = max(3, people // 3000)
    for number in range(hospitals):
        ent = builder.hospital(number, role="control_hospital" if number == 0 else "")
        if ent.role:
            by_role[ent.role] = ent
    target = max(40, people // 10)
    consumer = [i for i in INDUSTRIES if i.consumer_facing]
    while len(builder.items) < target:
        roll = rng.random()
        if roll < 0.14:
            builder.shop()
        elif roll < 0.19:
            builder.company(rng.choice(consumer), out_of_area=True)
        else:
            parent = builder.company(rng.choice(INDUSTRIES))
            if parent.size >= 10 and parent.active and rng.random() < 0.1:
                for _ in range(rng.choice((1, 1, 2))):
                    builder.branch(parent)
    items = builder.items
    rng.shuffle(items)
    for index, ent in enumerate(items):
        ent.index = index
    _assign_clusters(items)
    enterprises = Enterprises(items, by_role)
    _employ(population, enterprises, rng)
    return enterprises


def _assign_clusters(items: list[Enterprise]) -> None:
    """Employer clusters (domain-china §6.4 R1): a company, its branches, and every company
    sharing its legal representative."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_by_rep: dict[int, int] = {}
    for ent in items:
        if ent.parent is not None:
            parent[find(ent.index)] = find(ent.parent.index)
        if ent.legal_rep is not None and ent.form != "hospital":
            other = first_by_rep.setdefault(ent.legal_rep, ent.index)
            parent[find(ent.index)] = find(other)
    for ent in items:
        ent.cluster = find(ent.index)


def _employ(population: Population, enterprises: Enterprises, rng: random.Random) -> None:
    """Give about two thirds of working-age people an employer, some a former one too."""
    employers = [e for e in enterprises.employers() if not e.role]
    # In a small population one large firm would employ nearly everyone; cap its pull.
    cap = max(20, len(population.persons) // 50)
    weights = [float(min(e.size, cap)) for e in employers]
    low, high = _WORKING_AGE
    workers = [p for p in population.persons if low <= p.age <= high and rng.random() < 0.66]
    chosen = rng.choices(employers, weights=weights, k=len(workers))
    for person, employer in zip(workers, chosen, strict=True):
        person.employer = employer.index
        earliest = max(employer.registered_on, _adult_on(person.birth))
        person.hired_on = _day_between(rng, earliest, REFERENCE_DATE - timedelta(days=20))
        if rng.random() < 0.2:
            former = rng.choices(employers, weights=weights)[0]
            start = max(former.registered_on, _adult_on(person.birth))
            if former is not employer and start < person.hired_on - timedelta(days=60):
                person.former_employer = former.index
                person.former_hired_on = _day_between(rng, start,
                                                      person.hired_on - timedelta(days=60))
                person.former_left_on = _day_between(rng, person.former_hired_on,
                                                     person.hired_on - timedelta(days=1))


def _adult_on(birth: date) -> date:
    return date(birth.year + 18, birth.month, min(birth.day, 28))


def _day_between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))
