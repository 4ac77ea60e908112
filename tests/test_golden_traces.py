"""Every golden trace is reproduced exactly: the same facts give the same `to_dict()` JSON.

The files hold every case of every built-in tree and 600 seeded random fact sets per tree
(complete, partial, with param overrides); regenerate them with
`python -m tests.golden.make_traces` and review the diff.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from gatetree import DecisionTree, builtin_trees, load_tree

TRACES = Path(__file__).resolve().parent / "golden" / "traces"
TREE_IDS = [t.id for t in builtin_trees()]


def golden(tree_id: str) -> list[dict[str, Any]]:
    with gzip.open(TRACES / f"{tree_id}.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module", params=TREE_IDS)
def recorded(request: pytest.FixtureRequest) -> tuple[DecisionTree, list[dict[str, Any]]]:
    return load_tree(request.param), golden(request.param)


def test_every_built_in_tree_has_golden_traces() -> None:
    assert sorted(p.name for p in TRACES.glob("*.jsonl.gz")) == sorted(
        f"{t}.jsonl.gz" for t in TREE_IDS)


def test_each_file_holds_the_cases_and_500_random_sets(
        recorded: tuple[DecisionTree, list[dict[str, Any]]]) -> None:
    _, records = recorded
    names = [r["name"] for r in records]
    assert any(n.startswith("case:") for n in names)
    assert sum(1 for n in names if not n.startswith("case:")) >= 500
    assert any(r["params"] for r in records)


def test_traces_are_reproduced_exactly(
        recorded: tuple[DecisionTree, list[dict[str, Any]]]) -> None:
    tree, records = recorded
    for record in records:
        decision = tree.decide(record["facts"], params=record["params"])
        # Compared as JSON text: key order and 1 versus 1.0 count too.
        got = json.dumps(decision.to_dict(), ensure_ascii=False)
        want = json.dumps(record["trace"], ensure_ascii=False)
        assert got == want, f"{tree.id} {record['name']}"


def test_the_steps_made_from_the_record_write_the_same_trace(
        recorded: tuple[DecisionTree, list[dict[str, Any]]]) -> None:
    """to_dict writes straight from the record; the Step objects, once made, agree."""
    tree, records = recorded
    for record in records[::7]:
        decision = tree.decide(record["facts"], params=record["params"])
        made = dataclasses.replace(decision)  # every field read, so made from objects
        assert made == decision
        assert json.dumps(made.to_dict()) == json.dumps(record["trace"]), record["name"]


def test_a_verdict_without_trace_agrees_with_the_decision(
        recorded: tuple[DecisionTree, list[dict[str, Any]]]) -> None:
    tree, records = recorded
    for record in records:
        decision = tree.decide(record["facts"], params=record["params"])
        verdict = tree.decide(record["facts"], params=record["params"], trace=False)
        assert (verdict.status, verdict.outcome, verdict.path, verdict.actions,
                verdict.missing) == (decision.status, decision.outcome, decision.path,
                                     decision.actions, decision.missing), record["name"]
