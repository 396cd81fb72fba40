"""Risk, clusters, alerts and department statistics over HTTP, kept current by the push hook."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import analytics_service
from api.analytics import load_network
from api.app import create_app
from api.services import Services
from graph import alert_engine
from graph.alert_engine import ATTEMPTS
from graph.alerts import check_unchanged
from graph.clusters import ConflictClusters
from graph.errors import AuditLogError
from graph.risk import RiskScorer, clusters_with_cases
from tests.api.conftest import Api, api_settings, make_keys
from tests.api.records_data import three_huang_fang
from tests.graph.alert_scene import credit_code, id_number

AS_OF = date(2026, 11, 1)
EMPLOYER = "宁波康成建设有限公司"
WORKERS = "伟芳敏军强磊洋勇艳杰娟涛"


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def analytics_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The API on each store, computing as of AS_OF."""
    settings = api_settings(request, tmp_path, request.param).model_copy(
        update={"analytics_as_of": AS_OF})
    keys = make_keys(settings)
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings, keys)


def wage_case(n: int, filed: date, employer: str = EMPLOYER) -> dict[str, Any]:
    """Worker n claims unpaid wages from the employer at labour arbitration."""
    return {
        "kind": "case", "source": "labour", "source_id": f"甬劳仲〔2026〕{n}号",
        "observed_at": f"{filed.isoformat()}T10:00:00+08:00", "channel": "labour_arbitration",
        "category": "wage_arrears", "state": "accepted", "filed_on": filed.isoformat(),
        "amount_claimed": "5000",
        "parties": [
            {"role": "applicant", "kind": "person", "name": f"张{WORKERS[n % 12]}{n}",
             "id_number": id_number(100 + n)},
            {"role": "respondent", "kind": "enterprise", "name": employer,
             "credit_code": credit_code(7)},
        ],
    }


def push(api: Api, records: list[dict[str, Any]], who: str = "other_pusher"
         ) -> dict[str, Any]:
    response = api.client.post("/v1/records", json={"records": records}, headers=api.auth(who))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def collective_dispute(api: Api, workers: int = 11) -> tuple[str, set[str]]:
    """`workers` cases pushed one by one within 30 days: (employer, workers) entity ids."""
    employer: set[str] = set()
    people: set[str] = set()
    for n in range(workers):
        [result] = push(api, [wage_case(n, AS_OF - timedelta(days=2 + 2 * n))])["results"]
        worker, firm = result["mentions"]
        people.add(worker["entity_id"])
        employer.add(firm["entity_id"])
    assert len(people) == workers and len(employer) == 1
    return employer.pop(), people


def services(api: Api) -> Services:
    found: Services = api.client.app.state.services  # type: ignore[attr-defined]
    return found


def assert_incremental_equals_full(api: Api) -> None:
    kept = services(api).analytics
    fresh = load_network(services(api).store, api.settings)
    with kept.view() as view:
        for entity in set(fresh.entities()) | set(view.network.entities()):
            assert view.network.members(entity) == fresh.members(entity), entity
        assert view.clusters.parts() == ConflictClusters.full(fresh).parts()
        assert view.clusters.clusters() == ConflictClusters.full(fresh).clusters()
        # The cluster list as kept (each cluster's summary cached until a change reaches it)
        # equals one computed from scratch.
        scorer = RiskScorer(fresh, kept.weights, view.as_of)
        assert kept.ranked_clusters(view) == clusters_with_cases(
            fresh, ConflictClusters.full(fresh).clusters(), scorer)


def test_pushes_raise_r1_and_build_the_cluster_without_a_recompute(analytics_api: Api) -> None:
    api = analytics_api
    employer, workers = collective_dispute(api)
    analyst = api.auth("analyst")

    listed = api.client.get("/v1/alerts", params={"rule": "R1"}, headers=analyst).json()
    [alert] = listed["alerts"]
    assert alert["state"] == "new" and alert["level"] in ("orange", "red")
    assert {employer, *workers} <= set(alert["entities"])
    assert alert["figures"]["workers"] == len(workers)
    by_entity = api.client.get("/v1/alerts", params={"entity": employer}, headers=analyst)
    assert alert["alert_id"] in {a["alert_id"] for a in by_entity.json()["alerts"]}
    one = api.client.get(f"/v1/alerts/{alert['alert_id']}", headers=analyst)
    assert one.status_code == 200 and one.json() == alert

    clusters = api.client.get("/v1/clusters", params={"min_size": 2}, headers=analyst).json()
    [brief] = clusters["clusters"]
    assert brief["size"] == len(workers) + 1 and brief["growth_30d"] == len(workers)
    full = api.client.get(f"/v1/clusters/{brief['cluster_id']}", params={"limit": 100},
                          headers=analyst).json()
    assert {m["entity_id"] for m in full["members"]} == {employer, *workers}
    assert full["respondents"] == 1 and full["applicants"] == len(workers)
    assert full["risk"]["score"] == brief["risk"] > 0

    risk = api.client.get(f"/v1/entities/{employer}/risk", headers=analyst).json()
    assert risk["entity_id"] == employer and risk["kind"] == "enterprise"
    assert risk["risk"]["by_factor"]["open_case_respondent"] > 0
    assert risk["identifier"] == credit_code(7)  # a company's code is public
    assert api.client.get("/v1/entities/P99999999/risk", headers=analyst).status_code == 404
    assert api.client.get("/v1/clusters/C-P99999999", headers=analyst).status_code == 404

    rows = api.client.get("/v1/departments/performance", params={"department": "labour"},
                          headers=analyst).json()["rows"]
    assert [(r["category"], r["received"]) for r in rows] == [("wage_arrears", len(workers))]
    assert_incremental_equals_full(api)


def test_incremental_state_equals_a_fresh_build_after_merges_and_splits(
        analytics_api: Api) -> None:
    api = analytics_api
    three = push(api, three_huang_fang(), who="pusher")  # one entity and a review item
    collective_dispute(api, 4)
    assert_incremental_equals_full(api)
    reviewer = api.auth("reviewer")
    [item] = api.client.get("/v1/review", headers=reviewer).json()["items"]
    decided = api.client.post(f"/v1/review/{item['review_id']}/decision",
                              json={"decision": "merge"}, headers=reviewer)
    assert decided.status_code == 200, decided.text
    assert_incremental_equals_full(api)
    entity = three["results"][0]["mentions"][0]["entity_id"]
    moved = three["results"][2]["mentions"][0]["mention_id"]
    split = api.client.post(f"/v1/entities/{entity}/split", json={"mention_ids": [moved]},
                            headers=reviewer)
    assert split.status_code == 200, split.text
    assert_incremental_equals_full(api)
    # Another worker joins the dispute after the reviewer's work.
    push(api, [wage_case(40, AS_OF - timedelta(days=1))])
    assert_incremental_equals_full(api)


def test_acknowledge_then_close_with_409_for_illegal_steps(embedded_api_as_of: Api) -> None:
    api = embedded_api_as_of
    collective_dispute(api, 10)
    analyst, reviewer = api.auth("analyst"), api.auth("reviewer")
    [alert] = api.client.get("/v1/alerts", params={"state": "new", "rule": "R1"},
                             headers=analyst).json()["alerts"]
    path = f"/v1/alerts/{alert['alert_id']}"

    acked = api.client.post(f"{path}/acknowledge", headers=reviewer)
    assert acked.status_code == 200 and acked.json()["state"] == "acknowledged"
    assert acked.json()["acknowledged_by"].startswith("reviewer:")
    assert api.client.post(f"{path}/acknowledge", headers=analyst).status_code == 409
    assert api.client.post(f"{path}/close", json={}, headers=analyst).status_code == 422
    closed = api.client.post(f"{path}/close", json={"note": "wages paid"}, headers=analyst)
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["note"]) == ("closed", "wages paid")
    assert api.client.post(f"{path}/close", json={"note": "again"},
                           headers=reviewer).status_code == 409
    assert api.client.post(f"{path}/acknowledge", headers=reviewer).status_code == 409
    assert api.client.post("/v1/alerts/A-R1-nosuchalert/acknowledge",
                           headers=reviewer).status_code == 404
    assert api.client.get("/v1/alerts/A-R1-nosuchalert", headers=analyst).status_code == 404
    assert api.client.get("/v1/alerts", params={"state": "new", "rule": "R1"},
                          headers=analyst).json()["alerts"] == []

    audit = api.client.get("/v1/audit", headers=api.auth("admin")).json()["entries"]
    steps = [(e["action"], e["role"], e["detail"]["phase"]) for e in audit
             if e["target"] == alert["alert_id"]]
    # Newest first; each step's intent before its outcome, refused steps included.
    assert steps == [
        ("acknowledge_alert", "reviewer", "failed"),
        ("acknowledge_alert", "reviewer", "intent"),
        ("close_alert", "reviewer", "failed"), ("close_alert", "reviewer", "intent"),
        ("close_alert", "analyst", "done"), ("close_alert", "analyst", "intent"),
        ("acknowledge_alert", "analyst", "failed"), ("acknowledge_alert", "analyst", "intent"),
        ("acknowledge_alert", "reviewer", "done"), ("acknowledge_alert", "reviewer", "intent")]
    # A later push for the same cause does not reopen or overwrite the closed alert.
    push(api, [wage_case(1, AS_OF - timedelta(days=4))])
    assert api.client.get(path, headers=analyst).json()["state"] == "closed"


def test_an_alert_changed_by_another_process_at_every_attempt_answers_409(
        embedded_api_as_of: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api = embedded_api_as_of
    collective_dispute(api, 10)
    [alert] = api.client.get("/v1/alerts", params={"state": "new", "rule": "R1"},
                             headers=api.auth("analyst")).json()["alerts"]
    attempts: list[str] = []

    def changed_meanwhile(alerts: Any, expected: Any = None) -> None:
        attempts.append(alert["alert_id"])
        check_unchanged(alert["alert_id"], None, "2026-11-01T09:00:00+00:00")

    monkeypatch.setattr(services(api).analytics.store, "put_alerts", changed_meanwhile)
    answer = api.client.post(f"/v1/alerts/{alert['alert_id']}/acknowledge",
                             headers=api.auth("reviewer"))
    assert answer.status_code == 409
    assert "changed by someone else" in answer.json()["detail"]
    assert len(attempts) == ATTEMPTS


def test_identifiers_are_masked_for_analysts_and_full_reads_audited(
        embedded_api_as_of: Api) -> None:
    api = embedded_api_as_of
    employer, _ = collective_dispute(api, 3)
    cluster_id = api.client.get("/v1/clusters", headers=api.auth("analyst")).json()[
        "clusters"][0]["cluster_id"]
    seen = {}
    for role in ("analyst", "reviewer"):
        members = api.client.get(f"/v1/clusters/{cluster_id}",
                                 headers=api.auth(role)).json()["members"]
        seen[role] = {m["entity_id"]: m["identifier"] for m in members}
    assert seen["reviewer"][employer] == credit_code(7)
    assert seen["analyst"][employer] == credit_code(7)  # a company's code is public
    for worker in set(seen["analyst"]) - {employer}:
        assert seen["analyst"][worker] is None or "*" in seen["analyst"][worker]
    assert api.client.get(f"/v1/entities/{employer}/risk",
                          headers=api.auth("admin")).json()["identifier"] == credit_code(7)
    actions = {e["action"] for e in api.client.get(
        "/v1/audit", headers=api.auth("admin")).json()["entries"]}
    assert {"read_cluster", "read_risk"} <= actions


def test_clusters_filter_and_sort_from_allowlists(embedded_api_as_of: Api) -> None:
    api = embedded_api_as_of
    collective_dispute(api, 3)
    push(api, [wage_case(50 + n, AS_OF - timedelta(days=60), "宁波博和港务有限公司")
               for n in range(2)])
    analyst = api.auth("analyst")

    def ids(**params: Any) -> list[int]:
        response = api.client.get("/v1/clusters", params=params, headers=analyst)
        assert response.status_code == 200, response.text
        return [c["size"] for c in response.json()["clusters"]]

    assert ids(sort="size") == [4, 3]
    assert ids(sort="size", order="asc") == [3, 4]
    assert ids(min_growth_7d=1) == [4]
    assert ids(active_since=(AS_OF - timedelta(days=30)).isoformat()) == [4]
    assert ids(max_size=3) == [3]
    assert ids(category="wage_arrears", department="labour", sort="last_activity") == [4, 3]
    assert ids(department="petition") == []
    for bad in ({"sort": "name"}, {"order": "up"}, {"category": "nonsense"},
                {"min_size": 0}):
        assert api.client.get("/v1/clusters", params=bad, headers=analyst).status_code == 422


def test_a_failing_hook_never_fails_the_push_and_is_repaired_on_next_read(
        embedded_api_as_of: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api = embedded_api_as_of
    kept = services(api).analytics

    def broken(*args: Any) -> None:
        raise RuntimeError("boom")

    with monkeypatch.context() as patched:
        patched.setattr(kept.clusters, "apply", broken)
        push(api, [wage_case(1, AS_OF - timedelta(days=3))])
    metrics = api.client.get("/metrics").text
    assert "wutong_post_push_callback_failures_total 1.0" in metrics
    sizes = [c["size"] for c in api.client.get(
        "/v1/clusters", headers=api.auth("analyst")).json()["clusters"]]
    assert sizes == [2]
    assert_incremental_equals_full(api)


def test_readers_go_on_while_a_push_evaluates_its_alerts(
        embedded_api_as_of: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api = embedded_api_as_of
    collective_dispute(api, workers=3)
    evaluating, release = threading.Event(), threading.Event()
    real = alert_engine.alerts_for_change

    def slow(*args: Any) -> Any:
        evaluating.set()
        release.wait(30)
        return real(*args)

    monkeypatch.setattr(analytics_service, "alerts_for_change", slow)
    pusher = threading.Thread(target=push, args=(api, [wage_case(9, AS_OF - timedelta(days=1))]))
    pusher.start()
    try:
        assert evaluating.wait(30)
        # The push has moved the network and clusters; its alert rules are still running.
        read: list[Any] = []
        reader = threading.Thread(target=lambda: read.append(api.client.get(
            "/v1/clusters", headers=api.auth("analyst"))))
        reader.start()
        reader.join(20)
        assert read, "the read waited for the push's alert evaluation"
        assert read[0].status_code == 200 and read[0].json()["clusters"][0]["cases"] == 4
    finally:
        release.set()
        pusher.join(30)
    assert_incremental_equals_full(api)


@pytest.fixture
def embedded_api_as_of(tmp_path: Path) -> Iterator[Api]:
    from api.settings import Settings
    settings = Settings(data_dir=tmp_path, store="embedded", analytics_as_of=AS_OF)
    keys = make_keys(settings)
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings, keys)


def test_an_alert_is_not_acted_on_unaudited(embedded_api_as_of: Api,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    api = embedded_api_as_of
    collective_dispute(api, 10)
    analyst = api.auth("analyst")
    [alert] = api.client.get("/v1/alerts", params={"state": "new", "rule": "R1"},
                             headers=analyst).json()["alerts"]
    path = f"/v1/alerts/{alert['alert_id']}"

    def failing(*args: Any, **kwargs: Any) -> None:
        raise AuditLogError("disk full")
    with monkeypatch.context() as patch:
        patch.setattr(services(api).audit, "write", failing)
        assert api.client.post(f"{path}/acknowledge", headers=analyst).status_code == 503
        assert api.client.post(f"{path}/close", json={"note": "paid"},
                               headers=analyst).status_code == 503
    assert api.client.get(path, headers=analyst).json()["state"] == "new"
