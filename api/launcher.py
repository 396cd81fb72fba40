"""The `wutong` executable: `wutong resolve` starts without the rest of the command line.

Building the full command line (api.cli) imports every command's modules: the stores,
loaders, analytics (networkx), alert engine. Batch resolution of files needs none
of them, and on a 10,000-row file their import time was as long as the resolution itself.
So `wutong resolve ...` runs the same `resolve` command as a one-command app; every other
command goes through api.cli. Errors print and exit the same way on both paths.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from graph.errors import LoadNotReconciled, WutongError


def run(app: Callable[[], object]) -> None:
    """Run a Typer app; errors print as one actionable line on stderr.

    Exit status 2 for Wutong's own errors and unreadable files, 3 when a load does not
    reconcile (some rows unaccounted for).
    """
    try:
        app()
    except LoadNotReconciled as exc:
        _error(exc)
        raise SystemExit(3) from exc
    except (WutongError, OSError) as exc:
        _error(exc)
        raise SystemExit(2) from exc


def _error(exc: Exception) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[red]error:[/red] {exc}", soft_wrap=True)


def main() -> None:
    if sys.argv[1:2] == ["resolve"]:
        if _may_resolve_company_names(sys.argv[2:]):
            # Before anything else is imported: the child imports pypinyin meanwhile.
            from resolver import trade_name_sounds

            trade_name_sounds.start()
        import typer

        from api.resolve_command import resolve

        app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        app.command("resolve")(resolve)
        del sys.argv[1]  # a one-command app takes the command's arguments directly
        run(lambda: app(prog_name="wutong resolve"))
        return
    from api.cli import main as full_command_line

    full_command_line()


def _may_resolve_company_names(arguments: list[str]) -> bool:
    """Does this `wutong resolve` read files that may map a company name (a --map of it,
    or a mapping file, which is read only later)? A guess from the words alone, before
    Typer parses them: a wrong one costs a child's time, never a different result."""
    if not any(not a.startswith("-") for a in arguments):
        return False  # no input file: the store is resolved, or this is --help
    return any("company_name=" in a or a.split("=")[0] == "--mapping" for a in arguments)
