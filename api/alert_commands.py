"""`wutong alerts` and `wutong alert ack|close|show`: early warnings for risk staff.

`alert ack` and `alert close` are decisions: written to the API's append-only audit log
(`$WUTONG_DATA_DIR/api/audit.sqlite3`) like the API's, intent first.
"""

from __future__ import annotations

import getpass
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.analytics import conflict_clusters, load_network, refresh_analyst_graph
from api.analytics_commands import as_of_day
from api.audit import AuditLog
from api.settings import Settings
from api.stores import open_store
from graph.alert_config import load_alert_config
from graph.alert_engine import acknowledge_alert, close_alert, recompute_alerts
from graph.alerts import Alert, AlertLevel, AlertState, Reconciliation
from graph.errors import AlertNotFound, WutongError
from graph.store import GraphStore, ResolvingStore

console = Console()
alert_app = typer.Typer(no_args_is_help=True, help="Act on one alert.")

_LEVEL_STYLE = {AlertLevel.RED: "bold red", AlertLevel.ORANGE: "dark_orange",
                AlertLevel.YELLOW: "yellow"}


class NoAlertStore(WutongError):
    """The configured store keeps no alerts."""


def _resolving(store: GraphStore, settings: Settings) -> ResolvingStore:
    if not isinstance(store, ResolvingStore):
        raise NoAlertStore(f"the {settings.store} store keeps no resolved entities or alerts")
    return store


def alerts(
    recompute: Annotated[bool, typer.Option(
        "--recompute", help="Evaluate every rule over the whole network first")] = False,
    state: Annotated[AlertState | None, typer.Option(help="Only alerts in this state")] = None,
    rule: Annotated[str | None, typer.Option(help="Only this rule, e.g. R1")] = None,
    level: Annotated[AlertLevel | None, typer.Option(help="Only this level")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
    as_of: Annotated[str | None, typer.Option(
        help="Evaluate as of this day (YYYY-MM-DD); default WUTONG_ANALYTICS_AS_OF or today"
    )] = None,
) -> None:
    """Early-warning alerts, most urgent first, each with why it fired."""
    settings = Settings()
    with open_store(settings) as opened:
        store = _resolving(opened, settings)
        if recompute:
            result = evaluate_all(store, settings, as_of_day(settings, as_of))
            if not as_json:
                print_reconciliation(result)
        found = store.list_alerts(state=state, rule=rule, level=level, limit=limit)
    if as_json:
        for alert in found:
            typer.echo(json.dumps(alert.to_json(), ensure_ascii=False))
        return
    print_alerts(found)


def evaluate_all(store: ResolvingStore, settings: Settings, as_of: date) -> Reconciliation:
    """Every rule over the store's whole network, as `--recompute` and the demo run it; then
    the analyst graph (Neo4j Browser's edges, clusters and risk) from the same network."""
    network = load_network(store, settings)
    clusters = conflict_clusters(network)
    result = recompute_alerts(store, network, load_alert_config(settings.alert_rules), as_of,
                              clusters)
    refresh_analyst_graph(store, settings, as_of, network, clusters)
    return result


def print_reconciliation(result: Reconciliation) -> None:
    by_rule = Counter((a.rule, a.level.value) for a in result.changed)
    summary = ", ".join(f"{rule} {level}: {n}" for (rule, level), n in sorted(by_rule.items()))
    console.print(f"alerts evaluated: {len(result.raised)} raised, {len(result.updated)} "
                  f"updated, {result.unchanged} unchanged" + (f" ({summary})" if summary else ""))


def print_alerts(found: list[Alert]) -> None:
    if not found:
        console.print("no alerts")
        return
    table = Table(title=f"{len(found)} alert(s), most urgent first", show_lines=True)
    table.add_column("alert", no_wrap=True)
    table.add_column("level")
    table.add_column("state")
    table.add_column("why", ratio=1)
    for alert in found:
        table.add_row(alert.alert_id, f"[{_LEVEL_STYLE[alert.level]}]{alert.level.value}[/]",
                      alert.state.value, alert.reason)
    console.print(table)


@alert_app.command("show")
def show(alert_id: Annotated[str, typer.Argument(help="An alert id, e.g. A-R1-1a2b3c4d5e6f")],
         as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """One alert in full: the figures that crossed the threshold, its cases and history."""
    settings = Settings()
    with open_store(settings) as opened:
        alert = _resolving(opened, settings).get_alert(alert_id)
    if alert is None:
        raise AlertNotFound(f"no alert {alert_id!r}; `wutong alerts` lists them")
    if as_json:
        typer.echo(json.dumps(alert.to_json(), ensure_ascii=False))
        return
    console.print(f"[bold]{alert.alert_id}[/] {alert.rule} "
                  f"[{_LEVEL_STYLE[alert.level]}]{alert.level.value}[/] {alert.state.value}")
    console.print(alert.reason)
    console.print(f"window {alert.window_from} – {alert.window_to}")
    console.print("figures: " + json.dumps(alert.figures, ensure_ascii=False))
    console.print("entities: " + ", ".join(alert.entities))
    console.print("cases: " + ", ".join(alert.cases))
    for event in alert.history:
        console.print("  " + ", ".join(f"{k}={v}" for k, v in event.items()))


@alert_app.command("ack")
def ack(alert_id: Annotated[str, typer.Argument(help="The alert to acknowledge")],
        by: Annotated[str | None, typer.Option(help="Who (default: your login)")] = None,
        ) -> None:
    """Acknowledge an alert: someone is looking at it."""
    settings = Settings()
    who = by or getpass.getuser()
    with open_store(settings) as opened, _audited(settings, "acknowledge_alert", alert_id,
                                                  {"by": who}):
        alert = acknowledge_alert(_resolving(opened, settings), alert_id, who)
    console.print(f"{alert.alert_id} acknowledged by {alert.acknowledged_by}")


@alert_app.command("close")
def close(alert_id: Annotated[str, typer.Argument(help="The alert to close")],
          note: Annotated[str, typer.Option(help="What was done about it")],
          by: Annotated[str | None, typer.Option(help="Who (default: your login)")] = None,
          ) -> None:
    """Close an alert with a note; the same cause raises a new alert only for new cases."""
    settings = Settings()
    who = by or getpass.getuser()
    with open_store(settings) as opened, _audited(settings, "close_alert", alert_id,
                                                  {"by": who, "note": note}):
        alert = close_alert(_resolving(opened, settings), alert_id, who, note)
    console.print(f"{alert.alert_id} closed by {alert.closed_by}")


@contextmanager
def _audited(settings: Settings, action: str, alert_id: str, detail: dict[str, str]
             ) -> Iterator[None]:
    """The API's audit log (api.audit), intent before and outcome after, as key
    `cli:LOGIN` with role `cli`; `by` in the detail is who the alert names."""
    audit = AuditLog(settings.api_dir / "audit.sqlite3")
    try:
        with audit.decision(f"cli:{getpass.getuser()}", "cli", action, alert_id, detail):
            yield
    finally:
        audit.close()
