"""The engine's promises: decisions from facts, incomplete never guessed, traces as data."""

from __future__ import annotations

import dataclasses
import functools
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatetree import EvaluationError, InputError, load_tree, read_facts
from gatetree.source import parse_document

ROOT = Path(__file__).resolve().parents[1]
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"
TRACE_SCHEMA = json.loads((ROOT / "schemas" / "trace.v1.schema.json").read_text())


@pytest.fixture
def running(decision):  # type: ignore[no-untyped-def]
    """The running example's decision (from conftest), named for what it is here."""
    return decision


def test_missing_fact_makes_the_decision_incomplete_and_names_it(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"has_quality_metrics": True, "is_underperforming": True})
    assert decision.status == "incomplete"
    assert decision.outcome is None
    assert decision.missing is not None
    assert (decision.missing.fact, decision.missing.node) == ("decline", "gate-1")
    assert decision.path == ("gate-0", "gate-0-degradation", "gate-1")
    assert "build-evals" not in decision.reachable_outcomes
    # Gate 5's full-retraining conditions default to false: known false, so the exits
    # behind them are out of reach until a fact says otherwise.
    assert decision.reachable_outcomes == ("roll-back-change", "fix-retrieval", "fix-prompt",
                                           "fine-tune", "fine-tune-on-new-labels",
                                           "deep-debug")


def test_reachable_outcomes_follow_known_answers_below_the_gap(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"has_quality_metrics": True, "is_underperforming": True,
                            "context_fixes": "fully"})
    assert decision.missing is not None and decision.missing.fact == "decline"
    assert decision.reachable_outcomes == ("roll-back-change", "fix-retrieval")


def test_a_derived_fact_that_cannot_be_derived_names_its_inputs(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"eval_set_size": 500})
    assert decision.missing is not None
    assert decision.missing.fact == "has_quality_metrics"
    assert decision.missing.derivable_from == ("has_scoring_method", "has_baseline")  # as read


def test_a_given_fact_wins_over_its_derivation(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"has_quality_metrics": False, "eval_set_size": 500,
                            "has_scoring_method": True, "has_baseline": True})
    assert decision.outcome is not None and decision.outcome.id == "build-evals"
    assert decision.steps[0].evidence[0].source == "given"


def test_derivation_records_expression_and_inputs(running) -> None:  # type: ignore[no-untyped-def]
    evidence = running.steps[0].evidence[0]
    assert evidence.source == "derived"
    assert evidence.expression == ("eval_set_size >= min_eval_examples and has_scoring_method "
                                   "and has_baseline")
    assert [(i.name, i.value, i.source) for i in evidence.inputs] == [
        ("eval_set_size", 500, "given"), ("min_eval_examples", 20, "param-default"),
        ("has_scoring_method", True, "given"), ("has_baseline", True, "given")]


def test_param_override_changes_the_decision_and_is_recorded(tree) -> None:  # type: ignore[no-untyped-def]
    facts, _ = read_facts(RUNNING)
    decision = tree.decide(facts, params={"min_eval_examples": 1000})
    assert decision.outcome is not None and decision.outcome.id == "build-evals"
    inputs = {i.name: i for i in decision.steps[0].evidence[0].inputs}
    assert (inputs["min_eval_examples"].value, inputs["min_eval_examples"].source) == (1000,
                                                                                      "param")


def test_decision_records_the_overrides_apart_from_the_params_in_effect(tree) -> None:  # type: ignore[no-untyped-def]
    facts, _ = read_facts(RUNNING)
    decision = tree.decide(facts, params={"min_eval_examples": 20})
    assert dict(decision.overrides) == {"min_eval_examples": 20}
    assert decision.params["min_finetune_examples"] == 50
    assert decision.to_dict()["overrides"] == {"min_eval_examples": 20}


def test_param_placeholders_fill_outcome_text(tree) -> None:  # type: ignore[no-untyped-def]
    facts, _ = read_facts(RUNNING)
    default = tree.decide(facts).outcome
    tuned = tree.decide(facts, params={"min_finetune_examples": 200}).outcome
    assert "50+" in default.action and "200+" in tuned.action


def test_gate_questions_fill_placeholders_with_defaults_and_overrides(tree) -> None:  # type: ignore[no-untyped-def]
    facts, _ = read_facts(RUNNING)
    question = {s.node: s.question for s in tree.decide(facts).steps}["gate-3"]
    tuned = {s.node: s.question
             for s in tree.decide(facts, params={"few_shot_examples": "2-4"}).steps}["gate-3"]
    assert question.startswith("Add 3-5 explicit few-shot examples")
    assert tuned.startswith("Add 2-4 explicit few-shot examples")


def test_condition_gate_records_rejected_conditions(running) -> None:  # type: ignore[no-untyped-def]
    gate5 = running.steps[-1]
    assert gate5.node == "gate-5"
    assert gate5.chosen_by == "default"
    assert gate5.rejected == ("quality_still_unaccounted_for", "drift_is_widespread",
                              "needs_knowledge_at_scale",
                              "failure_pattern == 'familiar-inputs'")


def test_decision_is_frozen(running) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(dataclasses.FrozenInstanceError):
        running.status = "incomplete"
    with pytest.raises(TypeError):
        running.facts["decline"] = "sudden"


def test_trace_json_validates_and_records_the_tree_for_audit(tree, running) -> None:  # type: ignore[no-untyped-def]
    validator = jsonschema.Draft202012Validator(TRACE_SCHEMA)
    for decision in (running, tree.decide({})):
        data = json.loads(json.dumps(decision.to_dict()))
        validator.validate(data)
    data = running.to_dict()
    assert data["tree"]["id"] == "retrain-or-tune"
    assert data["tree"]["version"] == tree.version
    import hashlib

    text = (ROOT / "trees" / "retrain-or-tune.yaml").read_text(encoding="utf-8")
    assert data["tree"]["sha256"] == hashlib.sha256(text.encode()).hexdigest()


def test_facts_are_type_checked_all_at_once(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        tree.decide({"decline": "fast", "declin": "x", "eval_set_size": "many"})
    assert [str(d) for d in info.value.diagnostics] == [
        "facts: error: fact 'decline' must be one of: sudden, gradual; got 'fast'",
        "facts: error: fact 'eval_set_size' must be a whole number; got 'many'",
        "facts: error: unknown fact 'declin' (did you mean 'decline'?)",
    ]


def test_a_decision_reparses_nothing(tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ast

    import yaml

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed during a decision")

    monkeypatch.setattr(ast, "parse", forbidden)
    monkeypatch.setattr(yaml, "compose", forbidden)
    monkeypatch.setattr("builtins.compile", forbidden)
    decision = tree.decide({"eval_set_size": 500, "has_scoring_method": True,
                            "has_baseline": True, "decline": "gradual",
                            "baseline_score": 91, "current_score": 74,
                            "score_with_perfect_context": 79, "score_with_few_shot": 83,
                            "failure_pattern": "new-inputs", "drift_is_widespread": False,
                            "needs_knowledge_at_scale": False})
    assert decision.outcome is not None and decision.outcome.id == "fine-tune"


def test_a_compiled_tree_is_shared_safely_across_threads(tree) -> None:  # type: ignore[no-untyped-def]
    facts, _ = read_facts(RUNNING)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: tree.decide(facts).to_dict(), range(64)))
    assert all(r == results[0] for r in results)


def test_runtime_arithmetic_error_is_located() -> None:
    from gatetree.loader import compile_document

    text = """gatetree: 1
id: ratio
version: 1.0.0
title: Ratio
start: g
facts:
  a: {type: number, question: "A?"}
  b: {type: number, question: "B?"}
nodes:
  g:
    kind: gate
    title: Ratio
    question: Is a/b large?
    branches:
      - if: a / b > 2
        next: big
    default: {next: small}
  big: {kind: outcome, title: Big, action: Act.}
  small: {kind: outcome, title: Small, action: Wait.}
"""
    compiled, problems = compile_document(parse_document(text, path="ratio.yaml"))
    assert compiled is not None and problems == []
    with pytest.raises(EvaluationError) as info:
        compiled.decide({"a": 1, "b": 0})
    assert str(info.value) == ("ratio.yaml:15:13: error: cannot evaluate 'a / b > 2': "
                               "division by zero")


@functools.cache
def _five_gate():  # type: ignore[no-untyped-def]
    return load_tree("retrain-or-tune")


_values = st.one_of(st.booleans(), st.integers(-5, 1000), st.floats(allow_nan=False),
                    st.text(max_size=12), st.none())


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(
    ["has_quality_metrics", "eval_set_size", "has_scoring_method", "has_baseline",
     "is_underperforming", "decline",
     "system_change_correlates", "baseline_score", "current_score",
     "score_with_perfect_context", "context_fixes", "score_with_few_shot", "prompt_fixes",
     "failure_pattern", "drift_is_widespread", "needs_knowledge_at_scale", "model_hosting",
     "unknown_fact"]), _values))
def test_any_facts_give_a_decision_an_incomplete_or_a_library_error(facts) -> None:  # type: ignore[no-untyped-def]
    tree = _five_gate()
    try:
        decision = tree.decide(facts)
    except (InputError, EvaluationError):
        return
    if decision.status == "decided":
        assert decision.outcome is not None and decision.path[-1] == decision.outcome.id
    else:
        assert decision.missing is not None
        assert decision.missing.fact in tree.spec.facts
        assert decision.reachable_outcomes


def test_importing_the_engine_loads_no_cli_renderer_graph_or_schema_library() -> None:
    import subprocess
    import sys

    code = ("import sys, gatetree; print(sorted(m for m in ('click', 'gatetree.render', "
            "'gatetree.cli', 'graphviz', 'networkx', 'jsonschema', 'numpy', 'pandas') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_deciding_from_any_value_loads_neither_numpy_nor_pandas() -> None:
    import subprocess
    import sys

    code = ("import sys, gatetree; tree = gatetree.load_tree('retrain-or-tune'); "
            "tree.decide({'has_quality_metrics': True, 'eval_set_size': 500.0}); "
            "tree.decide({'has_quality_metrics': True, 'eval_set_size': float('nan')}); "
            "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
