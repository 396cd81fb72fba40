"""`generate`: a whole synthetic data set, from true population to department exports."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from graph.vocabulary import Department
from loaders.generator.bad_rows import MIN_PEOPLE_FOR_BAD_ROWS
from loaders.generator.clock import REFERENCE_DATE
from loaders.generator.companies import build_enterprises
from loaders.generator.context import Context
from loaders.generator.credit_plan import build_credit_plan
from loaders.generator.departments.amr import write_amr
from loaders.generator.departments.complaint import write_complaints
from loaders.generator.departments.court import write_court
from loaders.generator.departments.credit import write_credit
from loaders.generator.departments.health import write_health
from loaders.generator.departments.hotline import write_hotline
from loaders.generator.departments.labour import write_labour
from loaders.generator.departments.mediation import write_mediation
from loaders.generator.departments.petition import write_petition
from loaders.generator.departments.traffic import write_traffic
from loaders.generator.ground_truth import GroundTruth, write_entities
from loaders.generator.population import build_population
from loaders.generator.registry import Registry
from loaders.generator.render import Renderer
from loaders.generator.sampler import Sampler
from loaders.generator.scenarios import plan_scenarios
from loaders.generator.streams import stream
from loaders.generator.summary import GenerationSummary, Progress, Tally

MIN_PEOPLE = 10
GROUND_TRUTH_FILE = "ground_truth.jsonl"
ENTITIES_FILE = "entities.jsonl"
SCENARIOS_FILE = "scenarios.json"

# Order matters: mediation before labour and court (background arbitrations and lawsuits
# avoid pairs who already met in mediation; a planted lawsuit cites the failed mediation's
# number), court before credit (the credit centre republishes the court's dishonest list).
WRITERS: tuple[Callable[[Context], None], ...] = (
    write_amr, write_mediation, write_labour, write_court, write_petition, write_hotline,
    write_complaints, write_traffic, write_health, write_credit,
)


def generate(out_dir: Path, *, people: int, seed: int,
             progress: Progress | None = None) -> GenerationSummary:
    """Write department exports for `people` true persons, with ground truth, under `out_dir`.

    The same `people` and `seed` give byte-identical files. Department folders already in
    `out_dir` are replaced. Every scenario is planted from about 200 people up; a smaller
    population gets those that fit (`GenerationSummary.scenarios` says which).
    """
    if people < MIN_PEOPLE:
        raise ValueError(f"people must be at least {MIN_PEOPLE}")
    out_dir.mkdir(parents=True, exist_ok=True)
    population = build_population(people, stream(seed, "population"))
    enterprises = build_enterprises(population, stream(seed, "enterprises"))
    registry = Registry()
    scenarios = plan_scenarios(population, enterprises, registry, stream(seed, "scenarios"))
    credit = build_credit_plan(population, enterprises, registry, scenarios,
                               stream(seed, "credit"))
    truth = GroundTruth(out_dir / GROUND_TRUTH_FILE)
    tally = Tally(progress=progress)
    ctx = Context(
        seed=seed, out_dir=out_dir, population=population, enterprises=enterprises,
        registry=registry, sampler=Sampler(population, enterprises, registry),
        renderer=Renderer(population, enterprises), scenarios=scenarios, credit=credit,
        truth=truth, tally=tally, bad_rows_enabled=people >= MIN_PEOPLE_FOR_BAD_ROWS,
    )
    _clear(out_dir)
    try:
        for writer in WRITERS:
            writer(ctx)
    finally:
        truth.close()
        tally.flush()
    write_entities(out_dir / ENTITIES_FILE, population, enterprises)
    (out_dir / SCENARIOS_FILE).write_text(
        json.dumps([s.to_json() for s in scenarios.scenarios], ensure_ascii=False, indent=2)
        + "\n", encoding="utf-8")
    return GenerationSummary(
        out_dir=out_dir, seed=seed, people=people, enterprises=len(enterprises.items),
        reference_date=REFERENCE_DATE, records=tally.records, bad_rows=tally.bad_rows,
        scenarios=tuple(s.name for s in scenarios.scenarios),
        files=tuple([*tally.files, out_dir / GROUND_TRUTH_FILE, out_dir / ENTITIES_FILE,
                     out_dir / SCENARIOS_FILE]),
    )


def _clear(out_dir: Path) -> None:
    """Remove department folders left by an earlier run, so no stale file gets loaded."""
    for department in Department:
        folder = out_dir / department.value
        if folder.is_dir():
            shutil.rmtree(folder)
