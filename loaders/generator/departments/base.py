"""What every department writer shares: party slots, tables with ground truth, numbering,
and the writing of a case table, from drawing its matters to writing its rows."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.vocabulary import CaseState, Channel, Department, PartyKind, PartyRole
from loaders.generator import bad_rows
from loaders.generator.bad_rows import BadRows
from loaders.generator.clock import history_day, update_time
from loaders.generator.companies import Enterprise
from loaders.generator.context import Context
from loaders.generator.formats import iso_datetime
from loaders.generator.ground_truth import dedupe
from loaders.generator.matters import Involved, Matter
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.patterns import Recipe, draw
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


Placed = list[tuple[Slot, Involved]]


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


def yearly(template: str) -> Callable[[Matter, Numbers], str]:
    """Case numbers in one sequence per filing year, written as `template` ({year}, {n})."""
    def number(matter: Matter, numbers: Numbers) -> str:
        year = matter.filed_on.year
        return template.format(year=year, n=numbers.next(str(year)))
    return number


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


def drawn(ctx: Context, recipes: Sequence[Recipe], rng: random.Random, day_rng: random.Random,
          *, complaint: bool = False,
          adjust: Callable[[Context, Matter, random.Random], None] | None = None,
          ) -> Callable[[], Matter | None]:
    """Background matters drawn from a department's recipes, on days from `day_rng`;
    `adjust` reshapes each drawn matter the department's way (drops or adds parties)."""
    def background() -> Matter | None:
        matter = draw(recipes, ctx.sampler, rng, lambda: history_day(day_rng),
                      complaint=complaint)
        if matter is not None and adjust is not None:
            adjust(ctx, matter, rng)
        return matter
    return background


def write_matters(ctx: Context, count: int, planted: Sequence[Matter], bad_kinds: Sequence[str],
                  write: Callable[[Matter, str | None], object],
                  background: Callable[[], Matter | None], *, bad_stream: str,
                  interleave_stream: str, bad_rows_enabled: bool = True,
                  write_planted: Callable[[Matter], object] | None = None) -> None:
    """Write `count` background matters with the planted ones slipped in among them.

    A background draw that comes back None (nothing fits, in a tiny population) skips its
    row. Planted bad rows fall on background matters only; planted matters stay clean and
    go to `write_planted` where a department writes them differently.
    """
    bad = BadRows(ctx.rng(bad_stream), count, bad_kinds,
                  enabled=ctx.bad_rows_enabled and bad_rows_enabled)
    for row, matter in interleave(count, planted, ctx.rng(interleave_stream)):
        if matter is None:
            matter = background()
            if matter is not None:
                write(matter, bad.kind(row))
        elif write_planted is not None:
            write_planted(matter)
        else:
            write(matter, None)


@dataclass
class CaseRow:
    """A case being written: its settled state, its parties in their slots, the party cells
    and the noise tags per party so far (a department may still adjust both)."""

    matter: Matter
    state: CaseState
    placed: Placed
    cells: dict[str, Any]
    tags: list[list[str]]
    rng: random.Random


@dataclass(frozen=True)
class CaseFormat:
    """What is a department's own in a case table; `CaseTable` does the rest.

    `number` gives a matter its case number, `cells` the columns other than the parties',
    `bad_columns` the column each kind of planted bad row spoils (from the placed parties,
    where that depends on who fills which slot), `bad_dates` the style bad dates take.
    """

    department: Department
    channel: Channel
    slots: Sequence[Slot]
    profile: Profile
    number: Callable[[Matter, Numbers], str]
    cells: Callable[[CaseRow], Mapping[str, Any]]
    bad_columns: Mapping[str, str] | Callable[[Placed], Mapping[str, str]]
    bad_dates: str
    unknown_label: str = "未分类"


class CaseTable:
    """A department's case table: settles, numbers, renders and writes each matter."""

    def __init__(self, ctx: Context, form: CaseFormat, sink: RowSink, rng: random.Random,
                 numbers: Numbers) -> None:
        self.ctx = ctx
        self.form = form
        self.table = Table(ctx, form.department, "case", sink)
        self.rng = rng
        self.numbers = numbers

    def write(self, matter: Matter, bad: str | None) -> CaseRow:
        form, rng = self.form, self.rng
        settle_state(matter, form.channel, rng)
        assert matter.state is not None
        matter.source = form.department.value
        matter.source_id = form.number(matter, self.numbers)
        placed = place(form.slots, matter.parties)
        tags: list[list[str]] = []
        cells = write_parties(self.ctx, placed, form.profile, rng, matter.filed_on, tags)
        case = CaseRow(matter, matter.state, placed, cells, tags, rng)
        cells.update(form.cells(case))
        if bad is not None:
            columns = form.bad_columns if isinstance(form.bad_columns, Mapping) \
                else form.bad_columns(placed)
            break_cell(bad, cells, columns, form.bad_dates, rng, form.unknown_label)
        self.table.write(cells, matter.source_id,
                         case_truth(matter, [p for _, p in placed], tags, bad))
        return case

    def close(self) -> None:
        self.table.close()
