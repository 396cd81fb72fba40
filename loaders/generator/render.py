"""A true person or enterprise as one department writes them: the party fields with noise."""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from loaders.generator import noise
from loaders.generator.companies import Enterprise, Enterprises
from loaders.generator.matters import Involved
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.population import Person, Population

ALL_FIELDS = ("name", "id_number", "credit_code", "phone", "address")


@dataclass(slots=True)
class Written:
    name: str
    id_number: str | None = None
    credit_code: str | None = None
    phone: str | None = None
    address: str | None = None

    def field(self, name: str) -> str | None:
        value: str | None = getattr(self, name)
        return value


class Renderer:
    def __init__(self, population: Population, enterprises: Enterprises) -> None:
        self.population = population
        self.enterprises = enterprises

    def person(self, person: Person, profile: PersonNoise, rng: random.Random, day: date,
               tags: list[str], fields: Collection[str] = ALL_FIELDS) -> Written:
        """The fields a department records (only those get noise, and noise tags)."""
        written = Written(name=noise.person_name(person.name, person.sex, profile, rng, tags))
        if "id_number" in fields:
            written.id_number = noise.id_number(person.id_number, person.birth.year < 2000,
                                                profile, rng, tags)
        if "phone" in fields:
            written.phone = noise.phone_number(
                person.mobile_on(day), person.landline,
                lambda: self._family_mobile(person, day, rng), person.mobile, profile, rng, tags)
        if "address" in fields:
            written.address = noise.address(person.address, profile, rng, tags)
        return written

    def _family_mobile(self, person: Person, day: date, rng: random.Random) -> str | None:
        # Someone else in the household answers for a child, or gives their own number.
        household = self.population.households[person.household]
        members = [self.population.persons[i] for i in household if i != person.index]
        phones = [m.mobile_on(day) for m in members if not m.is_minor]
        numbers = [p for p in phones if p]
        return rng.choice(numbers) if numbers else None

    def enterprise(self, ent: Enterprise, profile: EnterpriseNoise, rng: random.Random,
                   tags: list[str], fields: Collection[str] = ALL_FIELDS,
                   as_parent: bool = False) -> Written:
        before = len(tags)
        written = Written(name=noise.enterprise_name(ent, profile, rng, tags, as_parent=as_parent),
                          phone=ent.phone, address=ent.address)
        if "credit_code" in fields:
            as_parent = "branch" in tags[before:]
            written.credit_code = noise.credit_code(ent, as_parent, profile, rng, tags)
        return written

    def party(self, party: Involved, person_noise: PersonNoise,
              enterprise_noise: EnterpriseNoise, rng: random.Random, day: date,
              tags: list[str], fields: Collection[str] = ALL_FIELDS) -> Written:
        entity = party.entity
        if isinstance(entity, Person):
            return self.person(entity, person_noise, rng, day, tags, fields)
        return self.enterprise(entity, enterprise_noise, rng, tags, fields, party.as_parent)
