"""`wutong resolve`: batch entity resolution of CSV/JSONL files, for any department's export."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from graph.errors import WutongError
from resolver.batch import BatchResult, ResolveOptions, resolve_columns
from resolver.tables import (
    ColumnMapping,
    ResolveMappingError,
    load_mapping_file,
    parse_map_options,
    read_inputs,
    write_assignments,
    write_pairs,
)

if TYPE_CHECKING:
    from api.settings import Settings
    from graph.store import GraphStore, ResolvingStore

# Resolving files imports only the resolver; the store's modules (and the analytics they
# pull in: networkx) are imported where the store is resolved, so `wutong resolve
# FILE` starts in a fraction of the time. So is pydantic-settings, when no setting is given
# (see `_resolver_settings`).

console = Console(stderr=True)


class NotResolvable(WutongError):
    """The configured store cannot keep resolved entities."""


def resolve(
    inputs: Annotated[list[Path] | None, typer.Argument(
        help="One file to deduplicate, or two: link the second to the first (CSV or JSONL); "
             "none: resolve every record in the store")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Where to write record_id,entity_id (required with input files)")] = None,
    id_column: Annotated[str | None, typer.Option(help="Column holding each record's id")] = None,
    map_: Annotated[list[str] | None, typer.Option(
        "--map", help="FIELD=COLUMN, repeatable; fields are listed in the README")] = None,
    mapping: Annotated[Path | None, typer.Option(
        help="YAML mapping file (id_column, fields) instead of --id-column and --map")] = None,
    pairs_out: Annotated[Path | None, typer.Option(
        help="Also write scored pairs with their per-field evidence (JSON lines)")] = None,
    threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="Match probability at which two records link "
                               "[default: WUTONG_RESOLVER_LINK_THRESHOLD, 0.8]")] = None,
    review_threshold: Annotated[float | None, typer.Option(
        min=0.0, max=1.0, help="Match probability from which an unlinked pair is reviewed "
                               "[default: WUTONG_RESOLVER_REVIEW_THRESHOLD, 0.5]")] = None,
    model_out: Annotated[Path | None, typer.Option(help="Save the trained model (JSON)")] = None,
    truth_column: Annotated[str | None, typer.Option(
        help="Column with known entity ids: print precision, recall and F1 against it")] = None,
    default_area: Annotated[str | None, typer.Option(
        help="Area code assumed for local numbers written without one ('' for none) "
             "[default: WUTONG_RESOLVER_DEFAULT_AREA, 574]")] = None,
) -> None:
    """Resolve records to entities: files to OUT.csv, or everything in the store."""
    settings = _resolver_settings(store=not inputs)
    options = ResolveOptions(
        link_threshold=settings.link_threshold if threshold is None else threshold,
        review_threshold=(settings.review_threshold if review_threshold is None
                          else review_threshold),
        default_area=(settings.default_area if default_area is None
                      else default_area) or None)
    if options.review_threshold > options.link_threshold:
        raise ResolveMappingError("the review threshold must not exceed the link threshold")
    if not inputs:
        assert settings.full is not None
        _resolve_store(settings.full, options)
        return
    if len(inputs) > 2:
        raise ResolveMappingError("give one input to deduplicate or two to link")
    if out is None:
        raise ResolveMappingError("--out is required when resolving files")
    columns = _column_mapping(id_column, map_ or [], mapping)
    begun = time.monotonic()
    with _without_cyclic_gc():
        table = read_inputs(inputs, columns, [truth_column] if truth_column else [])
        result = resolve_columns(table.record_ids, table.columns, frozenset(columns.fields),
                                 table.sources, options)
    write_assignments(out, table.record_ids, result.entity_ids)
    if pairs_out:
        write_pairs(pairs_out, result, options.review_threshold)
    if model_out:
        for kind, part in result.kinds.items():
            part.model.save(model_out.with_name(f"{model_out.stem}.{kind}{model_out.suffix}"))
    _summary(result, len(table.record_ids), time.monotonic() - begun, out)
    if truth_column:
        _evaluate(result, table.extra[truth_column].cells())


@dataclass(frozen=True)
class _ResolverSettings:
    link_threshold: float
    review_threshold: float
    default_area: str | None
    full: Settings | None  # built when the store is resolved or any WUTONG_ variable is set


def _resolver_settings(store: bool) -> _ResolverSettings:
    """The resolver's settings. With no `WUTONG_*` variable set (any case: pydantic-settings
    matches names case-insensitively; it reads no .env file here) they are the defaults,
    which ResolveOptions repeats (a test pins that), so resolving files does not import
    pydantic-settings: 0.2 s, an eighth of resolving 10,000 records. Any such variable,
    even one the resolver does not read, goes through Settings as before, so an invalid
    one still fails the same way."""
    if store or any(name.upper().startswith("WUTONG_") for name in os.environ):
        from api.settings import Settings

        full = Settings()
        return _ResolverSettings(full.resolver_link_threshold, full.resolver_review_threshold,
                                 full.resolver_default_area, full)
    defaults = ResolveOptions()
    return _ResolverSettings(defaults.link_threshold, defaults.review_threshold,
                             defaults.default_area, None)


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off while a batch builds millions of objects that live
    to the end (rows, parsed values): it would rescan them again and again, about a tenth
    of the run at a million rows, for the few reference cycles among them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def options_from(settings: Settings) -> ResolveOptions:
    return ResolveOptions(link_threshold=settings.resolver_link_threshold,
                          review_threshold=settings.resolver_review_threshold,
                          default_area=settings.resolver_default_area or None)


def _resolve_store(settings: Settings, options: ResolveOptions) -> None:
    from api.stores import open_store

    with open_store(settings) as store:
        run_store_resolution(store, settings, options)


def run_store_resolution(store: GraphStore, settings: Settings, options: ResolveOptions,
                         refresh: bool = True) -> None:
    """Resolve every record in `store` and print what changed; then refresh the analyst
    graph unless `refresh` is False (the demo refreshes it with its alerts)."""
    from graph.store import ResolvingStore
    from resolver.store_resolution import resolve_store

    begun = time.monotonic()
    if not isinstance(store, ResolvingStore):
        raise NotResolvable(f"the {settings.store} store does not keep resolved entities")
    report = resolve_store(store, options, settings.models_dir,
                           progress=lambda text: console.print(text))
    table = Table(title=f"resolved the store in {time.monotonic() - begun:.1f} s; models in "
                        f"{settings.models_dir}")
    for column in ("kind", "mentions", "entities", "new", "merged", "split", "to review",
                   "model"):
        table.add_column(column, justify="right")
    for k in report.kinds:
        table.add_row(k.kind.value, f"{k.mentions:,}", f"{k.entities:,}", f"{k.created:,}",
                      f"{k.merged:,}", f"{k.split:,}", f"{k.review:,}", k.model_version)
    console.print(table)
    if refresh:
        _refresh(store, settings)


def _refresh(store: ResolvingStore, settings: Settings) -> None:
    from api.analytics import refresh_analyst_graph

    begun = time.monotonic()
    as_of = settings.as_of()
    graph = refresh_analyst_graph(store, settings, as_of)
    edges = ", ".join(f"{n:,} {t}" for t, n in sorted(graph.edge_counts().items()))
    console.print(f"analyst graph refreshed in {time.monotonic() - begun:.1f} s "
                  f"(risk as of {as_of}): {edges or 'no edges'}")


def _column_mapping(id_column: str | None, maps: list[str], mapping: Path | None
                    ) -> ColumnMapping:
    if mapping is not None:
        if id_column or maps:
            raise ResolveMappingError("give either --mapping or --id-column with --map, not both")
        return load_mapping_file(mapping)
    if not id_column:
        raise ResolveMappingError("--id-column is required (or a --mapping file)")
    fields = parse_map_options(maps)
    if not fields:
        raise ResolveMappingError("map at least one field, e.g. --map name=姓名")
    return ColumnMapping(id_column, fields)


def _summary(result: BatchResult, records: int, seconds: float, out: Path) -> None:
    table = Table(title=f"resolved {records:,} records into {result.entity_count:,} entities "
                        f"in {seconds:.1f} s → {out}")
    for column in ("kind", "records", "candidate pairs", "linked", "to review", "entities",
                   "prior", "EM iterations"):
        table.add_column(column, justify="right")
    for kind, part in result.kinds.items():
        entities = len(np.unique(part.clusters.labels))
        table.add_row(kind, f"{part.frame.n:,}", f"{part.blocking.unique_pairs:,}",
                      f"{part.clusters.links_taken:,}", f"{len(part.review):,}",
                      f"{entities:,}", f"{part.model.prior:.4f}", str(part.model.em_iterations))
    console.print(table)
    rules = Table(title="blocking rules")
    for column in ("kind", "rule", "pairs", "blocks", "largest", "capped"):
        rules.add_column(column, justify="right")
    for kind, part in result.kinds.items():
        for r in part.blocking.rules:
            rules.add_row(kind, r.rule, f"{r.pairs:,}", f"{r.blocks:,}", f"{r.largest_block:,}",
                          f"{r.capped_blocks:,}")
    console.print(rules)


def _evaluate(result: BatchResult, truth: list[str | None]) -> None:
    from resolver.evaluation import pairwise_scores

    labelled = {str(k): t for k, t in enumerate(truth) if t is not None}
    predicted = {k: result.entity_ids[int(k)] for k in labelled}
    scores = pairwise_scores(predicted, labelled)
    console.print(f"pairwise precision {scores.precision:.4f} recall {scores.recall:.4f} "
                  f"F1 {scores.f1:.4f} (tp {scores.tp:,} fp {scores.fp:,} fn {scores.fn:,})")
    for kind, part in result.kinds.items():
        rows = part.rows
        labels = np.asarray([truth[r] or f"?{r}" for r in rows.tolist()], dtype=object)
        found = int((labels[part.i] == labels[part.j]).sum())
        _, sizes = np.unique(labels, return_counts=True)
        true_pairs = int((sizes * (sizes - 1) // 2).sum())
        recall = found / true_pairs if true_pairs else 1.0
        console.print(f"{kind}: blocking found {found:,} of {true_pairs:,} true pairs "
                      f"(recall {recall:.4f})")
