from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.clusters import ConflictClusters
from graph.errors import RiskWeightsError
from graph.risk import DEFAULT_WEIGHTS, RiskScorer, load_weights
from graph.vocabulary import CaseState, CreditEventType, PartyRole, RelationType
from tests.graph.network_builders import add, case, company, credit, network, person, relation

DAY = date(2026, 11, 1)
ADULT = "330203198503151234"
MINOR = "330203201203151237"
USCC = "91330203MA2H0K1P1Y"


def test_shipped_weights_load_and_a_broken_file_is_named(tmp_path: Path) -> None:
    weights = load_weights()
    assert weights.case.open.respondent > weights.case.open.applicant
    bad = tmp_path / "w.yaml"
    bad.write_text(DEFAULT_WEIGHTS.read_text(encoding="utf-8").replace("share: 0.3",
                                                                        "share: 3"))
    with pytest.raises(RiskWeightsError, match=r"w\.yaml"):
        load_weights(bad)
    with pytest.raises(RiskWeightsError, match="cannot read"):
        load_weights(tmp_path / "missing.yaml")


def test_respondent_weighs_more_and_every_point_is_explained() -> None:
    net = network()
    add(net, case("c1", [person("张三"), company("甲公司")], filed=date(2026, 10, 20)),
        {"party0": "P1", "party1": "E1"})
    weights = load_weights()
    scorer = RiskScorer(net, weights, DAY)
    worker, firm = scorer.entity("P1"), scorer.entity("E1")
    assert firm.score > worker.score
    assert firm.by_factor()["open_case_respondent"] == weights.case.open.respondent
    assert firm.by_factor()["recent_case"] == weights.recent.points
    assert firm.score == pytest.approx(sum(c.points for c in firm.contributions))
    assert all(c.refs for c in firm.contributions)


def test_closed_cases_fade_and_later_cases_are_not_seen() -> None:
    net = network()
    add(net, case("old", [company("甲公司")], filed=date(2025, 1, 1), closed=date(2025, 6, 1),
                  state=CaseState.AWARD), {"party0": "E1"})
    add(net, case("later", [company("甲公司")], filed=date(2026, 12, 1)), {"party0": "E1"})
    score = load_weights()
    scorer = RiskScorer(net, score, DAY)
    result = scorer.entity("E1")
    assert set(result.by_factor()) == {"closed_case_respondent"}
    assert 0 < result.score < score.case.closed.respondent / 2


def test_credit_events_count_only_by_full_identifier_active_and_never_for_minors() -> None:
    net = network()
    add(net, credit("k1", person("张三", id_number=ADULT), CreditEventType.DISHONEST_DEBTOR,
                    date(2026, 1, 1)), {"subject": "P1"})
    add(net, credit("k2", person("张三"), CreditEventType.DISHONEST_DEBTOR, date(2026, 1, 1)),
        {"subject": "P1"})
    add(net, credit("k3", person("张三", id_number=ADULT), CreditEventType.DISHONEST_DEBTOR,
                    date(2023, 1, 1), date(2025, 1, 1)), {"subject": "P1"})
    add(net, credit("k4", person("小明", id_number=MINOR), CreditEventType.DISHONEST_DEBTOR,
                    date(2026, 1, 1)), {"subject": "P2"})
    scorer = RiskScorer(net, load_weights(), DAY)
    adult = scorer.entity("P1")
    assert [c.refs for c in adult.contributions if c.factor == "credit"] == [("credit:k1",)]
    assert any("without a full ID" in why for why in adult.ignored)
    assert any("expired" in why for why in adult.ignored)
    minor = scorer.entity("P2")
    assert minor.score == 0
    assert any("minor when listed" in why for why in minor.ignored)


def test_a_listing_counts_only_when_another_record_knows_the_entity_by_its_identifier(
        ) -> None:
    net = network()
    # The resolver put a listing naming ID ADULT on an entity whose own records carry no ID
    # (linked by name and phone): no identifier match, no flag.
    add(net, case("c1", [person("张三")]), {"party0": "P1"})
    add(net, credit("k1", person("张三", id_number=ADULT), CreditEventType.DISHONEST_DEBTOR,
                    date(2026, 1, 1)), {"subject": "P1"})
    alone = RiskScorer(net, load_weights(), DAY).entity("P1")
    assert "credit" not in alone.by_factor()
    assert any("no other record" in why for why in alone.ignored)
    add(net, case("c2", [person("张三", id_number=ADULT)]), {"party0": "P1"})
    matched = RiskScorer(net, load_weights(), DAY).entity("P1")
    assert "credit" in matched.by_factor()


def test_risk_is_carried_once_over_control_links_but_not_employment() -> None:
    net = network()
    add(net, case("c1", [company("甲公司")]), {"party0": "E1"})
    add(net, relation("r1", RelationType.LEGAL_REPRESENTATIVE, "王五", "甲公司"),
        {"person": "P1", "enterprise": "E1"})
    add(net, relation("r2", RelationType.SHAREHOLDER, "王五", "甲公司"),
        {"person": "P1", "enterprise": "E1"})
    add(net, relation("r3", RelationType.EMPLOYMENT, "赵六", "甲公司"),
        {"person": "P2", "enterprise": "E1"})
    weights = load_weights()
    scorer = RiskScorer(net, weights, DAY)
    firm = scorer.own_score("E1")
    rep = scorer.entity("P1")
    assert rep.by_factor() == {"linked": pytest.approx(weights.linked.share * firm)}
    assert scorer.entity("P2").score == 0


def test_cluster_score_sums_its_members_own_scores() -> None:
    net = network()
    add(net, case("c1", [person("张三"), company("甲公司", PartyRole.RESPONDENT)],
                  escalated_from="c0"), {"party0": "P1", "party1": "E1"})
    add(net, case("c0", [person("张三"), company("甲公司")], filed=date(2026, 9, 1)),
        {"party0": "P1", "party1": "E1"})
    scorer = RiskScorer(net, load_weights(), DAY)
    cluster = ConflictClusters.full(net).clusters()[0]
    result = scorer.cluster(cluster)
    assert result.score == pytest.approx(scorer.own_score("P1") + scorer.own_score("E1"))
    assert result.by_factor()["escalation"] == 2 * load_weights().escalation.points
