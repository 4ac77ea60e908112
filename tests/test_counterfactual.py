"""What-ifs: at each step of a decision, where every other answer would have led."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from gatetree import DecisionMismatch, GatetreeError, read_facts
from gatetree.counterfactual import counterfactuals
from gatetree.render.wording import whatif_sentence

ROOT = Path(__file__).resolve().parents[1]
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"


@pytest.fixture(scope="module")
def whatifs(tree, decision):  # type: ignore[no-untyped-def]
    return counterfactuals(tree, decision)


def test_one_entry_per_step_with_every_other_answer(whatifs, decision) -> None:  # type: ignore[no-untyped-def]
    assert [s.node for s in whatifs.steps] == [s.node for s in decision.steps]
    assert {s.node: [(a.label, a.status, a.outcome or a.missing) for a in s.alternatives]
            for s in whatifs.steps} == {
        "gate-0": [("NO", "decided", "build-evals")],
        "gate-0-degradation": [("Not below baseline", "decided", "no-degradation")],
        "gate-1": [("Sudden drop", "incomplete", "system_change_correlates")],
        "gate-2": [("YES", "decided", "fix-retrieval"), ("NO", "decided", "fine-tune")],
        "gate-3": [("YES", "decided", "fix-prompt"), ("NO", "decided", "fine-tune")],
        "gate-4": [("concept drift", "decided", "fine-tune-on-new-labels"),
                   ("Neither", "decided", "deep-debug")],
        "gate-5": [("Still unaccounted for", "decided", "deep-debug"),
                   ("Drift is widespread", "incomplete", "model_hosting"),
                   ("Knowledge at scale", "incomplete", "model_hosting"),
                   ("Fine-tune on new labels", "decided", "fine-tune-on-new-labels")],
    }


def test_fully_restored_quality_at_gate_3_would_have_meant_fixing_the_prompt(whatifs) -> None:  # type: ignore[no-untyped-def]
    step = whatifs.at("gate-3")
    assert (step.taken, step.exit_index) == ("Partly", 1)
    fully = next(a for a in step.alternatives if a.change.value == "fully")
    assert (fully.outcome, fully.outcome_title) == ("fix-prompt", "Fix the prompt")
    assert fully.path == ("gate-0", "gate-0-degradation", "gate-1", "gate-2", "gate-3",
                          "fix-prompt")
    assert fully.actions == ("Fix the retrieval pipeline for what it explains, then continue "
                             "with an adjusted baseline.",)
    change = fully.change
    assert (change.kind, change.fact, change.value, change.was, change.was_source) == (
        "set-fact", "prompt_fixes", "fully", "partly", "derived")
    assert [(i.name, i.value) for i in change.inputs] == [
        ("score_with_few_shot", 83), ("score_before_prompt_test", 79),
        ("full_recovery_share", 0.9), ("baseline_score", 91), ("partial_recovery_share", 0.1)]
    assert whatif_sentence(fully) == (
        'At gate-3 (Gate 3: Is this prompt-fixable?), answer "YES": had prompt_fixes been '
        "fully instead of partly (it was derived from score_with_few_shot = 83 (given), "
        "score_before_prompt_test = 79 (derived), full_recovery_share = 0.9 (param default), "
        "baseline_score = 91 (given), partial_recovery_share = 0.1 (param default); one of "
        "these would have to change), the outcome would have been: Fix the prompt.")


def test_a_given_fact_just_takes_the_other_value(whatifs) -> None:  # type: ignore[no-untyped-def]
    neither = whatifs.at("gate-4").alternatives[1]
    assert (neither.change.fact, neither.change.value, neither.change.was_source) == (
        "failure_pattern", "unclear", "given")
    assert neither.change.inputs == ()
    assert whatif_sentence(neither) == (
        'At gate-4 (Gate 4: What kind of drift are you seeing?), answer "Neither": had '
        "failure_pattern been unclear instead of new-inputs, the outcome would have been: "
        "Deep debug.")
    concept = whatifs.at("gate-4").alternatives[0]
    assert not concept.same_outcome and whatif_sentence(concept).endswith(
        "the outcome would have been: Fine-tune on the updated labeling scheme.")


def test_condition_gates_are_forced_through_the_walk(whatifs) -> None:  # type: ignore[no-untyped-def]
    widespread = whatifs.at("gate-5").alternatives[1]
    assert (widespread.change.kind, widespread.change.condition) == (
        "force-exit", "drift_is_widespread")
    assert [(i.name, i.value) for i in widespread.change.inputs] == [
        ("quality_still_unaccounted_for", False), ("drift_is_widespread", False),
        ("needs_knowledge_at_scale", False), ("failure_pattern", "new-inputs")]
    assert widespread.path[-2:] == ("gate-5", "gate-5-hosting")
    assert widespread.possible_outcomes == ("full-retrain", "provider-escalation")
    assert whatif_sentence(widespread) == (
        'At gate-5 (Gate 5: Fine-tune or full retrain?), answer "Drift is widespread": had '
        "drift_is_widespread held, the walk would have needed model_hosting (Are you calling "
        "a hosted model API, or managing your own model weights?); still possible: "
        "full-retrain, provider-escalation.")


def test_default_exit_of_a_condition_gate_is_forced(tree) -> None:  # type: ignore[no-untyped-def]
    facts, _ = read_facts(RUNNING)
    decision = tree.decide({**facts, "drift_is_widespread": True, "model_hosting": "hosted-api"})
    step = counterfactuals(tree, decision).at("gate-5")
    default = step.alternatives[-1]
    assert (default.label, default.change.kind, default.change.condition) == (
        "Fine-tune", "force-exit", None)
    assert default.outcome == "fine-tune"
    assert "had none of the conditions held" in whatif_sentence(default)


def test_to_dict_is_json(whatifs) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(whatifs.to_dict()))
    assert data["outcome"] == "fine-tune" and data["status"] == "decided"
    step = data["steps"][4]
    assert step["node"] == "gate-3" and step["taken"] == "Partly"
    assert step["alternatives"][0]["outcome"] == "fix-prompt"
    assert step["alternatives"][0]["change"]["inputs"][0] == {
        "name": "score_with_few_shot", "value": 83, "source": "given"}


def test_incomplete_decisions_have_what_ifs_for_the_steps_taken(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"has_quality_metrics": True, "is_underperforming": True,
                            "decline": "sudden"})
    whatifs = counterfactuals(tree, decision)
    assert whatifs.status == "incomplete" and whatifs.outcome is None
    assert [s.node for s in whatifs.steps] == ["gate-0", "gate-0-degradation", "gate-1"]
    assert whatifs.at("gate-0").alternatives[0].change.was_source == "given"


def test_decision_of_another_tree_is_refused(tree, decision) -> None:  # type: ignore[no-untyped-def]
    other = replace(decision, tree=replace(decision.tree, id="elsewhere"))
    with pytest.raises(DecisionMismatch) as info:
        counterfactuals(tree, other)
    assert isinstance(info.value, GatetreeError)
    sha = tree.spec.sha256[:12]
    assert str(info.value) == (f"the decision was made with tree elsewhere@1.1.1 (sha256 {sha}), "
                               f"not with retrain-or-tune@1.1.1 (sha256 {sha})")


def test_a_call_step_has_no_forced_alternatives() -> None:
    """Its exits follow the called tree's outcome; forcing one is no answer anyone gives."""
    from gatetree import load_tree

    triage = load_tree("ai-workflow-triage")
    facts, _ = read_facts(ROOT / "trees" / "examples" / "ai-workflow-triage" /
                          "degrading-classifier.yaml")
    found = counterfactuals(triage, triage.decide(facts))
    assert found.at("diagnose-feature").alternatives == ()
    assert [a.label for a in found.at("what-is-unreliable").alternatives] == ["A workflow"]
