"""The facts the benchmark decides on: the repository's examples and cases, and seeded
random facts for the equality tests of the baselines."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatetree import TreeSpec, read_facts
from gatetree.cases import run_cases

__all__ = ["TREES", "Case", "cases", "example", "outcome_mix", "random_facts", "random_params"]

TREES = Path(__file__).resolve().parents[1] / "trees"


@dataclass(frozen=True, slots=True)
class Case:
    """One case of a cases file, with the checked facts and params it decides on."""

    name: str
    facts: Mapping[str, Any]
    params: Mapping[str, Any]
    outcome: str | None
    status: str


def cases(tree_id: str) -> tuple[Case, ...]:
    """Every case of `trees/cases/<tree_id>.yaml`, as `decide` answers it."""
    report = run_cases(TREES / "cases" / f"{tree_id}.yaml")
    found = []
    for result in report.results:
        decision = result.decision
        if decision is None:
            raise RuntimeError(f"case {result.name!r} of {tree_id} does not run")
        found.append(Case(result.name, dict(decision.facts), dict(decision.overrides),
                          decision.outcome.id if decision.outcome else None, decision.status))
    return tuple(found)


def example(tree_id: str, name: str) -> dict[str, Any]:
    """The facts of `trees/examples/<tree_id>/<name>.yaml`."""
    facts, _ = read_facts(TREES / "examples" / tree_id / f"{name}.yaml")
    return facts


def outcome_mix(tree_id: str, outcomes: tuple[str, ...]) -> tuple[Mapping[str, Any], ...]:
    """One case's facts per outcome, in the tree's outcome order: a mix that reaches every
    outcome with the default params. Fails when the cases leave an outcome out."""
    first: dict[str, Mapping[str, Any]] = {}
    for case in cases(tree_id):
        if case.outcome is not None and not case.params:
            first.setdefault(case.outcome, case.facts)
    left_out = [o for o in outcomes if o not in first]
    if left_out:
        raise RuntimeError(f"the cases of {tree_id} reach no {', '.join(left_out)}")
    return tuple(first[o] for o in outcomes)


def random_facts(spec: TreeSpec, rng: random.Random, *, absent: float = 0.15,
                 derived_given: float = 0.1) -> dict[str, Any]:
    """Facts of every declared type, each left out with probability `absent`; a derived fact
    is given directly with probability `derived_given`, else left to its derivation.

    Numbers are whole most of the time, so that thresholds are hit exactly as often as
    they are missed by a little.
    """
    facts: dict[str, Any] = {}
    for name, fact in spec.facts.items():
        if rng.random() < (1 - derived_given if fact.derive else absent):
            continue
        if fact.type == "boolean":
            facts[name] = rng.random() < 0.5
        elif fact.type == "enum":
            facts[name] = rng.choice(fact.values)
        elif fact.type == "integer":
            facts[name] = rng.randint(0, 60)
        elif fact.type == "number":
            facts[name] = rng.randint(0, 100) if rng.random() < 0.7 else round(
                rng.uniform(0, 100), 1)
        else:
            facts[name] = rng.choice(("a", "b"))
    return facts


def random_params(spec: TreeSpec, rng: random.Random) -> dict[str, Any]:
    """Overrides of the numeric params near their defaults (text params keep theirs)."""
    params: dict[str, Any] = {}
    for name, param in spec.params.items():
        default = param.default
        if param.type == "integer" and isinstance(default, int):
            params[name] = rng.randint(0, max(3, 2 * default))
        elif param.type == "number" and isinstance(default, (int, float)):
            params[name] = round(rng.uniform(0, 1 if default <= 1 else 2 * default), 2)
    return params
