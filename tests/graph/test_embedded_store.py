"""What only the embedded store promises: a restart or a killed process loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from graph.embedded_store import EmbeddedStore
from graph.records import PersonRecord
from graph.store import AppendOutcome
from graph.vocabulary import Department

OBSERVED = datetime(2026, 11, 1)


def person(source_id: str, phone: str = "13812345678") -> PersonRecord:
    return PersonRecord(source=Department.PETITION_OFFICE, source_id=source_id,
                        observed_at=OBSERVED, name="王芳", phone=phone)


def test_store_rebuilds_the_same_graph_after_restart(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as store:
        store.append_records([person("a"), person("b"), person("b", phone="0574-87654321")])
        before = store.counts()
    with EmbeddedStore(tmp_path) as reopened:
        after = reopened.counts()
        assert reopened.append_records([person("a")]) == [AppendOutcome.DUPLICATE]
    assert after == before


def test_acknowledged_records_survive_a_killed_process(tmp_path: Path) -> None:
    """A writer killed with SIGKILL right after its append returned loses nothing."""
    script = textwrap.dedent(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(Path.cwd())!r})
        from pathlib import Path
        from tests.graph.test_embedded_store import person
        from graph.embedded_store import EmbeddedStore
        store = EmbeddedStore(Path({str(tmp_path)!r}))
        for i in range(20):
            store.append_records([person(f"r{{i}}-{{j}}") for j in range(50)])
        print("acknowledged", flush=True)
        time.sleep(60)
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "acknowledged"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    with EmbeddedStore(tmp_path) as store:
        assert store.counts().records == 1000
        assert store.get_record("petition", "r19-49") is not None


def test_a_second_writer_gets_a_clear_error_while_the_journal_is_locked(tmp_path: Path) -> None:
    import sqlite3

    from graph.errors import StoreError
    from graph.journal import Journal

    with EmbeddedStore(tmp_path) as store:
        store.append_records([person("a")])
        blocker = sqlite3.connect(tmp_path / "journal.sqlite3", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        journal = Journal(tmp_path / "journal.sqlite3")
        journal._db.execute("PRAGMA busy_timeout = 100")
        try:
            with pytest.raises(StoreError, match="locked by another writer"):
                journal.append([person("b")])
            blocker.execute("ROLLBACK")
            assert [o for o, _ in journal.append([person("b")])] == [AppendOutcome.ACCEPTED]
        finally:
            blocker.close()
            journal.close()


def test_graph_reads_while_another_thread_appends(tmp_path: Path) -> None:
    """The API reads the graph on one thread while a push changes it on another."""
    import threading

    with EmbeddedStore(tmp_path / "embedded") as store:
        failures: list[BaseException] = []
        done = threading.Event()

        def read() -> None:
            try:
                while not done.is_set():
                    store.neighbourhood(("Department", "hotline81890"), 2)
                    store.counts()
            except BaseException as exc:
                failures.append(exc)

        reader = threading.Thread(target=read)
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # switch threads as often as possible
        reader.start()
        try:
            for n in range(300):
                store.append_records([person(f"R-{n}", phone=f"139{n:08d}")])
        finally:
            done.set()
            reader.join()
            sys.setswitchinterval(interval)
        assert failures == []
