"""The built-in trees: clean, traceable to their sources, every outcome reached by a case."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gatetree import builtin_trees, check, load_tree
from gatetree.cases import run_cases
from gatetree.model import Gate
from gatetree.source import read_document

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
    """`find_tree` relies on it to resolve an id without reading every tree."""
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


# Phrases that point into the source article rather than at anything a reader of the tree
# has: its other posts, its sections, its layout. A tree text may name the source ("the
# source's running example", a quoted heading), never lean on being read inside it.
_ARTICLE_ONLY = (
    re.compile(r"\b(?:this|next|previous) (?:post|article|series)\b", re.I),
    re.compile(r"\bthe article\b", re.I),
    re.compile(r"\b(?:see|as|shown) (?:above|below)\b|\((?:above|below)\)", re.I),
    re.compile(r"(?<!source's )\brunning example\b", re.I),
    re.compile(r'(?<!")\bWhat to do next\b'),
)
_SERIES = "Mental Models for Production AI"


def _texts(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a tree file with its pointer, except `cites` (verbatim by design)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "cites":
                yield from _texts(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{pointer}/{index}")
    elif isinstance(value, str):
        yield pointer, value


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_tree_texts_stand_alone_without_the_source_article(tree_id: str) -> None:
    tree = next(t for t in builtin_trees() if t.id == tree_id)
    leaning = []
    for pointer, text in _texts(read_document(tree.path).data):
        flat = " ".join(text.split())
        hits = [m.group(0) for pattern in _ARTICLE_ONLY for m in pattern.finditer(flat)]
        if _SERIES not in flat:  # "Post 13" alone means a post of the series
            hits += re.findall(r"\bPosts? \d+", flat)
        leaning.extend(f"{pointer}: {hit}" for hit in hits)
    assert leaning == []


def test_running_example_ends_at_fine_tune_with_retrieval_and_prompt_actions() -> None:
    from gatetree import read_facts

    tree = load_tree("retrain-or-tune")
    facts, _ = read_facts(ROOT / "trees" / "examples" / "retrain-or-tune" /
                          "running-example.yaml")
    decision = tree.decide(facts)
    assert decision.status == "decided"
    assert decision.outcome is not None and decision.outcome.id == "fine-tune"
    assert decision.path == ("gate-0", "gate-0-degradation", "gate-1", "gate-2", "gate-3",
                             "gate-4", "gate-5", "fine-tune")
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
    asked = ["has_quality_metrics", "is_underperforming", "decline", "system_change_correlates",
             "context_fixes", "prompt_fixes", "failure_pattern", "drift_is_widespread",
             "needs_knowledge_at_scale", "model_hosting", "quality_still_unaccounted_for",
             "eval_set_stale", "product_definition_changed", "model_version_pinned"]
    domains = [[True, False] if spec.facts[n].type == "boolean" else list(spec.facts[n].values)
               for n in asked]
    reached = set()
    for combo in itertools.product(*domains):
        decision = tree.decide(dict(zip(asked, combo, strict=True)))
        assert decision.status == "decided"
        assert decision.outcome is not None
        reached.add(decision.outcome.id)
    assert reached == {o.id for o in tree.outcomes}


@pytest.mark.parametrize("tree_id", TREE_IDS)
def test_every_builtin_tree_ships_example_facts(tree_id: str) -> None:
    """The README promises `--example` for each built-in; each example decides."""
    from gatetree import read_facts
    from gatetree.registry import example_path, examples_of

    names = examples_of(tree_id)
    assert names, f"{tree_id} has no trees/examples/{tree_id}/*.yaml"
    tree = load_tree(tree_id)
    for name in names:
        facts, _ = read_facts(example_path(tree_id, name))
        assert tree.decide(facts).status == "decided", name


def _triage_calls() -> list[tuple[str, str, str]]:
    """(called tree, its outcome, the entry tree's outcome) for every call branch."""
    from gatetree.model import Call

    tree = load_tree("ai-workflow-triage")
    rows = []
    for node in tree.spec.nodes.values():
        if isinstance(node, Call):
            assert node.default is None, f"{node.id}: a default would hide a new verdict"
            callee = tree.callees[node.id]
            rows.extend((callee.id, str(b.value), b.next) for b in node.branches)
    return rows


def test_the_entry_tree_names_the_verdict_of_the_called_tree() -> None:
    """Its outcome is the called tree's verdict: same id, a title that says which it is."""
    tree = load_tree("ai-workflow-triage")
    routes = {"retrain-or-tune": "Five-gate verdict", "tune-or-rebuild": "Workflow verdict"}
    rows = _triage_calls()
    for callee_id, reached, target in rows:
        verdict = load_tree(callee_id).spec.nodes[reached]
        assert target == reached
        assert tree.spec.nodes[target].title == f"{routes[callee_id]}: {verdict.title}"
    assert sorted(t for _, _, t in rows) == sorted(o.id for o in tree.outcomes)
    assert {c for c, _, _ in rows} == set(routes)


@pytest.mark.parametrize(("name", "callee", "example"), [
    ("degrading-classifier", "retrain-or-tune", "running-example"),
    ("broken-workflow", "tune-or-rebuild", "broken-workflow"),
])
def test_entry_tree_examples_are_the_called_trees_examples_plus_the_entry_answer(
        name: str, callee: str, example: str) -> None:
    from gatetree import read_facts

    folder = ROOT / "trees" / "examples"
    facts, _ = read_facts(folder / "ai-workflow-triage" / f"{name}.yaml")
    inner, _ = read_facts(folder / callee / f"{example}.yaml")
    entry = {"retrain-or-tune": "model-feature", "tune-or-rebuild": "workflow"}[callee]
    assert facts == {"unreliable_system": entry, **inner}
    decision = load_tree("ai-workflow-triage").decide(facts)
    sub = decision.steps[1].subdecision
    assert sub is not None and sub.outcome is not None
    assert decision.outcome is not None and decision.outcome.id == sub.outcome.id
    assert sub.outcome == load_tree(callee).decide(inner).outcome


def test_each_kind_of_drift_gets_its_own_fix_and_reasons() -> None:
    """Data drift extends coverage; concept drift corrects associations that are now wrong."""
    tree = load_tree("retrain-or-tune")
    base = {"has_quality_metrics": True, "is_underperforming": True, "decline": "gradual",
            "context_fixes": "no", "prompt_fixes": "no", "drift_is_widespread": False,
            "needs_knowledge_at_scale": False}
    data = tree.decide({**base, "failure_pattern": "new-inputs"}).outcome
    concept = tree.decide({**base, "failure_pattern": "familiar-inputs"}).outcome
    assert data is not None and concept is not None
    assert (data.id, concept.id) == ("fine-tune", "fine-tune-on-new-labels")
    assert "extending coverage, not correcting errors" in data.why
    assert "extending coverage" not in concept.why
    assert "learned associations are now actively wrong" in concept.why
    assert "updated labeling scheme" in concept.action
    assert not any("labeling scheme" in step for step in data.next_steps)


@pytest.mark.parametrize("hosting", ["hosted-api", "own-weights"])
def test_knowledge_at_scale_is_never_told_to_fine_tune(hosting: str) -> None:
    """'Fine-tuning does not fix: missing knowledge at scale', on either hosting."""
    tree = load_tree("retrain-or-tune")
    outcome = tree.decide({
        "has_quality_metrics": True, "is_underperforming": True, "decline": "gradual",
        "context_fixes": "no", "prompt_fixes": "no", "failure_pattern": "new-inputs",
        "drift_is_widespread": False, "needs_knowledge_at_scale": True,
        "model_hosting": hosting}).outcome
    assert outcome is not None
    advice = " ".join((outcome.action, *outcome.next_steps))
    assert "fine-tuning offering" not in advice
    assert "input categories where our model is now wrong" not in advice
    assert ("model swap" in advice) if hosting == "hosted-api" else (
        "continued pre-training" in advice.lower())


def test_gate_3_measures_from_the_score_after_the_retrieval_fix() -> None:
    """'fix retrieval, continue with adjusted baseline': the prompt gets only what it adds."""
    tree = load_tree("retrain-or-tune")
    base = {"has_quality_metrics": True, "baseline_score": 91, "current_score": 74,
            "decline": "gradual", "failure_pattern": "new-inputs",
            "drift_is_widespread": False, "needs_knowledge_at_scale": False}
    partial = tree.decide({**base, "score_with_perfect_context": 88, "score_with_few_shot": 89.5})
    gate3 = next(s for s in partial.steps if s.node == "gate-3")
    assert gate3.label == "Partly"  # 1.5 of the 3 points left, not 15.5 of 17
    start = next(i for i in gate3.evidence[0].inputs if i.name == "score_before_prompt_test")
    assert (start.value, start.source) == (88, "derived")
    unfixed = tree.decide({**base, "score_with_perfect_context": 74, "score_with_few_shot": 83})
    start = next(i for s in unfixed.steps if s.node == "gate-3"
                 for i in s.evidence[0].inputs if i.name == "score_before_prompt_test")
    assert start.value == 74  # no retrieval fix: Gate 3 starts from the current score


@pytest.mark.parametrize("fact", ["score_with_perfect_context", "score_with_few_shot"])
def test_test_scores_are_asked_as_scores_of_the_eval_set_the_formulas_read(fact: str) -> None:
    """The recovery shares compare them with the eval-set scores of the baseline."""
    spec = load_tree("retrain-or-tune").spec
    question, help_ = spec.facts[fact].question, " ".join(spec.facts[fact].help.split())
    assert question.startswith("What score does your eval set reach, on the same scoring as "
                               "the baseline")
    assert "whole eval set of baseline_score and current_score" in help_
    reader = "context_fixes" if fact == "score_with_perfect_context" else "prompt_fixes"
    derive = spec.facts[reader].derive
    assert derive is not None and fact in derive and "baseline_score" in derive


def test_the_running_example_states_no_gate_5_fact_the_source_never_mentions() -> None:
    """Both full-retraining conditions default to no, and the trace says they did."""
    from gatetree import read_facts

    facts, _ = read_facts(ROOT / "trees" / "examples" / "retrain-or-tune" /
                          "running-example.yaml")
    assert not {"drift_is_widespread", "needs_knowledge_at_scale"} & set(facts)
    gate5 = load_tree("retrain-or-tune").decide(facts).steps[-1]
    assert gate5.node == "gate-5"
    assert [(e.name, e.value, e.source) for e in gate5.evidence[1:3]] == [
        ("drift_is_widespread", False, "default"), ("needs_knowledge_at_scale", False, "default")]
