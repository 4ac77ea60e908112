"""The built-in trees as plain if/elif code: the fastest encoding a team would write by hand.

Each function takes facts (and optionally param overrides) and returns what `decide` does,
as `(outcome id or None, status)`, with the tree's exact semantics: a fact counts when it
is given (not None) or derived from given facts; a derived fact given directly wins over
its derivation; a fact the walk needs and cannot get makes the decision incomplete;
`and`/`or` short-circuit as in the tree's expressions, so an unread fact is never needed.
tests/test_benchmark_baselines.py holds them equal to `decide`, so the benchmark's ratios
compare like with like. They record no trace: that is the point of the baseline.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Result", "ai_workflow_triage", "retrain_or_tune", "tune_or_rebuild"]

Result = tuple[str | None, str]
"""The outcome id (None when incomplete) and the status, as `decide` reports them."""

INCOMPLETE: Result = (None, "incomplete")

RETRAIN_PARAMS: Mapping[str, Any] = {
    "min_eval_examples": 20,
    "full_recovery_share": 0.9,
    "partial_recovery_share": 0.1,
}
TUNE_PARAMS: Mapping[str, Any] = {
    "refine_min_signs": 3,
    "refine_max_structural": 0,
    "rebuild_min_signs": 3,
}
REFINE_SIGNS = (
    "performs_well_but_inconsistent",
    "format_close_to_correct",
    "prompts_work_reasonably",
    "glossary_rules_need_refinement",
    "process_clear_and_repeatable",
)
# The structural and the not-in-the-details signs: the conditions only read their sum.
STRUCTURAL_SIGNS = (
    "fragile_workarounds",
    "outputs_vary_by_input_type",
    "one_person_corrects_it",
    "context_lost_between_steps",
    "tool_poorly_matched",
    "nobody_can_explain_it",
    "never_stabilizes",
    "needs_manual_correction",
    "more_complex_with_every_fix",
)


def _recovery(f: Mapping[str, Any], test: str, p: Mapping[str, Any]) -> str | None:
    """Gates 2 and 3's derivation: how much of the lost quality a test wins back."""
    score, current, baseline = f.get(test), f.get("current_score"), f.get("baseline_score")
    if score is None or current is None or baseline is None:
        return None
    won, lost = score - current, baseline - current
    if won >= p["full_recovery_share"] * lost:
        return "fully"
    if won >= p["partial_recovery_share"] * lost:
        return "partly"
    return "no"


def _has_quality_metrics(f: Mapping[str, Any], p: Mapping[str, Any]) -> bool | None:
    """Gate 0's derivation: `eval_set_size >= min_eval_examples and has_scoring_method and
    has_baseline`, where a short-circuit leaves the later facts unread."""
    size = f.get("eval_set_size")
    if size is None:
        return None
    if size < p["min_eval_examples"]:
        return False
    scoring = f.get("has_scoring_method")
    if scoring is None or not scoring:
        return scoring
    baseline: bool | None = f.get("has_baseline")
    return baseline


def retrain_or_tune(f: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> Result:
    """The five gates of retrain-or-tune."""
    p = RETRAIN_PARAMS if not params else {**RETRAIN_PARAMS, **params}
    metrics = f.get("has_quality_metrics")
    if metrics is None:
        metrics = _has_quality_metrics(f, p)
        if metrics is None:
            return INCOMPLETE
    if not metrics:
        return "build-evals", "decided"
    decline = f.get("decline")
    if decline is None:
        return INCOMPLETE
    if decline == "sudden":
        correlates = f.get("system_change_correlates")
        if correlates is None:
            return INCOMPLETE
        if correlates:
            return "roll-back-change", "decided"
    context = f.get("context_fixes") or _recovery(f, "score_with_perfect_context", p)
    if context is None:
        return INCOMPLETE
    if context == "fully":
        return "fix-retrieval", "decided"
    prompt = f.get("prompt_fixes") or _recovery(f, "score_with_few_shot", p)
    if prompt is None:
        return INCOMPLETE
    if prompt == "fully":
        return "fix-prompt", "decided"
    pattern = f.get("failure_pattern")
    if pattern is None:
        return INCOMPLETE
    if pattern == "unclear":
        return "deep-debug", "decided"
    widespread = f.get("drift_is_widespread")
    if widespread is None:
        return INCOMPLETE
    if not widespread:
        at_scale = f.get("needs_knowledge_at_scale")
        if at_scale is None:
            return INCOMPLETE
        if not at_scale:
            return "fine-tune", "decided"
    hosting = f.get("model_hosting")
    if hosting is None:
        return INCOMPLETE
    return ("full-retrain" if hosting == "own-weights" else "provider-escalation"), "decided"


def tune_or_rebuild(f: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> Result:
    """The checklist of signs, deciding early once no open sign could change the verdict.

    Every sign weighs 1, so each side's score lies between its yes answers and its yes
    plus open answers; the verdict is known when only one exit is possible in that box.
    """
    p = TUNE_PARAMS if not params else {**TUNE_PARAMS, **params}
    refine_yes = refine_open = structural_yes = structural_open = 0
    for name in REFINE_SIGNS:
        answer = f.get(name)
        if answer is None:
            refine_open += 1
        elif answer:
            refine_yes += 1
    for name in STRUCTURAL_SIGNS:
        answer = f.get(name)
        if answer is None:
            structural_open += 1
        elif answer:
            structural_yes += 1
    need_refine, most_structural = p["refine_min_signs"], p["refine_max_structural"]
    need_rebuild = p["rebuild_min_signs"]
    r_low, r_high = refine_yes, refine_yes + refine_open
    s_low, s_high = structural_yes, structural_yes + structural_open
    # rebuild: s >= need_rebuild and r < need_refine
    rebuild = s_high >= need_rebuild and r_low < need_refine
    # refine: r >= need_refine and s <= most_structural (rebuild is then false)
    refine = r_high >= need_refine and s_low <= most_structural
    # neither: (s < need_rebuild or r >= need_refine) and (r < need_refine or s > most),
    # which some tally in the box meets when one of these two does
    diagnosis = ((s_low < need_rebuild and r_low < need_refine)
                 or (r_high >= need_refine and s_high > most_structural))
    if rebuild + refine + diagnosis != 1:
        return INCOMPLETE
    if rebuild:
        return "rebuild", "decided"
    return ("refine" if refine else "structured-diagnosis"), "decided"


def ai_workflow_triage(f: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> Result:
    """The entry tree: route to the five gates or to the checklist; its outcomes carry the
    called tree's outcome ids."""
    system = f.get("unreliable_system")
    if system is None:
        return INCOMPLETE
    if system == "model-feature":
        return retrain_or_tune(f, params)
    return tune_or_rebuild(f, params)
