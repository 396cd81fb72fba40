"""`wutong keys create|list|revoke`: API keys, managed on the server's machine.

`create` prints the new key once, alone on the last line of its output (so a script can
take `| tail -n1`); only its hash is stored. The first admin key is made this way.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.keys import KeyStore, Role
from api.settings import Settings
from graph.errors import KeyStoreError
from graph.vocabulary import Department

keys_app = typer.Typer(no_args_is_help=True, help="API keys: create, list, revoke.")
console = Console()


def _key_store(settings: Settings) -> KeyStore:
    return KeyStore(settings.api_dir / "keys.sqlite3")


@keys_app.command()
def create(
    role: Annotated[Role, typer.Option(help="pusher, analyst, reviewer or admin")],
    department: Annotated[Department | None, typer.Option(
        help="The department a pusher pushes for (pushers only)")] = None,
    label: Annotated[str, typer.Option(help="Whose key it is")] = "",
) -> None:
    """Make a key; it is printed once, alone on the last line."""
    store = _key_store(Settings())
    try:
        key, plaintext = store.create(role, department.value if department else None, label)
    finally:
        store.close()
    where = f" for {key.department}" if key.department else ""
    typer.echo(f"created {key.role.value} key {key.key_id}{where}; it is shown only now:")
    typer.echo(plaintext)


@keys_app.command("list")
def list_keys(
    include_revoked: Annotated[bool, typer.Option(help="Also revoked keys")] = False,
) -> None:
    """The keys (id, role, department, label, dates), never their plaintext."""
    store = _key_store(Settings())
    try:
        keys = store.listed(limit=100_000, include_revoked=include_revoked)
    finally:
        store.close()
    table = Table(title=f"{len(keys)} API keys")
    for column in ("key id", "role", "department", "label", "created", "revoked"):
        table.add_column(column)
    for key in keys:
        table.add_row(key.key_id, key.role.value, key.department or "", key.label,
                      key.created_at.strftime("%Y-%m-%d %H:%M"),
                      key.revoked_at.strftime("%Y-%m-%d %H:%M") if key.revoked_at else "")
    console.print(table)


@keys_app.command()
def revoke(key_id: Annotated[str, typer.Argument(help="The key id `keys list` shows")]) -> None:
    """Revoke a key at once (a running server refuses it from its next request)."""
    store = _key_store(Settings())
    try:
        key = store.revoke(key_id)
    finally:
        store.close()
    if key is None:
        raise KeyStoreError(f"no key {key_id!r}")
    typer.echo(f"revoked {key.key_id} ({key.role.value})")
