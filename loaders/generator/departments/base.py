"""What every department writer shares: party slots, tables with ground truth, numbering."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.vocabulary import Channel, Department, PartyKind, PartyRole
from loaders.generator import bad_rows
from loaders.generator.clock import update_time
from loaders.generator.companies import Enterprise
from loaders.generator.context import Context
from loaders.generator.formats import iso_datetime
from loaders.generator.ground_truth import dedupe
from loaders.generator.matters import Involved, Matter
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.population import Person
from loaders.generator.regions import NINGBO, District
from loaders.generator.states import pick_state
from loaders.generator.writers import RowSink


@dataclass(frozen=True)
class Slot:
    """A party held in fixed columns: what the mapping file's `parties:` group describes."""

    role: PartyRole
    kind: PartyKind
    columns: Mapping[str, str]  # party field (name, id_number, ...) -> column


class Table:
    """One export table: writes each row and its ground-truth line together."""

    def __init__(self, ctx: Context, department: Department, kind: str, sink: RowSink) -> None:
        self.ctx = ctx
        self.department = department
        self.kind = kind
        self.sink = sink

    def write(self, cells: Mapping[str, Any], source_id: str, truth: dict[str, Any]) -> None:
        file, row = self.sink.put(cells)
        line: dict[str, Any] = {
            "source": self.department.value, "source_id": source_id, "kind": self.kind,
            "file": f"{self.department.value}/{file}", "row": row,
        }
        line.update(truth)
        self.ctx.truth.add(line)
        self.ctx.tally.count(self.department.value, self.kind, bad="bad" in truth)

    def close(self) -> None:
        self.ctx.tally.files.extend(self.sink.close())


def place(slots: Sequence[Slot], parties: Sequence[Involved]) -> list[tuple[Slot, Involved]]:
    """Parties in the slots they fill, in slot order: the order the mapping yields them."""
    filled: list[Involved | None] = [None] * len(slots)
    for party in parties:
        for i, slot in enumerate(slots):
            if filled[i] is None and slot.role is party.role and slot.kind is party.kind:
                filled[i] = party
                break
        else:
            raise ValueError(f"no free {party.role.value} {party.kind.value} slot")
    return [(slots[i], p) for i, p in enumerate(filled) if p is not None]


@dataclass
class Profile:
    """How a department writes the people and enterprises in its records."""

    person: PersonNoise
    enterprise: EnterpriseNoise


def write_parties(ctx: Context, placed: Sequence[tuple[Slot, Involved]], profile: Profile,
                  rng: random.Random, day: date,
                  party_tags: list[list[str]]) -> dict[str, Any]:
    """The party columns of a row; each party's noise tags go to `party_tags`, in order."""
    cells: dict[str, Any] = {}
    for slot, party in placed:
        tags: list[str] = []
        written = ctx.renderer.party(party, profile.person, profile.enterprise, rng, day, tags,
                                     slot.columns.keys())
        party_tags.append(tags)
        for field_name, column in slot.columns.items():
            cells[column] = written.field(field_name)
    return cells


def case_truth(matter: Matter, parties: Sequence[Involved], party_tags: list[list[str]],
               bad: str | None, extra_tags: Sequence[str] = ()) -> dict[str, Any]:
    """A case's truth line: `noise` is every tag applied, `party_noise` the tags per party."""
    truth: dict[str, Any] = {
        "parties": [p.entity.entity_id for p in parties],
        "roles": [p.role.value for p in parties],
        "category": matter.category.value,
        "filed_on": matter.filed_on.isoformat(),
        "noise": dedupe([t for tags in party_tags for t in tags] + list(extra_tags)),
        "party_noise": [dedupe(tags) for tags in party_tags],
        "scenario": matter.scenario,
    }
    if bad is not None:
        truth["bad"] = bad
    return truth


def entity_truth(key: str, entity_id: str, tags: list[str], bad: str | None,
                 scenario: str | None = None) -> dict[str, Any]:
    truth: dict[str, Any] = {key: entity_id, "noise": dedupe(tags), "scenario": scenario}
    if bad is not None:
        truth["bad"] = bad
    return truth


def relation_truth(person: Person, enterprise: Enterprise, tags: list[str],
                   bad: str | None) -> dict[str, Any]:
    truth: dict[str, Any] = {"person": person.entity_id, "enterprise": enterprise.entity_id,
                             "noise": dedupe(tags), "scenario": None}
    if bad is not None:
        truth["bad"] = bad
    return truth


def break_cell(kind: str, cells: dict[str, Any], columns: Mapping[str, str], date_style: str,
               rng: random.Random, unknown_label: str = "未分类") -> None:
    """Spoil the cell a planted bad row is bad in."""
    column = columns[kind]
    if kind in ("filed_on", "registered_on", "starts_on"):
        cells[column] = bad_rows.bad_date(date_style, rng)
    elif kind == "id_number":
        cells[column] = bad_rows.bad_id(cells.get(column), rng)
    elif kind == "credit_code":
        cells[column] = bad_rows.bad_credit_code(str(cells[column]), rng)
    elif kind == "name":
        cells[column] = ""
    elif kind == "category":
        cells[column] = unknown_label
    else:
        raise ValueError(f"no way to break {kind!r}")


def observed(matter: Matter, rng: random.Random) -> str:
    return iso_datetime(update_time(rng, matter.closed_on or matter.filed_on))


def interleave(count: int, planted: Sequence[Matter],
               rng: random.Random) -> Iterator[tuple[int, Matter | None]]:
    """Background row numbers 0..count-1, with planted matters slipped in at random places.

    Yields (background row number, None) or (-1, planted matter).
    """
    slots = sorted((rng.randint(0, count), n) for n in range(len(planted)))
    position = 0
    for row in range(count + 1):
        while position < len(slots) and slots[position][0] == row:
            yield -1, planted[slots[position][1]]
            position += 1
        if row < count:
            yield row, None


class Numbers:
    """Sequential case numbers per key (court and year, say), as registries hand them out.

    Each sequence starts somewhere in its first few hundred: an export is an extract, and
    a register whose numbers all start at 1 would look like a fresh system.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.last: dict[str, int] = {}

    def next(self, key: str) -> int:
        if key not in self.last:
            self.last[key] = self.rng.randint(0, 400)
        self.last[key] += 1
        return self.last[key]


def label(labels: Mapping[Any, str | Sequence[str]], key: Any, rng: random.Random) -> str:
    """The department's label for a canonical value; some have several for one value."""
    value = labels[key]
    return value if isinstance(value, str) else rng.choice(value)


def first_person_slot(placed: Sequence[tuple[Slot, Involved]]) -> Slot | None:
    return next((slot for slot, p in placed if isinstance(p.entity, Person)), None)


def settle_state(matter: Matter, channel: Channel, rng: random.Random) -> None:
    """Give a background matter a state fitting its age; planted ones keep theirs."""
    if matter.state is None:
        matter.state, matter.closed_on = pick_state(channel, matter.filed_on, rng)


def home_district(matter: Matter, *, respondent_first: bool = False) -> District:
    """The Ningbo district a case belongs to: the applicant's, else the respondent's (or
    the other way round, where jurisdiction follows the respondent)."""
    parties = list(reversed(matter.parties)) if respondent_first else matter.parties
    for party in parties:
        entity = party.entity
        district = entity.home if isinstance(entity, Person) else entity.district
        if district.in_ningbo:
            return district
    return NINGBO[0]


def by_year(stem: str, suffix: str = "csv") -> Callable[[Mapping[str, Any]], str]:
    """Files split by filing year, named as departments name them: 民事案件_2026.csv.

    Rows carry their year in the `_year` cell, which no export writes out.
    """
    def file_for(cells: Mapping[str, Any]) -> str:
        return f"{stem}_{cells['_year']}.{suffix}"
    return file_for
