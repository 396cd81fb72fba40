"""The true persons behind the records: households, ages, IDs, phones, addresses.

Households matter for realism: spouses share an address and a landline, children carry
the father's surname, a minor has no phone of their own. Namesakes are made on purpose,
down to same name and same birth year, because that is what a resolver must not merge.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from graph.vocabulary import Sex
from loaders.generator import names, phones
from loaders.generator.clock import REFERENCE_DATE, age_on, days_ago
from loaders.generator.id_numbers import make_id_number
from loaders.generator.regions import (
    OTHER_PROVINCES,
    TIBET,
    XINJIANG,
    ZHEJIANG_OTHER,
    District,
    compound_name,
    home_address,
    id_region_code,
    pick_ningbo,
)

ADULT_AGE = 18
_MOBILE_AGE = 12


@dataclass(slots=True)
class Person:
    index: int
    name: str
    sex: Sex
    birth: date
    id_number: str
    origin: District  # where the ID number was assigned
    home: District  # where the person lives now
    address: str
    household: int
    compound: int  # residential compound (neighbours), -1 when not in one
    ethnicity: str  # han | uyghur | tibetan
    mobile: str | None = None
    old_mobile: str | None = None
    mobile_changed_on: date | None = None
    landline: str | None = None
    employer: int | None = None
    hired_on: date | None = None
    former_employer: int | None = None
    former_hired_on: date | None = None
    former_left_on: date | None = None

    @property
    def entity_id(self) -> str:
        return f"P{self.index + 1:07d}"

    @property
    def age(self) -> int:
        return age_on(self.birth, REFERENCE_DATE)

    @property
    def is_minor(self) -> bool:
        return self.age < ADULT_AGE

    def mobile_on(self, day: date) -> str | None:
        """The mobile the person used on `day`: the old one before they changed it."""
        changed = self.mobile_changed_on
        if self.old_mobile is not None and changed is not None and day < changed:
            return self.old_mobile
        return self.mobile


@dataclass
class Population:
    persons: list[Person]
    households: list[list[int]]
    compounds: list[list[int]]
    taken_ids: set[str]
    taken_phones: set[str]
    namesake_pairs: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _Member:
    age: int
    sex: Sex
    surname_from: int | None  # index in the household of the member whose surname they carry


def _household_members(rng: random.Random) -> list[_Member]:
    roll = rng.random()
    if roll < 0.25:
        return [_Member(rng.randint(19, 85), rng.choice((Sex.MALE, Sex.FEMALE)), None)]
    husband_age = rng.randint(24, 78)
    wife_age = max(20, husband_age - rng.randint(-3, 6))
    members = [_Member(husband_age, Sex.MALE, None), _Member(wife_age, Sex.FEMALE, None)]
    if roll < 0.5:
        return members
    for _ in range(rng.choice((1, 1, 2))):
        child_age = wife_age - rng.randint(22, 34)
        if child_age >= 0:
            members.append(_Member(child_age, rng.choice((Sex.MALE, Sex.FEMALE)), 0))
    if roll > 0.85 and husband_age + 24 <= 95:
        members.append(_Member(husband_age + rng.randint(24, 32), Sex.FEMALE, None))
    return members


def _origin_and_home(rng: random.Random) -> tuple[str, District, District]:
    """Ethnicity, the district that numbered the household's IDs, and where they live."""
    roll = rng.random()
    if roll < 0.60:
        district = pick_ningbo(rng)
        return "han", district, district
    if roll < 0.70:
        return "han", rng.choice(ZHEJIANG_OTHER), pick_ningbo(rng)
    if roll < 0.955:
        origin = rng.choice(OTHER_PROVINCES)
        # A few live back home and only meet Ningbo through a case or a complaint.
        home = origin if rng.random() < 0.08 else pick_ningbo(rng)
        return "han", origin, home
    if roll < 0.99:
        return "uyghur", rng.choice(XINJIANG), pick_ningbo(rng)
    return "tibetan", rng.choice(TIBET), pick_ningbo(rng)


def _birth_date(rng: random.Random, age: int) -> date:
    latest = date(REFERENCE_DATE.year - age, REFERENCE_DATE.month, REFERENCE_DATE.day)
    return latest - timedelta(days=rng.randint(0, 364))


def _name(rng: random.Random, ethnicity: str, sex: Sex, surname: str | None,
          father_name: str | None) -> str:
    if ethnicity == "uyghur":
        own = rng.choice(names.UYGHUR_MALE if sex is Sex.MALE else names.UYGHUR_FEMALE)
        father = (father_name or "").split(names.MIDDLE_DOT)[0] or rng.choice(names.UYGHUR_MALE)
        return f"{own}{names.MIDDLE_DOT}{father}"
    if ethnicity == "tibetan":
        return names.tibetan_name(rng, sex)
    return names.han_name(rng, sex, surname)


def build_population(people: int, rng: random.Random) -> Population:
    """`people` persons in households, with IDs, phones and addresses."""
    persons: list[Person] = []
    households: list[list[int]] = []
    compound_count = max(3, people // 60)
    compound_homes = [pick_ningbo(rng) for _ in range(compound_count)]
    compound_names = [compound_name(i) for i in range(compound_count)]
    compounds: list[list[int]] = [[] for _ in range(compound_count)]
    taken_ids: set[str] = set()
    taken_phones: set[str] = set()
    while len(persons) < people:
        household = len(households)
        ethnicity, origin, home = _origin_and_home(rng)
        compound = -1
        if home.in_ningbo and rng.random() < 0.8:
            compound = rng.randrange(compound_count)
            home = compound_homes[compound]
        address = home_address(home, rng, compound_names[compound] if compound >= 0 else None)
        landline = (phones.make_landline(rng, taken_phones)
                    if home.in_ningbo and ethnicity == "han" and rng.random() < 0.35 else None)
        members: list[int] = []
        for member in _household_members(rng)[: people - len(persons)]:
            head = persons[members[0]] if members else None
            surname = names.surname_of(head.name) if head and member.surname_from == 0 else None
            father = head.name if head and member.surname_from == 0 else None
            birth = _birth_date(rng, member.age)
            region = id_region_code(origin, birth.year, rng)
            person = Person(
                index=len(persons),
                name=_name(rng, ethnicity, member.sex, surname or None, father),
                sex=member.sex, birth=birth,
                id_number=make_id_number(region, birth, member.sex, rng, taken_ids),
                origin=origin, home=home, address=address, household=household,
                compound=compound, ethnicity=ethnicity, landline=landline,
            )
            _give_phones(person, rng, taken_phones)
            persons.append(person)
            members.append(person.index)
            if compound >= 0:
                compounds[compound].append(person.index)
        households.append(members)
    population = Population(persons, households, compounds, taken_ids, taken_phones)
    _plant_namesakes(population, rng, max(2, people // 2000))
    return population


def _give_phones(person: Person, rng: random.Random, taken: set[str]) -> None:
    if person.age < _MOBILE_AGE:
        return
    person.mobile = phones.make_mobile(rng, taken)
    if person.age >= 20 and rng.random() < 0.25:
        person.old_mobile = phones.make_mobile(rng, taken)
        person.mobile_changed_on = days_ago(rng.randint(30, 1100))


def make_namesake(population: Population, model: Person, target: Person,
                  rng: random.Random) -> None:
    """Give `target` the name, sex and birth year of `model`: a different person all the same."""
    target.name = model.name
    target.sex = model.sex
    target.birth = date(model.birth.year, rng.randint(1, 12), rng.randint(1, 28))
    region = target.id_number[:6]
    target.id_number = make_id_number(region, target.birth, target.sex, rng,
                                      population.taken_ids)
    population.namesake_pairs.append((model.index, target.index))


def _plant_namesakes(population: Population, rng: random.Random, pairs: int) -> None:
    # Same name and same birth year, different people: the hardest namesakes to tell apart.
    candidates = [p for p in population.persons
                  if p.ethnicity == "han" and 25 <= p.age <= 70]
    for _ in range(pairs):
        model, target = rng.sample(candidates, 2)
        if model.household == target.household:
            continue
        if target.sex is not model.sex:
            continue
        make_namesake(population, model, target, rng)

