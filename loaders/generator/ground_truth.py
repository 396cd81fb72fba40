"""Ground truth: which true entity every record row stands for, and the true entities.

`ground_truth.jsonl` has one line per record row in every export, in the order the rows
were written:

    {"source", "source_id", "kind", "file", "row",
     "entity"                      # person, enterprise
     | "parties", "roles",         # case: true ids in the order the mapping yields them
       "party_noise",              #   noise tags per party, in the same order
       "category", "filed_on"
     | "subject"                   # credit_event
     | "person", "enterprise",     # relation
     "noise": [...], "scenario": name | null, "bad": field (only on rows planted to fail)}

`entities.jsonl` holds the clean attributes of every true person and enterprise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from loaders.generator.companies import Enterprise, Enterprises
from loaders.generator.population import Person, Population


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class GroundTruth:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] = path.open("w", encoding="utf-8", newline="\n")

    def add(self, line: dict[str, Any]) -> None:
        self._handle.write(_dumps(line) + "\n")

    def close(self) -> None:
        self._handle.close()


def dedupe(tags: list[str]) -> list[str]:
    """Tags in first-applied order, each once."""
    return list(dict.fromkeys(tags))


def person_entity(person: Person) -> dict[str, Any]:
    return {
        "id": person.entity_id, "kind": "person", "name": person.name,
        "sex": person.sex.value, "birth_date": person.birth.isoformat(),
        "id_number": person.id_number, "ethnicity": person.ethnicity,
        "minor": person.is_minor, "mobile": person.mobile, "old_mobile": person.old_mobile,
        "mobile_changed_on": (person.mobile_changed_on.isoformat()
                              if person.mobile_changed_on else None),
        "landline": person.landline, "address": person.address,
        "home_district": person.home.name, "id_region": person.id_number[:6],
        "household": person.household,
        "employer": _enterprise_id(person.employer),
        "former_employer": _enterprise_id(person.former_employer),
    }


def _enterprise_id(index: int | None) -> str | None:
    return None if index is None else f"E{index + 1:06d}"


def enterprise_entity(ent: Enterprise, people: list[Person]) -> dict[str, Any]:
    rep = people[ent.legal_rep] if ent.legal_rep is not None else None
    return {
        "id": ent.entity_id, "kind": "enterprise", "name": ent.name,
        "credit_code": ent.credit_code, "form": ent.form, "industry": ent.industry.word,
        "registered_on": ent.registered_on.isoformat(), "status": ent.status,
        "legal_rep": rep.entity_id if rep else None,
        "parent": ent.parent.entity_id if ent.parent else None,
        "employer_cluster": f"E{ent.cluster + 1:06d}",
        "address": ent.address, "phone": ent.phone, "in_area": ent.in_area,
    }


def write_entities(path: Path, population: Population, enterprises: Enterprises) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for person in population.persons:
            handle.write(_dumps(person_entity(person)) + "\n")
        for ent in enterprises.items:
            handle.write(_dumps(enterprise_entity(ent, population.persons)) + "\n")
