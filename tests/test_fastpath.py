"""The generated walk decides exactly as the table walker does, node for node."""

from __future__ import annotations

import random
from typing import Any

import pytest

from benchmarks.workloads import example
from gatetree import builtin_trees, fastpath, load_text, load_tree
from gatetree.walk import Run
from tests.golden.make_traces import random_sets


@pytest.fixture(autouse=True)
def _generate_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Code for a tree from its first decision, so every test here decides with it."""
    monkeypatch.setattr(fastpath, "WARM", 1)


def _plans(plan: Any) -> list[Any]:
    return [plan, *(p for callee in plan.callees.values() for p in _plans(callee))]


def _by_table(monkeypatch: pytest.MonkeyPatch, tree: Any, facts: dict[str, Any],
              **options: Any) -> Any:
    """The decision the table walker makes, with no generated code."""
    plans = _plans(tree._plan)
    saved = [dict(p.generated) for p in plans]
    for plan in plans:
        plan.generated.clear()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(fastpath, "entry", lambda plan, mode: None)
            stepped: list[str] = []
            step = Run.step
            patch.setattr(Run, "step", lambda run, node_id: stepped.append(node_id) or
                          step(run, node_id))
            decision = tree.decide(facts, **options)
            assert stepped, "the table walker decided"
            return decision
    finally:
        for plan, generated in zip(plans, saved, strict=True):
            plan.generated.update(generated)


@pytest.mark.parametrize("tree_id", [t.id for t in builtin_trees()])
def test_the_generated_walk_writes_the_table_walkers_trace(
        monkeypatch: pytest.MonkeyPatch, tree_id: str) -> None:
    tree = load_tree(tree_id)
    for _, facts, params in random_sets(tree, random.Random(7)):
        try:
            expected = _by_table(monkeypatch, tree, facts, params=params).to_dict()
        except Exception as exc:  # an evaluation error: the generated walk raises it too
            with pytest.raises(type(exc)):
                tree.decide(facts, params=params)
            continue
        assert tree.decide(facts, params=params).to_dict() == expected
        untraced = tree.decide(facts, params=params, trace=False)
        assert (untraced.status, list(untraced.path)) == (expected["status"], expected["path"])


ODD = """\
gatetree: 1
id: odd
version: 1.0.0
title: Odd values
start: g1
facts:
  n: {type: number, question: "n?"}
  i: {type: integer, question: "i?"}
  s: {type: string, question: "s?"}
  flag: {type: boolean, question: "flag?"}
  big: {type: number, question: "big?", derive: "n * n * n * n"}
  word: {type: string, question: "word?", derive: "s + s"}
  either: {type: boolean, question: "either?", derive: "flag or n > 1"}
nodes:
  g1:
    kind: gate
    title: A gate
    question: Which way?
    fact: i
    branches:
      - {when: 1, next: g2}
      - {when: 2, next: g3}
    default: {next: g3}
  g2:
    kind: gate
    title: A gate
    question: Which way?
    branches:
      - {if: "big > 100 and word == 'abab'", next: yes}
      - {if: "1 < n < 3 < i + 2", next: no}
      - {if: "either if s in ['ab', 'cd'] else not either", next: yes}
    default: {next: no}
  g3:
    kind: gate
    title: A gate
    question: Which way?
    branches:
      - {if: "n / (i - 2) > 1", next: yes}
    default: {next: no}
  yes: {kind: outcome, title: Yes, action: Go.}
  no: {kind: outcome, title: No, action: Stop.}
"""


@pytest.mark.parametrize("facts", [
    {"i": 1, "n": 4, "s": "ab", "flag": True},
    {"i": 1, "n": 2.5, "s": "x", "flag": False},
    {"i": 1, "n": 2, "s": "ab"},  # either: flag unknown, n > 1 settles it
    {"i": 1, "s": "cd", "flag": True},
    {"i": 1, "n": 1e200, "s": "ab"},  # big overflows
    {"i": 2, "n": 3},  # divides by zero
    {"i": 3, "n": 3},
    {"i": 3},
    {"n": 3.0},
    {"i": 1, "n": 1.0, "flag": True, "s": "ab"},
])
def test_odd_values_and_unknowns_decide_alike(monkeypatch: pytest.MonkeyPatch,
                                              facts: dict[str, Any]) -> None:
    tree = load_text(ODD)
    try:
        expected = _by_table(monkeypatch, tree, facts).to_dict()
    except Exception as exc:
        with pytest.raises(type(exc), match=str(exc)[:40].replace("(", r"\(")):
            tree.decide(facts)
        return
    assert tree.decide(facts).to_dict() == expected


def test_a_tree_larger_than_the_limit_is_walked_by_table(monkeypatch: pytest.MonkeyPatch,
                                                         ) -> None:
    tree = load_text(ODD)
    monkeypatch.setattr(fastpath, "MAX_NODES", 3)
    assert fastpath.entry(tree._plan, fastpath.TRACED) is None
    assert tree.decide({"i": 3, "n": 3}).outcome.id == "yes"  # type: ignore[union-attr]


@pytest.mark.parametrize(("tree_id", "name"), [
    ("retrain-or-tune", "running-example"),
    ("tune-or-rebuild", "broken-workflow"),
    ("ai-workflow-triage", "degrading-classifier"),
    ("ai-workflow-triage", "broken-workflow"),
])
def test_the_generated_walk_decides_every_gate_checklist_and_call(
        monkeypatch: pytest.MonkeyPatch, tree_id: str, name: str) -> None:
    tree = load_tree(tree_id)
    steps: list[str] = []
    step = Run.step
    monkeypatch.setattr(Run, "step", lambda run, node_id: steps.append(node_id) or
                        step(run, node_id))
    for trace in (True, False):
        steps.clear()
        tree.decide(example(tree_id, name), trace=trace)
        assert steps == []  # the table walker decided none


TALLY = """\
gatetree: 1
id: tally
version: 1.0.0
title: Tally
start: signs
params:
  wait_for: {type: integer, default: 2, help: Answers to wait for.}
  enough: {type: number, default: 1.5, help: Score that counts.}
facts:
  good: {type: boolean, question: "Good?"}
  fine: {type: boolean, question: "Fine?"}
  bad: {type: boolean, question: "Bad?"}
  worse: {type: boolean, question: "Worse?", default: false}
  size: {type: integer, question: "Size?"}
  large: {type: boolean, question: "Large?", derive: "size > 10"}
nodes:
  signs:
    kind: checklist
    title: Signs
    question: Which signs hold?
    groups:
      plus: {title: Good signs}
      minus: {title: Bad signs}
    items:
      - {fact: good, group: plus, weight: 2}
      - {fact: fine, group: plus}
      - {fact: bad, group: minus}
      - {fact: worse, group: minus}
      - {fact: large, group: minus}
    unanswered: quorum
    quorum: wait_for
    branches:
      - {if: "plus >= enough and minus == 0", next: calm, actions: ["Note {enough}."]}
      - {if: "minus * 2 >= minus_items", next: alarm}
      - {if: "answered >= plus_items + 1", next: alarm}
    default: {next: calm}
  calm: {kind: outcome, title: Calm, action: Stay calm.}
  alarm: {kind: outcome, title: Alarm, action: Raise the alarm.}
"""


def test_a_checklist_decides_alike_by_generated_code(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = load_text(TALLY)
    rng = random.Random(3)
    names = ["good", "fine", "bad", "worse", "size", "large"]
    generated = 0
    stepped: list[str] = []
    step = Run.step
    monkeypatch.setattr(Run, "step", lambda run, node_id: stepped.append(node_id) or
                        step(run, node_id))
    for _ in range(400):
        facts = {n: (rng.randint(0, 20) if n == "size" else rng.random() < 0.5)
                 for n in names if rng.random() < 0.6}
        params = {k: v for k, v in (("wait_for", rng.randint(1, 5)),
                                    ("enough", rng.choice((1, 1.5, 3)))) if rng.random() < 0.4}
        expected = _by_table(monkeypatch, tree, facts, params=params).to_dict()
        stepped.clear()
        assert tree.decide(facts, params=params).to_dict() == expected
        generated += not stepped
    assert generated > 100  # most decided by generated code, the rest handed over


QUOTES = r'''gatetree: 1
id: quotes
version: 1.0.0
title: Quotes
start: g
facts:
  word:
    type: enum
    values: ["x'); __import__('os').system('exit 3') #", "a\"b\\c\nd", "é ✓"]
    question: Which?
nodes:
  g:
    kind: gate
    title: G
    question: Which?
    fact: word
    branches:
      - {when: "x'); __import__('os').system('exit 3') #", next: h}
      - {when: "a\"b\\c\nd", next: "no"}
    default: {next: "no"}
  h:
    kind: gate
    title: H
    question: Again?
    branches:
      - {if: "word + \"'\" == \"x'); __import__('os').system('exit 3') #'\"", next: "yes"}
    default: {next: "no"}
  "yes": {kind: outcome, title: "Yes", action: Go.}
  "no": {kind: outcome, title: "No", action: Stop.}
'''


@pytest.mark.parametrize("word", ["x'); __import__('os').system('exit 3') #", "a\"b\\c\nd",
                                  "é ✓"])
def test_texts_from_a_tree_are_literals_in_the_generated_code(
        monkeypatch: pytest.MonkeyPatch, word: str) -> None:
    tree = load_text(QUOTES)
    expected = _by_table(monkeypatch, tree, {"word": word}).to_dict()
    assert tree.decide({"word": word}).to_dict() == expected
    assert expected["outcome"]["id"] == ("yes" if word.startswith("x") else "no")


def test_a_tree_gets_its_code_after_a_few_decisions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastpath, "WARM", 3)
    tree = load_text(ODD)
    stepped: list[str] = []
    step = Run.step
    monkeypatch.setattr(Run, "step", lambda run, node_id: stepped.append(node_id) or
                        step(run, node_id))
    walked = []
    for _ in range(4):
        stepped.clear()
        tree.decide({"i": 3, "n": 3})
        walked.append(bool(stepped))
    assert walked == [True, True, False, False]  # by table twice, then by its code


def test_a_decision_keeps_its_facts_and_params_when_the_caller_changes_them() -> None:
    tree = load_tree("retrain-or-tune")
    facts: dict[str, Any] = {"eval_set_size": 5}
    params: dict[str, Any] = {"min_eval_examples": 3}
    decision = tree.decide(facts, params=params)
    facts["eval_set_size"], params["min_eval_examples"] = 500, 20
    assert dict(decision.facts) == decision.to_dict()["facts"] == {"eval_set_size": 5}
    assert dict(decision.overrides) == {"min_eval_examples": 3}


def test_threads_writing_a_trees_code_at_once_decide_as_one_thread() -> None:
    from concurrent.futures import ThreadPoolExecutor

    sets = [(facts, params) for _, facts, params in
            random_sets(load_tree("retrain-or-tune"), random.Random(11))][:200]
    alone = load_tree("retrain-or-tune")
    serial = [alone.decide(f, params=p).to_dict() for f, p in sets]
    for _ in range(2):
        tree = load_tree("retrain-or-tune")  # fresh: no code written yet
        assert not tree._plan.generated
        with ThreadPoolExecutor(8) as pool:
            found = list(pool.map(lambda fp, t=tree: t.decide(fp[0], params=fp[1]).to_dict(),
                                  sets))
        assert found == serial
