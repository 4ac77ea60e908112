"""The built-in trees: clean, traceable to their sources, every outcome reached by a case."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine import builtin_trees, check, load_tree
from engine.cases import run_cases
from engine.model import Gate

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SOURCES = {
    "retrain-or-tune": "002_f5e2022a32f828b4.txt",
    "tune-or-rebuild": "000_123632400173cc3a.txt",
}
TREE_IDS = [t.id for t in builtin_trees()]
CASE_FILES = sorted((ROOT / "trees" / "cases").glob("*.yaml"))


def _normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_builtin_tree_file_is_named_by_its_id(tree_id: str) -> None:
    """`find_builtin` relies on it to resolve an id without reading every tree."""
    tree = next(t for t in builtin_trees() if t.id == tree_id)
    assert tree.path.name == f"{tree_id}.yaml"


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_builtin_tree_has_no_errors_or_warnings(tree_id: str) -> None:
    tree = next(t for t in builtin_trees() if t.id == tree_id)
    assert [str(d) for d in check(tree.path)] == []


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_builtin_tree_has_cases_that_reach_every_outcome(tree_id: str) -> None:
    path = ROOT / "trees" / "cases" / f"{tree_id}.yaml"
    report = run_cases(path)
    failures = [f"{r.name}: {f}" for r in report.results for f in r.failures]
    assert failures == []
    assert report.uncovered_outcomes == ()


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_every_case_names_its_source_situation(path: Path) -> None:
    report = run_cases(path)
    assert all(r.source for r in report.results), "every case says which situation it encodes"


def _cites(tree_id: str) -> list[tuple[str, str]]:
    spec = load_tree(tree_id).spec
    found: list[tuple[str, str]] = []
    for node in spec.nodes.values():
        owners = [node, *(node.exits if isinstance(node, Gate) else ())]
        found.extend((node.id, cite) for owner in owners for cite in getattr(owner, "cites", ()))
    return found


@pytest.mark.parametrize("tree_id", sorted(SOURCES))
def test_every_gate_and_outcome_cites_its_source(tree_id: str) -> None:
    if tree_id not in TREE_IDS:
        pytest.skip(f"{tree_id} is not built in yet")
    spec = load_tree(tree_id).spec
    uncited = [n.id for n in spec.nodes.values() if not n.cites]
    assert uncited == []


@pytest.mark.parametrize("tree_id", sorted(SOURCES))
def test_cites_are_verbatim_passages_of_the_seed(tree_id: str) -> None:
    if tree_id not in TREE_IDS:
        pytest.skip(f"{tree_id} is not built in yet")
    seed = SEEDS / SOURCES[tree_id]
    if not seed.exists():
        if os.environ.get("CI"):
            pytest.fail(f"seed {seed} is missing in CI")
        pytest.skip("the seeds are not beside this checkout")
    text = _normalise(seed.read_text(encoding="utf-8"))
    missing = [(node, cite) for node, cite in _cites(tree_id) if _normalise(cite) not in text]
    assert missing == []


def test_running_example_ends_at_fine_tune_with_retrieval_and_prompt_actions() -> None:
    from engine import read_facts

    tree = load_tree("retrain-or-tune")
    facts, _ = read_facts(ROOT / "trees" / "examples" / "retrain-or-tune" /
                          "running-example.yaml")
    decision = tree.decide(facts)
    assert decision.status == "decided"
    assert decision.outcome is not None and decision.outcome.id == "fine-tune"
    assert decision.path == ("gate-0", "gate-1", "gate-2", "gate-3", "gate-4", "gate-5",
                             "fine-tune")
    assert [(a.node, a.text.split(" ")[1]) for a in decision.actions] == [
        ("gate-2", "the"), ("gate-3", "what")]
    assert "retrieval" in decision.actions[0].text
    assert "prompts" in decision.actions[1].text
    sources = {e.name: e.source for s in decision.steps for e in s.evidence}
    assert sources["context_fixes"] == "derived"
    assert sources["prompt_fixes"] == "derived"
    assert sources["decline"] == "given"


def test_five_gate_tree_decides_every_situation_without_dead_ends() -> None:
    """Exhaustively: every combination of answers ends at an outcome."""
    import itertools

    tree = load_tree("retrain-or-tune")
    spec = tree.spec
    asked = ["has_quality_metrics", "decline", "system_change_correlates", "context_fixes",
             "prompt_fixes", "failure_pattern", "drift_is_widespread",
             "needs_knowledge_at_scale", "model_hosting"]
    domains = [[True, False] if spec.facts[n].type == "boolean" else list(spec.facts[n].values)
               for n in asked]
    reached = set()
    for combo in itertools.product(*domains):
        decision = tree.decide(dict(zip(asked, combo, strict=True)))
        assert decision.status == "decided"
        assert decision.outcome is not None
        reached.add(decision.outcome.id)
    assert reached == {o.id for o in tree.outcomes}
