"""A real Neo4j Community 5.26 server, assembled from Maven Central jars, on loopback.

No tarball, Docker image or download site is needed: `install()` has Maven copy the server
jars and the Neo4j Browser jar (see `graph/neo4j-server-pom.xml`) into `<home>/lib`;
`start()` writes a small loopback-only `neo4j.conf` under a data directory, sets a random
initial password on first start and runs `org.neo4j.server.CommunityEntryPoint` as a
detached background process (the same command `neo4j console --dry-run` prints, with the
JVM flags of the packaged distribution); `stop()` sends SIGTERM; `status()` asks the
server over Bolt. One home can serve several data directories (each its own conf, store,
logs, pid file and password). docs/neo4j-server.md records what was measured.

Layout of a data directory::

    <data_dir>/conf/neo4j.conf      written by start()
    <data_dir>/data/                stores (system, neo4j) and data/dbms/auth.ini
    <data_dir>/logs/console.log     the JVM's stdout and stderr (plus neo4j.log, debug.log)
    <data_dir>/run/, plugins/, import/
    <data_dir>/neo4j-server.pid     pid of the server JVM
    <data_dir>/password             default password file (mode 0600)

Command line: ``wutong neo4j install|start|stop|status``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from cypher.catalog import statement
from graph.errors import WutongError
from graph.memory_size import memory_size

NEO4J_VERSION = "5.26.31"
BROWSER_VERSION = "5.24.0"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
DEFAULT_USER = "neo4j"
LOOPBACK = "127.0.0.1"

# A 1,000-record load transaction keeps its state on the heap until it commits: with 512m
# the collector took a fifth of the server's CPU during a bulk load (young collections
# copying that state, concurrent marking), with 1g a twentieth. The page cache holds a
# 100k-record store (about 200 MB) whole.
# Both defaults are settings (WUTONG_NEO4J_HEAP_SIZE, WUTONG_NEO4J_PAGECACHE_SIZE): a
# store of a million records (about 2 GB) outgrows the 512m page cache.
HEAP_SIZE = "1g"
PAGECACHE_SIZE = "512m"
TRANSACTION_TOTAL_MAX = "256m"
TX_LOG_RETENTION = "keep_none"
"""Transaction logs kept after a checkpoint: only the latest. Neo4j's default (2 days) is
for differential backups and clusters, which Community has not; recovery needs only the
logs since the last checkpoint, which are never pruned. With the default a 100k-record
batch resolution left 1.6 GB of logs beside an 0.8 GB store."""

SUPPORTED_JAVA_MAJORS = (17, 21)
"""Java versions Neo4j 5.26 runs on, the first preferred."""

POM_FILE = Path(__file__).with_name("neo4j-server-pom.xml")
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
SERVER_ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
NEO4J_DEFAULT_PASSWORD = "neo4j"  # what a new store accepts until the password is changed

PID_FILE_NAME = "neo4j-server.pid"
PASSWORD_FILE_NAME = "password"
CONSOLE_LOG_NAME = "console.log"
INSTALL_MARKER_NAME = ".wutong-installed.json"

JVM_OPTIONS: tuple[str, ...] = (
    # The packaged distribution's server.jvm.additional defaults, less -XX:+AlwaysPreTouch
    # (which would touch the whole heap at start on a shared machine).
    "-Dfile.encoding=UTF-8",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
)

_POLL_SECONDS = 0.25
_PASSWORD_ALPHABET = string.ascii_letters + string.digits

_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}
"""Servers this process started, kept so that `stop()` can reap them (and Popen's
destructor does not warn about a child that is meant to outlive it)."""


class Neo4jServerError(WutongError):
    """Base class: anything that went wrong installing, starting, stopping or asking."""


class Neo4jToolMissing(Neo4jServerError):
    """`mvn` or a suitable `java` (17 or 21) is not available."""


class Neo4jInstallError(Neo4jServerError):
    """Maven could not fetch the server's jars."""


class Neo4jNotInstalled(Neo4jServerError):
    """The home has no installed jars: run `install(home)` first."""


class Neo4jStartError(Neo4jServerError):
    """The server did not come up (exited, timed out, or could not be prepared)."""


class Neo4jPortInUse(Neo4jStartError):
    """Something else already listens on the Bolt or HTTP port."""


class Neo4jNotRunning(Neo4jServerError):
    """No Neo4j server answers on the Bolt address."""


class Neo4jAuthFailed(Neo4jServerError):
    """The server answers but rejects the user name or password."""


@dataclass(frozen=True)
class ServerInfo:
    """A started (or already running) server."""

    bolt_uri: str
    http_url: str
    version: str
    pid: int
    data_dir: Path
    password_file: Path
    log_file: Path
    seconds_to_bolt: float
    seconds_to_http: float
    already_running: bool


@dataclass(frozen=True)
class ServerStatus:
    """What a running server reports."""

    bolt_uri: str
    http_url: str
    version: str
    nodes: int
    relationships: int


# --- Java and Maven ---------------------------------------------------------------------


@cache
def java_major_version(java: Path) -> int | None:
    """The major version of the `java` executable, or None if it does not run."""
    try:
        proc = subprocess.run(
            [str(java), "-XshowSettings:properties", "-version"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"java\.specification\.version = (\d+)", proc.stderr)
    return int(match.group(1)) if match else None


def _java_executable(candidate: Path) -> Path:
    return candidate / "bin" / "java" if candidate.is_dir() else candidate


def find_java(java: Path | str | None = None) -> Path:
    """The `java` to run Neo4j 5.26 with.

    `java` (an executable or a JDK/JRE home) wins when given and must be Java 17 or 21.
    Otherwise the first Java 17, else the first Java 21, among $JAVA_HOME, /usr/bin/java,
    `java` on PATH and /usr/lib/jvm/*.
    """
    if java is not None:
        exe = _java_executable(Path(java))
        major = java_major_version(exe)
        if major not in SUPPORTED_JAVA_MAJORS:
            found = "does not run" if major is None else f"is Java {major}"
            raise Neo4jToolMissing(
                f"{exe} {found}; Neo4j {NEO4J_VERSION} needs Java 17 or 21. Pass another "
                "java, or leave it out to pick one automatically."
            )
        return exe
    candidates: list[Path] = []
    if java_home := os.environ.get("JAVA_HOME"):
        candidates.append(Path(java_home) / "bin" / "java")
    candidates.append(Path("/usr/bin/java"))
    if on_path := shutil.which("java"):
        candidates.append(Path(on_path))
    candidates.extend(sorted(Path("/usr/lib/jvm").glob("*/bin/java")))
    seen: dict[Path, int | None] = {}
    for candidate in candidates:
        if candidate.is_file() and candidate.resolve() not in seen:
            seen[candidate.resolve()] = java_major_version(candidate)
    for wanted in SUPPORTED_JAVA_MAJORS:
        for exe, major in seen.items():
            if major == wanted:
                return exe
    tried = ", ".join(f"{exe} (Java {major})" for exe, major in seen.items()) or "none found"
    raise Neo4jToolMissing(
        f"No Java 17 or 21 for Neo4j {NEO4J_VERSION} (tried: {tried}). Install one "
        "(apt-get install openjdk-17-jre-headless) or pass java=/path/to/jdk."
    )


def _java_home(java: Path) -> Path:
    return java.resolve().parent.parent


def find_mvn(mvn: Path | str | None = None) -> Path:
    """The Maven executable: `mvn` when given, else `mvn` on PATH."""
    found = shutil.which(str(mvn)) if mvn is not None else shutil.which("mvn")
    if found is None:
        raise Neo4jToolMissing(
            f"Maven ({mvn or 'mvn'}) not found on PATH; install Maven 3.8+ "
            "(apt-get install maven) or pass mvn=/path/to/mvn."
        )
    return Path(found)


# --- install --------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lib_jar_names() -> tuple[str, ...]:
    return (
        f"neo4j-{NEO4J_VERSION}.jar",
        f"neo4j-server-{NEO4J_VERSION}.jar",
        f"neo4j-browser-{BROWSER_VERSION}.jar",
    )


def is_installed(home: Path, pom: Path | None = None) -> bool:
    """True when `home/lib` holds the jars of this pom (a completed install)."""
    marker = home / INSTALL_MARKER_NAME
    pom_file = pom or POM_FILE
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        wanted = _sha256(pom_file.read_bytes())
    except (OSError, ValueError):
        return False
    lib = home / "lib"
    return (
        isinstance(recorded, dict)
        and recorded.get("pom_sha256") == wanted
        and all((lib / jar).is_file() for jar in _lib_jar_names())
    )


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tail(text: str, lines: int = 25) -> str:
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return "\n".join(plain.strip().splitlines()[-lines:])


def install(
    home: Path,
    *,
    mvn: Path | str | None = None,
    java: Path | str | None = None,
    pom: Path | None = None,
    timeout_seconds: float = 1800.0,
) -> None:
    """Fetch the server and Browser jars into `home/lib` with Maven, once.

    A later call with the same pom returns at once. Maven's cache (~/.m2) makes a
    reinstall cheap. `home/lib` is replaced only when the download succeeded.
    """
    home = home.resolve()
    pom_file = pom or POM_FILE
    try:
        pom_bytes = pom_file.read_bytes()
    except OSError as error:
        raise Neo4jInstallError(
            f"Cannot read the server pom {pom_file}: {error}. Run from a source checkout "
            "of Wutong or pass pom=path/to/neo4j-server-pom.xml."
        ) from error
    if is_installed(home, pom_file):
        return
    mvn_exe = find_mvn(mvn)
    java_exe = find_java(java)
    home.mkdir(parents=True, exist_ok=True)
    with _file_lock(home / ".install.lock"):
        if is_installed(home, pom_file):
            return
        (home / "pom.xml").write_bytes(pom_bytes)
        partial = home / "lib.partial"
        shutil.rmtree(partial, ignore_errors=True)
        command = [
            str(mvn_exe),
            "-B",
            "-q",
            "-f",
            str(home / "pom.xml"),
            "-Dmaven.wagon.http.retryHandler.count=5",
            f"{DEPENDENCY_PLUGIN}:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={partial}",
        ]
        env = {**os.environ, "JAVA_HOME": str(_java_home(java_exe))}
        try:
            proc = subprocess.run(
                command,
                cwd=home,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout_seconds,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            shutil.rmtree(partial, ignore_errors=True)
            raise Neo4jInstallError(
                f"Maven did not finish fetching the Neo4j jars within {timeout_seconds:.0f} s; "
                "check the connection to Maven Central and retry (finished downloads stay "
                "in ~/.m2)."
            ) from error
        if proc.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            raise Neo4jInstallError(
                f"Maven failed (exit {proc.returncode}) fetching Neo4j {NEO4J_VERSION}: "
                f"{' '.join(command)}\n{_tail(proc.stdout + proc.stderr)}\n"
                "Check that Maven Central is reachable (a mirror in ~/.m2/settings.xml?) "
                f"and retry; {home / 'lib'} was left as it was."
            )
        missing = [jar for jar in _lib_jar_names() if not (partial / jar).is_file()]
        if missing:
            raise Neo4jInstallError(
                f"Maven succeeded but {partial} lacks {', '.join(missing)}; "
                f"does {pom_file} still name Neo4j {NEO4J_VERSION} and Browser "
                f"{BROWSER_VERSION}?"
            )
        lib = home / "lib"
        old = home / "lib.old"
        shutil.rmtree(old, ignore_errors=True)
        if lib.exists():
            lib.rename(old)
        partial.rename(lib)
        shutil.rmtree(old, ignore_errors=True)
        marker = {
            "pom_sha256": _sha256(pom_bytes),
            "neo4j_version": NEO4J_VERSION,
            "browser_version": BROWSER_VERSION,
            "jars": len(list(lib.glob("*.jar"))),
            "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (home / INSTALL_MARKER_NAME).write_text(json.dumps(marker, indent=2), encoding="utf-8")


# --- configuration --------------------------------------------------------------------



def neo4j_settings(
    data_dir: Path, bolt_port: int, http_port: int, *, heap_size: str = HEAP_SIZE,
    pagecache_size: str = PAGECACHE_SIZE,
) -> dict[str, str]:
    """The settings `start()` writes: loopback only, small memory by default (heap initial
    and maximum size both `heap_size`), directories in data_dir."""
    if not data_dir.is_absolute():
        raise ValueError(f"data_dir must be absolute, got {data_dir}")
    heap_size, pagecache_size = memory_size(heap_size), memory_size(pagecache_size)
    return {
        "server.default_listen_address": LOOPBACK,
        "server.default_advertised_address": LOOPBACK,
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"{LOOPBACK}:{bolt_port}",
        "server.bolt.advertised_address": f"{LOOPBACK}:{bolt_port}",
        "server.http.enabled": "true",
        "server.http.listen_address": f"{LOOPBACK}:{http_port}",
        "server.http.advertised_address": f"{LOOPBACK}:{http_port}",
        "server.https.enabled": "false",
        "server.directories.data": str(data_dir / "data"),
        "server.directories.logs": str(data_dir / "logs"),
        "server.directories.run": str(data_dir / "run"),
        "server.directories.plugins": str(data_dir / "plugins"),
        "server.directories.import": str(data_dir / "import"),
        "server.memory.heap.initial_size": heap_size,
        "server.memory.heap.max_size": heap_size,
        "server.memory.pagecache.size": pagecache_size,
        "dbms.memory.transaction.total.max": TRANSACTION_TOTAL_MAX,
        "db.tx_log.rotation.retention_policy": TX_LOG_RETENTION,
        "dbms.security.auth_enabled": "true",
        "dbms.usage_report.enabled": "false",
    }


def render_conf(
    data_dir: Path, bolt_port: int, http_port: int, *, heap_size: str = HEAP_SIZE,
    pagecache_size: str = PAGECACHE_SIZE,
) -> str:
    """neo4j.conf text: comments on their own lines only, one `key=value` per line.

    The JVM options are listed as `server.jvm.additional` too, so the same conf also
    works with Neo4j's own bootloader (`org.neo4j.server.startup.Neo4jCommand console`).
    """
    lines = [
        "# Written by graph/neo4j_server.py; rewritten on every start.",
        f"# Neo4j {NEO4J_VERSION} Community, loopback only.",
    ]
    for key, value in neo4j_settings(data_dir, bolt_port, http_port, heap_size=heap_size,
                                     pagecache_size=pagecache_size).items():
        if any(char in value for char in "\r\n"):
            raise ValueError(f"{key} value contains a line break: {value!r}")
        lines.append(f"{key}={value}")
    lines.extend(f"server.jvm.additional={option}" for option in JVM_OPTIONS)
    return "\n".join(lines) + "\n"


def write_conf(
    data_dir: Path, bolt_port: int, http_port: int, *, heap_size: str = HEAP_SIZE,
    pagecache_size: str = PAGECACHE_SIZE,
) -> Path:
    """Write `data_dir/conf/neo4j.conf` and return its path."""
    conf_file = data_dir / "conf" / "neo4j.conf"
    conf_file.parent.mkdir(parents=True, exist_ok=True)
    conf_file.write_text(render_conf(data_dir, bolt_port, http_port, heap_size=heap_size,
                                     pagecache_size=pagecache_size), encoding="utf-8")
    return conf_file


def server_command(
    java: Path, home: Path, data_dir: Path, *, heap_size: str = HEAP_SIZE
) -> list[str]:
    """The command line of the server JVM."""
    classpath = f"{data_dir / 'plugins'}/*:{home / 'lib'}/*"
    heap_size = memory_size(heap_size)
    return [
        str(java),
        f"-Xms{heap_size}",
        f"-Xmx{heap_size}",
        *JVM_OPTIONS,
        "-cp",
        classpath,
        SERVER_ENTRY_POINT,
        f"--home-dir={home}",
        f"--config-dir={data_dir / 'conf'}",
        "--console-mode",
    ]


# --- password -------------------------------------------------------------------------


def ensure_password(password_file: Path) -> str:
    """The password kept in `password_file`; a new random one (file mode 0600) if absent."""
    if password_file.exists():
        password = password_file.read_text(encoding="utf-8").strip()
        if not password:
            raise Neo4jServerError(
                f"{password_file} is empty; put the server's password in it, or delete it "
                "together with the data directory to start afresh."
            )
        if password_file.stat().st_mode & 0o077:
            password_file.chmod(0o600)
        return password
    password_file.parent.mkdir(parents=True, exist_ok=True)
    # Letters and digits only (190 bits): no leading "-" that a command line would take for
    # an option, nothing a shell or neo4j.conf would interpret.
    password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(32))
    descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    password_file.chmod(0o600)
    return password


def read_password(password_file: Path) -> str:
    """The password in `password_file`."""
    try:
        password = password_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError as error:
        raise Neo4jServerError(
            f"No password file {password_file}; it is written by the first start."
        ) from error
    if not password:
        raise Neo4jServerError(f"{password_file} is empty.")
    return password


def _server_env(java: Path, home: Path, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "JAVA_HOME": str(_java_home(java)),
        "NEO4J_HOME": str(home),
        "NEO4J_CONF": str(data_dir / "conf"),
    }


def _change_initial_password(bolt_uri: str, password: str) -> None:
    """Swap a new server's default password for ours, over Bolt and as a parameter.

    Neo4j's `set-initial-password` tool takes the password as a command-line argument,
    visible to every local user in `ps`; this route never puts it on a command line.
    """
    try:
        with GraphDatabase.driver(
            bolt_uri, auth=(DEFAULT_USER, NEO4J_DEFAULT_PASSWORD), connection_timeout=10.0
        ) as driver:
            driver.execute_query(
                statement("change_initial_password"), old=NEO4J_DEFAULT_PASSWORD,
                new=password, database_="system",
            )
    except (Neo4jError, DriverError) as error:
        raise Neo4jStartError(
            f"could not set the generated password on the new server at {bolt_uri}: {error}"
        ) from error


# --- processes ------------------------------------------------------------------------


def _is_alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return raw.decode(errors="replace").split("\0")


def _is_server_of(pid: int, data_dir: Path) -> bool:
    args = _cmdline(pid)
    return (
        args is not None
        and SERVER_ENTRY_POINT in args
        and f"--config-dir={data_dir / 'conf'}" in args
    )


def _find_server_pid(data_dir: Path) -> int | None:
    for proc_dir in Path("/proc").glob("[0-9]*"):
        pid = int(proc_dir.name)
        if _is_server_of(pid, data_dir) and _is_alive(pid):
            return pid
    return None


def running_pid(data_dir: Path) -> int | None:
    """The pid of the server running on `data_dir`, or None.

    Trusts the pid file only if that process is this data directory's server (pids are
    reused); without a usable pid file, looks for the server among running processes.
    """
    data_dir = data_dir.resolve()
    pid_file = data_dir / PID_FILE_NAME
    try:
        pid: int | None = int(pid_file.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        pid = None
    if pid is not None and _is_alive(pid) and _is_server_of(pid, data_dir):
        return pid
    pid_file.unlink(missing_ok=True)
    found = _find_server_pid(data_dir)
    if found is not None:
        pid_file.write_text(f"{found}\n", encoding="utf-8")
    return found


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((LOOPBACK, port)) == 0


def _wait_for_exit(pid: int, timeout_seconds: float) -> bool:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if not _is_alive(pid):
            return True
        time.sleep(_POLL_SECONDS)
    return not _is_alive(pid)


def _terminate(pid: int, timeout_seconds: float) -> None:
    child = _CHILDREN.pop(pid, None)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    exited = _wait_for_exit(pid, timeout_seconds)
    if not exited:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        exited = _wait_for_exit(pid, 30.0)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=1.0)
    if not exited:
        raise Neo4jServerError(f"Neo4j (pid {pid}) survived SIGKILL; check `ps -p {pid}`.")


def _log_tail(log_file: Path, lines: int = 30) -> str:
    try:
        return _tail(log_file.read_text(encoding="utf-8", errors="replace"), lines)
    except OSError:
        return "(no log)"


def _agent_version(agent: str) -> str:
    return agent.split("/", 1)[1] if "/" in agent else agent


def _http_answers(http_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{http_url}/", timeout=2.0) as response:
            return int(response.status) == 200
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class _Readiness:
    version: str
    seconds_to_bolt: float
    seconds_to_http: float


def _wait_until_ready(
    bolt_uri: str,
    http_url: str,
    auth: tuple[str, str],
    wait_seconds: float,
    process: subprocess.Popen[bytes] | None,
    log_file: Path,
    begun: float,
) -> _Readiness:
    """Poll until Bolt accepts the credentials (verify_connectivity), then until HTTP
    answers (Neo4j enables HTTP, and so Browser, about a second after Bolt). Times are
    measured from `begun` (a time.monotonic() value)."""
    deadline = time.monotonic() + wait_seconds
    last_error: Exception | None = None
    version: str | None = None
    seconds_to_bolt = 0.0
    while time.monotonic() < deadline:
        if process is not None and (code := process.poll()) is not None:
            raise Neo4jStartError(
                f"Neo4j exited with code {code} while starting; last lines of {log_file}:\n"
                f"{_log_tail(log_file)}"
            )
        if version is None:
            try:
                with GraphDatabase.driver(bolt_uri, auth=auth, connection_timeout=5.0) as driver:
                    driver.verify_connectivity()
                    version = _agent_version(driver.get_server_info().agent)
                    seconds_to_bolt = time.monotonic() - begun
            except AuthError as error:
                raise Neo4jAuthFailed(
                    f"Neo4j at {bolt_uri} rejects user {auth[0]!r} with the stored password: "
                    "the password file does not belong to this store. Restore the right file, "
                    "or delete the data directory and the password file to start afresh."
                ) from error
            except (ServiceUnavailable, Neo4jError, DriverError, OSError) as error:
                last_error = error
        if version is not None and _http_answers(http_url):
            return _Readiness(version, seconds_to_bolt, time.monotonic() - begun)
        time.sleep(_POLL_SECONDS)
    waited_for = f"HTTP at {http_url}" if version is not None else f"Bolt at {bolt_uri}"
    raise Neo4jStartError(
        f"Neo4j did not answer on {waited_for} within {wait_seconds:.0f} s (last error: "
        f"{last_error}); last lines of {log_file}:\n{_log_tail(log_file)}"
    )


# --- start / stop / status ------------------------------------------------------------


def start(
    home: Path,
    data_dir: Path,
    bolt_port: int = DEFAULT_BOLT_PORT,
    http_port: int = DEFAULT_HTTP_PORT,
    password_file: Path | None = None,
    wait_seconds: float = 180.0,
    *,
    java: Path | str | None = None,
    heap_size: str = HEAP_SIZE,
    pagecache_size: str = PAGECACHE_SIZE,
) -> ServerInfo:
    """Start Neo4j on `data_dir` in the background; wait until Bolt, then HTTP, answer.

    `password_file` defaults to `data_dir/password`. On the first start (no system
    database yet) a random password is generated into it (mode 0600), unless it exists,
    and set as the initial password. If this data directory's server already runs,
    waits for it and returns it (`already_running=True`). If the server exits, or Bolt
    and HTTP do not answer within `wait_seconds`, the server is stopped again and
    Neo4jStartError raised with the end of its log. `heap_size` and `pagecache_size`
    (MEMORY_SIZE) apply to a server this call starts, not to one already running.
    """
    home = home.resolve()
    data_dir = data_dir.resolve()
    password_path = (password_file or data_dir / PASSWORD_FILE_NAME).resolve()
    bolt_uri = f"bolt://{LOOPBACK}:{bolt_port}"
    http_url = f"http://{LOOPBACK}:{http_port}"
    log_file = data_dir / "logs" / CONSOLE_LOG_NAME
    if not is_installed(home):
        raise Neo4jNotInstalled(
            f"No Neo4j {NEO4J_VERSION} jars in {home / 'lib'}: run install({home}) or "
            f"`wutong neo4j install` first."
        )
    begun = time.monotonic()
    pid = running_pid(data_dir)
    if pid is not None:
        password = read_password(password_path)
        ready = _wait_until_ready(
            bolt_uri, http_url, (DEFAULT_USER, password), wait_seconds, None, log_file, begun
        )
        return ServerInfo(
            bolt_uri=bolt_uri,
            http_url=http_url,
            version=ready.version,
            pid=pid,
            data_dir=data_dir,
            password_file=password_path,
            log_file=log_file,
            seconds_to_bolt=ready.seconds_to_bolt,
            seconds_to_http=ready.seconds_to_http,
            already_running=True,
        )
    for port in (bolt_port, http_port):
        if _port_open(port):
            raise Neo4jPortInUse(
                f"Port {LOOPBACK}:{port} is already in use by another process (another Neo4j?). "
                f"Stop it (`ss -ltnp | grep :{port}`) or choose other ports."
            )
    java_exe = find_java(java)
    for sub in ("data", "logs", "run", "plugins", "import"):
        (data_dir / sub).mkdir(parents=True, exist_ok=True)
    write_conf(data_dir, bolt_port, http_port, heap_size=heap_size,
               pagecache_size=pagecache_size)
    first_start = not (data_dir / "data" / "databases" / "system").exists()
    if not first_start and not password_path.exists():
        raise Neo4jStartError(
            f"{data_dir} holds a store but its password file {password_path} is missing. "
            "Restore the file, or delete the data directory to start afresh."
        )
    password = ensure_password(password_path)
    with log_file.open("ab") as log:
        log.write(f"--- started by wutong at {datetime.now(UTC).isoformat()} ---\n".encode())
        log.flush()
        process = subprocess.Popen(
            server_command(java_exe, home, data_dir, heap_size=heap_size),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
            env=_server_env(java_exe, home, data_dir),
            start_new_session=True,
            close_fds=True,
        )
    _CHILDREN[process.pid] = process
    pid_file = data_dir / PID_FILE_NAME
    pid_file.write_text(f"{process.pid}\n", encoding="utf-8")
    try:
        first_auth = NEO4J_DEFAULT_PASSWORD if first_start else password
        ready = _wait_until_ready(
            bolt_uri, http_url, (DEFAULT_USER, first_auth), wait_seconds, process, log_file, begun
        )
        if first_start:
            _change_initial_password(bolt_uri, password)
    except Neo4jServerError:
        _terminate(process.pid, 60.0)
        pid_file.unlink(missing_ok=True)
        raise
    return ServerInfo(
        bolt_uri=bolt_uri,
        http_url=http_url,
        version=ready.version,
        pid=process.pid,
        data_dir=data_dir,
        password_file=password_path,
        log_file=log_file,
        seconds_to_bolt=ready.seconds_to_bolt,
        seconds_to_http=ready.seconds_to_http,
        already_running=False,
    )


def stop(data_dir: Path, timeout_seconds: float = 60.0) -> bool:
    """Stop the server running on `data_dir`: SIGTERM, then SIGKILL after the timeout.

    Returns False if none was running. A clean shutdown takes about 10-12 s (Bolt's
    thread pools wait 5 s twice).
    """
    data_dir = data_dir.resolve()
    pid = running_pid(data_dir)
    if pid is None:
        return False
    _terminate(pid, timeout_seconds)
    (data_dir / PID_FILE_NAME).unlink(missing_ok=True)
    return True


def status(
    password_file: Path | None = None,
    *,
    password: str | None = None,
    bolt_port: int = DEFAULT_BOLT_PORT,
    http_port: int = DEFAULT_HTTP_PORT,
    bolt_uri: str | None = None,
    http_url: str | None = None,
    user: str = DEFAULT_USER,
    timeout_seconds: float = 10.0,
) -> ServerStatus:
    """Ask the server over Bolt for its version and node and relationship counts.

    The password is `password`, else the content of `password_file`. `bolt_uri` and
    `http_url` default to loopback on the given ports.
    """
    if password is None:
        if password_file is None:
            raise Neo4jServerError("status() needs password= or password_file=.")
        password = read_password(password_file)
    uri = bolt_uri or f"bolt://{LOOPBACK}:{bolt_port}"
    http = http_url or f"http://{LOOPBACK}:{http_port}"
    try:
        with GraphDatabase.driver(
            uri, auth=(user, password), connection_timeout=timeout_seconds
        ) as driver:
            driver.verify_connectivity()
            version = _agent_version(driver.get_server_info().agent)
            counts: dict[str, int] = {}
            for key, name in (("nodes", "count_nodes"), ("relationships", "count_relationships")):
                records = driver.execute_query(statement(name), routing_=RoutingControl.READ)
                counts[key] = int(records.records[0]["count"])
    except AuthError as error:
        raise Neo4jAuthFailed(
            f"Neo4j at {uri} rejects user {user!r}: wrong password (check the password "
            "file or WUTONG_NEO4J_PASSWORD)."
        ) from error
    except ServiceUnavailable as error:
        raise Neo4jNotRunning(
            f"No Neo4j answers at {uri} ({error}). Start it with "
            "`wutong neo4j start`, or check the port."
        ) from error
    except (Neo4jError, DriverError, OSError) as error:
        raise Neo4jServerError(f"Neo4j at {uri} failed to answer status: {error}") from error
    return ServerStatus(
        bolt_uri=uri,
        http_url=http,
        version=version,
        nodes=counts["nodes"],
        relationships=counts["relationships"],
    )
