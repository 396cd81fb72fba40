"""`wutong entity ID`: one resolved entity, where its records came from and why they merged."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api.settings import Settings
from api.stores import open_store
from graph.entities import MentionLink
from graph.errors import WutongError
from graph.masking import mask_field
from graph.store import ResolvingStore

console = Console()


class UnknownEntity(WutongError):
    """No entity has this id."""


def _shown(fields: dict[str, str | None], personal: bool) -> dict[str, str | None]:
    """The API's masking policy (graph.masking) unless --show-personal-data."""
    if personal:
        return fields
    return {k: mask_field(k, v) for k, v in fields.items()}


def entity(
    entity_id: Annotated[str, typer.Argument(help="An entity id, e.g. P00000042")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
    show_personal_data: Annotated[bool, typer.Option(
        help="Show ID numbers, phones, birth dates and individual businesses' credit "
        "codes in full (masked by default)")] = False,
) -> None:
    """An entity's records, the evidence that linked each one, and its merge history."""
    settings = Settings()
    with open_store(settings) as store:
        if not isinstance(store, ResolvingStore):
            raise UnknownEntity(f"the {settings.store} store keeps no resolved entities")
        live = store.resolve_entity(entity_id)
        if live is None:
            raise UnknownEntity(f"no entity {entity_id!r}; ids look like P00000042 or "
                                "E00000007 (see `wutong resolve`)")
        members = store.entity_members(live)
        events = store.entity_events(live)
    if as_json:
        for link in members:
            console.print_json(json.dumps(_link_json(link, show_personal_data),
                                          ensure_ascii=False))
        return
    if live != entity_id:
        console.print(f"{entity_id} was merged into {live}")
    _print_members(live, members, show_personal_data)
    history = Table(title="history")
    for column in ("when", "event", "other entity", "reason", "decided by"):
        history.add_column(column)
    for event in events:
        history.add_row(event.at.strftime("%Y-%m-%d %H:%M"), event.event.value,
                        event.other_entity_id or "", event.reason, event.decided_by)
    console.print(history)


def _link_json(link: MentionLink, personal: bool) -> dict[str, Any]:
    return {"mention": link.mention_id, "entity": link.entity_id, "decision": link.decision.value,
            "score": link.score, "decided_by": link.decided_by, "at": link.at.isoformat(),
            "fields": _shown(link.fields, personal), "evidence": link.evidence}


def _print_members(entity_id: str, members: list[MentionLink], personal: bool) -> None:
    table = Table(title=f"{entity_id}: {len(members)} records")
    for column in ("record", "fields", "decision", "probability", "evidence (weight per field)"):
        table.add_column(column)
    for link in members:
        fields = _shown(link.fields, personal)
        shown = " ".join(f"{v}" for v in fields.values() if v)
        contributions = link.evidence.get("contributions", [])
        parts = [f"{c['comparison']}: {c['level']} {c['weight'] + c['frequency_adjustment']:+.1f}"
                 for c in contributions if c.get("level") != "missing"]
        table.add_row(link.mention_id, shown, link.decision.value, f"{link.score:.3f}",
                      "; ".join(parts))
    console.print(table)
