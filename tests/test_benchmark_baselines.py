"""The benchmark's baselines decide exactly as the trees do, so its ratios compare like with
like: the hand-written functions over every case and seeded random facts (with and
without param overrides), and zen-engine's JDM graph of retrain-or-tune over random facts."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from benchmarks import handwritten
from benchmarks.handwritten import Result
from benchmarks.workloads import cases, random_facts, random_params
from benchmarks.zen_graph import ZenGraph
from gatetree import Decision, DecisionTree, load_tree

BASELINES: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any] | None], Result]] = {
    "retrain-or-tune": handwritten.retrain_or_tune,
    "tune-or-rebuild": handwritten.tune_or_rebuild,
    "ai-workflow-triage": handwritten.ai_workflow_triage,
}
RANDOM_FACT_SETS = 1200


def answer(decision: Decision) -> Result:
    return (decision.outcome.id if decision.outcome else None), decision.status


def random_inputs(tree: DecisionTree, seed: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Seeded facts, a quarter of them with param overrides.

    Half are a case's facts with a few random facts laid over them: wholly random facts
    rarely get past the trees' early exits to their deepest gates and checklists.
    """
    rng = random.Random(seed)
    bases = [case.facts for case in cases(tree.id)]
    inputs = []
    for _ in range(RANDOM_FACT_SETS):
        facts = random_facts(tree.spec, rng)
        if rng.random() < 0.5:
            changed = {name: value for name, value in facts.items() if rng.random() < 0.2}
            facts = {**rng.choice(bases), **changed}
        inputs.append((facts, random_params(tree.spec, rng) if rng.random() < 0.25 else {}))
    return inputs


@pytest.mark.parametrize("tree_id", BASELINES)
def test_hand_written_function_decides_every_case_as_the_tree(tree_id: str) -> None:
    baseline = BASELINES[tree_id]
    found = {case.name: baseline(case.facts, case.params) for case in cases(tree_id)}
    assert found == {case.name: (case.outcome, case.status) for case in cases(tree_id)}


@pytest.mark.parametrize("tree_id", BASELINES)
def test_hand_written_function_decides_random_facts_as_the_tree(tree_id: str) -> None:
    tree, baseline = load_tree(tree_id), BASELINES[tree_id]
    reached = set()
    for facts, params in random_inputs(tree, seed=len(tree_id)):
        expected = answer(tree.decide(facts, params=params))
        assert baseline(facts, params) == expected, (facts, params)
        reached.add(expected[0])
    # The random facts reach every outcome and stop incomplete too, or they prove little.
    assert reached == {o.id for o in tree.outcomes} | {None}


def test_zen_graph_decides_as_retrain_or_tune() -> None:
    tree, graph = load_tree("retrain-or-tune"), ZenGraph("retrain-or-tune")
    inputs = [facts for facts, _ in random_inputs(tree, seed=7)]
    inputs += [case.facts for case in cases("retrain-or-tune") if not case.params]
    reached = set()
    for facts in inputs:
        expected = answer(tree.decide(facts))
        assert graph.decide(facts) == expected, facts
        reached.add(expected[0])
    assert reached == {o.id for o in tree.outcomes} | {None}
