"""Batch entity resolution, Wutong beside Splink, on generated mentions with ground truth.

    .venv/bin/python benchmarks/bench_resolve.py                        # 10k and 100k, 3 runs
    .venv/bin/python benchmarks/bench_resolve.py --sizes 10000 --resolver exact-id
    .venv/bin/python benchmarks/bench_resolve.py --sizes 10000 --only splink
    .venv/bin/python benchmarks/bench_resolve.py --sizes 1000000 --kinds persons --repeats 1

For each size and kind (persons, enterprises) it prepares a data set of exactly that many
mentions with benchmarks/resolve_data.py (generated once under --work and reused), hands
each tool a copy without the truth columns, and runs the tools as subprocesses through the
same command-line contract:

    TOOL INPUT --id-column record_id --map FIELD=COLUMN ... --out OUT.csv

alternating their order from one repeat to the next. Wall time is the subprocess's, peak
RSS its maximum resident set size as GNU time reports it. Each run's output is scored
against the truth with resolver.evaluation; the tables give the median wall time and peak
RSS over the repeats and the scores of the last run (a line says so if scores differed).

`--resolver exact-id` stands in for `wutong resolve` (links records with the same ID
number or credit code, nothing else) to check the harness before the resolver exists.
Prints Markdown tables and the exact commands to stdout, and keeps them (report-*.md) with
every run's numbers (results-*.json) under --work.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from resolve_data import (
    ENTERPRISE_INPUT_COLUMNS,
    ENTERPRISE_MENTIONS_PER_PERSON,
    PERSON_INPUT_COLUMNS,
    PERSON_MENTIONS_PER_PERSON,
    SCALE_MARGIN,
    prepare,
    write_input_only,
)

from resolver.evaluation import (
    breakdown_by,
    cluster_from,
    contingency,
    namesake_false_merges,
    namesake_pairs,
    pairwise_from,
)

HERE = Path(__file__).resolve().parent
PERSON_MAPS = ("name", "id_number", "phone", "birth_date", "sex", "address")
ENTERPRISE_MAPS = ("company_name", "credit_code", "phone", "address")


@dataclass
class Dataset:
    name: str  # e.g. persons-10k
    kind: str  # person, enterprise
    records: int
    mentions_csv: Path
    input_csv: Path
    truth_entities_csv: Path
    maps: tuple[str, ...]


@dataclass
class Run:
    tool: str
    dataset: str
    repeat: int
    wall_s: float
    peak_rss_mib: float
    returncode: int
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    bcubed_precision: float = 0.0
    bcubed_recall: float = 0.0
    bcubed_f1: float = 0.0
    exact_clusters: int = 0
    true_clusters: int = 0
    predicted_clusters: int = 0
    namesake_false_merges: int = 0
    namesake_pairs: int = 0
    noise_recall: dict[str, tuple[int, int]] = field(default_factory=dict)  # tag: tp, true


def _label(size: int) -> str:
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def dataset_for(work: Path, kind: str, size: int, seed: int) -> Dataset:
    """Prepared mentions of one kind and size, reused when an earlier run made them."""
    plural = f"{kind}s"
    folder = work / f"{plural}-{_label(size)}"
    meta_path = folder / "meta.json"
    rate = PERSON_MENTIONS_PER_PERSON if kind == "person" else ENTERPRISE_MENTIONS_PER_PERSON
    people = max(int(size / rate * SCALE_MARGIN) + 1, 20)
    meta = {"kind": kind, "size": size, "seed": seed, "people": people}
    if not (meta_path.is_file() and json.loads(meta_path.read_text())["meta"] == meta):
        prepared = prepare(folder, people=people, seed=seed, limit=size, kinds=(plural,))
        written = prepared.persons if kind == "person" else prepared.enterprises
        if written != size:
            raise SystemExit(f"{folder}: {written} {kind} mentions, not {size}")
        mentions = prepared.persons_csv if kind == "person" else prepared.enterprises_csv
        columns = PERSON_INPUT_COLUMNS if kind == "person" else ENTERPRISE_INPUT_COLUMNS
        write_input_only(mentions, folder / "input.csv", columns)
        meta_path.write_text(json.dumps({"meta": meta, "stats": prepared.stats}) + "\n")
    return Dataset(
        name=f"{plural}-{_label(size)}", kind=kind, records=size,
        mentions_csv=folder / f"{plural}.csv", input_csv=folder / "input.csv",
        truth_entities_csv=folder / "truth_entities.csv",
        maps=PERSON_MAPS if kind == "person" else ENTERPRISE_MAPS,
    )


def command(tool: str, resolver: str, data: Dataset, out: Path) -> list[str]:
    args = [str(data.input_csv), "--id-column", "record_id"]
    for name in data.maps:
        args += ["--map", f"{name}={name}"]
    args += ["--out", str(out)]
    if tool == "splink":
        return [sys.executable, str(HERE / "splink_baseline.py"), *args]
    if resolver == "exact-id":
        return [sys.executable, str(HERE / "bench_resolve.py"), "--stand-in", *args]
    return [str(Path(sys.executable).parent / "wutong"), "resolve", *args]


def run_measured(cmd: Sequence[str], log: Path, timeout: float | None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB) and exit status of one subprocess.

    The peak RSS comes from /usr/bin/time (GNU time's %M, from wait4 on a child it forked
    itself): a child forked straight from this process would start its ru_maxrss at this
    process's own high-water mark, the scored data of earlier runs included.
    """
    rss_file = log.with_suffix(".rss")
    time_bin = Path("/usr/bin/time")
    wrapped = [str(time_bin), "-f", "%M", "-o", str(rss_file), *cmd] if time_bin.exists() \
        else list(cmd)
    with log.open("w", encoding="utf-8") as handle:
        began = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=handle, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        wall = time.perf_counter() - began
    if time_bin.exists() and rss_file.is_file():
        lines = rss_file.read_text().split()
        rss = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else float("nan")
    else:
        rss = float("nan")
    return wall, rss, process.returncode


def _read_column_pair(path: Path, key: str, value: str) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row[key]: row[value] for row in csv.DictReader(handle)}


def score(run: Run, out: Path, data: Dataset) -> None:
    truth = _read_column_pair(data.mentions_csv, "record_id", "true_id")
    noise: dict[str, list[str]] = {}
    with data.mentions_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            noise[row["record_id"]] = [t for t in row["noise"].split("|") if t]
    names = _read_column_pair(data.truth_entities_csv, "true_id", "name")
    pred = _read_column_pair(out, "record_id", "entity_id")
    table = contingency(pred, truth)
    pairs, clusters = pairwise_from(table), cluster_from(table)
    run.precision, run.recall, run.f1 = pairs.precision, pairs.recall, pairs.f1
    run.tp, run.fp, run.fn = pairs.tp, pairs.fp, pairs.fn
    run.bcubed_precision, run.bcubed_recall = clusters.bcubed_precision, clusters.bcubed_recall
    run.bcubed_f1 = clusters.bcubed_f1
    run.exact_clusters, run.true_clusters = clusters.exact_clusters, clusters.true_clusters
    run.predicted_clusters = clusters.predicted_clusters
    run.namesake_false_merges = namesake_false_merges(pred, truth, names)
    run.namesake_pairs = namesake_pairs(truth, names)
    run.noise_recall = {tag: (g.tp, g.true_pairs)
                        for tag, g in breakdown_by(noise, pred, truth).items()}


def stand_in(argv: Sequence[str]) -> None:
    """Links records with the same (non-empty) ID number or credit code; nothing else."""
    parser = argparse.ArgumentParser(prog="bench_resolve.py --stand-in")
    parser.add_argument("input", type=Path)
    parser.add_argument("--id-column", required=True)
    parser.add_argument("--map", action="append", default=[], dest="maps")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    fields = dict(item.split("=", 1) for item in args.maps)
    key = fields.get("id_number") or fields.get("credit_code")
    with args.input.open(encoding="utf-8-sig", newline="") as inp, \
            args.out.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("record_id", "entity_id"))
        for row in csv.DictReader(inp):
            value = row.get(key, "") if key else ""
            writer.writerow((row[args.id_column], f"id:{value}" if value else row[args.id_column]))


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def markdown(runs: list[Run], datasets: list[Dataset]) -> str:
    lines = [
        "| tool | dataset | kind | records | wall s (median) | peak RSS MiB | P | R | F1 "
        "| B³ F1 | exact clusters | namesake false merges / namesake pairs |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    for data in datasets:
        tools = list(dict.fromkeys(r.tool for r in runs if r.dataset == data.name))
        for tool in tools:
            mine = [r for r in runs if r.dataset == data.name and r.tool == tool]
            ok = [r for r in mine if r.returncode == 0]
            if not ok:
                lines.append(f"| {tool} | {data.name} | {data.kind} | {data.records:,} "
                             f"| failed (exit {mine[-1].returncode}) | | | | | | | |")
                continue
            last = ok[-1]
            if len({(r.tp, r.fp) for r in ok}) > 1:
                notes.append(f"{tool} on {data.name}: scores differ between runs "
                             f"(F1 {', '.join(f'{r.f1:.4f}' for r in ok)})")
            walls = ", ".join(f"{r.wall_s:.1f}" for r in ok)
            lines.append(
                f"| {tool} | {data.name} | {data.kind} | {data.records:,} "
                f"| {_median([r.wall_s for r in ok]):.1f} ({walls}) "
                f"| {_median([r.peak_rss_mib for r in ok]):,.0f} "
                f"| {last.precision:.4f} | {last.recall:.4f} | {last.f1:.4f} "
                f"| {last.bcubed_f1:.4f} "
                f"| {last.exact_clusters:,} / {last.true_clusters:,} "
                f"| {last.namesake_false_merges:,} / {last.namesake_pairs:,} |")
    lines += [f"\n{note}" for note in notes]
    lines += ["", "Pairwise recall by noise tag (true pairs with at least one record "
              "carrying the tag; last run of each tool):", ""]
    for data in datasets:
        finals = {}
        for r in runs:
            if r.dataset == data.name and r.returncode == 0:
                finals[r.tool] = r
        if not finals:
            continue
        tools = list(finals)
        tags = sorted({t for r in finals.values() for t in r.noise_recall},
                      key=lambda t: -max(r.noise_recall.get(t, (0, 0))[1]
                                         for r in finals.values()))
        lines.append(f"**{data.name}**")
        lines.append("")
        header = " | ".join(f"{t} recall" for t in tools)
        lines.append(f"| noise tag | true pairs | {header} |")
        lines.append("|---|---|" + "---|" * len(tools))
        for tag in tags:
            true_pairs = max(r.noise_recall.get(tag, (0, 0))[1] for r in finals.values())
            cells = []
            for tool in tools:
                tp, true = finals[tool].noise_recall.get(tag, (0, 0))
                cells.append(f"{tp / true:.4f}" if true else "—")
            lines.append(f"| {tag} | {true_pairs:,} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--stand-in":
        stand_in(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--kinds", nargs="+", choices=("persons", "enterprises"),
                        default=["persons", "enterprises"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=("wutong", "splink"), default=None,
                        help="Run one tool only")
    parser.add_argument("--resolver", choices=("wutong", "exact-id"), default="wutong",
                        help="What runs as the Wutong side (exact-id: the harness stand-in)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/wutong-bench-resolve"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=None, help="Seconds per run")
    args = parser.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    wutong_name = "exact-id stand-in" if args.resolver == "exact-id" else "wutong"
    tools = ["wutong", "splink"] if args.only is None else [args.only]
    datasets = [dataset_for(args.work, kind.removesuffix("s"), size, args.seed)
                for size in args.sizes for kind in args.kinds]
    runs: list[Run] = []
    commands: list[str] = []
    for data in datasets:
        for repeat in range(args.repeats):
            order = tools if repeat % 2 == 0 else tools[::-1]
            for tool in order:
                name = wutong_name if tool == "wutong" else "splink"
                out = args.work / "out" / f"{data.name}.{tool}.{repeat}.csv"
                out.parent.mkdir(exist_ok=True)
                cmd = command(tool, args.resolver, data, out)
                if repeat == 0:
                    commands.append(" ".join(cmd))
                wall, rss, code = run_measured(cmd, out.with_suffix(".log"), args.timeout)
                run = Run(tool=name, dataset=data.name, repeat=repeat, wall_s=wall,
                          peak_rss_mib=rss, returncode=code)
                if code == 0:
                    score(run, out, data)
                sys.stderr.write(f"{name} {data.name} #{repeat}: {wall:.1f} s, {rss:.0f} MiB, "
                                 f"exit {code}, F1 {run.f1:.4f}\n")
                runs.append(run)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.work / f"results-{stamp}.json").write_text(json.dumps({
        "date": date.today().isoformat(), "machine": platform.platform(),
        "cpus": os.cpu_count(), "argv": sys.argv, "commands": commands,
        "runs": [asdict(r) for r in runs],
    }, ensure_ascii=False, indent=1) + "\n")
    report = (markdown(runs, datasets) + "\n\nCommands (first repeat):\n\n```\n"
              + "\n".join(commands) + "\n```\n")
    (args.work / f"report-{stamp}.md").write_text(report, encoding="utf-8")
    sys.stdout.write(report)


if __name__ == "__main__":
    main()
