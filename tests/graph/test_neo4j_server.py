"""graph.neo4j_server: the conf writer and helpers (unit), and a running server (neo4j).

The `neo4j` tests connect to a server that is already running, e.g. one started with
`wutong neo4j start` (./scripts/test.sh starts it). They use the WUTONG_NEO4J_* settings;
the password is WUTONG_NEO4J_PASSWORD or the local server's password file.
"""

from __future__ import annotations

import os
import re
import socket
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path

import httpx
import pytest

from api.settings import Settings
from graph.memory_size import memory_size
from graph.neo4j_server import (
    BROWSER_VERSION,
    NEO4J_VERSION,
    POM_FILE,
    SERVER_ENTRY_POINT,
    Neo4jAuthFailed,
    Neo4jNotInstalled,
    Neo4jNotRunning,
    Neo4jToolMissing,
    ensure_password,
    find_java,
    find_mvn,
    render_conf,
    server_command,
    start,
    status,
    stop,
)
from graph.neo4j_store import Neo4jStore
from graph.records import PersonRecord
from graph.vocabulary import Department

REPO = Path(__file__).resolve().parents[2]


def _settings(text: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not key=value: {line!r}"
        assert "#" not in line, f"comment on a value line: {line!r}"
        assert key == key.strip() and value == value.strip(), f"stray blanks: {line!r}"
        settings.setdefault(key, []).append(value)
    return settings


def test_conf_listens_on_loopback_only(tmp_path: Path) -> None:
    text = render_conf(tmp_path, 7687, 7474)
    settings = _settings(text)
    assert settings["server.default_listen_address"] == ["127.0.0.1"]
    assert settings["server.bolt.listen_address"] == ["127.0.0.1:7687"]
    assert settings["server.http.listen_address"] == ["127.0.0.1:7474"]
    assert settings["server.https.enabled"] == ["false"]
    for key, values in settings.items():
        if key.endswith(("listen_address", "advertised_address")):
            assert all(value.startswith("127.0.0.1") for value in values), key
    assert "0.0.0.0" not in text


def test_conf_uses_other_ports(tmp_path: Path) -> None:
    settings = _settings(render_conf(tmp_path, 17687, 17474))
    assert settings["server.bolt.listen_address"] == ["127.0.0.1:17687"]
    assert settings["server.http.listen_address"] == ["127.0.0.1:17474"]


def test_conf_has_modest_memory_and_no_usage_report(tmp_path: Path) -> None:
    settings = _settings(render_conf(tmp_path, 7687, 7474))
    assert settings["server.memory.heap.initial_size"] == ["1g"]
    assert settings["server.memory.heap.max_size"] == ["1g"]
    assert settings["server.memory.pagecache.size"] == ["512m"]
    assert settings["dbms.memory.transaction.total.max"] == ["256m"]
    assert settings["db.tx_log.rotation.retention_policy"] == ["keep_none"]
    assert settings["dbms.usage_report.enabled"] == ["false"]
    assert settings["dbms.security.auth_enabled"] == ["true"]
    assert "-XX:+AlwaysPreTouch" not in settings["server.jvm.additional"]


def test_heap_and_page_cache_come_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WUTONG_NEO4J_HEAP_SIZE", "4G")
    monkeypatch.setenv("WUTONG_NEO4J_PAGECACHE_SIZE", " 6g")
    s = Settings()
    assert (s.neo4j_heap_size, s.neo4j_pagecache_size) == ("4g", "6g")
    conf = _settings(render_conf(tmp_path, 7687, 7474, heap_size=s.neo4j_heap_size,
                                 pagecache_size=s.neo4j_pagecache_size))
    assert conf["server.memory.heap.initial_size"] == ["4g"]
    assert conf["server.memory.heap.max_size"] == ["4g"]
    assert conf["server.memory.pagecache.size"] == ["6g"]
    command = server_command(Path("/usr/bin/java"), tmp_path, tmp_path, heap_size="4g")
    assert "-Xms4g" in command and "-Xmx4g" in command and "-Xmx1g" not in command


@pytest.mark.parametrize("bad", ["12x", "4", "0g", "1.5g", "4gb", "-1g", "4 g", "1g\nx=y"])
@pytest.mark.parametrize("variable", ["WUTONG_NEO4J_HEAP_SIZE", "WUTONG_NEO4J_PAGECACHE_SIZE"])
def test_a_bad_memory_size_is_refused_naming_its_variable(
    bad: str, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, bad)
    message = f"{variable} must be a memory size.*{re.escape(repr(bad))}"
    with pytest.raises(ValueError, match=message):
        Settings()
    with pytest.raises(ValueError, match="not a memory size"):
        memory_size(bad)


def test_conf_keeps_every_directory_in_the_data_dir(tmp_path: Path) -> None:
    settings = _settings(render_conf(tmp_path, 7687, 7474))
    directories = {k: v for k, v in settings.items() if k.startswith("server.directories.")}
    assert set(directories) >= {
        "server.directories.data",
        "server.directories.logs",
        "server.directories.run",
        "server.directories.plugins",
        "server.directories.import",
    }
    for values in directories.values():
        assert Path(values[0]).is_relative_to(tmp_path)


def test_conf_needs_an_absolute_data_dir() -> None:
    with pytest.raises(ValueError, match="absolute"):
        render_conf(Path("relative/data"), 7687, 7474)


def test_server_command_runs_the_community_entry_point(tmp_path: Path) -> None:
    command = server_command(Path("/usr/bin/java"), tmp_path / "home", tmp_path / "data")
    assert command[0] == "/usr/bin/java"
    assert "-Xmx1g" in command
    assert SERVER_ENTRY_POINT in command
    assert f"--config-dir={tmp_path / 'data' / 'conf'}" in command


def test_password_file_is_private_random_and_kept(tmp_path: Path) -> None:
    password_file = tmp_path / "secrets" / "password"
    first = ensure_password(password_file)
    assert len(first) >= 32 and first.isalnum()
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert ensure_password(password_file) == first
    assert ensure_password(tmp_path / "other") != first


def test_pom_pins_the_versions_the_module_expects() -> None:
    namespace = {"m": "http://maven.apache.org/POM/4.0.0"}
    root = ET.parse(POM_FILE).getroot()
    assert root.findtext("m:packaging", namespaces=namespace) == "pom"
    assert root.findtext("m:properties/m:neo4j.version", namespaces=namespace) == NEO4J_VERSION
    assert (
        root.findtext("m:properties/m:neo4j.browser.version", namespaces=namespace)
        == BROWSER_VERSION
    )
    assert NEO4J_VERSION.startswith("5.26.")


def test_count_statements_are_single_statement_files() -> None:
    for name in ("count_nodes.cypher", "count_relationships.cypher"):
        text = files("cypher").joinpath(name).read_text(encoding="utf-8")
        assert "RETURN count(" in text
        assert text.count(";") == 0


def _fake_java(tmp_path: Path, major: int) -> Path:
    java = tmp_path / f"java{major}" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(f"#!/bin/sh\necho '    java.specification.version = {major}' >&2\n")
    java.chmod(0o755)
    return java


def test_find_java_takes_an_explicit_java_17_or_a_jdk_home(tmp_path: Path) -> None:
    java = _fake_java(tmp_path, 17)
    assert find_java(java) == java
    assert find_java(java.parent.parent) == java


def test_find_java_refuses_a_java_neo4j_5_26_does_not_run_on(tmp_path: Path) -> None:
    with pytest.raises(Neo4jToolMissing, match="is Java 25"):
        find_java(_fake_java(tmp_path, 25))
    with pytest.raises(Neo4jToolMissing, match="does not run"):
        find_java(tmp_path / "no-such-java")


def test_find_mvn_names_a_missing_maven() -> None:
    with pytest.raises(Neo4jToolMissing, match="Maven"):
        find_mvn("wutong-no-such-mvn")


def test_start_needs_an_install(tmp_path: Path) -> None:
    with pytest.raises(Neo4jNotInstalled, match="install"):
        start(tmp_path / "home", tmp_path / "data")


def test_stop_without_a_server_returns_false(tmp_path: Path) -> None:
    assert stop(tmp_path) is False


def test_status_names_a_server_that_is_not_running() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free_port = int(sock.getsockname()[1])
    with pytest.raises(Neo4jNotRunning, match="No Neo4j answers"):
        status(password="unused", bolt_port=free_port, timeout_seconds=2.0)


# --- against a running server ---------------------------------------------------------


@dataclass(frozen=True)
class Target:
    bolt_uri: str
    http_url: str
    password: str


@pytest.fixture(scope="module")
def target() -> Target:
    """The running server; skips (fails under CI) when none is set up."""
    settings = Settings()
    password = settings.neo4j_password_value()
    if not password:
        message = (
            "no Neo4j configured: set WUTONG_NEO4J_PASSWORD, or start the local server with "
            f"`wutong neo4j start` (it writes {settings.neo4j_password_file})"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return Target(
        bolt_uri=settings.neo4j_uri,
        http_url=f"http://127.0.0.1:{settings.neo4j_http_port}",
        password=password,
    )


@pytest.mark.neo4j
def test_status_reports_version_and_counts(target: Target, neo4j_store: Neo4jStore) -> None:
    neo4j_store.append_records([
        PersonRecord(source=Department.PETITION_OFFICE, source_id=f"S-{i}",
                     observed_at=datetime(2026, 11, 1), name="王芳")
        for i in range(3)
    ])
    reported = status(password=target.password, bolt_uri=target.bolt_uri, http_url=target.http_url)
    assert reported.bolt_uri == target.bolt_uri
    assert reported.http_url == target.http_url
    assert reported.version.startswith("5.26"), reported.version
    # departments, 3 source records (each holding its only version), the sequence counter
    assert reported.nodes == len(Department) + 3 + 1
    assert reported.relationships == 3  # FROM


@pytest.mark.neo4j
def test_status_names_a_wrong_password(target: Target) -> None:
    with pytest.raises(Neo4jAuthFailed, match="wrong password"):
        status(password="not-the-password", bolt_uri=target.bolt_uri)


@pytest.mark.neo4j
def test_http_discovery_names_community_5_26(target: Target) -> None:
    response = httpx.get(
        f"{target.http_url}/", timeout=10.0, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    discovery = response.json()
    assert discovery["neo4j_version"].startswith("5.26")
    assert discovery["neo4j_edition"] == "community"


@pytest.mark.neo4j
def test_browser_is_served(target: Target) -> None:
    response = httpx.get(f"{target.http_url}/browser/", timeout=10.0, follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Neo4j Browser</title>" in response.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.neo4j
def test_first_start_sets_the_generated_password_and_retires_the_default(
    target: Target, tmp_path: Path
) -> None:
    """A second, brand-new server: its password is ours, set without any command line."""
    home = Settings().neo4j_home
    data_dir = tmp_path / "fresh"
    info = start(home, data_dir, _free_port(), _free_port(), wait_seconds=180)
    try:
        password = info.password_file.read_text(encoding="utf-8").strip()
        assert stat.S_IMODE(info.password_file.stat().st_mode) == 0o600
        assert status(password=password, bolt_uri=info.bolt_uri).version.startswith("5.26")
        with pytest.raises(Neo4jAuthFailed):
            status(password="neo4j", bolt_uri=info.bolt_uri)
        assert password not in (data_dir / "logs" / "console.log").read_text("utf-8")
    finally:
        assert stop(data_dir)
