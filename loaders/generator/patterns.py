"""Background case recipes: which category comes with which kind of parties.

A department's mix is a list of `Recipe`s; `draw` picks one by weight and fills in
parties through the sampler, which applies the alert guards.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from graph.vocabulary import DisputeCategory
from loaders.generator.matters import Entity, Involved, Matter, applicant, respondent
from loaders.generator.population import Person
from loaders.generator.sampler import Sampler
from loaders.generator.texts import amount_for, summary


@dataclass(frozen=True)
class Recipe:
    category: DisputeCategory
    weight: float
    pattern: str  # see _parties


def _parties(pattern: str, category: DisputeCategory, sampler: Sampler, rng: random.Random,
             day: date, complaint: bool) -> list[Involved] | None:
    """Parties for one matter, or None when the guards rule this draw out."""
    if pattern == "worker_employer":
        claim = sampler.worker_claim(rng, day, complaint)
        return None if claim is None else [applicant(claim[0]), respondent(claim[1])]
    # A child can be the patient in a lawsuit; a complaint is lodged by an adult.
    minors = pattern == "patient_hospital" and not complaint
    if pattern == "alone":
        first = sampler.complainant(rng, category) if complaint else sampler.adult(rng)
        return None if first is None else [applicant(first)]
    first = sampler.anyone(rng) if minors else sampler.adult(rng)
    other = _counterparty(pattern, first, sampler, rng)
    if other is None:
        return None
    if complaint and not sampler.first_complaint(first, other):
        return None
    if pattern in ("property_person", "company_person", "company_company"):
        return [applicant(other), respondent(first)]
    return [applicant(first), respondent(other)]


def _counterparty(pattern: str, first: Person, sampler: Sampler,
                  rng: random.Random) -> Entity | None:
    if pattern == "person_person":
        return sampler.other_adult(rng, first)
    if pattern == "neighbours":
        return sampler.neighbour(rng, first)
    if pattern == "spouses":
        return sampler.spouse(rng, first)
    businesses = {
        "person_business": sampler.business,
        "person_property": sampler.property_manager,
        "person_developer": sampler.developer,
        "person_factory": sampler.factory,
        "person_school": sampler.school,
        "person_company": sampler.company,
        "patient_hospital": sampler.hospital,
        "property_person": sampler.property_manager,
        "company_person": sampler.company,
    }
    if pattern in businesses:
        return businesses[pattern](rng)
    raise ValueError(f"unknown party pattern {pattern!r}")


_ATTEMPTS = 2_000


def draw(recipes: Sequence[Recipe], sampler: Sampler, rng: random.Random,
         day_of: Callable[[], date], *, complaint: bool = False) -> Matter | None:
    """A background matter; `complaint` applies the repeat-complaint guard.

    A draw the guards rule out is retried on another day: a day can be full (an employer
    already has its share of claims that month) while the history as a whole is not. None
    when nothing fits at all, which only a tiny population runs into: the row is skipped.
    """
    weights = [r.weight for r in recipes]
    for _ in range(_ATTEMPTS):
        day = day_of()
        recipe = rng.choices(recipes, weights=weights)[0]
        if recipe.pattern == "company_company":
            parties = _companies(sampler, rng)
        else:
            parties = _parties(recipe.pattern, recipe.category, sampler, rng, day, complaint)
        if parties is not None:
            amount = amount_for(recipe.category, rng)
            return Matter(category=recipe.category, filed_on=day, parties=parties,
                          amount=amount, summary=summary(recipe.category, amount, rng))
    return None


def _companies(sampler: Sampler, rng: random.Random) -> list[Involved] | None:
    first, second = sampler.company(rng), sampler.company(rng)
    return None if first is second else [applicant(first), respondent(second)]
