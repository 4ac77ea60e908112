"""The compiled plan: deep trees, decisions without a trace, texts filled only when read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import gatetree.plan
from gatetree import DecisionTree, Verdict, load_data, load_tree, read_facts

RUNNING = (Path(__file__).resolve().parents[1] / "trees" / "examples" / "retrain-or-tune"
           / "running-example.yaml")


def chain(gates: int) -> dict[str, Any]:
    """A tree of `gates` gates in a row; gate i ends at `hit` when x == i."""
    nodes: dict[str, Any] = {
        f"g{i}": {"kind": "gate", "title": f"Is x {i}?", "question": f"Is x {i}?",
                  "branches": [{"if": f"x == {i}", "next": "hit"}],
                  "default": {"next": f"g{i + 1}" if i + 1 < gates else "miss"}}
        for i in range(gates)}
    nodes["hit"] = {"kind": "outcome", "title": "Hit", "action": "Stop."}
    nodes["miss"] = {"kind": "outcome", "title": "Miss", "action": "Go on."}
    return {"gatetree": 1, "id": "chain", "version": "1.0.0", "title": "Chain", "start": "g0",
            "facts": {"x": {"type": "integer", "question": "What is x?"}}, "nodes": nodes}


@pytest.fixture(scope="module")
def long_chain() -> DecisionTree:
    return load_data(chain(1000))


def test_a_thousand_gate_chain_decides_to_its_end(long_chain: DecisionTree) -> None:
    decision = long_chain.decide({"x": 999})
    assert decision.outcome is not None and decision.outcome.id == "hit"
    assert len(decision.path) == 1001 and len(decision.steps) == 1000
    assert decision.steps[-1].chosen_by == "x == 999"
    assert len(decision.steps[-1].rejected) == 0 and decision.steps[0].chosen_by == "default"
    assert decision.to_dict()["steps"][-1]["exit"] == 0
    verdict = long_chain.decide({"x": -1}, trace=False)
    assert (verdict.status, verdict.outcome and verdict.outcome.id, len(verdict.path)) == (
        "decided", "miss", 1001)


def test_a_thousand_gate_chain_without_the_fact_names_it_and_both_outcomes(
        long_chain: DecisionTree) -> None:
    decision = long_chain.decide({})
    assert decision.missing is not None and decision.missing.fact == "x"
    assert decision.reachable_outcomes == ("hit", "miss")


def test_an_expression_too_deep_for_the_compiler_is_evaluated_from_its_code(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded during compilation")

    monkeypatch.setattr(gatetree.plan, "compile", refuse, raising=False)
    tree = load_data(chain(3))
    monkeypatch.undo()
    assert tree.decide({"x": 2}).path == ("g0", "g1", "g2", "hit")
    assert tree.decide({"x": 2}).steps[2].evidence[0].name == "x"


def test_trace_false_gives_the_result_without_a_trace() -> None:
    tree = load_tree("retrain-or-tune")
    facts, _ = read_facts(RUNNING)
    verdict = tree.decide(facts, trace=False)
    decision = tree.decide(facts)
    assert isinstance(verdict, Verdict) and verdict.decided
    assert (verdict.outcome, verdict.path, verdict.actions) == (
        decision.outcome, decision.path, decision.actions)
    assert not hasattr(verdict, "steps")
    stuck = tree.decide({}, trace=False)
    assert (stuck.status, stuck.outcome, stuck.path) == ("incomplete", None, ("gate-0",))
    assert stuck.missing == tree.decide({}).missing


def test_an_override_fills_only_the_texts_that_name_it() -> None:
    tree = load_tree("retrain-or-tune")
    facts, _ = read_facts(RUNNING)
    plain, tuned = tree.decide(facts), tree.decide(facts, params={"few_shot_examples": "2"})
    gate_3 = tuned.steps[4]
    assert "2 explicit few-shot examples" in gate_3.question
    assert "3-5" in plain.steps[4].question
    assert tuned.steps[0] == plain.steps[0]  # gate 0 names no param that changed
    assert tuned.outcome == plain.outcome or tuned.outcome is not None


def test_the_outcomes_below_each_node_are_found_in_one_pass(long_chain: DecisionTree) -> None:
    below = long_chain.outcomes_below
    assert below["g0"] == below["g999"] == ("hit", "miss")
    assert below["hit"] == ("hit",)
