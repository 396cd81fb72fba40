"""Flat person and enterprise "mentions" with ground truth, for resolver benchmarks.

    .venv/bin/python benchmarks/resolve_data.py OUT --people 2000 --limit 10000
    .venv/bin/python benchmarks/resolve_data.py OUT --data /tmp/gen100k --limit 100000
    .venv/bin/python benchmarks/resolve_data.py OUT --scale 1000000       # persons only

Reads a generated data set (generating it first unless --data names one that exists)
through the project's own loaders, so every value is what the store would hold, and
writes one row per mention of a person or an enterprise:

- `persons.csv`: record_id, name, id_number, phone, birth_date, sex, address, true_id, noise
- `enterprises.csv`: record_id, company_name, credit_code, phone, address, true_id, noise
- `truth_entities.csv`: true_id, kind, name (the true name, for the namesake count)

A mention is a person or enterprise record (`source:source_id#record`), each party of a
case (`#p0`, `#p1`, ... in mapping order), a credit event's subject (`#subject`), and the
two sides of a relation (`#person`, `#enterprise`). `noise` holds the ground truth's noise
tags of that mention joined by `|`. Rows the loader quarantines (the planted bad rows) are
left out. A relation's ground truth gives one tag list for both sides, and an enterprise
record's list includes its legal representative's tags: enterprise-only tags go to the
enterprise, the rest to the person, and `homophone` (which both can carry) to the person
when their written name differs from the true one, else to the enterprise.

`--limit N` keeps exactly N mentions of each kind (fewer if there are fewer): whole true
entities taken in a seeded hash order, so clusters stay whole and the cut is reproducible.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from graph.records import (
    CaseRecord,
    CreditEventRecord,
    EnterpriseRecord,
    Party,
    PersonRecord,
    RelationRecord,
)
from graph.vocabulary import Department, PartyKind
from loaders.generator import generate
from loaders.generator.generation import ENTITIES_FILE, GROUND_TRUTH_FILE
from loaders.mapper import RowMapper, RowRejected
from loaders.mapping import shipped_mapping
from loaders.pipeline import plan_files
from loaders.readers import read_rows

PERSON_COLUMNS = ("record_id", "name", "id_number", "phone", "birth_date", "sex", "address",
                  "true_id", "noise")
ENTERPRISE_COLUMNS = ("record_id", "company_name", "credit_code", "phone", "address",
                      "true_id", "noise")
# Columns a resolver may see; the rest is ground truth.
PERSON_INPUT_COLUMNS = PERSON_COLUMNS[:-2]
ENTERPRISE_INPUT_COLUMNS = ENTERPRISE_COLUMNS[:-2]
PERSONS_FILE = "persons.csv"
ENTERPRISES_FILE = "enterprises.csv"
TRUTH_ENTITIES_FILE = "truth_entities.csv"

# Tags only the enterprise side of a relation can carry (loaders/generator/noise.py).
ENTERPRISE_TAGS = frozenset({
    "fullwidth_brackets", "region_prefix_dropped", "region_prefix_variant",
    "legal_form_variant", "branch", "missing_code",
})
SHARED_TAGS = frozenset({"homophone"})
# Mentions per generated person, measured on people=2,000 and 15,000 (seed 7): 8.35 and
# 8.32 person mentions, 3.75 and 3.74 enterprise mentions. Used to size data sets, with a
# margin.
PERSON_MENTIONS_PER_PERSON = 8.3
ENTERPRISE_MENTIONS_PER_PERSON = 3.7
SCALE_MARGIN = 1.04


@dataclass
class Mentions:
    persons: list[tuple[str, ...]] = field(default_factory=list)
    enterprises: list[tuple[str, ...]] = field(default_factory=list)
    true_entities: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> kind, name
    stats: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Prepared:
    out_dir: Path
    persons: int
    enterprises: int
    stats: dict[str, int]

    @property
    def persons_csv(self) -> Path:
        return self.out_dir / PERSONS_FILE

    @property
    def enterprises_csv(self) -> Path:
        return self.out_dir / ENTERPRISES_FILE

    @property
    def truth_entities_csv(self) -> Path:
        return self.out_dir / TRUTH_ENTITIES_FILE


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _load_truth(data_dir: Path) -> dict[tuple[str, str], dict[str, Any]]:
    truth: dict[tuple[str, str], dict[str, Any]] = {}
    with (data_dir / GROUND_TRUTH_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            key = (item.pop("source"), item.pop("source_id"))
            for unused in ("file", "row", "scenario", "roles", "category", "filed_on"):
                item.pop(unused, None)
            if key in truth:
                raise ValueError(f"ground truth has {key} twice")
            truth[key] = item
    return truth


def _load_entities(data_dir: Path) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """True entities (id -> kind, name) and each enterprise's legal representative."""
    entities: dict[str, tuple[str, str]] = {}
    legal_rep: dict[str, str] = {}
    with (data_dir / ENTITIES_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            entities[item["id"]] = (item["kind"], item["name"])
            if item.get("legal_rep"):
                legal_rep[item["id"]] = item["legal_rep"]
    return entities, legal_rep


def _kind_of(true_id: str) -> str:
    return "person" if true_id.startswith("P") else "enterprise"


def _tags(tags: Sequence[str]) -> str:
    return "|".join(tags)


def _person_party(record_id: str, party: Party, true_id: str, tags: Sequence[str]
                  ) -> tuple[str, ...]:
    return (record_id, party.name, _text(party.id_number), _text(party.phone), "", "",
            _text(party.address), true_id, _tags(tags))


def _enterprise_party(record_id: str, party: Party, true_id: str, tags: Sequence[str]
                      ) -> tuple[str, ...]:
    return (record_id, party.name, _text(party.credit_code), _text(party.phone),
            _text(party.address), true_id, _tags(tags))


def _add_party(out: Mentions, record_id: str, party: Party, true_id: str,
               tags: Sequence[str]) -> None:
    kind = "person" if party.kind is PartyKind.PERSON else "enterprise"
    if kind != _kind_of(true_id):
        out.stats["party_kind_disagrees_with_truth"] += 1
        return
    if kind == "person":
        out.persons.append(_person_party(record_id, party, true_id, tags))
    else:
        out.enterprises.append(_enterprise_party(record_id, party, true_id, tags))


def _split_relation_tags(tags: Sequence[str], person_name: str, true_person_name: str
                         ) -> tuple[list[str], list[str]]:
    person: list[str] = []
    enterprise: list[str] = []
    for tag in tags:
        if tag in ENTERPRISE_TAGS:
            enterprise.append(tag)
        elif tag in SHARED_TAGS:
            (person if person_name != true_person_name else enterprise).append(tag)
        else:
            person.append(tag)
    return person, enterprise


def _records(data_dir: Path, stats: Counter[str]) -> Iterator[Any]:
    for department in Department:
        folder = data_dir / department.value
        if not folder.is_dir():
            continue
        mapping = shipped_mapping(department)
        for file, table in plan_files(folder, mapping):
            fallback = datetime.fromtimestamp(file.stat().st_mtime).replace(microsecond=0)
            mapper = RowMapper(table, source=department.value)
            for row in read_rows(file, encoding=table.encoding, sheet=table.sheet):
                stats["rows_read"] += 1
                try:
                    yield mapper.map(row, observed_fallback=fallback)
                except RowRejected:
                    stats["rows_quarantined"] += 1


def collect(data_dir: Path) -> Mentions:
    """Every person and enterprise mention of a generated data set, with its truth."""
    out = Mentions()
    truth = _load_truth(data_dir)
    out.true_entities, rep_of = _load_entities(data_dir)
    for record in _records(data_dir, out.stats):
        item = truth.get((record.source.value, record.source_id))
        if item is None:
            out.stats["records_without_truth"] += 1
            continue
        if "bad" in item:
            out.stats["bad_rows_that_loaded"] += 1
            continue
        base = f"{record.source.value}:{record.source_id}"
        noise: list[str] = item.get("noise", [])
        if isinstance(record, PersonRecord):
            out.persons.append((
                f"{base}#record", record.name, _text(record.id_number), _text(record.phone),
                _text(record.birth_date), _text(record.sex.value if record.sex else None),
                _text(record.address), item["entity"], _tags(noise)))
        elif isinstance(record, EnterpriseRecord):
            true_rep = out.true_entities.get(rep_of.get(item["entity"], ""), ("", ""))[1]
            _, own_tags = _split_relation_tags(noise, record.legal_rep_name or "", true_rep)
            out.enterprises.append((
                f"{base}#record", record.name, _text(record.credit_code), _text(record.phone),
                _text(record.address), item["entity"], _tags(own_tags)))
        elif isinstance(record, CaseRecord):
            parties: list[str] = item["parties"]
            party_noise: list[list[str]] = item["party_noise"]
            if len(parties) != len(record.parties):
                out.stats["cases_with_party_count_mismatch"] += 1
                continue
            for index, (party, true_id) in enumerate(zip(record.parties, parties, strict=True)):
                _add_party(out, f"{base}#p{index}", party, true_id, party_noise[index])
        elif isinstance(record, CreditEventRecord):
            _add_party(out, f"{base}#subject", record.subject, item["subject"], noise)
        elif isinstance(record, RelationRecord):
            true_person = out.true_entities.get(item["person"], ("person", ""))[1]
            person_tags, enterprise_tags = _split_relation_tags(
                noise, record.person.name, true_person)
            _add_party(out, f"{base}#person", record.person, item["person"], person_tags)
            _add_party(out, f"{base}#enterprise", record.enterprise, item["enterprise"],
                       enterprise_tags)
    out.stats["person_mentions"] = len(out.persons)
    out.stats["enterprise_mentions"] = len(out.enterprises)
    return out


def cap(rows: list[tuple[str, ...]], limit: int | None, seed: int,
        true_id_index: int) -> list[tuple[str, ...]]:
    """Exactly `limit` rows (or all, if fewer) made of whole true entities, in file order.

    Entities are taken in the order of a seeded hash of their id; one that would overshoot
    is passed over for the next that fits. If no entity fits the last gap, the first one
    passed over gives its first mentions to fill it.
    """
    if limit is None or len(rows) <= limit:
        return rows
    sizes = Counter(row[true_id_index] for row in rows)
    order = sorted(sizes, key=lambda e: hashlib.sha1(f"{seed}:{e}".encode()).hexdigest())
    kept: set[str] = set()
    passed_over: str | None = None
    total = 0
    for entity in order:
        if total + sizes[entity] <= limit:
            kept.add(entity)
            total += sizes[entity]
            if total == limit:
                break
        elif passed_over is None:
            passed_over = entity
    out: list[tuple[str, ...]] = []
    gap = limit - total
    for row in rows:
        if row[true_id_index] in kept:
            out.append(row)
        elif gap and row[true_id_index] == passed_over:
            out.append(row)
            gap -= 1
    return out


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_input_only(src: Path, dst: Path, columns: Sequence[str]) -> None:
    """A copy of a mentions CSV with only the columns a resolver may see."""
    with src.open(encoding="utf-8", newline="") as inp, \
            dst.open("w", encoding="utf-8", newline="") as out:
        reader = csv.DictReader(inp)
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in reader:
            writer.writerow([row[c] for c in columns])


def people_for_scale(person_mentions: int) -> int:
    return math.ceil(person_mentions / PERSON_MENTIONS_PER_PERSON * SCALE_MARGIN)


def prepare(out_dir: Path, *, data_dir: Path | None = None, people: int | None = None,
            seed: int = 7, limit: int | None = None,
            kinds: Collection[str] = ("persons", "enterprises"), log: bool = True) -> Prepared:
    """Write the mention CSVs under `out_dir` (generating the data set if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data_dir = data_dir or out_dir / "gen"
    if not (data_dir / GROUND_TRUTH_FILE).is_file():
        if people is None:
            raise SystemExit(f"{data_dir} holds no generated data: give --people")
        began = time.perf_counter()
        generate(data_dir, people=people, seed=seed)
        if log:
            sys.stderr.write(f"generated {people} people in {data_dir} "
                             f"({time.perf_counter() - began:.1f} s)\n")
    began = time.perf_counter()
    mentions = collect(data_dir)
    persons = [] if "persons" not in kinds else cap(
        mentions.persons, limit, seed, PERSON_COLUMNS.index("true_id"))
    enterprises = [] if "enterprises" not in kinds else cap(
        mentions.enterprises, limit, seed, ENTERPRISE_COLUMNS.index("true_id"))
    _write(out_dir / PERSONS_FILE, PERSON_COLUMNS, persons)
    _write(out_dir / ENTERPRISES_FILE, ENTERPRISE_COLUMNS, enterprises)
    used = {row[-2] for row in persons} | {row[-2] for row in enterprises}
    _write(out_dir / TRUTH_ENTITIES_FILE, ("true_id", "kind", "name"),
           [(e, *mentions.true_entities[e]) for e in sorted(used)])
    stats = dict(mentions.stats)
    stats["persons_written"] = len(persons)
    stats["enterprises_written"] = len(enterprises)
    if log:
        sys.stderr.write(f"mentions in {time.perf_counter() - began:.1f} s: "
                         f"{json.dumps(stats)}\n")
    return Prepared(out_dir, len(persons), len(enterprises), stats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="Folder for the mention CSVs")
    parser.add_argument("--data", type=Path, default=None,
                        help="Generated data set to read (generated here if missing; "
                             "default OUT/gen)")
    parser.add_argument("--people", type=int, default=None, help="People to generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=None,
                        help="Keep exactly N mentions of each kind (whole entities)")
    parser.add_argument("--scale", type=int, default=None, metavar="N",
                        help="N person mentions only (generates enough people)")
    args = parser.parse_args()
    if args.scale is not None:
        people = args.people or people_for_scale(args.scale)
        prepared = prepare(args.out, data_dir=args.data, people=people, seed=args.seed,
                           limit=args.scale, kinds=("persons",))
        if prepared.persons < args.scale:
            raise SystemExit(f"only {prepared.persons} person mentions: raise --people")
    else:
        prepared = prepare(args.out, data_dir=args.data, people=args.people, seed=args.seed,
                           limit=args.limit)
    sys.stdout.write(json.dumps({"out": str(prepared.out_dir), "persons": prepared.persons,
                                 "enterprises": prepared.enterprises}) + "\n")


if __name__ == "__main__":
    main()
