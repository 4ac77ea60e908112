"""Decisions from partial facts: expressions are three-valued when some fact is unknown.

`and` is false once one operand is, `or` true once one is, wherever the unknown stands;
`a if c else b` is known once `c` and the chosen side are. This holds for derivations and
`if` conditions; the trace says which operand settled it, `missing` names the first fact
(in reading order) that would settle it, and the outcomes still reachable skip a branch
whose condition is known false. A property test holds every early answer equal to the
answer once every fact is known.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatetree import DecisionTree, load_tree
from gatetree.render import trace_text

GATE_0 = "eval_set_size >= min_eval_examples and has_scoring_method and has_baseline"


def test_a_known_false_operand_decides_gate_0_with_no_question() -> None:
    """Issue 12's example: has_baseline false settles Gate 0 although the scoring method is
    unknown and stands before it."""
    decision = load_tree("retrain-or-tune").decide({"eval_set_size": 500,
                                                    "has_baseline": False})
    assert decision.status == "decided"
    assert decision.outcome is not None and decision.outcome.id == "build-evals"
    evidence = decision.steps[0].evidence[0]
    assert (evidence.name, evidence.value, evidence.settled_by) == \
        ("has_quality_metrics", False, "has_baseline")
    assert [i.name for i in evidence.inputs] == ["eval_set_size", "min_eval_examples",
                                                 "has_baseline"]
    data = decision.to_dict()["steps"][0]["evidence"][0]
    assert data["settled_by"] == "has_baseline"
    shown = " ".join(trace_text(decision).split())
    assert "settled by `has_baseline` while other inputs are unknown" in shown


def test_missing_names_the_unknowns_that_matter_in_reading_order() -> None:
    decision = load_tree("retrain-or-tune").decide({"eval_set_size": 500})
    assert decision.missing is not None
    assert decision.missing.fact == "has_quality_metrics"
    assert decision.missing.derivable_from == ("has_scoring_method", "has_baseline")
    assert decision.to_dict()["steps"] == []


def test_fully_known_facts_record_no_settling_operand() -> None:
    decision = load_tree("retrain-or-tune").decide({"eval_set_size": 500,
                                                    "has_scoring_method": False,
                                                    "has_baseline": False})
    assert decision.steps[0].evidence[0].settled_by is None
    assert "settled_by" not in json.dumps(decision.to_dict())


GATES = """\
gatetree: 1
id: partial
version: 1.0.0
title: Partial facts
start: route
facts:
  urgent: {type: boolean, question: Is it urgent}
  vip: {type: boolean, question: Is it a VIP}
  spend: {type: integer, question: How much}
nodes:
  route:
    kind: gate
    title: Route
    question: Where does it go
    branches:
      - if: spend > 100 and urgent
        next: rush
      - if: urgent or vip
        next: care
    default:
      next: queue
  rush: {kind: outcome, title: Rush, action: Rush it.}
  care: {kind: outcome, title: Care, action: Take care.}
  queue: {kind: outcome, title: Queue, action: Queue it.}
"""


def _gates(tmp_path: Path) -> DecisionTree:
    path = tmp_path / "partial.yaml"
    path.write_text(GATES, encoding="utf-8")
    return load_tree(path)


def test_an_if_condition_is_settled_by_its_known_operand(tmp_path: Path) -> None:
    tree = _gates(tmp_path)
    # spend > 100 is false whatever urgent is; urgent or vip holds on vip alone.
    decision = tree.decide({"spend": 5, "vip": True})
    assert decision.outcome is not None and decision.outcome.id == "care"
    step = decision.steps[0]
    assert (step.chosen_by, step.settled_by) == ("urgent or vip", "vip")
    assert decision.to_dict()["steps"][0]["branch"]["settled_by"] == "vip"
    assert "urgent or vip (settled by `vip` while other facts are unknown)" in \
        " ".join(trace_text(decision).split())


def test_a_stuck_condition_asks_its_first_unknown_and_skips_known_false_exits(
        tmp_path: Path) -> None:
    tree = _gates(tmp_path)
    stuck = tree.decide({"spend": 500})
    assert stuck.missing is not None and stuck.missing.fact == "urgent"
    assert stuck.reachable_outcomes == ("rush", "care", "queue")
    # vip true: if the first condition fails, the second holds, so queue is out of reach.
    assert tree.decide({"spend": 500, "vip": True}).reachable_outcomes == ("rush", "care")


# --- the property: an early answer is the answer ---------------------------------------

BOOLEANS = ("a", "b", "c")
NUMBERS = ("x", "y")
LEAVES = st.sampled_from([*BOOLEANS, "x > y", "x >= 2", "y == 1", "True", "False",
                          "(x + y > 3)"])


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, inner).map(lambda p: f"({p[0]} and {p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]} or {p[1]})"),
        inner.map(lambda e: f"(not {e})"),
        st.tuples(inner, inner, inner).map(lambda p: f"({p[0]} if {p[1]} else {p[2]})"),
        st.tuples(inner, inner).map(lambda p: f"((1 if {p[0]} else 2) < (2 if {p[1]} else 1))"),
    )


EXPRESSIONS = st.recursive(LEAVES, _combine, max_leaves=8)
VALUES = {**dict.fromkeys(BOOLEANS, (True, False)), **dict.fromkeys(NUMBERS, (0, 1, 2, 3))}


def _tree(tmp_path: Path, expression: str) -> DecisionTree:
    facts = "".join(f"  {n}: {{type: boolean, question: What is {n}}}\n" for n in BOOLEANS)
    facts += "".join(f"  {n}: {{type: integer, question: What is {n}}}\n" for n in NUMBERS)
    text = f"""\
gatetree: 1
id: property
version: 1.0.0
title: Property
start: derived
facts:
{facts}  r:
    type: boolean
    question: What is r
    derive: "{expression}"
nodes:
  derived:
    kind: gate
    title: Derived
    fact: r
    branches:
      - {{when: true, next: condition}}
      - {{when: false, next: condition}}
  condition:
    kind: gate
    title: Condition
    question: Does it hold
    branches:
      - if: "{expression}"
        next: held
    default:
      next: failed
  held: {{kind: outcome, title: Held, action: Held.}}
  failed: {{kind: outcome, title: Failed, action: Failed.}}
"""
    path = tmp_path / "property.yaml"
    path.write_text(text, encoding="utf-8")
    return load_tree(path)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expression=EXPRESSIONS, data=st.data())
def test_a_three_valued_early_answer_equals_the_answer_once_every_fact_is_known(
        tmp_path: Path, expression: str, data: st.DataObject) -> None:
    tree = _tree(tmp_path, expression)
    known = data.draw(st.fixed_dictionaries(
        {}, optional={n: st.sampled_from(v) for n, v in VALUES.items()}), label="known")
    early = tree.decide(known)
    unknown = [n for n in VALUES if n not in known]
    for rest in itertools.product(*(VALUES[n] for n in unknown)):
        full = tree.decide({**known, **dict(zip(unknown, rest, strict=True))})
        assert full.status == "decided"
        # Each step the early decision took, the full one takes the same way.
        for step, same in zip(early.steps, full.steps, strict=False):
            assert (step.node, step.exit_index) == (same.node, same.exit_index), expression
        if early.status == "decided":
            assert early.outcome is not None and full.outcome is not None
            assert early.outcome.id == full.outcome.id, (expression, known, rest)
        else:
            assert full.outcome is not None
            assert full.outcome.id in early.reachable_outcomes, (expression, known, rest)
            assert early.missing is not None
            assert early.missing.fact in unknown or early.missing.fact == "r"
