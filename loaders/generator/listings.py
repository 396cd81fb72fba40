"""A credit listing: the true fact behind a credit-event record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from graph.vocabulary import CreditEventType
from loaders.generator.matters import Entity, Matter
from loaders.generator.population import Person


@dataclass(slots=True)
class Listing:
    event_type: CreditEventType
    subject: Entity
    starts_on: date
    expires_on: date | None
    authority: str
    reason: str
    document: str = ""  # 文书号; for a dishonest debtor the enforcement case number
    origin: Matter | None = None  # the enforcement case a dishonest listing comes from
    legal_rep: Person | None = None  # published with an organisation's listing
    scenario: str | None = None
    # (department, source id) of every record written for it: court list, credit centre.
    records: list[tuple[str, str]] = field(default_factory=list)

    @property
    def document_number(self) -> str:
        if self.origin is not None and self.origin.source_id:
            return self.origin.source_id
        return self.document
