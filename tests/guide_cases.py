"""Fact sets for the browser guide's differential test: every case of the built-in trees and
seeded random sets (complete, partial, with param overrides), with `decide`'s result for each.

The page's walker (render/guide/walk.js) must give the same outcome, path, actions, outcomes
still reachable, next missing fact and what settled a gate past an unknown fact; values
travel as JSON with ints tagged (`{"$int": "7"}`) so that the page keeps Python's int/float
split.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any

from gatetree import EvaluationError, InputError
from gatetree._resources import data_dir
from gatetree.cases import _case_problems
from gatetree.model import Fact, Param
from gatetree.source import read_document
from gatetree.tree import DecisionTree

__all__ = ["builtin_cases", "expected", "random_sets", "tagged"]

_STRINGS = ("", "x", "3-5", "ünïcode ✓", "{few_shot_examples}", "a b")


def tagged(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the page takes them: ints tagged, so 7 and 7.0 stay apart."""
    return {k: {"$int": str(v)} if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in values.items()}


def expected(tree: DecisionTree, facts: Mapping[str, Any],
             params: Mapping[str, Any]) -> dict[str, Any]:
    """`decide`'s result in the page's shape."""
    try:
        decision = tree.decide(facts, params=params)
    except (EvaluationError, InputError):
        return {"status": "error"}
    missing = decision.missing
    return {
        "status": decision.status,
        "outcome": decision.outcome.id if decision.outcome else None,
        "path": list(decision.path),
        "actions": [[a.node, a.text] for a in decision.actions],
        "reachable": list(decision.reachable_outcomes),
        "settled_by": [[step.node, name, by] for step in decision.steps
                       if step.checklist is None and step.subdecision is None  # gates
                       for name, by in [(None, step.settled_by),
                                        *((e.name, e.settled_by) for e in step.evidence)]
                       if by is not None],
        "missing": None if missing is None else {
            "fact": missing.fact, "node": missing.node,
            "derivable_from": list(missing.derivable_from), "via": list(missing.via),
            "question": missing.question},
    }


def builtin_cases(tree: DecisionTree) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Facts and params of each case in the tree's built-in cases file."""
    path = data_dir("trees") / "cases" / f"{tree.id}.yaml"
    document = read_document(path)
    for index, case in enumerate(document.data["cases"]):
        problems, facts, params = _case_problems(tree, case, index, document, path.parent)
        assert not problems, problems
        yield facts, params


def _value(rng: random.Random, decl: Fact | Param, near: list[int | float]) -> Any:
    if decl.type == "boolean":
        return rng.random() < 0.5
    if decl.type == "enum":
        return rng.choice(decl.values)
    if decl.type == "string":
        return rng.choice(_STRINGS)
    if decl.type == "integer":
        return rng.choice([0, 1, 2, 3, 5, 19, 20, 21, 49, 50, 200, 500, -3,
                           *[int(n) for n in near]])
    choice = rng.random()
    if choice < 0.3:
        return rng.randint(-5, 100)
    if choice < 0.6:
        return round(rng.uniform(0, 100), rng.choice([0, 1, 2]))
    if choice < 0.8:
        return rng.choice([0.1, 0.9, 0.5, 0.25, 1e-7, 2.5, 0.30000000000000004, 1.0])
    return rng.choice([*near, 0]) if near else rng.random()


def random_sets(tree: DecisionTree, count: int, *, seed: int
                ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """`count` seeded fact sets: a third complete, a third partial, a third with params."""
    rng = random.Random(f"{tree.id}:{seed}")
    spec = tree.spec
    near = [p.default for p in spec.params.values()
            if isinstance(p.default, (int, float)) and not isinstance(p.default, bool)]
    plain = [f for f in spec.facts.values() if f.derive is None]
    derived = [f for f in spec.facts.values() if f.derive is not None]
    for index in range(count):
        mode = index % 3
        facts: dict[str, Any] = {}
        for fact in plain:
            if mode == 0 or rng.random() < 0.6:
                facts[fact.name] = _value(rng, fact, near)
        for fact in derived:
            if rng.random() < (0.1 if mode == 0 else 0.25):
                facts[fact.name] = _value(rng, fact, near)
        params: dict[str, Any] = {}
        if mode == 2:
            for param in spec.params.values():
                if rng.random() < 0.5:
                    params[param.name] = _param_value(rng, param, near)
        yield facts, params


def _param_value(rng: random.Random, param: Param, near: list[int | float]) -> Any:
    if param.type == "integer":
        return rng.choice([1, 2, 3, 4, 5, 10, 20, 50, 100])
    if param.type == "number":
        return rng.choice([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1, 3, 1.5e-5, 0.123456789012345])
    return _value(rng, param, near)
