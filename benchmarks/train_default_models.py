"""Train the models shipped in resolver/default_models/, reproducibly.

    .venv/bin/python benchmarks/train_default_models.py --work /tmp/wutong-models
    .venv/bin/python benchmarks/train_default_models.py --work /tmp/wutong-models --write

Record-by-record resolution uses these models until a first batch run has trained models
on the store's own data (resolver/online.py). They are trained the way such a batch run
trains: `wutong generate` a population (--people, default 14,250; --seed, default 11, not
the seed-7 population the benchmarks score on), `wutong load` every department
folder into an embedded store under <work>/data, `wutong resolve` the whole store; the
run saves its models in <work>/data/models. Each step runs as a subprocess and is skipped
when <work> already holds its result (<work>/steps.json).

The population must be large. EM learns each weight as log2(m/u), and u, measured on random
pairs, needs enough enterprises, branches and namesakes to see how often unrelated records
agree at a rare level: on the 2,000-person demo (--people 2000 --seed 7) no parent-branch
pair was left among the random pairs, u sat at its floor, "a parent and its branch" got
+12.7 bits and a name "else" -9.5, so a parent's name alone linked its branch and one shared
credit code two unrelated names; the checks refuse it. At 14,250 people (about 120k person
and 53k enterprise mentions) u is 2.8e-5 and the weight -4.8.

Then printed: each comparison's weights, the waterfall of a few pairs
(resolver/model_checks.DECISIONS), and what resolver/model_checks finds implausible.
--write copies the models into resolver/default_models/ only when nothing is.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from graph.vocabulary import Department
from resolver.model import MatchModel, probability
from resolver.model_checks import DECISIONS, match_weight, problems

WUTONG = Path(sys.executable).parent / "wutong"
REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "resolver" / "default_models"
KINDS = ("person", "enterprise")


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def prepare(work: Path, people: int, seed: int) -> None:
    """Generate, load and batch-resolve (each finished step noted in steps.json)."""
    state_file = work / "steps.json"
    state: dict[str, Any] = (json.loads(state_file.read_text()) if state_file.exists()
                             else {"people": people, "seed": seed, "steps": []})
    if (state["people"], state["seed"]) != (people, seed):
        raise SystemExit(f"{work} holds people={state['people']} seed={state['seed']}: "
                         "use another --work")
    env = {**os.environ, "WUTONG_DATA_DIR": str(work / "data"), "WUTONG_STORE": "embedded",
           "COLUMNS": "160"}
    (work / "logs").mkdir(parents=True, exist_ok=True)

    def step(name: str, args: list[str]) -> None:
        if name in state["steps"]:
            return
        begun = time.monotonic()
        with open(work / "logs" / f"{name}.log", "w") as log:
            done = subprocess.run([str(WUTONG), *args], env=env, stdout=log,
                                  stderr=subprocess.STDOUT, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{name} failed (exit {done.returncode}), see {log.name}")
        say(f"  {name}: {time.monotonic() - begun:.1f} s")
        state["steps"].append(name)
        state_file.write_text(json.dumps(state, indent=1))

    gen = work / "gen"
    step("generate", ["generate", "--out", str(gen), "--people", str(people), "--seed",
                      str(seed), "--overwrite"])
    for department in Department:
        if (gen / department.value).is_dir():
            step(f"load-{department.value}",
                 ["load", str(gen / department.value), "--source", department.value])
    step("resolve", ["resolve"])


def weights_table(model: MatchModel) -> str:
    lines = [f"{model.kind}: prior {model.prior_weight:+.1f} bits, trained on "
             f"{model.trained_on_pairs:,} candidate pairs"]
    for c in model.comparisons:
        lines.append(f"  {c.name}: " + ", ".join(
            f"{label} {w:+.1f}" for label, w in zip(c.labels, c.weights(), strict=True)))
    return "\n".join(lines)


def waterfalls(model: MatchModel) -> str:
    lines = [f"{model.kind}: pairs (prior {model.prior_weight:+.1f})"]
    names = {c.name for c in model.comparisons}
    for decision in DECISIONS:
        if decision.kind != model.kind or not set(decision.levels) <= names:
            continue
        weight = match_weight(model, decision.levels)
        parts = []
        for name, label in decision.levels.items():
            one = match_weight(model, {name: label}) - model.prior_weight
            parts.append(f"{name} {label} {one:+.1f}")
        p = float(probability(np.asarray([weight]))[0])
        lines.append(f"  {decision.what}: {', '.join(parts)} = {weight:+.1f} bits, "
                     f"p {p:.4f} (must {'' if decision.links else 'not '}link)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--work", type=Path, default=Path("/tmp/wutong-default-models"))
    parser.add_argument("--people", type=int, default=14_250)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--write", action="store_true",
                        help="copy the models into resolver/default_models/ if plausible")
    args = parser.parse_args()
    say(f"preparing {args.work} (people {args.people}, seed {args.seed})")
    prepare(args.work, args.people, args.seed)
    trained = {kind: args.work / "data" / "models" / f"{kind}.json" for kind in KINDS}
    found = []
    for kind, path in trained.items():
        model = MatchModel.load(path)
        old = SHIPPED / f"{kind}.json"
        say()
        if old.exists():
            say("shipped now:\n" + weights_table(MatchModel.load(old)))
        say("trained:\n" + weights_table(model))
        say(waterfalls(model))
        issues = problems(model)
        found += [f"{kind}: {x}" for x in issues]
        say("implausible: " + ("; ".join(issues) if issues else "nothing"))
    if args.write:
        if found:
            raise SystemExit("not written: " + "; ".join(found))
        for kind, path in trained.items():
            shutil.copyfile(path, SHIPPED / f"{kind}.json")
        say(f"written to {SHIPPED}")


if __name__ == "__main__":
    main()
