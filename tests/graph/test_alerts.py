"""Alert lifecycle: raised once per cause, updated while open, new after closing only for
new cases; kept alike by both stores."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from graph.alert_config import load_alert_config
from graph.alert_engine import (
    acknowledge_alert,
    alerts_for_change,
    close_alert,
    recompute_alerts,
)
from graph.alerts import Alert, AlertLevel, AlertState
from graph.errors import AlertChanged, AlertNotFound, AlertRulesError, AlertStateError
from graph.network import NetworkChange
from graph.store import AlertStore, GraphStore, ResolvingStore
from graph.vocabulary import Channel, Department, DisputeCategory
from tests.graph.alert_scene import AS_OF, Scene, ago

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _collective(scene: Scene, count: int, first: int = 20, offset: int = 100) -> None:
    for n in range(count):
        scene.case(ago(first - n), [f"P{offset + n}"], ["E1"], amount=5000)


@pytest.fixture
def alerts(store: GraphStore) -> ResolvingStore:
    assert isinstance(store, ResolvingStore)
    return store


def test_raised_once_then_updated_while_open(alerts: ResolvingStore) -> None:
    scene = Scene()
    _collective(scene, 10)
    first = recompute_alerts(alerts, scene.network, scene.config, AS_OF, now=T0)
    assert [a.rule for a in first.raised] == ["R1"]
    again = recompute_alerts(alerts, scene.network, scene.config, AS_OF, now=T0)
    assert (again.raised, again.updated, again.unchanged) == ([], [], 1)
    scene.change = NetworkChange()
    scene.case(ago(5), ["P300"], ["E1"], amount=60_000)
    later = alerts_for_change(alerts, scene.network, scene.config, AS_OF, scene.change,
                              now=T0 + timedelta(hours=1))
    [updated] = later.updated
    assert updated.alert_id == first.raised[0].alert_id
    assert len(updated.cases) == 11 and updated.level is AlertLevel.RED
    assert [e["event"] for e in updated.history] == ["raised", "updated"]
    stored = alerts.get_alert(updated.alert_id)
    assert stored == updated


def test_a_write_expecting_an_older_version_changes_nothing(alerts: ResolvingStore) -> None:
    scene = Scene()
    _collective(scene, 10)
    [raised] = recompute_alerts(alerts, scene.network, scene.config, AS_OF, now=T0).raised
    acked = acknowledge_alert(alerts, raised.alert_id, "王科长", now=T0 + timedelta(hours=1))
    with pytest.raises(AlertChanged, match=raised.alert_id):
        alerts.put_alerts([replace(raised, level=AlertLevel.RED)],
                          {raised.alert_id: raised.updated_at})
    with pytest.raises(AlertChanged):  # "new" to the writer, but it exists
        alerts.put_alerts([raised], {raised.alert_id: None})
    assert alerts.get_alert(raised.alert_id) == acked


def test_one_alert_raised_at_once_by_several_writers_is_written_once(
        alerts: ResolvingStore) -> None:
    # The API's evaluation and `wutong alerts --recompute` may raise the same alert at once.
    scene = Scene()
    _collective(scene, 10)
    [raised] = recompute_alerts(alerts, scene.network, scene.config, AS_OF, now=T0).raised
    fresh = replace(raised, alert_id=raised.alert_id + "-race")
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def write() -> None:
        start.wait()
        try:
            alerts.put_alerts([fresh], {fresh.alert_id: None})
            outcomes.append("written")
        except AlertChanged:
            outcomes.append("changed")

    threads = [threading.Thread(target=write) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["changed"] * 5 + ["written"]
    assert alerts.get_alert(fresh.alert_id) == fresh


class _AcknowledgedMeanwhile:
    """A store on which someone acknowledges an alert (the command line, say) right after
    the API's evaluation has read it and before it writes."""

    def __init__(self, store: ResolvingStore, alert_id: str) -> None:
        self.store, self.alert_id, self.done = store, alert_id, False

    def related_alerts(self, causes: Sequence[tuple[str, str]], cases: Sequence[str]
                       ) -> dict[tuple[str, str], list[Alert]]:
        read = self.store.related_alerts(causes, cases)
        if not self.done:
            self.done = True
            acknowledge_alert(self.store, self.alert_id, "李科员", now=T0 + timedelta(minutes=30))
        return read

    def put_alerts(self, alerts: Sequence[Alert],
                   expected: dict[str, datetime | None] | None = None) -> None:
        self.store.put_alerts(alerts, expected)


def test_an_evaluation_racing_an_acknowledgement_keeps_it(alerts: ResolvingStore) -> None:
    scene = Scene()
    _collective(scene, 10)
    [raised] = recompute_alerts(alerts, scene.network, scene.config, AS_OF, now=T0).raised
    scene.change = NetworkChange()
    scene.case(ago(5), ["P300"], ["E1"], amount=60_000)
    racing = cast(AlertStore, _AcknowledgedMeanwhile(alerts, raised.alert_id))
    [updated] = alerts_for_change(racing, scene.network, scene.config, AS_OF, scene.change,
                                  now=T0 + timedelta(hours=1)).updated
    stored = alerts.get_alert(raised.alert_id)
    assert stored == updated
    assert (stored.state, stored.acknowledged_by) == (AlertState.ACKNOWLEDGED, "李科员")
    assert len(stored.cases) == 11


def test_lifecycle_acknowledge_close_and_a_new_cause_after_closing(
        alerts: ResolvingStore) -> None:
    scene = Scene()
    _collective(scene, 10, first=40)
    [raised] = recompute_alerts(alerts, scene.network, scene.config, AS_OF, now=T0).raised
    acked = acknowledge_alert(alerts, raised.alert_id, "王科长", now=T0 + timedelta(hours=1))
    assert (acked.state, acked.acknowledged_by) == (AlertState.ACKNOWLEDGED, "王科长")
    with pytest.raises(AlertStateError):
        acknowledge_alert(alerts, raised.alert_id, "李科员")
    closed = close_alert(alerts, raised.alert_id, "王科长", "已约谈企业，工资已发放",
                         now=datetime(2026, 10, 25, tzinfo=UTC))
    assert closed.state is AlertState.CLOSED and closed.note == "已约谈企业，工资已发放"
    with pytest.raises(AlertStateError):
        close_alert(alerts, raised.alert_id, "王科长", None)
    # The same burst again: nothing new.
    assert not recompute_alerts(alerts, scene.network, scene.config, AS_OF).raised
    # New claims after the closing: a new alert for the same employer.
    _collective(scene, 10, first=9, offset=500)
    [renewed] = recompute_alerts(alerts, scene.network, scene.config, AS_OF).raised
    assert renewed.alert_id != raised.alert_id and renewed.cause == raised.cause
    assert alerts.get_alert(raised.alert_id) == closed
    with pytest.raises(AlertNotFound):
        acknowledge_alert(alerts, "A-R1-000000000000", "王科长")


def test_listing_filters_orders_and_pages(alerts: ResolvingStore) -> None:
    scene = Scene()
    _collective(scene, 10)
    for n in range(5):
        scene.case(ago(25 - n), [f"P{n}"], ["E2"], channel=Channel.CONSUMER_COMPLAINT,
                   category=DisputeCategory.CONSUMER, source=Department.COMPLAINT_96178)
    scene.credit("E2", ago(300))
    recompute_alerts(alerts, scene.network, scene.config, AS_OF, now=T0)
    listed = alerts.list_alerts()
    assert {a.rule for a in listed} == {"R1", "R10", "R13"}
    ranks = [a.level.rank for a in listed]
    assert ranks == sorted(ranks, reverse=True)
    assert [a.rule for a in alerts.list_alerts(rule="R10")] == ["R10"]
    orange = alerts.list_alerts(level=AlertLevel.ORANGE)
    assert orange and all(a.level is AlertLevel.ORANGE for a in orange)
    assert {a.rule for a in alerts.list_alerts(entity="E2")} == {"R10", "R13"}
    assert alerts.list_alerts(limit=1, offset=1) == listed[1:2]
    assert alerts.list_alerts(state=AlertState.CLOSED) == []
    r10 = alerts.list_alerts(rule="R10")[0]
    assert list(alerts.related_alerts([("R10", "group:E2")], [])) == [("R10", "group:E2")]
    assert list(alerts.related_alerts([("R10", "group:E9")], [r10.cases[0]])) == [
        ("R10", "group:E2")]
    assert alerts.related_alerts([("R3", "x")], [r10.cases[0]]) == {}


def test_a_bad_rules_file_names_the_rule_and_key(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("R1:\n  min_workers: 1\n  window_dayz: 3\n", encoding="utf-8")
    with pytest.raises(AlertRulesError) as error:
        load_alert_config(rules)
    assert "R1.min_workers" in str(error.value) and "R1.window_dayz" in str(error.value)
    rules.write_text("R1:\n  min_workers: 12\n", encoding="utf-8")
    config = load_alert_config(rules)
    assert config.R1.min_workers == 12 and config.R1.window_days == 30


def test_a_cause_whose_key_drifts_keeps_its_alert(alerts: ResolvingStore) -> None:
    scene = Scene()
    for n in range(10):
        scene.case(ago(20 - n), [f"P{100 + n}"], ["E5"], amount=5000)
    [raised] = recompute_alerts(alerts, scene.network, scene.config, AS_OF, now=T0).raised
    assert raised.cause == "group:E5"
    # The employer's legal representative turns out to run an older company, E2: the
    # group's key becomes group:E2, but it is the same collective dispute.
    scene.legal_rep("P900", "E5")
    scene.legal_rep("P900", "E2")
    scene.case(ago(2), ["P300"], ["E2"], amount=5000)
    again = recompute_alerts(alerts, scene.network, scene.config, AS_OF, now=T0)
    assert again.raised == []
    [updated] = again.updated
    assert updated.alert_id == raised.alert_id and len(updated.cases) == 11
    assert len(alerts.list_alerts(rule="R1")) == 1
