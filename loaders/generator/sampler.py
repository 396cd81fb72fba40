"""Who gets into a background case: picking parties that make sense together.

Neighbours quarrel with neighbours, spouses divorce each other, workers claim against
their own employer, patients against a hospital. Entities a scenario or a credit listing
has reserved ("quiet" in the registry) never appear in background cases.
"""

from __future__ import annotations

import random
from datetime import date

from graph.vocabulary import DisputeCategory
from loaders.generator.companies import Enterprise, Enterprises
from loaders.generator.matters import Entity
from loaders.generator.population import Person, Population
from loaders.generator.registry import Registry

_TRIES = 30


class Sampler:
    def __init__(self, population: Population, enterprises: Enterprises,
                 registry: Registry) -> None:
        self.population = population
        self.enterprises = enterprises
        self.registry = registry
        quiet_p = registry.quiet_persons
        quiet_e = registry.quiet_enterprises
        persons = population.persons
        self.everyone = [p for p in persons if p.index not in quiet_p]
        self.adults = [p for p in self.everyone if not p.is_minor]
        self.employed = [p for p in self.adults if p.employer is not None
                         and p.employer not in quiet_e]
        usable = [e for e in enterprises.items if e.active and e.index not in quiet_e]
        self.companies = [e for e in usable if e.form in ("company", "branch") and e.in_area]
        self.consumer = [e for e in usable if e.industry.consumer_facing]
        self.property = [e for e in usable if e.industry.word == "物业服务"] or self.companies
        self.developers = [e for e in usable if e.industry.sector in ("real_estate",
                                                                      "construction")]
        self.factories = [e for e in usable if e.industry.sector == "manufacturing"]
        self.hospitals = [e for e in usable if e.form == "hospital"]
        self.schools = [e for e in usable if e.industry.word in ("教育科技",)] or self.consumer

    def adult(self, rng: random.Random) -> Person:
        return rng.choice(self.adults)

    def anyone(self, rng: random.Random) -> Person:
        return rng.choice(self.everyone)

    def other_adult(self, rng: random.Random, person: Person) -> Person:
        """An adult from another household (in a tiny population, any other adult)."""
        for _ in range(_TRIES):
            other = rng.choice(self.adults)
            if other.household != person.household:
                return other
        return next((p for p in self.adults if p is not person), person)

    def neighbour(self, rng: random.Random, person: Person) -> Person:
        """An adult in the same compound and another household, or any other adult."""
        if person.compound >= 0:
            members = self.population.compounds[person.compound]
            for _ in range(6):
                other = self.population.persons[rng.choice(members)]
                if (other.household != person.household and not other.is_minor
                        and other.index not in self.registry.quiet_persons):
                    return other
        return self.other_adult(rng, person)

    def spouse(self, rng: random.Random, person: Person) -> Person | None:
        for index in self.population.households[person.household]:
            other = self.population.persons[index]
            if (other is not person and not other.is_minor and other.sex is not person.sex
                    and index not in self.registry.quiet_persons):
                return other
        return None

    def complainant(self, rng: random.Random, category: DisputeCategory,
                    minors: bool = False) -> Person | None:
        """Someone who has not complained about this kind of problem before (R4 guard)."""
        pool = self.everyone if minors else self.adults
        for _ in range(_TRIES):
            person = rng.choice(pool)
            if self.registry.complaint_free(person.index, category.value):
                self.registry.mark_complaint(person.index, category.value)
                return person
        return None

    def first_complaint(self, person: Person, about: Entity) -> bool:
        """Record `person` complaining about `about`; False if they already had (R4 guard)."""
        if not self.registry.complaint_free(person.index, about.entity_id):
            return False
        self.registry.mark_complaint(person.index, about.entity_id)
        return True

    def worker_claim(self, rng: random.Random, day: date,
                     complaint: bool = False) -> tuple[Person, Enterprise] | None:
        """A worker and the employer they claim against on `day`, within the R1 guard (and,
        for a complaint channel, the R4 guard)."""
        items = self.enterprises.items
        for _ in range(_TRIES if self.employed else 0):
            worker = rng.choice(self.employed)
            employer_index = _employer_on(worker, day, rng)
            if employer_index is None or employer_index in self.registry.quiet_enterprises:
                continue
            employer = items[employer_index]
            if complaint and not self.registry.complaint_free(worker.index, employer.entity_id):
                continue
            if self.registry.met_in_mediation(worker.entity_id, employer.entity_id):
                continue  # a failed mediation followed by arbitration is R7's pattern
            if self.registry.labour.room(employer.cluster, day):
                self.registry.labour.add(employer.cluster, day)
                if complaint:
                    self.registry.mark_complaint(worker.index, employer.entity_id)
                return worker, employer
        return None

    def business(self, rng: random.Random) -> Enterprise:
        return rng.choice(self.consumer)

    def company(self, rng: random.Random) -> Enterprise:
        return rng.choice(self.companies)

    def property_manager(self, rng: random.Random) -> Enterprise:
        return rng.choice(self.property)

    def developer(self, rng: random.Random) -> Enterprise:
        return rng.choice(self.developers or self.companies)

    def factory(self, rng: random.Random) -> Enterprise:
        return rng.choice(self.factories or self.companies)

    def hospital(self, rng: random.Random) -> Enterprise:
        return rng.choice(self.hospitals)

    def school(self, rng: random.Random) -> Enterprise:
        return rng.choice(self.schools)


def _employer_on(worker: Person, day: date, rng: random.Random) -> int | None:
    """Whom a worker would claim against on `day`: the job they had then, or one just left."""
    if worker.hired_on is not None and day >= worker.hired_on:
        left = worker.former_left_on
        if left is not None and (day - left).days < 365 and rng.random() < 0.25:
            return worker.former_employer
        return worker.employer
    if worker.former_hired_on is not None and day >= worker.former_hired_on:
        return worker.former_employer
    return None
