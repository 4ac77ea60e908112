"""What-ifs that say by how much: the value of each numeric input at which a step flips."""

from __future__ import annotations

import math
from pathlib import Path

from gatetree import Decision, DecisionTree, load_tree
from gatetree.boundary import Boundary, shortest_between
from gatetree.counterfactual import counterfactuals
from gatetree.render.whatif_view import whatif_markdown, whatif_text
from gatetree.render.wording import by_how_much


def _by_label(tree: DecisionTree, decision: Decision, node: str) -> dict[str, tuple[Boundary, ...]]:
    step = counterfactuals(tree, decision).at(node)
    return {a.label: a.boundaries for a in step.alternatives}


def test_running_example_names_the_few_shot_and_context_boundaries(
        tree: DecisionTree, decision: Decision) -> None:
    # 1.1.0 measures Gate 3 from the score after the retrieval fix (79): fully from
    # 79 + 0.9 x 12 = 89.8, "no" below 79 + 0.1 x 12 = 80.2. Gate 2 measures from 74:
    # fully from 74 + 0.9 x 17 = 89.3, "no" below 74 + 0.1 x 17 = 75.7. In binary floats
    # 89.8 - 79 < 0.9 x 12, so the tree itself says "partly" at exactly 89.8: above it.
    gate_3 = _by_label(tree, decision, "gate-3")
    assert Boundary("score_with_few_shot", 83, 89.8, "up", False,
                    formula="79 + 0.9 x (91 - 79)") in gate_3["YES"]
    assert Boundary("score_with_few_shot", 83, 80.2, "down", False,
                    formula="79 + 0.1 x (91 - 79)") in gate_3["NO"]
    gate_2 = _by_label(tree, decision, "gate-2")
    assert Boundary("score_with_perfect_context", 79, 89.3, "up", False,
                    formula="74 + 0.9 x (91 - 74)") in gate_2["YES"]
    assert Boundary("score_with_perfect_context", 79, 75.7, "down", False,
                    formula="74 + 0.1 x (91 - 74)") in gate_2["NO"]


def test_a_narrow_band_between_the_probes_is_found(tree: DecisionTree,
                                                   decision: Decision) -> None:
    # Gate 3 says "no" once the baseline passes 79 + (83 - 79) / 0.1 = 119, until Gate 2
    # turns "no" at 124 and Gate 3 measures from 74 instead: the doubling probes step
    # over that band; the roots of the comparisons read find it.
    (up,) = [b for b in _by_label(tree, decision, "gate-3")["NO"] if b.fact == "baseline_score"]
    assert (up.value, up.direction, up.inclusive) == (119, "up", False)


def test_an_integer_input_flips_at_the_first_integer(tree: DecisionTree,
                                                      decision: Decision) -> None:
    assert _by_label(tree, decision, "gate-0")["NO"] == (
        Boundary("eval_set_size", 500, 19, "down", True),)


def test_the_json_and_the_text_views_carry_the_numbers(tree: DecisionTree,
                                                       decision: Decision) -> None:
    what_if = counterfactuals(tree, decision)
    data = what_if.to_dict()
    gate_3 = next(s for s in data["steps"] if s["node"] == "gate-3")
    fully = next(a for a in gate_3["alternatives"] if a["label"] == "YES")
    assert {"fact": "score_with_few_shot", "was": 83, "value": 89.8, "direction": "up",
            "inclusive": False, "formula": "79 + 0.9 x (91 - 79)"} in fully["boundaries"]
    text = " ".join(whatif_text(what_if).split())
    assert "Fix the prompt. By how much, all else unchanged: score_with_few_shot above " \
           "89.8 (79 + 0.9 x (91 - 79); it was 83)" in text
    assert r"score\_with\_few\_shot above 89.8 (79 + 0.9 x (91 - 79); it was 83)" in \
        whatif_markdown(what_if)
    step = what_if.at("gate-1")
    assert all(by_how_much(a) == "" for a in step.alternatives)  # no number read there


NONLINEAR = """\
gatetree: 1
id: area
version: 1.0.0
title: Area
start: big
facts:
  side: {type: number, question: How long is a side}
nodes:
  big:
    kind: gate
    title: Big
    question: Is it big
    branches:
      - if: side * side > 50
        next: yes-big
    default:
      next: no-big
  yes-big: {kind: outcome, title: Big, action: Use the big box.}
  no-big: {kind: outcome, title: Small, action: Use the small box.}
"""


def test_a_nonlinear_condition_is_bisected_to_display_precision(tmp_path: Path) -> None:
    path = tmp_path / "area.yaml"
    path.write_text(NONLINEAR, encoding="utf-8")
    tree = load_tree(path)
    decision = tree.decide({"side": 2})
    (alternative,) = counterfactuals(tree, decision).at("big").alternatives
    up, down = alternative.boundaries  # side * side > 50 also holds below -sqrt(50)
    assert (up.fact, up.direction, down.direction) == ("side", "up", "down")
    assert math.isclose(up.value, math.sqrt(50), rel_tol=1e-11)
    assert math.isclose(down.value, -math.sqrt(50), rel_tol=1e-11)
    assert f"{up.value}" == "7.07106781187"  # to display precision


def test_shortest_between_picks_the_fewest_decimals() -> None:
    assert shortest_between(89.79999999999998, 89.80000000000001) == 89.8
    assert shortest_between(80.2, 80.19999999999999) == 80.2
    assert shortest_between(18.5, 19.5) == 19


def test_solve_is_exact_in_decimal_fractions_and_refuses_what_is_not_linear() -> None:
    from fractions import Fraction

    from gatetree.solve import solve

    values = {"c": 79, "s": 0.9, "b": 91}
    solved = solve(["x - c >= s * (b - c)"], "x", values, 89, 90)
    assert solved is not None
    assert (solved.value, solved.formula) == (Fraction("89.8"), "79 + 0.9 x (91 - 79)")
    assert solve(["x * x > 50"], "x", {}, 7, 8) is None  # read twice: bisection's job
    assert solve(["c / x > 1"], "x", values, 70, 80) is None  # divides by the fact
    assert solve(["x - c >= s * (b - c)"], "x", values, 80, 81) is None  # no flip there
