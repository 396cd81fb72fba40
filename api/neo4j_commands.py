"""`wutong neo4j install | start | stop | status`: the local Neo4j server for Wutong."""

from __future__ import annotations

import time

import typer
from rich.console import Console

from api.settings import Settings

neo4j_app = typer.Typer(
    no_args_is_help=True,
    help="Install, start, stop and ask the local Neo4j server (jars from Maven Central).",
)
console = Console()


@neo4j_app.command()
def install() -> None:
    """Fetch the server and Neo4j Browser jars into WUTONG_NEO4J_HOME (once)."""
    from graph import neo4j_server

    settings = Settings()
    begun = time.monotonic()
    neo4j_server.install(settings.neo4j_home)
    console.print(f"Neo4j {neo4j_server.NEO4J_VERSION} installed in {settings.neo4j_home} "
                  f"({time.monotonic() - begun:.1f} s)")


@neo4j_app.command()
def start(
    wait: float = typer.Option(180.0, help="Seconds to wait for Bolt and HTTP to answer"),
) -> None:
    """Install if needed, start in the background, wait until it answers."""
    from graph import neo4j_server

    settings = Settings()
    neo4j_server.install(settings.neo4j_home)
    info = neo4j_server.start(
        settings.neo4j_home, settings.neo4j_server_dir, settings.neo4j_bolt_port,
        settings.neo4j_http_port, settings.neo4j_password_file, wait,
        heap_size=settings.neo4j_heap_size, pagecache_size=settings.neo4j_pagecache_size,
    )
    verb = "already running" if info.already_running else f"started in {info.seconds_to_http:.1f} s"
    console.print(f"Neo4j {info.version} {verb} (pid {info.pid})")
    console.print(f"  Bolt:    {info.bolt_uri}")
    console.print(f"  Browser: {info.http_url}/browser/  (user neo4j, password in "
                  f"{info.password_file})")
    console.print(f"  log:     {info.log_file}")


@neo4j_app.command()
def stop() -> None:
    """Stop the local server (SIGTERM; it takes about 10 s to shut down cleanly)."""
    from graph import neo4j_server

    settings = Settings()
    stopped = neo4j_server.stop(settings.neo4j_server_dir)
    console.print("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_app.command()
def status() -> None:
    """Bolt URI, Browser URL, version and counts; exits non-zero when it cannot connect."""
    from graph import neo4j_server

    settings = Settings()
    answer = neo4j_server.status(
        password=settings.neo4j_password_value(), bolt_uri=settings.neo4j_uri,
        http_url=f"http://127.0.0.1:{settings.neo4j_http_port}", user=settings.neo4j_user,
    )
    console.print(f"Neo4j {answer.version} at {answer.bolt_uri}")
    console.print(f"  Browser:       {answer.http_url}/browser/")
    console.print(f"  nodes:         {answer.nodes}")
    console.print(f"  relationships: {answer.relationships}")
