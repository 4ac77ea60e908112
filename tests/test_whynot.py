"""Why not that outcome: the fewest changes to the facts that reach it, by the same walk."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from gatetree import Boundary, Decision, DecisionTree, FactChange, why_not
from gatetree.cli import main
from gatetree.render.whynot_view import whynot_lines

ROOT = Path(__file__).resolve().parent.parent
RUNNING = str(ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml")
TRACE_SCHEMA = json.loads((ROOT / "schemas" / "trace.v1.schema.json").read_text())


def _options(tree: DecisionTree, decision: Decision, outcome: str) -> list[list[tuple]]:
    return [[(c.fact, c.value if c.boundary is None else c.boundary.value) for c in option]
            for option in why_not(tree, decision, outcome).changes]


def test_fix_prompt_names_the_few_shot_boundary(tree: DecisionTree,
                                                decision: Decision) -> None:
    why = why_not(tree, decision, "fix-prompt")
    assert why.reachable
    first = why.changes[0]
    assert first == (FactChange("score_with_few_shot", 83, first[0].value,
                                Boundary("score_with_few_shot", 83, 89.8, "up", False,
                                         formula="79 + 0.9 x (91 - 79)")),)
    assert tree.decide({**decision.facts, "score_with_few_shot": first[0].value}) \
        .outcome.id == "fix-prompt"  # type: ignore[union-attr]
    assert whynot_lines(why)[0] == ("fix-prompt (Fix the prompt) would be reached with: "
                                    "score_with_few_shot above 89.8 (79 + 0.9 x (91 - 79); "
                                    "it was 83).")


def test_every_smallest_set_is_listed_and_none_larger(tree: DecisionTree,
                                                      decision: Decision) -> None:
    assert _options(tree, decision, "build-evals") == [
        [("has_scoring_method", False)], [("has_baseline", False)], [("eval_set_size", 19)]]
    # Two facts: drift_is_widespread (a default) and the hosting, which nobody gave.
    assert _options(tree, decision, "full-retrain") == [
        [("drift_is_widespread", True), ("model_hosting", "own-weights")]]
    assert _options(tree, decision, "ml-specialist") == [
        [("quality_still_unaccounted_for", True), ("failure_pattern", "familiar-inputs"),
         ("drift_is_widespread", True), ("model_hosting", "own-weights")]]


def test_the_outcome_already_decided_needs_no_change(tree: DecisionTree,
                                                     decision: Decision) -> None:
    assert why_not(tree, decision, "fine-tune").changes == ((),)


def test_an_outcome_no_change_reaches_is_unreachable_from_here(tmp_path: Path) -> None:
    from gatetree import load_tree

    path = tmp_path / "fixed.yaml"
    path.write_text("""\
gatetree: 1
id: fixed
version: 1.0.0
title: Fixed
start: ask
params:
  limit: {type: integer, default: 3, help: The policy limit}
facts:
  count: {type: integer, question: How many}
nodes:
  ask:
    kind: gate
    title: Ask
    question: Over the limit
    branches:
      - if: limit > 5 and count > 0
        next: over
    default:
      next: under
  over: {kind: outcome, title: Over, action: Stop.}
  under: {kind: outcome, title: Under, action: Go.}
""", encoding="utf-8")
    tree = load_tree(path)
    why = why_not(tree, tree.decide({"count": 1}), "over")
    assert (why.reachable, why.exhausted) == (False, True)
    assert whynot_lines(why) == [
        "over (Over) is unreachable from here: no change to the facts leads there."]


def test_an_unknown_outcome_is_refused(tree: DecisionTree, decision: Decision) -> None:
    with pytest.raises(KeyError):
        why_not(tree, decision, "fix-promt")


def test_cli_why_not_in_text_json_and_markdown() -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["decide", "retrain-or-tune", "--facts", RUNNING,
                                "--why-not", "fix-prompt", "--no-what-if"])
    assert text.exit_code == 0
    assert "Why not fix-prompt (fewest facts changed):" in text.stdout
    assert "score_with_few_shot above 89.8 (79 + 0.9 x (91 - 79); it was 83)" in \
        " ".join(text.stdout.split())
    data = json.loads(runner.invoke(main, ["decide", "retrain-or-tune", "--facts", RUNNING,
                                           "--why-not", "fix-prompt", "--format",
                                           "json"]).stdout)
    jsonschema.validate(data, TRACE_SCHEMA)
    assert data["why_not"]["changes"][0][0]["boundary"] == {
        "fact": "score_with_few_shot", "was": 83, "value": 89.8, "direction": "up",
        "inclusive": False, "formula": "79 + 0.9 x (91 - 79)"}
    markdown = runner.invoke(main, ["decide", "retrain-or-tune", "--facts", RUNNING,
                                    "--why-not", "fix-prompt", "--format", "markdown"])
    assert "## Why not fix-prompt" in markdown.stdout
    bad = runner.invoke(main, ["decide", "retrain-or-tune", "--facts", RUNNING,
                               "--why-not", "fix-promt"])
    assert bad.exit_code == 2
    assert "'fix-promt' is not an outcome of retrain-or-tune (did you mean 'fix-prompt'?)" \
        in bad.stderr
