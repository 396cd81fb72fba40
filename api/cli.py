"""The `wutong` command: a thin shell over the same services the API uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from api.alert_commands import alert_app, alerts, evaluate_all, print_reconciliation
from api.analytics_commands import register_analytics
from api.entity_command import entity
from api.keys_command import keys_app
from api.launcher import run
from api.load_command import load, load_jobs
from api.neo4j_commands import neo4j_app
from api.resolve_command import options_from, resolve, run_store_resolution
from api.settings import Settings
from api.stores import open_store
from graph.errors import LoadNotReconciled, OutputNotEmpty
from graph.records import SCHEMA_VERSION, record_json_schema
from graph.store import ResolvingStore, StoreCounts
from graph.vocabulary import Department
from loaders.mapping import shipped_mapping
from loaders.pipeline import LoadJob

app = typer.Typer(
    name="wutong", no_args_is_help=True, add_completion=False,
    pretty_exceptions_enable=False,
    help="Entity resolution and dispute network for departments' records.",
)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(keys_app, name="keys")
app.command("load")(load)
app.command("resolve")(resolve)
app.command("entity")(entity)
app.command("alerts")(alerts)
app.add_typer(alert_app, name="alert")
register_analytics(app)
console = Console()


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=console, transient=True,
    )


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder to write the departments' exports to")],
    people: Annotated[int, typer.Option(min=10, help="Number of true persons")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same files")] = 7,
    overwrite: Annotated[
        bool, typer.Option(help="Replace what an earlier run wrote into --out")
    ] = False,
) -> None:
    """Write realistic department exports with ground truth (see README)."""
    _generate(out, people, seed, overwrite=overwrite)


_GENERATED_NAMES = frozenset(
    {d.value for d in Department} | {"ground_truth.jsonl", "entities.jsonl", "scenarios.json"}
)


def _generate(out: Path, people: int, seed: int, *, overwrite: bool) -> int:
    from loaders.generator import generate as generate_data

    existing = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    foreign = [name for name in existing if name not in _GENERATED_NAMES]
    if foreign:
        raise OutputNotEmpty(
            f"{out} holds files the generator did not write ({', '.join(foreign[:5])}); "
            "choose an empty or new --out"
        )
    if existing and not overwrite:
        raise OutputNotEmpty(
            f"{out} holds an earlier generated data set; pass --overwrite to replace it"
        )
    with _progress() as progress:
        task = progress.add_task(f"generating {people} people", total=None)
        summary = generate_data(
            out, people=people, seed=seed, progress=lambda n: progress.advance(task, n)
        )
    console.print(f"generated {summary.total_records} records from {people} people into {out}")
    return summary.total_records


@app.command()
def status() -> None:
    """What the configured store holds."""
    settings = Settings()
    with open_store(settings) as store:
        _print_counts(settings, store.counts())


def _print_counts(settings: Settings, counts: StoreCounts) -> None:
    table = Table(title=f"{settings.store} store at {settings.data_dir}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for kind, n in sorted(counts.records_by_kind.items()):
        table.add_row(f"{kind} records", str(n))
    for source, n in sorted(counts.records_by_source.items()):
        table.add_row(f"records from {source}", str(n))
    table.add_row("record versions journalled", str(counts.record_versions))
    for label, n in sorted(counts.nodes_by_label.items()):
        table.add_row(f"{label} nodes", str(n))
    for edge_type, n in sorted(counts.edges_by_type.items()):
        table.add_row(f"{edge_type} edges", str(n))
    console.print(table)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout")] = None,
) -> None:
    """Print the JSON Schema of canonical records."""
    text = json.dumps(record_json_schema(), ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"wrote the record schema {SCHEMA_VERSION} to {out}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default WUTONG_API_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Default WUTONG_API_PORT")] = None,
) -> None:
    """Start the HTTP API on the configured store."""
    _serve(Settings(), host, port)


def _serve(settings: Settings, host: str | None, port: int | None) -> None:
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(settings), host=host or settings.api_host,
                port=port or settings.api_port, log_level="info")


@app.command()
def demo(
    people: Annotated[int, typer.Option(min=10, help="Number of true persons")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed")] = 7,
    serve_api: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the API at the end")
    ] = True,
) -> None:
    """The main job: generate demo exports, load every department, then serve the API."""
    settings = Settings()
    out = settings.data_dir / "demo-data"
    _generate(out, people, seed, overwrite=True)
    jobs = [LoadJob(out / department.value, shipped_mapping(department))
            for department in Department if (out / department.value).is_dir()]
    with open_store(settings) as store:
        reports = load_jobs(settings, store, jobs)
        unreconciled = [r for r in reports if not r.reconciled]
        if unreconciled:
            raise LoadNotReconciled("; ".join(r.reconciliation_line() for r in unreconciled))
        _print_counts(settings, store.counts())
        quarantined = sum(r.quarantined for r in reports)
        console.print(
            f"loaded {sum(r.loaded for r in reports)} records from {len(reports)} departments "
            f"({sum(r.duplicates for r in reports)} already present, {quarantined} "
            f"quarantined under {settings.quarantine_dir}); ground truth in "
            f"{out / 'ground_truth.jsonl'}"
        )
        if isinstance(store, ResolvingStore):
            run_store_resolution(store, settings, options_from(settings), refresh=False)
            _demo_alerts(store, settings)
        else:
            console.print(f"the {settings.store} store does not keep resolved entities; "
                          "nothing was resolved")
    if serve_api:
        base = f"http://{settings.api_host}:{settings.api_port}"
        console.print(f"API docs: {base}/docs   readiness: curl {base}/ready\n"
                      "every /v1 call needs a key: in another terminal run "
                      "`.venv/bin/wutong keys create --role analyst`, then\n"
                      f"curl -H 'Authorization: Bearer KEY' {base}/v1/alerts")
        _serve(settings, None, None)


def _demo_alerts(store: ResolvingStore, settings: Settings) -> None:
    from loaders.generator.clock import REFERENCE_DATE

    # The demo data lives in a fixed calendar: evaluate on its day, not today.
    as_of = settings.analytics_as_of or REFERENCE_DATE
    print_reconciliation(evaluate_all(store, settings, as_of))
    console.print(f"alerts as of {as_of}: `wutong alerts` lists them, "
                  "`wutong alert show ID` explains one")


def main() -> None:
    """Entry point for everything but `wutong resolve FILES` (see api.launcher)."""
    run(app)
