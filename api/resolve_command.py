"""`wutong resolve`: batch entity resolution of CSV/JSONL files, for any department's export."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from resolver.batch import BatchResult, ResolveOptions, resolve_rows
from resolver.tables import (
    ColumnMapping,
    ResolveMappingError,
    load_mapping_file,
    parse_map_options,
    read_inputs,
    write_assignments,
    write_pairs,
)

console = Console(stderr=True)


def resolve(
    inputs: Annotated[list[Path], typer.Argument(
        help="One file to deduplicate, or two: link the second to the first (CSV or JSONL)")],
    out: Annotated[Path, typer.Option(help="Where to write record_id,entity_id")],
    id_column: Annotated[str | None, typer.Option(help="Column holding each record's id")] = None,
    map_: Annotated[list[str] | None, typer.Option(
        "--map", help="FIELD=COLUMN, repeatable; fields are listed in the README")] = None,
    mapping: Annotated[Path | None, typer.Option(
        help="YAML mapping file (id_column, fields) instead of --id-column and --map")] = None,
    pairs_out: Annotated[Path | None, typer.Option(
        help="Also write scored pairs with their per-field evidence (JSON lines)")] = None,
    threshold: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Match probability at which two records link")] = 0.8,
    review_threshold: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Match probability from which an unlinked pair is reviewed")] = 0.5,
    model_out: Annotated[Path | None, typer.Option(help="Save the trained model (JSON)")] = None,
    truth_column: Annotated[str | None, typer.Option(
        help="Column with known entity ids: print precision, recall and F1 against it")] = None,
    default_area: Annotated[str, typer.Option(
        help="Area code assumed for local numbers written without one ('' for none)")] = "574",
) -> None:
    """Resolve records in files to entities; prints a summary, writes OUT.csv."""
    if not 1 <= len(inputs) <= 2:
        raise ResolveMappingError("give one input to deduplicate or two to link")
    if review_threshold > threshold:
        raise ResolveMappingError("--review-threshold must not exceed --threshold")
    columns = _column_mapping(id_column, map_ or [], mapping)
    begun = time.monotonic()
    table = read_inputs(inputs, columns, [truth_column] if truth_column else [])
    options = ResolveOptions(link_threshold=threshold, review_threshold=review_threshold,
                             default_area=default_area or None)
    result = resolve_rows(table.record_ids, table.rows, frozenset(columns.fields),
                          table.sources, options)
    write_assignments(out, table.record_ids, result.entity_ids)
    if pairs_out:
        write_pairs(pairs_out, result, review_threshold)
    if model_out:
        for kind, part in result.kinds.items():
            part.model.save(model_out.with_name(f"{model_out.stem}.{kind}{model_out.suffix}"))
    _summary(result, len(table.record_ids), time.monotonic() - begun, out)
    if truth_column:
        _evaluate(result, [t.get(truth_column) for t in table.extra])


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
