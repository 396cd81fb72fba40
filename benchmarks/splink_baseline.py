"""Splink (DuckDB backend) deduplication of a person or enterprise CSV: the baseline.

    .venv/bin/python benchmarks/splink_baseline.py persons.csv --id-column record_id \\
        --map name=name --map id_number=id_number --map phone=phone \\
        --map birth_date=birth_date --map sex=sex --map address=address --out out.csv

Same shape as `wutong resolve`: one input, `--id-column`, `--map FIELD=COLUMN`, and
`--out` gets `record_id,entity_id`. Mapping `company_name` makes it an enterprise model,
otherwise a person model. The model follows Splink's documented unsupervised workflow
(the "deduplicate_50k_synthetic" example of the Splink docs):

1. Data preparation (Splink leaves cleaning to the user): every value NFKC-normalised and
   stripped, blanks as NULL, ID numbers and credit codes upper-cased, phones reduced to
   their digits; for persons, `dob` and `sex` taken from the record or else read off an
   18- or 15-digit ID number (which encodes both).
2. Comparisons from `splink.comparison_library`. Persons: `NameComparison(name)` (term
   frequency adjusted exact level), `DateOfBirthComparison(dob)`, `ExactMatch` on
   id_number, phone and sex, `LevenshteinAtThresholds(address, [3, 6])`. Enterprises:
   company name null / exact (term frequency adjusted) / Jaro-Winkler ≥ 0.95 / Levenshtein
   ≤ 2 / Jaro-Winkler ≥ 0.88 / ≥ 0.7 / else, `ExactMatch` on credit_code and phone,
   `LevenshteinAtThresholds(address, [3, 6])`.
3. Blocking rules for prediction. Persons: id_number; phone; name + birth year;
   name + address. Enterprises: credit_code; company_name; phone; address.
4. `estimate_probability_two_random_records_match` from deterministic rules (exact ID
   number, or exact name + phone; for enterprises exact credit code, or exact name + phone)
   at recall 0.7; `estimate_u_using_random_sampling(max_pairs=1e7, seed=...)`; two EM
   sessions (persons: blocked on name, then on id_number; enterprises: on company_name,
   then on credit_code), `estimate_without_term_frequencies=True`, at most 5e6 pairs each.
5. `predict(threshold_match_probability=0.5)`, then
   `cluster_pairwise_predictions_at_threshold(threshold_match_probability=0.95)`.

Prints one JSON line with the stage timings to stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

PERSON_FIELDS = ("name", "id_number", "phone", "birth_date", "sex", "address")
ENTERPRISE_FIELDS = ("company_name", "credit_code", "phone", "address")
_NON_DIGITS = re.compile(r"\D")
_SEX = {"M": "M", "F": "F", "男": "M", "女": "F", "MALE": "M", "FEMALE": "F"}


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    return text or None


def _digits(value: str | None) -> str | None:
    if value is None:
        return None
    return _NON_DIGITS.sub("", value) or None


def _from_id(id_number: str | None) -> tuple[str | None, str | None]:
    """Birth date (YYYY-MM-DD) and sex an ID number encodes, when it is fully legible."""
    if id_number is None:
        return None, None
    if len(id_number) == 18 and id_number[:17].isdigit():
        birth, sex_digit = id_number[6:14], id_number[16]
    elif len(id_number) == 15 and id_number.isdigit():
        birth, sex_digit = "19" + id_number[6:12], id_number[14]
    else:
        return None, None
    return f"{birth[:4]}-{birth[4:6]}-{birth[6:]}", ("M" if int(sex_digit) % 2 else "F")


def read_input(path: Path, id_column: str, fields: dict[str, str]) -> dict[str, list[Any]]:
    """Columns of the prepared table, one list per column."""
    person = "company_name" not in fields
    names = (PERSON_FIELDS if person else ENTERPRISE_FIELDS)
    columns: dict[str, list[Any]] = {"record_id": []}
    for name in names:
        columns[name] = []
    if person:
        columns["dob"] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            columns["record_id"].append(row[id_column])
            values = {name: _clean(row.get(fields[name])) if name in fields else None
                      for name in names}
            if values.get("phone") is not None:
                values["phone"] = _digits(values["phone"])
            for code in ("id_number", "credit_code"):
                if values.get(code) is not None:
                    values[code] = str(values[code]).upper()
            if person:
                dob, sex = _from_id(values["id_number"])
                values["sex"] = _SEX.get(str(values["sex"]).upper()) if values["sex"] else sex
                columns["dob"].append(values["birth_date"] or dob)
            for name in names:
                columns[name].append(values[name])
    return columns


def person_settings() -> tuple[SettingsCreator, list[Any], list[Any]]:
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        blocking_rules_to_generate_predictions=[
            block_on("id_number"),
            block_on("phone"),
            block_on("name", "substr(dob, 1, 4)"),
            block_on("name", "address"),
        ],
        comparisons=[
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("id_number"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("address", [3, 6]),
        ],
        retain_intermediate_calculation_columns=False,
    )
    deterministic = [block_on("id_number"), block_on("name", "phone")]
    training = [block_on("name"), block_on("id_number")]
    return settings, deterministic, training


def enterprise_settings() -> tuple[SettingsCreator, list[Any], list[Any]]:
    name = "company_name"
    company = cl.CustomComparison(
        output_column_name=name,
        comparison_levels=[
            cll.NullLevel(name),
            cll.ExactMatchLevel(name).configure(tf_adjustment_column=name),
            cll.JaroWinklerLevel(name, 0.95),
            cll.LevenshteinLevel(name, 2),
            cll.JaroWinklerLevel(name, 0.88),
            cll.JaroWinklerLevel(name, 0.7),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        blocking_rules_to_generate_predictions=[
            block_on("credit_code"),
            block_on(name),
            block_on("phone"),
            block_on("address"),
        ],
        comparisons=[
            company,
            cl.ExactMatch("credit_code"),
            cl.ExactMatch("phone"),
            cl.LevenshteinAtThresholds("address", [3, 6]),
        ],
        retain_intermediate_calculation_columns=False,
    )
    deterministic = [block_on("credit_code"), block_on(name, "phone")]
    training = [block_on(name), block_on("credit_code")]
    return settings, deterministic, training


def run(input_path: Path, id_column: str, fields: dict[str, str], out: Path, *,
        threshold: float = 0.95, seed: int = 7) -> dict[str, float]:
    timings: dict[str, float] = {}
    began = last = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal last
        now = time.perf_counter()
        timings[stage] = round(now - last, 2)
        last = now

    columns = read_input(input_path, id_column, fields)
    db_api = DuckDBAPI()
    table = db_api.register(pa.table(columns))
    person = "company_name" not in fields
    settings, deterministic, training = person_settings() if person else enterprise_settings()
    linker = Linker(table, settings, log_level=logging.WARNING)
    lap("prepare")
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=seed)
    for rule in training:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=5e6)
    lap("train")
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    lap("predict")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold)
    lap("cluster")
    relation = clusters.as_duckdbpyrelation().project("record_id, cluster_id AS entity_id")
    relation.write_csv(str(out), header=True)
    lap("write")
    timings["total"] = round(time.perf_counter() - began, 2)
    return timings


def parse_maps(maps: Sequence[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for item in maps:
        field, sep, column = item.partition("=")
        if not sep or not field or not column:
            raise SystemExit(f"--map {item!r}: expected FIELD=COLUMN")
        fields[field.strip()] = column.strip()
    known = set(PERSON_FIELDS) | set(ENTERPRISE_FIELDS)
    unknown = sorted(set(fields) - known)
    if unknown:
        raise SystemExit(f"fields this baseline cannot use: {', '.join(unknown)}")
    return fields


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path)
    parser.add_argument("--id-column", required=True)
    parser.add_argument("--map", action="append", default=[], dest="maps")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threshold", type=float, default=0.95)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    timings = run(args.input, args.id_column, parse_maps(args.maps), args.out,
                  threshold=args.threshold, seed=args.seed)
    sys.stderr.write(json.dumps({"splink_timings_s": timings}) + "\n")


if __name__ == "__main__":
    main()
