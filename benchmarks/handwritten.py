"""The built-in trees as plain if/elif code: the fastest encoding a team would write by hand.

Each function takes facts (and optionally param overrides) and returns what `decide` does,
as `(outcome id or None, status)`, with the tree's exact semantics: a fact counts when it
is given (not None) or derived from given facts; a derived fact given directly wins over
its derivation; a fact the walk needs and cannot get makes the decision incomplete;
`and`/`or` are three-valued as in the tree's expressions: false (true) once one operand is
known false (true), wherever the unknown one stands, so that fact is never needed.
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
    "rebuild_overrides_refine": 6,
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
# manual_correction is derived from its two wordings (_manual_correction), so it counts once.
STRUCTURAL_SIGNS = (
    "fragile_workarounds",
    "outputs_vary_by_input_type",
    "context_lost_between_steps",
    "tool_poorly_matched",
    "nobody_can_explain_it",
    "never_stabilizes",
    "more_complex_with_every_fix",
)
# Deep Debug's checklist: the outcome of each path, in the tree's branch order.
DEEP_DEBUG_PATHS = ("rebuild-eval-set", "product-conversation", "pin-model-version",
                    "ml-specialist")


def _recovery(score: Any, start: Any, baseline: Any, p: Mapping[str, Any]) -> str | None:
    """Gates 2 and 3's derivation: how much of the gap from `start` to the baseline a test
    wins back (Gate 2 starts from current_score, Gate 3 from the adjusted baseline)."""
    if score is None or start is None or baseline is None:
        return None
    won, lost = score - start, baseline - start
    if won >= p["full_recovery_share"] * lost:
        return "fully"
    if won >= p["partial_recovery_share"] * lost:
        return "partly"
    return "no"


def _has_quality_metrics(f: Mapping[str, Any], p: Mapping[str, Any]) -> bool | None:
    """Gate 0's derivation: `eval_set_size >= min_eval_examples and has_scoring_method and
    has_baseline`, three-valued: false once one part is known false, wherever it stands."""
    size = f.get("eval_set_size")
    parts = (None if size is None else size >= p["min_eval_examples"],
             f.get("has_scoring_method"), f.get("has_baseline"))
    if any(part is False for part in parts):
        return False
    return None if None in parts else True


def _is_underperforming(f: Mapping[str, Any]) -> bool | None:
    """Gate 0's scope step: `current_score < baseline_score`, given or derived."""
    given: bool | None = f.get("is_underperforming")
    if given is not None:
        return given
    current, baseline = f.get("current_score"), f.get("baseline_score")
    if current is None or baseline is None:
        return None
    return bool(current < baseline)


def _prompt_fixes(f: Mapping[str, Any], context: str, p: Mapping[str, Any]) -> str | None:
    """Gate 3's derivation, measured from the adjusted baseline: the score after the
    retrieval fix (given, else score_with_perfect_context) after a partial Gate 2."""
    given: str | None = f.get("prompt_fixes")
    if given is not None:
        return given
    start = f.get("score_before_prompt_test")
    if start is None:
        if context == "partly":
            start = f.get("score_after_retrieval_fix")
            if start is None:
                start = f.get("score_with_perfect_context")
        else:
            start = f.get("current_score")
    return _recovery(f.get("score_with_few_shot"), start, f.get("baseline_score"), p)


def _deep_debug(f: Mapping[str, Any]) -> Result:
    """The deep-debug-paths checklist (unanswered counts as no): exactly one path known to
    apply picks its outcome, none or several give the full list."""
    pinned = f.get("hosted_model_unpinned")
    if pinned is None:
        # model_hosting == 'hosted-api' and not model_version_pinned; a missing input is no
        pinned = f.get("model_hosting") == "hosted-api" and f.get("model_version_pinned") is False
    specialist = f.get("concept_drift_at_scale_own_weights")
    if specialist is None:
        specialist = (f.get("failure_pattern") == "familiar-inputs"
                      and bool(f.get("drift_is_widespread"))
                      and f.get("model_hosting") == "own-weights")
    paths = (f.get("eval_set_stale"), f.get("product_definition_changed"), pinned, specialist)
    known = [outcome for outcome, applies in zip(DEEP_DEBUG_PATHS, paths, strict=True)
             if applies]
    return (known[0] if len(known) == 1 else "deep-debug"), "decided"


def _by_hosting(f: Mapping[str, Any], own: str, hosted: str) -> Result:
    """Gate 5's hosting questions: the exit for own weights or for a hosted API."""
    hosting = f.get("model_hosting")
    if hosting is None:
        return INCOMPLETE
    return (own if hosting == "own-weights" else hosted), "decided"


def retrain_or_tune(f: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> Result:
    """Gate 0, its scope step and the five gates of retrain-or-tune."""
    p = RETRAIN_PARAMS if not params else {**RETRAIN_PARAMS, **params}
    metrics = f.get("has_quality_metrics")
    if metrics is None:
        metrics = _has_quality_metrics(f, p)
        if metrics is None:
            return INCOMPLETE
    if not metrics:
        return "build-evals", "decided"
    underperforming = _is_underperforming(f)
    if underperforming is None:
        return INCOMPLETE
    if not underperforming:
        return "no-degradation", "decided"
    decline = f.get("decline")
    if decline is None:
        return INCOMPLETE
    if decline == "sudden":
        correlates = f.get("system_change_correlates")
        if correlates is None:
            return INCOMPLETE
        if correlates:
            return "roll-back-change", "decided"
    context = f.get("context_fixes") or _recovery(
        f.get("score_with_perfect_context"), f.get("current_score"), f.get("baseline_score"), p)
    if context is None:
        return INCOMPLETE
    if context == "fully":
        return "fix-retrieval", "decided"
    prompt = _prompt_fixes(f, context, p)
    if prompt is None:
        return INCOMPLETE
    if prompt == "fully":
        return "fix-prompt", "decided"
    pattern = f.get("failure_pattern")
    if pattern is None:
        return INCOMPLETE
    if pattern == "unclear" or f.get("quality_still_unaccounted_for"):
        return _deep_debug(f)
    # Gate 5: the two full-retraining conditions default to no.
    if f.get("drift_is_widespread"):
        return _by_hosting(f, "full-retrain", "provider-escalation")
    if f.get("needs_knowledge_at_scale"):
        return _by_hosting(f, "continued-pretraining", "knowledge-at-scale-hosted")
    if pattern == "familiar-inputs":
        return "fine-tune-on-new-labels", "decided"
    return "fine-tune", "decided"


def _manual_correction(f: Mapping[str, Any]) -> bool | None:
    """The sign the source lists twice, counted once: given, or
    `one_person_corrects_it or needs_manual_correction`."""
    given: bool | None = f.get("manual_correction")
    if given is not None:
        return given
    parts = (f.get("one_person_corrects_it"), f.get("needs_manual_correction"))
    if True in parts:  # three-valued: true once one wording is, wherever it stands
        return True
    return None if None in parts else False


def _has(low: int, high: int) -> bool:
    """Whether the integer range low..high is not empty."""
    return low <= high


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
    for answer in (*(f.get(name) for name in STRUCTURAL_SIGNS), _manual_correction(f)):
        if answer is None:
            structural_open += 1
        elif answer:
            structural_yes += 1
    nr, most, nb = p["refine_min_signs"], p["refine_max_structural"], p["rebuild_min_signs"]
    over = p["rebuild_overrides_refine"]
    r_low, r_high = refine_yes, refine_yes + refine_open
    s_low, s_high = structural_yes, structural_yes + structural_open
    # rebuild: s >= nb and (r < nr or s >= over)
    rebuild = s_high >= nb and (r_low < nr or s_high >= over)
    # refine: r >= nr and s <= most and not rebuild, that is s < max(nb, over)
    refine = r_high >= nr and _has(s_low, min(s_high, most, max(nb, over) - 1))
    # neither: (s < nb and r < nr), or s > most with s < nb, or with r >= nr and s < over
    diagnosis = ((s_low < nb and r_low < nr)
                 or _has(max(s_low, most + 1), min(s_high, nb - 1))
                 or (r_high >= nr and _has(max(s_low, most + 1), min(s_high, over - 1))))
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
