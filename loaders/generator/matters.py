"""A matter: the true facts of one case, before a department writes it down."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from graph.vocabulary import CaseState, DisputeCategory, PartyKind, PartyRole
from loaders.generator.companies import Enterprise
from loaders.generator.population import Person

Entity = Person | Enterprise


@dataclass(slots=True)
class Involved:
    role: PartyRole
    entity: Entity
    # A branch the record names by its parent company's name (the caller did not know).
    as_parent: bool = False

    @property
    def kind(self) -> PartyKind:
        return PartyKind.PERSON if isinstance(self.entity, Person) else PartyKind.ENTERPRISE


@dataclass(slots=True)
class Matter:
    category: DisputeCategory
    filed_on: date
    parties: list[Involved]
    amount: int | None = None  # yuan
    summary: str = ""
    state: CaseState | None = None  # None: the department picks one fitting the case's age
    closed_on: date | None = None
    scenario: str | None = None
    escalated_from: Matter | None = None
    # Set when a department writes the matter: its case number there.
    source: str = ""
    source_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def applicant(entity: Entity) -> Involved:
    return Involved(PartyRole.APPLICANT, entity)


def respondent(entity: Entity) -> Involved:
    return Involved(PartyRole.RESPONDENT, entity)
