"""The cluster list's cache: only the clusters a change reaches are summarised again, and
the list always equals a computation from scratch."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.cluster_ranking import RankedClusters, entities_to_rescore
from graph.clusters import ConflictClusters
from graph.network import DisputeNetwork, NetworkChange
from graph.risk import RankedCluster, RiskScorer, clusters_with_cases, load_weights
from graph.vocabulary import CaseState, Channel, CreditEventType, Department, PartyRole
from tests.graph.network_builders import add, case, company, credit, network, person

DAY = date(2026, 11, 1)
WEIGHTS = load_weights()


class Kept:
    """A network with its clusters and cached ranking, changed the way the API does."""

    def __init__(self) -> None:
        self.net: DisputeNetwork = network()
        self.clusters = ConflictClusters(self.net)
        self.ranking = RankedClusters()

    def take(self, change: NetworkChange) -> None:
        reread = self.clusters.apply(change)
        self.ranking.rescore(entities_to_rescore(self.net, change, reread))

    def add(self, record: object, resolved: dict[str, str]) -> None:
        self.take(add(self.net, record, resolved))

    def ranked(self) -> dict[str, RankedCluster]:
        scorer = RiskScorer(self.net, WEIGHTS, DAY)
        out = self.ranking.ranked(self.net, self.clusters.clusters(), scorer)
        assert out == clusters_with_cases(self.net, self.clusters.clusters(), scorer)
        return {r.cluster.cluster_id: r for r in out}


def wage_claim(n: int, worker: str, employer: str, filed: date = date(2026, 10, 20)
               ) -> object:
    return case(f"c{n}", [person(worker), company(employer)], filed=filed)


def test_a_push_touching_one_cluster_summarises_only_that_cluster() -> None:
    kept = Kept()
    kept.add(wage_claim(1, "张三", "甲公司"), {"party0": "P1", "party1": "E1"})
    kept.add(wage_claim(2, "李四", "乙公司"), {"party0": "P2", "party1": "E2"})
    before = kept.ranked()
    assert set(before) == {"C-E1", "C-E2"} and kept.ranking.recomputed == 2
    assert kept.ranked() == before and kept.ranking.recomputed == 2  # nothing changed

    kept.add(wage_claim(3, "王五", "甲公司"), {"party0": "P3", "party1": "E1"})
    after = kept.ranked()
    assert kept.ranking.recomputed == 3  # C-E1 only
    assert after["C-E2"] is before["C-E2"]
    assert after["C-E1"].summary.cases == 2 and before["C-E1"].summary.cases == 1
    assert after["C-E1"].risk.score > before["C-E1"].risk.score


def test_a_new_day_or_new_members_summarise_again() -> None:
    kept = Kept()
    kept.add(wage_claim(1, "张三", "甲公司"), {"party0": "P1", "party1": "E1"})
    kept.ranked()
    later = RiskScorer(kept.net, WEIGHTS, date(2026, 12, 1))
    [moved] = kept.ranking.ranked(kept.net, kept.clusters.clusters(), later)
    assert kept.ranking.recomputed == 2 and moved.summary.new_cases_30d == 0
    # A merge moves a mention: the cluster's entities change, so it is summarised again.
    kept.add(wage_claim(2, "张三", "丙公司"), {"party0": "P9", "party1": "E3"})
    kept.take(kept.net.merge("P9", "P1"))
    assert set(kept.ranked()) == {"C-E1"}


def test_an_earlier_case_arriving_late_rescores_the_case_that_continues_it() -> None:
    kept = Kept()
    # The litigation names the mediation it continues; the mediation's record comes later
    # and its parties were resolved apart from the litigation's (another cluster).
    kept.add(case("L-1", [person("张三"), company("甲公司")], channel=Channel.LITIGATION,
                  source=Department.COURT, escalated_from="M-1"),
             {"party0": "P1", "party1": "E1"})
    before = kept.ranked()["C-E1"]
    assert "escalation" not in before.risk.by_factor()
    kept.add(case("M-1", [person("赵六"), company("丁公司")],
                  channel=Channel.PEOPLES_MEDIATION, source=Department.PEOPLES_MEDIATION,
                  state=CaseState.FAILED),
             {"party0": "P2", "party1": "E2"})
    assert kept.ranked()["C-E1"].risk.by_factor()["escalation"] > 0


def test_a_new_version_naming_other_parties_rescores_the_parties_it_dropped() -> None:
    kept = Kept()
    kept.add(case("c1", [person("张三"), company("甲公司"), person("李四")]),
             {"party0": "P1", "party1": "E1", "party2": "P2"})
    kept.add(case("c2", [person("张三"), company("甲公司")]), {"party0": "P1", "party1": "E1"})
    assert kept.ranked()["C-E1"].summary.applicants == 2
    kept.add(case("c1", [person("张三"), company("甲公司")]), {})
    assert kept.ranked()["C-E1"].summary.applicants == 1
    # Every party replaced: P1 and E1 are still joined by c2, and lost c1.
    kept.add(case("c1", [person("王五"), company("乙公司")]), {"party0": "P3", "party1": "E3"})
    assert kept.ranked()["C-E1"].summary.cases == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), steps=st.integers(1, 60))
def test_the_cached_list_equals_a_fresh_one_after_every_change(seed: int, steps: int) -> None:
    rng = random.Random(seed)
    kept = Kept()
    people = [f"P{k}" for k in range(12)]
    for n in range(steps):
        roll = rng.random()
        worker, firm = rng.choice(people), f"E{rng.randrange(4)}"
        if roll < 0.55:  # a claim, now and then continuing an earlier one, closed or new
            kept.add(case(f"c{rng.randrange(n + 1)}", [
                person(f"人{worker}"), company(f"公司{firm}"),
                *([person(f"人{rng.choice(people)}", PartyRole.THIRD_PARTY)]
                  if rng.random() < 0.3 else [])],
                filed=date(2026, rng.randint(9, 12), rng.randint(1, 28)),
                state=rng.choice([CaseState.FILED, CaseState.CLOSED]),
                escalated_from=f"c{rng.randrange(n + 1)}" if rng.random() < 0.3 else None),
                {"party0": worker, "party1": firm, "party2": rng.choice(people)})
        elif roll < 0.7:  # a listing of a worker or firm
            kept.add(credit(f"k{n}", company(f"公司{firm}"), CreditEventType.DISHONEST_DEBTOR,
                            date(2026, 10, 1)), {"subject": firm})
        elif roll < 0.85:  # the resolver merges two people
            absorbed, survivor = rng.sample(people, 2)
            kept.take(kept.net.merge(absorbed, survivor))
        elif kept.net.mentions:  # or moves one mention to another entity
            mention = rng.choice(sorted(kept.net.mentions))
            entity = kept.net.entity_of(mention)
            if entity is not None and entity.startswith("P"):
                kept.take(kept.net.assign(mention, rng.choice(people),
                                          kept.net.mentions[mention].kind))
        kept.ranked()  # compares with a fresh computation
