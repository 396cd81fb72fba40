"""The embedded store's analyst graph (`graph.analyst_model`): one SQLite file beside the
journals, so the derived edges survive a restart without recomputing clusters and risk
when the store opens.

`replace` swaps the whole graph in one transaction. Like the entity journal it commits
with synchronous=NORMAL: everything here is derived, and the next refresh redoes it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from graph.analyst_model import AnalystEdge, AnalystGraph, AnalystNode
from graph.errors import StoreError
from graph.sqlite_files import immediate_transaction, open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyst_node (
    label TEXT NOT NULL,
    key TEXT NOT NULL,
    props TEXT NOT NULL,
    PRIMARY KEY (label, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS analyst_edge (
    type TEXT NOT NULL,
    start_label TEXT NOT NULL,
    start_key TEXT NOT NULL,
    end_label TEXT NOT NULL,
    end_key TEXT NOT NULL,
    props TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS analyst_edge_start ON analyst_edge(start_label, start_key);
CREATE INDEX IF NOT EXISTS analyst_edge_end ON analyst_edge(end_label, end_key);
"""


class AnalystJournal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = open_database(path, _SCHEMA, synchronous="NORMAL", error=StoreError,
                                 what="the analyst graph")
        self._lock = threading.Lock()

    def replace(self, graph: AnalystGraph) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM analyst_node")
            db.execute("DELETE FROM analyst_edge")
            db.executemany(
                "INSERT OR REPLACE INTO analyst_node (label, key, props) VALUES (?, ?, ?)",
                [(n.ref[0], n.ref[1], _json(n.props)) for n in graph.nodes])
            db.executemany(
                "INSERT INTO analyst_edge (type, start_label, start_key, end_label, end_key, "
                "props) VALUES (?, ?, ?, ?, ?, ?)",
                [(e.type, *e.start, *e.end, _json(e.props)) for e in graph.edges])

    def drop_edges_of(self, nodes: Iterable[tuple[str, str]]) -> None:
        """Forget the edges of nodes that left the graph (an entity merged away or left
        without records), as the Neo4j store deletes them."""
        refs = list(nodes)
        if not refs:
            return
        with self._transaction() as db:
            db.executemany("DELETE FROM analyst_edge WHERE start_label = ? AND start_key = ?",
                           refs)
            db.executemany("DELETE FROM analyst_edge WHERE end_label = ? AND end_key = ?",
                           refs)

    def graph(self) -> AnalystGraph:
        with self._lock:
            try:
                nodes = self._db.execute(
                    "SELECT label, key, props FROM analyst_node ORDER BY label, key").fetchall()
                edges = self._db.execute(
                    "SELECT type, start_label, start_key, end_label, end_key, props "
                    "FROM analyst_edge ORDER BY rowid").fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"the analyst graph {self.path} failed: {exc}") from exc
        return AnalystGraph(
            [AnalystNode((label, key), json.loads(props)) for label, key, props in nodes],
            [AnalystEdge(t, (sl, sk), (el, ek), json.loads(props))
             for t, sl, sk, el, ek, props in edges])

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self._db, self._lock, StoreError,
                                     f"the analyst graph {self.path}")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
