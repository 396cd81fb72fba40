from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import NOTIFICATION_LOGGER, FirstOfEachNotification, create_app
from api.settings import Settings
from api.stores import open_store
from graph.records import PersonRecord
from graph.vocabulary import Department
from tests.api.conftest import make_keys


def test_health_ready_and_stats_reflect_the_store(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    with open_store(settings) as store:
        store.append_records([
            PersonRecord(source=Department.HOTLINE_81890, source_id=f"H-{i}",
                         observed_at=datetime(2026, 11, 1), name="黄芳", phone="13812345678")
            for i in range(3)
        ])
    keys = make_keys(settings)
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").json() == {"status": "ok"}
        assert client.get("/ready").json() == {"status": "ready", "store": "embedded"}
        stats = client.get("/v1/stats",
                           headers={"Authorization": f"Bearer {keys['pusher']}"}).json()
        assert "/v1/stats" in client.get("/openapi.json").json()["paths"]
    assert stats["records_by_kind"] == {"person": 3}
    assert stats["records_by_source"] == {"hotline81890": 3}
    assert stats["edges_by_type"] == {"FROM": 3}


def test_settings_come_from_wutong_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WUTONG_NEO4J_URI", "WUTONG_NEO4J_BOLT_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WUTONG_DATA_DIR", "/tmp/somewhere")
    monkeypatch.setenv("WUTONG_LOAD_BATCH_SIZE", "250")
    settings = Settings()
    assert settings.data_dir == Path("/tmp/somewhere")
    assert settings.load_batch_size == 250
    assert settings.quarantine_dir == Path("/tmp/somewhere/quarantine")
    assert settings.neo4j_uri == "bolt://127.0.0.1:7687"
    monkeypatch.setenv("WUTONG_NEO4J_BOLT_PORT", "17687")
    assert Settings().neo4j_uri == "bolt://127.0.0.1:17687"
    monkeypatch.setenv("WUTONG_NEO4J_URI", "neo4j://graph.internal:7687")
    assert Settings().neo4j_uri == "neo4j://graph.internal:7687"


def test_driver_notifications_are_logged_once_each_at_their_level(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A deprecation or performance notice the driver logs is shown, once per process
    however often its statement runs (it used to be hidden below error level)."""
    create_app(Settings(data_dir=tmp_path))
    create_app(Settings(data_dir=tmp_path))  # a second app adds no second filter
    notifications = logging.getLogger(NOTIFICATION_LOGGER)
    assert sum(isinstance(f, FirstOfEachNotification) for f in notifications.filters) == 1
    caplog.set_level(logging.INFO, logger=NOTIFICATION_LOGGER)
    message = "Received notification from DBMS server: %s"
    for _ in range(3):
        notifications.warning(message, f"deprecated feature, test {tmp_path}")
        notifications.info(message, f"cartesian product, test {tmp_path}")
    shown = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == NOTIFICATION_LOGGER]
    assert shown == [
        (logging.WARNING, message % f"deprecated feature, test {tmp_path}"),
        (logging.INFO, message % f"cartesian product, test {tmp_path}")]
