"""`wutong risk`, `wutong clusters` and `wutong departments`: the analytics in a terminal.

Each reads the whole dispute network from the configured store once, then answers for the
day given by --as-of (default WUTONG_ANALYTICS_AS_OF, else today). ID numbers and credit
codes are masked as in `wutong entity`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api.analytics import load_network, risk_weights
from api.settings import Settings
from api.stores import open_store
from graph.cluster_summary import ClusterSummary
from graph.clusters import ConflictClusters
from graph.errors import UnknownSubject
from graph.masking import mask_strong_identifier
from graph.network import DisputeNetwork
from graph.performance import department_performance
from graph.risk import RiskScore, RiskScorer, clusters_with_cases
from graph.store import ResolvingStore

console = Console()


def register_analytics(app: typer.Typer) -> None:
    app.command("risk")(risk)
    app.command("clusters")(clusters)
    app.command("departments")(departments)

AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="The day to compute for (YYYY-MM-DD); default WUTONG_ANALYTICS_AS_OF, "
    "else today")]
AsJson = Annotated[bool, typer.Option("--json", help="One JSON object per line")]


def as_of_day(settings: Settings, as_of: str | None) -> date:
    """The `--as-of` option's day, else the settings' (WUTONG_ANALYTICS_AS_OF or today)."""
    if as_of is None:
        return settings.as_of()
    try:
        return date.fromisoformat(as_of)
    except ValueError as exc:
        raise typer.BadParameter(f"{as_of!r} is not a date (YYYY-MM-DD)",
                                 param_hint="--as-of") from exc


def _network(settings: Settings) -> DisputeNetwork:
    with open_store(settings) as store:
        if not isinstance(store, ResolvingStore):
            raise UnknownSubject(f"the {settings.store} store keeps no resolved entities")
        return load_network(store, settings)


def _emit(obj: dict[str, Any]) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, default=str))


def _contributions_json(score: RiskScore) -> list[dict[str, Any]]:
    return [asdict(c) for c in score.contributions]


def risk(
    entity_id: Annotated[str, typer.Argument(help="An entity id, e.g. E00000054")],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """An entity's risk score and every fact that contributed to it."""
    settings = Settings()
    day = as_of_day(settings, as_of)
    with open_store(settings) as store:
        if not isinstance(store, ResolvingStore):
            raise UnknownSubject(f"the {settings.store} store keeps no resolved entities")
        live = store.resolve_entity(entity_id)
        if live is None:
            raise UnknownSubject(f"no entity {entity_id!r}; ids look like P00000042 or "
                                 "E00000007 (see `wutong resolve`)")
        network = load_network(store, settings)
    score = RiskScorer(network, risk_weights(settings), day).entity(live)
    identifier = _masked_identifier(network, live)
    if as_json:
        _emit({"entity": live, "name": score.name, "identifier": identifier,
               "as_of": day.isoformat(), "score": score.score, "level": score.level,
               "by_factor": score.by_factor(), "contributions": _contributions_json(score),
               "ignored": list(score.ignored)})
        return
    if live != entity_id:
        console.print(f"{entity_id} was merged into {live}")
    console.print(f"[bold]{live}[/bold] {score.name} {identifier or ''}: risk "
                  f"[bold]{score.score:g}[/bold] ({score.level}) on {day}")
    factors = Table(title="by factor")
    factors.add_column("factor")
    factors.add_column("points", justify="right")
    for factor, points in sorted(score.by_factor().items(), key=lambda f: -f[1]):
        factors.add_row(factor, f"{points:g}")
    console.print(factors)
    facts = Table(title="facts behind the score (largest first)")
    for column in ("points", "factor", "why"):
        facts.add_column(column)
    for c in sorted(score.contributions, key=lambda c: -c.points)[:30]:
        facts.add_row(f"{c.points:g}", c.factor, c.detail)
    if len(score.contributions) > 30:
        facts.caption = f"{len(score.contributions) - 30} smaller facts not shown (--json)"
    console.print(facts)
    for line in score.ignored:
        console.print(f"not counted: {line}")


def clusters(
    top: Annotated[int, typer.Option(min=1, help="How many clusters, highest risk first")] = 10,
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Conflict clusters with open or recent cases, highest risk first."""
    settings = Settings()
    day = as_of_day(settings, as_of)
    network = _network(settings)
    scorer = RiskScorer(network, risk_weights(settings), day)
    ranked = clusters_with_cases(network, ConflictClusters.full(network).clusters(), scorer)
    ranked.sort(key=lambda r: (-r.risk.score, r.summary.cluster_id))
    for r in ranked[:top]:
        if as_json:
            _emit(_cluster_json(network, r.risk, r.summary, day))
        else:
            _print_cluster(network, r.risk, r.summary)
    if not as_json:
        shown = min(top, len(ranked))
        console.print(f"{len(ranked)} clusters with cases on {day}; showing {shown}")


def _masked_identifier(network: DisputeNetwork, entity_id: str) -> str | None:
    """The entity's ID number or credit code under the API's policy for analysts."""
    kind = network.kind_of(entity_id)
    return mask_strong_identifier(kind.value if kind else None,
                                  network.identifier_of(entity_id))


def _cluster_json(network: DisputeNetwork, score: RiskScore, summary: ClusterSummary,
                  day: date) -> dict[str, Any]:
    out = asdict(summary)
    out["entities"] = [{"entity": e, "name": network.name_of(e),
                        "identifier": _masked_identifier(network, e)}
                       for e in summary.entities]
    out.update({"cluster": summary.cluster_id, "as_of": day.isoformat(), "score": score.score,
                "level": score.level, "by_factor": score.by_factor(),
                "reason": "; ".join(score.ignored)})
    del out["cluster_id"]
    return out


def _print_cluster(network: DisputeNetwork, score: RiskScore, s: ClusterSummary) -> None:
    table = Table(title=f"{s.cluster_id}: risk {score.score:g} ({score.level})",
                  show_header=False)
    table.add_column("what")
    table.add_column("value")
    names = ", ".join(f"{e} {network.name_of(e)}" for e in s.entities[:8])
    more = f" and {len(s.entities) - 8} more" if len(s.entities) > 8 else ""
    table.add_row("entities", f"{len(s.entities)} ({s.people} people, {s.enterprises} "
                  f"enterprises; part of {s.part_size}): {names}{more}")
    table.add_row("cases", f"{s.cases}: {s.open_cases} open, {s.closed_cases} closed")
    table.add_row("by category", _counts(s.cases_by_category))
    table.add_row("by state", _counts(s.cases_by_state))
    table.add_row("departments", ", ".join(s.departments))
    table.add_row("parties", f"{s.applicants} applicants, {s.respondents} respondents")
    table.add_row("amount claimed", f"¥{s.amount_claimed:,.2f}")
    table.add_row("activity", f"{s.first_activity} → {s.last_activity}")
    table.add_row("growth", f"{s.new_cases_7d} cases / {s.new_entities_7d} new entities in 7 "
                  f"days; {s.new_cases_30d} / {s.new_entities_30d} in 30 days")
    table.add_row("risk by factor", _counts(score.by_factor()))
    table.add_row("why", "; ".join(score.ignored))
    console.print(table)


def _counts(counts: dict[str, int] | dict[str, float]) -> str:
    return ", ".join(f"{k} {v:g}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def departments(as_of: AsOf = None, as_json: AsJson = False) -> None:
    """Per department and case category: received, closed, overdue against the statutory
    clocks, median handling time, share resolved before litigation."""
    settings = Settings()
    day = as_of_day(settings, as_of)
    network = _network(settings)
    rows = department_performance(network, day)
    if as_json:
        for row in rows:
            _emit({**asdict(row), "overdue": row.overdue, "as_of": day.isoformat()})
        return
    table = Table(title=f"department performance on {day}")
    for column in ("department", "category", "received", "closed", "overdue (open/late)",
                   "median days", "before litigation", "clock"):
        table.add_column(column)
    for r in rows:
        share = (f"{r.resolved_before_litigation:.0%}"
                 if r.resolved_before_litigation is not None else "–")
        median = f"{r.median_handling_days:g}" if r.median_handling_days is not None else "–"
        table.add_row(r.department, r.category, str(r.received), str(r.closed),
                      f"{r.overdue} ({r.overdue_open}/{r.closed_late})", median, share, r.clock)
    console.print(table)
