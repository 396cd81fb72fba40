"""The demo-data generator: reproducible, truthful about every row, and planting what it says."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from graph.vocabulary import Department
from loaders.generator import GenerationSummary, generate
from loaders.mapping import shipped_mapping
from loaders.readers import SourceRow, read_rows
from resolver.identifiers import id_check_digit, org_code_check_char, uscc_check_char

PEOPLE = 300
SEED = 11
REQUIRED_NOISE = {
    "typo", "homophone", "traditional", "middle_dot", "masked_id", "id15", "missing_id",
    "phone_changed", "landline_no_area", "region_prefix_dropped", "legal_form_variant",
    "fullwidth_brackets", "branch",
}


@dataclass(frozen=True)
class Generated:
    out: Path
    summary: GenerationSummary
    progress: list[int]
    truth: list[dict[str, Any]]
    entities: dict[str, dict[str, Any]]
    scenarios: list[dict[str, Any]]

    def truth_of(self, source: str, source_id: str) -> dict[str, Any]:
        return next(t for t in self.truth if (t["source"], t["source_id"]) == (source, source_id))

    def scenario(self, name: str) -> dict[str, Any]:
        return next(s for s in self.scenarios if s["name"] == name)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    out = tmp_path_factory.mktemp("demo")
    progress: list[int] = []
    summary = generate(out, people=PEOPLE, seed=SEED, progress=progress.append)
    entities = {e["id"]: e for e in _read_jsonl(out / "entities.jsonl")}
    scenarios = json.loads((out / "scenarios.json").read_text(encoding="utf-8"))
    return Generated(out, summary, progress, _read_jsonl(out / "ground_truth.jsonl"), entities,
                     scenarios)


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _rows(out: Path) -> Iterator[tuple[Department, Path, SourceRow, str]]:
    """Every data row of every export, with the department and its source id cell."""
    for department in Department:
        mapping = shipped_mapping(department)
        for path in sorted((out / department.value).iterdir()):
            table = mapping.table_for(path)
            assert table is not None, f"no table reads {path.name}"
            id_column = table.fields["source_id"].column
            assert id_column is not None
            for row in read_rows(path, encoding=table.encoding, sheet=table.sheet):
                yield department, path, row, str(row.cells[id_column])


def test_same_seed_gives_byte_identical_files(generated: Generated, tmp_path: Path) -> None:
    generate(tmp_path, people=PEOPLE, seed=SEED)
    assert _digests(tmp_path) == _digests(generated.out)


def test_another_seed_gives_other_data(generated: Generated, tmp_path: Path) -> None:
    generate(tmp_path, people=PEOPLE, seed=SEED + 1)
    ours, theirs = _digests(generated.out), _digests(tmp_path)
    assert ours.keys() & theirs.keys()
    assert all(ours[name] != theirs[name] for name in ours.keys() & theirs.keys())


def test_a_small_population_gets_the_scenarios_that_fit(tmp_path: Path) -> None:
    summary = generate(tmp_path, people=60, seed=2)
    planted = json.loads((tmp_path / "scenarios.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in planted] == list(summary.scenarios)
    assert 0 < len(planted) < 9
    assert sum(1 for _ in _rows(tmp_path)) == summary.total_records
    with pytest.raises(ValueError, match="at least"):
        generate(tmp_path, people=5, seed=1)


def test_summary_counts_agree_with_ground_truth(generated: Generated) -> None:
    counted = Counter((t["source"], t["kind"]) for t in generated.truth)
    summary = generated.summary
    assert {(d, k): n for d, kinds in summary.records.items() for k, n in kinds.items()} == counted
    assert summary.total_records == len(generated.truth) == sum(generated.progress)
    assert 6 <= summary.records_per_person <= 8
    assert set(summary.records) == {d.value for d in Department}
    assert all(path.exists() for path in summary.files)


def test_every_row_has_exactly_one_ground_truth_line(generated: Generated) -> None:
    by_place = {(t["file"], t["row"]): t for t in generated.truth}
    assert len(by_place) == len(generated.truth)
    keys = Counter((t["source"], t["source_id"]) for t in generated.truth)
    assert max(keys.values()) == 1, "a (source, source_id) is used twice"
    seen = set()
    for department, path, row, source_id in _rows(generated.out):
        place = (f"{department.value}/{path.name}", row.row)
        assert place in by_place, f"row {place} has no ground truth"
        assert by_place[place]["source_id"] == source_id
        seen.add(place)
    assert seen == set(by_place), "ground truth lines without a row"


def test_ground_truth_names_only_entities_that_exist(generated: Generated) -> None:
    for line in generated.truth:
        ids = [line[k] for k in ("entity", "subject", "person", "enterprise") if k in line]
        ids += line.get("parties", [])
        assert ids and all(i in generated.entities for i in ids), line
        assert line["scenario"] is None or "bad" not in line


def test_identity_numbers_and_credit_codes_are_valid(generated: Generated) -> None:
    persons = [e for e in generated.entities.values() if e["kind"] == "person"]
    for person in persons:
        number = person["id_number"]
        assert number[17] == id_check_digit(number[:17])
        assert date.fromisoformat(person["birth_date"]) == date(
            int(number[6:10]), int(number[10:12]), int(number[12:14]))
        assert (int(number[16]) % 2 == 1) == (person["sex"] == "M")
    assert len({p["id_number"] for p in persons}) == len(persons)
    assert any(p["minor"] for p in persons)
    assert any(not p["id_region"].startswith("3302") for p in persons)
    firms = [e for e in generated.entities.values() if e["kind"] == "enterprise"]
    for firm in firms:
        code = firm["credit_code"]
        assert code[17] == uscc_check_char(code[:17])
        assert code[16] == org_code_check_char(code[8:16])
    prefixes = {f["credit_code"][:2] for f in firms}
    assert {"91", "92", "12"} <= prefixes
    assert any(f["parent"] for f in firms), "no branch"


def test_noise_of_every_required_kind_is_present(generated: Generated) -> None:
    applied = {tag for line in generated.truth for tag in line["noise"]}
    assert applied >= REQUIRED_NOISE, REQUIRED_NOISE - applied


def test_namesakes_exist_down_to_the_birth_year(generated: Generated) -> None:
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entity in generated.entities.values():
        if entity["kind"] == "person":
            by_name[entity["name"]].append(entity)
    assert any(len(people) >= 2 for people in by_name.values())
    same_year = [
        (a, b) for people in by_name.values() for a in people for b in people
        if a["id"] < b["id"] and a["birth_date"][:4] == b["birth_date"][:4]
    ]
    assert same_year and all(a["id_number"] != b["id_number"] for a, b in same_year)


def test_exports_come_in_government_encodings(generated: Generated) -> None:
    csvs = sorted(generated.out.rglob("*.csv"))
    raw = {path: path.read_bytes() for path in csvs}
    with_bom = [p for p, data in raw.items() if data.startswith(b"\xef\xbb\xbf")]
    gb18030 = []
    for path, data in raw.items():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            gb18030.append(path)
    plain = [p for p in csvs if p not in with_bom and p not in gb18030]
    assert with_bom and gb18030 and plain
    assert all(raw[p].decode("gb18030").startswith(("案号", "执行案号", "工单编号", "调解编号",
                                                    "档案编号")) for p in gb18030)
    assert {p.suffix for p in generated.out.rglob("*.*")} >= {".csv", ".xlsx", ".jsonl"}


def test_bad_rows_are_planted_in_every_department_and_never_in_scenarios(
    generated: Generated,
) -> None:
    bad = [t for t in generated.truth if "bad" in t]
    assert {t["source"] for t in bad} == {d.value for d in Department}
    assert all(t["scenario"] is None for t in bad)
    assert len(bad) <= max(20, 0.005 * len(generated.truth))
    assert generated.summary.bad_rows == dict(Counter(t["source"] for t in bad))


def test_minors_are_never_on_credit_lists(generated: Generated) -> None:
    subjects = [t["subject"] for t in generated.truth if t["kind"] == "credit_event"]
    assert subjects
    assert not any(generated.entities[s].get("minor") for s in subjects)


def _case_lines(generated: Generated, scenario: dict[str, Any]) -> list[dict[str, Any]]:
    return [generated.truth_of(c["source"], c["source_id"]) for c in scenario["cases"]]


def test_collective_wage_arrears_has_ten_workers_within_two_weeks(generated: Generated) -> None:
    scenario = generated.scenario("R1_collective_wage_arrears")
    assert (scenario["expected_alert"], scenario["expected_level"]) == ("R1", "red")
    lines = _case_lines(generated, scenario)
    employer = scenario["focus"][0]
    cluster = generated.entities[employer]["employer_cluster"]
    workers = set()
    for line in lines:
        assert line["category"] == "wage_arrears" and line["scenario"] == scenario["name"]
        for party, role in zip(line["parties"], line["roles"], strict=True):
            if role == "applicant":
                workers.add(party)
            else:
                assert generated.entities[party]["employer_cluster"] == cluster
    days = sorted(date.fromisoformat(line["filed_on"]) for line in lines)
    assert len(workers) >= 10 and days[-1] - days[0] <= timedelta(days=14)
    assert {line["source"] for line in lines} >= {"labour", "hotline81890", "petition"}


def _most_workers_in_30_days(generated: Generated) -> dict[str, int]:
    """Per employer cluster, the most distinct workers with labour claims in 30 days."""
    claims: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for line in generated.truth:
        if line["kind"] != "case" or line["category"] not in ("labour", "wage_arrears"):
            continue
        pairs = list(zip(line["parties"], line["roles"], strict=True))
        for party, role in pairs:
            if role == "respondent" and party.startswith("E"):
                cluster = generated.entities[party]["employer_cluster"]
                claims[cluster] += [(date.fromisoformat(line["filed_on"]), worker)
                                    for worker, r in pairs if r == "applicant"]
    most = {}
    for cluster, items in claims.items():
        most[cluster] = max(len({w for d, w in items if start <= d < start + timedelta(days=30)})
                            for start, _ in items)
    return most


def test_no_employer_but_the_planted_one_reaches_the_r1_threshold(generated: Generated) -> None:
    most = _most_workers_in_30_days(generated)
    planted = generated.entities[
        generated.scenario("R1_collective_wage_arrears")["focus"][0]]["employer_cluster"]
    control = generated.scenario("control_large_employer")
    assert control["expected_alert"] is None
    control_cluster = generated.entities[control["focus"][0]]["employer_cluster"]
    assert most[planted] >= 10
    assert max(n for cluster, n in most.items() if cluster != planted) < 10
    assert len(_case_lines(generated, control)) >= 20 and most[control_cluster] < 10


def test_repeat_petitioner_and_its_control(generated: Generated) -> None:
    scenario = generated.scenario("R4_repeat_petition")
    lines = _case_lines(generated, scenario)
    petitioner, developer = scenario["members"]
    assert all(line["parties"] == [petitioner, developer] for line in lines)
    assert len({line["source"] for line in lines}) == 3
    assert sum(line["source"] == "petition" for line in lines) >= 3
    control = _case_lines(generated, generated.scenario("control_unrelated_petitions"))
    assert len({line["parties"][1] for line in control}) == len(control) == 2


def test_failed_mediation_becomes_a_lawsuit_citing_it(generated: Generated) -> None:
    mediation, lawsuit = _case_lines(generated, generated.scenario("R7_mediation_to_litigation"))
    assert (mediation["source"], lawsuit["source"]) == ("mediation", "court")
    assert mediation["parties"] == lawsuit["parties"]
    path = generated.out / lawsuit["file"]
    (row,) = [r for r in read_rows(path, encoding="gb18030") if r.row == lawsuit["row"]]
    assert row.cells["关联调解案号"] == mediation["source_id"]
    mediation_path = generated.out / mediation["file"]
    (mediated,) = [r for r in read_rows(mediation_path) if r.row == mediation["row"]]
    assert mediated.cells["调解状态"] == "调解不成"


def test_dishonest_representative_and_namesake(generated: Generated) -> None:
    scenario = generated.scenario("R13_dishonest_rep_other_company")
    rep, company_a, company_b = scenario["members"]
    assert generated.entities[company_a]["legal_rep"] == rep
    assert generated.entities[company_b]["legal_rep"] == rep
    listed = {generated.truth_of(e["source"], e["source_id"])["subject"]
              for e in scenario["credit_events"]}
    assert rep in listed and company_b not in listed
    new_cases = [line for line in _case_lines(generated, scenario) if company_b in line["parties"]]
    assert len(new_cases) == 3
    (namesake,) = generated.scenario("control_namesake_of_debtor")["members"]
    a, b = generated.entities[rep], generated.entities[namesake]
    assert a["name"] == b["name"] and a["birth_date"][:4] == b["birth_date"][:4]
    assert a["id_number"] != b["id_number"]


def test_fast_growing_cluster_is_all_in_the_last_week(generated: Generated) -> None:
    scenario = generated.scenario("cluster_growth")
    lines = _case_lines(generated, scenario)
    assert len(lines) >= 10
    assert all(line["filed_on"] >= "2026-10-25" for line in lines)
    assert all(scenario["focus"][0] in line["parties"] for line in lines)
    assert len({line["source"] for line in lines}) >= 3
