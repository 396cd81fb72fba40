from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

from graph.embedded_store import EmbeddedStore
from graph.records import PersonRecord
from graph.store import AppendOutcome
from graph.vocabulary import Department

OBSERVED = datetime(2026, 11, 1)


def person(source_id: str, phone: str = "13812345678") -> PersonRecord:
    return PersonRecord(source=Department.PETITION_OFFICE, source_id=source_id,
                        observed_at=OBSERVED, name="王芳", phone=phone)


def test_append_reports_new_duplicate_and_changed_records(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as store:
        first = store.append_records([person("a"), person("b")])
        again = store.append_records([person("a"), person("b", phone="13900000000")])
        assert first == [AppendOutcome.ACCEPTED, AppendOutcome.ACCEPTED]
        assert again == [AppendOutcome.DUPLICATE, AppendOutcome.NEW_VERSION]
        counts = store.counts()
        assert counts.records == 2
        assert counts.record_versions == 3
        latest = store.get_record("petition", "b")
        assert latest is not None and latest.record.phone == "13900000000"
        history = store.record_history("petition", "b")
        assert [h.record.phone for h in history] == ["13812345678", "13900000000"]


def test_duplicates_inside_one_batch_are_caught(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as store:
        outcomes = store.append_records([person("a"), person("a")])
    assert outcomes == [AppendOutcome.ACCEPTED, AppendOutcome.DUPLICATE]


def test_graph_links_records_to_their_department(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path) as store:
        store.append_records([person("a"), person("b")])
        counts = store.counts()
    assert counts.nodes_by_label["SourceRecord"] == 2
    assert counts.nodes_by_label["Department"] == len(Department)
    assert counts.edges_by_type == {"FROM": 2}


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
