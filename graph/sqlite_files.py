"""The SQLite files Wutong keeps (journals, alerts, analyst graph, API keys, audit log):
opened one way, written in one kind of transaction."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from graph.errors import WutongError


def open_database(path: Path, schema: str, *, synchronous: Literal["FULL", "NORMAL"],
                  error: type[WutongError], what: str) -> sqlite3.Connection:
    """Open (creating) `path` in WAL mode and apply `schema`.

    The files hold personal data or what protects it, so the owner alone may read them.
    One connection serves every thread of the process (callers serialise with a lock);
    a second process waits up to 30 s for a write lock. `error(f"cannot open {what} …")`
    is raised when SQLite refuses.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    try:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30.0)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={synchronous}")
        db.executescript(schema)
    except sqlite3.Error as exc:
        raise error(f"cannot open {what} at {path}: {exc}") from exc
    return db


@contextmanager
def immediate_transaction(db: sqlite3.Connection, lock: threading.Lock,
                          error: type[WutongError], what: str) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT under `lock`, rolled back if the body raises."""
    with lock:
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise error(f"{what} failed: {exc}") from exc
