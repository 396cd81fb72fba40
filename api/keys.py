"""API keys: one per caller, each with a role and, for a pusher, its department.

A key is `wt_<key id>_<secret>`. Only its SHA-256 is stored (the secret is 256 random bits,
so a fast hash is enough: there is nothing to guess), beside the key id, role, department,
label and creation and revocation times, in `$WUTONG_DATA_DIR/api/keys.sqlite3`. The
plaintext is shown once, when the key is made. Rotation: make a new key, move the caller
to it, revoke the old one.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from graph.errors import KeyStoreError
from graph.sqlite_files import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_key (
    key_id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    department TEXT,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) WITHOUT ROWID;
"""
KEY_PREFIX = "wt_"


class Role(StrEnum):
    PUSHER = "pusher"  # writes its own department's records; reads nothing personal
    ANALYST = "analyst"  # reads, with ID numbers and phones masked
    REVIEWER = "reviewer"  # reads in full and decides matches
    ADMIN = "admin"  # everything, and manages keys


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    role: Role
    department: str | None
    label: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def new_key_id() -> str:
    return secrets.token_hex(6)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """The API keys in one SQLite file (mode 0600)."""

    def __init__(self, path: Path) -> None:
        self._db = open_database(path, _SCHEMA, synchronous="FULL", error=KeyStoreError,
                                 what="the API key store")
        self._lock = threading.Lock()

    def create(self, role: Role, department: str | None = None, label: str = "",
               key_id: str | None = None) -> tuple[ApiKey, str]:
        """A new key and its plaintext, which is not kept anywhere. `key_id` (from
        `new_key_id`) lets the caller audit the key before it exists."""
        if (role is Role.PUSHER) != (department is not None):
            raise KeyStoreError("a pusher key needs a department, and only a pusher key has one")
        key_id = key_id or new_key_id()
        plaintext = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        created = ApiKey(key_id, role, department, label, datetime.now(UTC))
        with self._lock:
            self._execute(
                "INSERT INTO api_key VALUES (?, ?, ?, ?, ?, ?, NULL)",
                (key_id, hash_key(plaintext), role.value, department, label,
                 created.created_at.isoformat()))
        return created, plaintext

    def authenticate(self, plaintext: str) -> ApiKey | None:
        """The active key with this plaintext, or None."""
        if not plaintext.startswith(KEY_PREFIX) or len(plaintext) > 200:
            return None
        rows = self._execute("SELECT * FROM api_key WHERE key_hash = ? AND revoked_at IS NULL",
                             (hash_key(plaintext),))
        return _key(rows[0]) if rows else None

    def get(self, key_id: str) -> ApiKey | None:
        rows = self._execute("SELECT * FROM api_key WHERE key_id = ?", (key_id,))
        return _key(rows[0]) if rows else None

    def listed(self, limit: int = 100, offset: int = 0, include_revoked: bool = False
             ) -> list[ApiKey]:
        rows = self._execute(
            "SELECT * FROM api_key WHERE (?1 OR revoked_at IS NULL)"
            " ORDER BY created_at, key_id LIMIT ?2 OFFSET ?3",
            (include_revoked, limit, offset))
        return [_key(row) for row in rows]

    def revoke(self, key_id: str) -> ApiKey | None:
        """Revoke a key (at once: the next request with it gets 401); None if unknown."""
        with self._lock:
            self._execute("UPDATE api_key SET revoked_at = ? WHERE key_id = ? AND"
                          " revoked_at IS NULL", (datetime.now(UTC).isoformat(), key_id))
        return self.get(key_id)

    def _execute(self, sql: str, params: tuple[object, ...]) -> list[tuple[str, ...]]:
        try:
            return list(self._db.execute(sql, params))
        except sqlite3.Error as exc:
            raise KeyStoreError(f"the API key store failed: {exc}") from exc

    def close(self) -> None:
        self._db.close()


def _key(row: tuple[str, ...]) -> ApiKey:
    key_id, _hash, role, department, label, created_at, revoked_at = row
    return ApiKey(key_id, Role(role), department, label, datetime.fromisoformat(created_at),
                  datetime.fromisoformat(revoked_at) if revoked_at else None)
