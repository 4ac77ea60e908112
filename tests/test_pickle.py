"""Compiled trees and decisions travel: they pickle, deep-copy and decide in other processes."""

from __future__ import annotations

import copy
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import MappingProxyType

import pytest

import gatetree.loader
from gatetree import DecisionTree, builtin_trees, load_text, load_tree, read_facts
from gatetree.cases import run_cases
from gatetree.graph import outcomes_below

ROOT = Path(__file__).resolve().parents[1]
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"
CASES = sorted((ROOT / "trees" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("tree_id", [t.id for t in builtin_trees()])
def test_a_compiled_tree_pickles_and_copies(tree_id: str) -> None:
    tree = load_tree(tree_id)
    again = pickle.loads(pickle.dumps(tree))
    assert again == tree
    assert again.spec.path == tree.spec.path and again.spec.sha256 == tree.spec.sha256
    assert dict(again.callees) == dict(tree.callees)
    assert copy.deepcopy(tree) is tree and copy.copy(tree) is tree  # immutable: itself


@pytest.mark.parametrize("cases", CASES, ids=[c.stem for c in CASES])
def test_a_decision_pickles_and_deep_copies_equal(cases: Path) -> None:
    for result in run_cases(cases).results:
        decision = result.decision
        assert decision is not None
        for other in (pickle.loads(pickle.dumps(decision)), copy.deepcopy(decision)):
            assert other == decision
            assert isinstance(other.facts, MappingProxyType)


def test_an_unpickled_tree_decides_like_the_original(tree: DecisionTree) -> None:
    facts, _ = read_facts(RUNNING)
    again = pickle.loads(pickle.dumps(tree))
    assert again.decide(facts) == tree.decide(facts)
    params = {"min_eval_examples": 600}
    assert again.decide(facts, params=params) == tree.decide(facts, params=params)


def test_a_process_unpickling_the_same_tree_again_does_not_compile_it_again(
        monkeypatch: pytest.MonkeyPatch, compiles: list[str]) -> None:
    tree = load_text((ROOT / "trees" / "retrain-or-tune.yaml").read_text(), origin="mem.yaml")
    data = pickle.dumps(tree)
    compiles.clear()  # count only what unpickling compiles
    monkeypatch.setattr(gatetree.loader, "_UNPICKLED", {})
    first, second = pickle.loads(data), pickle.loads(data)
    assert first is second and first == tree
    assert compiles == ["retrain-or-tune"]


def test_a_tree_compiled_without_its_text_says_why_it_cannot_pickle(tree: DecisionTree) -> None:
    spec = tree.spec.__class__(id="t", version="1.0.0", title="T", start="o", params={},
                               facts={}, nodes={})
    bare = DecisionTree(spec, MappingProxyType({}), MappingProxyType({}),
                        outcomes_below(spec), filled=spec)
    with pytest.raises(TypeError, match=r"^tree t@1\.0\.0 was compiled without its source "
                                        r"text, so it cannot be pickled; load it with "
                                        r"load_tree or load_text$"):
        pickle.dumps(bare)


def test_decisions_made_in_worker_processes_equal_serial_ones() -> None:
    jobs: list[tuple[DecisionTree, dict[str, object], dict[str, object]]] = []
    for cases in CASES:
        report = run_cases(cases)
        for result in report.results:
            assert result.decision is not None
            jobs.append((report.tree, dict(result.decision.facts),
                         dict(result.decision.overrides)))
    serial = [tree.decide(facts, params=params) for tree, facts, params in jobs]
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing inherited
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        futures = [pool.submit(tree.decide, facts, params=params) for tree, facts, params in jobs]
        parallel = [f.result() for f in futures]
    assert parallel == serial
    assert {d.tree.id for d in parallel} == {t.id for t in builtin_trees()}

