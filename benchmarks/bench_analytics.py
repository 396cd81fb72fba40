"""Analytics benchmarks (BENCHMARKS.md, "Dispute network analytics").

  push      cluster maintenance per pushed record: a resolved store's records replayed in
            journal order, each followed by the resolution of its mentions; the time in
            ConflictClusters.apply only (the network's own bookkeeping is not counted)
  full      full recomputation (parts, then communities) on a synthesised network of
            --entities entities: facts are put straight into a DisputeNetwork with a
            trivial normaliser, since generating and resolving 1M records would take hours
  risk      risk for one entity (RiskScorer.entity on a network loaded once from the store)
  hook      the API's push hook per pushed record (AnalyticsService.on_push: network, mention
            refresh from the store, incremental clusters, alerts for the change, as of
            2026-11-01): --samples records of the store, drawn at random, handed to the
            hook one push each as the API would after storing them (their content is in
            the network already, so each is taken in again, as a new version would be);
            alert writes go to the store, so point WUTONG_DATA_DIR at a copy

  WUTONG_DATA_DIR=/tmp/d .venv/bin/python benchmarks/bench_analytics.py push
  .venv/bin/python benchmarks/bench_analytics.py full --entities 1000000
  WUTONG_STORE=neo4j ... .venv/bin/python benchmarks/bench_analytics.py risk
  WUTONG_DATA_DIR=/tmp/copy .venv/bin/python benchmarks/bench_analytics.py hook --samples 300
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta

from api.analytics import load_network, risk_weights
from api.settings import Settings
from api.stores import open_store
from graph.clusters import ConflictClusters
from graph.entities import EntityKind
from graph.network import CaseFact, CaseParty, DisputeNetwork, MentionFacts
from graph.risk import RiskScorer
from graph.store import ResolvingStore
from graph.vocabulary import CaseState, Channel, DisputeCategory, PartyRole

DAY = date(2026, 11, 1)


def report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def bench_push(settings: Settings) -> None:
    with open_store(settings) as store:
        assert isinstance(store, ResolvingStore)
        records = sorted(store.iter_records(), key=lambda s: s.seq)
        assigned = {k: store.mention_assignments(k) for k in EntityKind}
    by_record: dict[str, list[tuple[str, str, EntityKind]]] = {}
    for kind, mapping in assigned.items():
        for mention, entity in mapping.items():
            by_record.setdefault(mention.split("#")[0], []).append((mention, entity, kind))
    from api.analytics import fact_normaliser
    runs = []
    for _ in range(3):
        network = DisputeNetwork(fact_normaliser(settings))
        clusters = ConflictClusters(network)
        spent = 0.0
        for stored in records:
            change = network.add_record(stored)
            for mention, entity, kind in by_record.get(f"{stored.key[0]}:{stored.key[1]}", []):
                change.update(network.assign(mention, entity, kind))
            start = time.perf_counter()
            clusters.apply(change)
            spent += time.perf_counter() - start
        runs.append(spent / len(records) * 1e3)
        check = ConflictClusters.full(network)
        assert set(check.parts()) == set(clusters.parts())
    report(f"push: {len(records)} records, {sum(1 for _ in network.entities())} entities; "
          f"ms per record (3 runs) {[round(r, 4) for r in runs]}, median "
          f"{statistics.median(runs):.4f}")


def synthesise(entities: int, seed: int = 1) -> DisputeNetwork:
    """Local disputes inside blocks of 50 people, a fifth of cases against one of the
    enterprises (a few of them with many cases), a few shared phones."""
    rng = random.Random(seed)
    network = DisputeNetwork(None)  # type: ignore[arg-type]
    firms = entities // 20
    people = entities - firms
    observed = datetime(2026, 10, 1)
    for k in range(people):
        mention = f"p:{k}"
        phones = (f"+86138{rng.randrange(10**8):08d}",) if rng.random() < 0.5 else ()
        network.mentions[mention] = MentionFacts(mention, EntityKind.PERSON, f"人{k}", None,
                                                 None, phones)
        network.assign(mention, f"P{k:08d}", EntityKind.PERSON)
    for k in range(firms):
        mention = f"e:{k}"
        network.mentions[mention] = MentionFacts(mention, EntityKind.ENTERPRISE, f"公司{k}",
                                                 None, None)
        network.assign(mention, f"E{k:08d}", EntityKind.ENTERPRISE)
    cases = int(entities * 0.7)
    for k in range(cases):
        a = rng.randrange(people)
        if rng.random() < 0.8:
            block = a - a % 50
            b_mention = f"p:{min(people - 1, block + rng.randrange(50))}"
            b_entity = f"P{int(b_mention[2:]):08d}"
        else:
            firm = min(firms - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(firms) // 4)
            b_entity = f"E{firm:08d}"
        key = f"c:{k}"
        parties = (CaseParty(f"{key}#0", PartyRole.APPLICANT, EntityKind.PERSON),
                   CaseParty(f"{key}#1", PartyRole.RESPONDENT, EntityKind.PERSON))
        filed = DAY - timedelta(days=rng.randrange(700))
        network.cases[key] = CaseFact(key, "labour", key, Channel.LABOUR_ARBITRATION,
                                      DisputeCategory.LABOUR, CaseState.FILED, filed, None,
                                      None, None, None, None, parties, observed)
        for party, entity in zip(parties, (f"P{a:08d}", b_entity), strict=True):
            network._mention_case[party.mention_id] = key
            kind = EntityKind.ENTERPRISE if entity[0] == "E" else EntityKind.PERSON
            network.assign(party.mention_id, entity, kind)
    return network


def bench_full(entities: int) -> None:
    """Wall and CPU seconds per phase: on a shared machine the CPU time is what the phase
    would take on a core of its own (it is single-threaded)."""
    start, cpu = time.perf_counter(), time.process_time()
    network = synthesise(entities)
    built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    clusters = ConflictClusters.full(network)
    parts_time, parts_cpu = time.perf_counter() - start, time.process_time() - cpu
    sizes = [len(p) for p in clusters.parts()]
    start, cpu = time.perf_counter(), time.process_time()
    found = clusters.clusters()
    split_time, split_cpu = time.perf_counter() - start, time.process_time() - cpu
    report(f"full: {entities} entities ({len(network.cases)} cases) synthesised in "
           f"{built:.1f} s (cpu {built_cpu:.1f} s); parts {parts_time:.1f} s (cpu "
           f"{parts_cpu:.1f} s; {len(sizes)} parts, largest {sizes[:3]}); communities "
           f"{split_time:.1f} s (cpu {split_cpu:.1f} s; {len(found)} clusters, largest "
           f"{len(found[0].entities)}); total {parts_time + split_time:.1f} s "
           f"(cpu {parts_cpu + split_cpu:.1f} s)")


def bench_risk(settings: Settings, samples: int) -> None:
    start = time.perf_counter()
    with open_store(settings) as store:
        assert isinstance(store, ResolvingStore)
        network = load_network(store, settings)
    loaded = time.perf_counter() - start
    scorer = RiskScorer(network, risk_weights(settings), DAY)
    entities = sorted(network.entities())
    rng = random.Random(3)
    picks = [rng.choice(entities) for _ in range(samples)]
    times = []
    for entity in picks:
        t = time.perf_counter()
        scorer.entity(entity)
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    report(f"risk on {settings.store}: network of {len(entities)} entities loaded once in "
          f"{loaded:.1f} s; per entity p50 {times[len(times) // 2]:.3f} ms, p95 "
          f"{times[int(len(times) * 0.95)]:.3f} ms, max {times[-1]:.3f} ms "
          f"({samples} entities)")


def bench_hook(settings: Settings, samples: int) -> None:
    from api.analytics_service import AnalyticsService
    from api.push import PushedRecord
    from graph.store import AppendOutcome
    from resolver.online import MentionOutcome

    settings = settings.model_copy(update={"analytics_as_of": DAY})
    with open_store(settings) as store:
        assert isinstance(store, ResolvingStore)
        start = time.perf_counter()
        service = AnalyticsService(store, settings)
        built = time.perf_counter() - start
        records = sorted(store.iter_records(), key=lambda s: s.seq)
        picks = random.Random(5).sample(records, min(samples, len(records)))
        times = []
        for stored in picks:
            prefix = f"{stored.key[0]}:{stored.key[1]}"
            mentions = tuple(
                MentionOutcome(link.mention_id, link.entity_id, link.decision, link.score)
                for m in sorted(service.network.mentions) if m.split("#")[0] == prefix
                if (link := store.mention_link(m)) is not None)
            pushed = [PushedRecord(0, stored.record, AppendOutcome.ACCEPTED, mentions)]
            t = time.perf_counter()
            service.on_push(pushed)
            times.append((time.perf_counter() - t) * 1e3)
        with service.view() as view:
            fresh = ConflictClusters.full(load_network(store, settings))
            assert view.clusters.parts() == fresh.parts()
    times.sort()
    report(f"hook on {settings.store}: network and clusters built in {built:.1f} s; "
           f"{len(times)} pushes of one record: median {statistics.median(times):.3f} ms, "
           f"p95 {times[int(len(times) * 0.95)]:.3f} ms, max {times[-1]:.3f} ms; "
           "incremental clusters equal to a fresh full build")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["push", "full", "risk", "hook"])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000)
    args = parser.parse_args()
    settings = Settings()
    if args.what == "push":
        bench_push(settings)
    elif args.what == "hook":
        bench_hook(settings, args.samples)
    elif args.what == "full":
        bench_full(args.entities)
    else:
        bench_risk(settings, args.samples)


if __name__ == "__main__":
    main()
