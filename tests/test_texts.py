"""`{param}` texts are filled in one place: decisions, what-ifs and views read the same texts."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatetree import TreeError, counterfactuals, load_text
from gatetree.cli import main
from gatetree.render import build_diagram, tree_doc

LIMIT = """gatetree: 1
id: limit
version: 1.0.0
title: Limit
description: Counts up to {limit}.
start: g
params:
  limit: {type: integer, default: 5, help: x}
facts:
  n: {type: integer, question: "How many (limit {limit})?", help: "Count to {limit} at most."}
nodes:
  g:
    kind: gate
    title: "{limit} or more?"
    fact: n
    branches:
      - {if: "n >= limit", label: "{limit} or more", next: a}
    default: {next: b, label: "under {limit}", actions: ["count to {limit}"]}
  a: {kind: outcome, title: "At least {limit}", action: "Stop at {limit}."}
  b: {kind: outcome, title: "Under {limit}", action: Go on.}
"""


@pytest.fixture(scope="module")
def limit():  # type: ignore[no-untyped-def]
    return load_text(LIMIT, origin="limit.yaml")


def test_a_what_if_label_is_filled_like_the_decision(limit) -> None:  # type: ignore[no-untyped-def]
    decision = limit.decide({"n": 7})
    assert decision.steps[0].label == "5 or more"
    assert counterfactuals(limit, decision).steps[0].alternatives[0].label == "under 5"
    tuned = limit.decide({"n": 7}, params={"limit": 9})
    assert counterfactuals(limit, tuned).steps[0].alternatives[0].label == "9 or more"


def test_titles_are_filled_in_decisions_and_views_alike(limit) -> None:  # type: ignore[no-untyped-def]
    decision = limit.decide({"n": 2}, params={"limit": 3})
    assert decision.steps[0].title == "3 or more?"
    assert (decision.steps[0].label, decision.steps[0].actions) == ("under 3", ("count to 3",))
    assert decision.outcome is not None and decision.outcome.title == "Under 3"
    assert build_diagram(limit, decision).node("g").title == "3 or more?"
    assert limit.decide({}).missing.question == "How many (limit 5)?"  # type: ignore[union-attr]
    assert limit.decide({}, params={"limit": 4}).missing.question == (  # type: ignore[union-attr]
        "How many (limit 4)?")
    doc = tree_doc(limit)
    assert doc.startswith("# Limit\n\n`limit` · version 1.0.0\n\nCounts up to 5.\n")
    assert "## 5 or more?" in doc and "## Outcome: At least 5" in doc


def test_texts_are_the_spec_filled_by_the_params_given(limit) -> None:  # type: ignore[no-untyped-def]
    assert limit.texts() is limit.filled
    assert limit.texts(params={"limit": 5}) is limit.filled
    texts = limit.texts(params={"limit": 8})
    assert (texts.nodes["g"].title, texts.facts["n"].question, texts.description) == (
        "8 or more?", "How many (limit 8)?", "Counts up to 8.")
    assert limit.spec.nodes["g"].title == "{limit} or more?"  # the spec says what the file says


def test_a_copied_or_pickled_tree_still_fills_its_texts(limit) -> None:  # type: ignore[no-untyped-def]
    for other in (copy.deepcopy(limit), pickle.loads(pickle.dumps(limit))):
        assert other.decide({"n": 7}).steps[0].label == "5 or more"
        assert other.decide({"n": 1}).outcome.title == "Under 5"  # type: ignore[union-attr]


def test_a_placeholder_in_a_title_or_description_must_name_a_param() -> None:
    text = LIMIT.replace('title: "{limit} or more?"', 'title: "{limt} or more?"').replace(
        "description: Counts up to {limit}.", "description: Counts up to {lim}.")
    with pytest.raises(TreeError) as caught:
        load_text(text, origin="limit.yaml")
    assert [str(d) for d in caught.value.diagnostics] == [
        "limit.yaml:5:27: error: text refers to '{lim}', which is not a param "
        "(did you mean 'limit'?)",
        "limit.yaml:14:13: error: text refers to '{limt}', which is not a param "
        "(did you mean 'limit'?)",
    ]


def test_run_asks_and_helps_with_filled_texts(tmp_path: Path) -> None:
    path = tmp_path / "limit.yaml"
    path.write_text(LIMIT)
    result = CliRunner().invoke(main, ["run", str(path), "--param", "limit=4"], input="?\n9\n")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[3:8] == [
        "[g] How many (limit 4)?", "  n> ?", "  n: How many (limit 4)?",
        "    Type: a whole number.", "    Count to 4 at most."]
