"""Everything a department writer needs, in one place."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from graph.vocabulary import Department
from loaders.generator.companies import Enterprises
from loaders.generator.credit_plan import CreditPlan
from loaders.generator.ground_truth import GroundTruth
from loaders.generator.population import Population
from loaders.generator.registry import Registry
from loaders.generator.render import Renderer
from loaders.generator.sampler import Sampler
from loaders.generator.scenarios import ScenarioPlan
from loaders.generator.streams import stream
from loaders.generator.summary import Tally


@dataclass
class Context:
    seed: int
    out_dir: Path
    population: Population
    enterprises: Enterprises
    registry: Registry
    sampler: Sampler
    renderer: Renderer
    scenarios: ScenarioPlan
    credit: CreditPlan
    truth: GroundTruth
    tally: Tally
    bad_rows_enabled: bool

    @property
    def people(self) -> int:
        return len(self.population.persons)

    def rows(self, per_person: float) -> int:
        """A table's background row count: `per_person` rows for every true person."""
        return round(self.people * per_person)

    def rng(self, name: str) -> random.Random:
        return stream(self.seed, name)

    def folder(self, department: Department) -> Path:
        path = self.out_dir / department.value
        path.mkdir(parents=True, exist_ok=True)
        return path
