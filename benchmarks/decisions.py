"""Per-decision cost of each built-in tree against its hand-written function (and, for
retrain-or-tune, against zen-engine on a JDM graph of the same logic)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from gatetree import Checklist, DecisionTree, load_tree

from . import handwritten, zen_graph
from .measure import Candidate, Settings, Timings, interleave
from .report import NA, Table, duration, ratio
from .section import Outcome, Target
from .workloads import example, outcome_mix

__all__ = ["HAS_TRACE_KEYWORD", "ai_workflow_triage", "retrain_or_tune", "tune_or_rebuild"]

HAS_TRACE_KEYWORD = "trace" in inspect.signature(DecisionTree.decide).parameters
Facts = Mapping[str, Any]
Baseline = Callable[[Facts, Mapping[str, Any] | None], handwritten.Result]


@dataclass(frozen=True, slots=True)
class Row:
    """A candidate in a group; `hand` names the row of the hand-written function doing the
    same work. No candidate: it cannot run here, and its cells read n/a with `why`."""

    key: str
    label: str
    candidate: Candidate | None
    hand: str = "hand"
    why: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """Candidates measured together on one workload; ratios against `hand` rows and the
    group's `decide` row."""

    title: str
    rows: tuple[Row, ...]


def _row(key: str, label: str, decide: Callable[[Facts], object], workload: Sequence[Facts],
         *, hand: str = "hand") -> Row:
    """A row deciding every facts of `workload` once per call."""

    def run() -> None:
        for facts in workload:
            decide(facts)

    return Row(key, label, Candidate(key, run, len(workload)), hand)


def _untraced(tree: DecisionTree, workload: Sequence[Facts]) -> Row:
    label = "decide(trace=False)"
    if not HAS_TRACE_KEYWORD:
        return Row("untraced", label, None, why="this gatetree's decide has no trace keyword")
    decide: Callable[..., object] = tree.decide
    return _row("untraced", label, lambda f: decide(f, trace=False), workload)


def _zen_rows(workload: Sequence[Facts]) -> tuple[Row, ...]:
    labels = {"zen-trace": "zen-engine evaluate, trace on", "zen": "zen-engine evaluate, trace off"}
    if not zen_graph.available():
        why = "zen-engine is not installed (pip install -e '.[bench]')"
        return tuple(Row(key, label, None, why=why) for key, label in labels.items())
    graph = zen_graph.ZenGraph("retrain-or-tune")
    engine, key = graph.engine, graph.key
    plain = [dict(f) for f in workload]  # zen takes a dict; copied once, not per decision

    def on(facts: dict[str, Any]) -> object:
        return engine.evaluate(key, facts, {"trace": True})

    def off(facts: dict[str, Any]) -> object:
        return engine.evaluate(key, facts, {"trace": False})

    as_facts = cast("Callable[[Facts], object]", on), cast("Callable[[Facts], object]", off)
    return (_row("zen-trace", labels["zen-trace"], as_facts[0], plain),
            _row("zen", labels["zen"], as_facts[1], plain))


def _standard_rows(tree: DecisionTree, hand: Baseline, workload: Sequence[Facts],
                   params: Mapping[str, Any], params_text: str) -> list[Row]:
    """The rows every group has: hand-written, decide with and without its trace, the
    trace as a dict, and a param override."""
    return [
        _row("hand", "hand-written if/elif", lambda f: hand(f, None), workload),
        _row("decide", "decide (trace recorded)", tree.decide, workload),
        _untraced(tree, workload),
        _row("to_dict", "decide(...).to_dict()", lambda f: tree.decide(f).to_dict(), workload),
        _row("params", f"decide(params={{{params_text}}})",
             lambda f: tree.decide(f, params=params), workload),
    ]


def _measure(groups: Sequence[Group], settings: Settings) -> list[Timings]:
    return [interleave([r.candidate for r in g.rows if r.candidate is not None], settings)
            for g in groups]


def _table(title: str, groups: Sequence[Group], timings: Sequence[Timings],
           notes: tuple[str, ...]) -> Table:
    rows: list[tuple[str, ...]] = []
    for group, found in zip(groups, timings, strict=True):
        rows.append((group.title, "", "", ""))
        for row in group.rows:
            if row.candidate is None:
                rows.append((f"  {row.label}", NA, NA, NA))
                continue
            rows.append((f"  {row.label}", duration(found.median(row.key)),
                         ratio(found.ratio(row.key, row.hand)),
                         ratio(found.ratio(row.key, "decide"))))
    why = tuple(dict.fromkeys(f"n/a: {r.label}: {r.why}" for g in groups for r in g.rows
                              if r.candidate is None))
    return Table(title, ("workload / candidate", "per decision", "x hand-written",
                         "x decide"), tuple(rows), notes + why)


def _ratio(groups: Sequence[Group], timings: Sequence[Timings], group: int, key: str,
           base: str) -> float | None:
    names = {r.key for r in groups[group].rows if r.candidate is not None}
    return timings[group].ratio(key, base) if {key, base} <= names else None


NOTES = ("median of per-round times; ratios are medians of per-round ratios, candidates "
         "interleaved in one process; 'x decide' is against the group's decide row",)


def retrain_or_tune(settings: Settings) -> Outcome:
    """The running example and a mix reaching every outcome, zen-engine alongside."""
    tree = load_tree("retrain-or-tune")
    hand = handwritten.retrain_or_tune
    running = example("retrain-or-tune", "running-example")
    stuck = {k: v for k, v in running.items() if k != "drift_is_widespread"}
    mix = outcome_mix(tree.id, tuple(o.id for o in tree.outcomes))
    override, text = {"full_recovery_share": 0.85}, "full_recovery_share: 0.85"
    groups = [
        Group("running example (fine-tune, 7 nodes)", (
            *_standard_rows(tree, hand, [running], override, text),
            _row("hand-incomplete", "hand-written, incomplete at gate 5",
                 lambda f: hand(f, None), [stuck]),
            _row("incomplete", "decide, incomplete at gate 5 (no drift_is_widespread)",
                 tree.decide, [stuck], hand="hand-incomplete"),
            *_zen_rows([running]),
        )),
        Group(f"mix reaching every outcome ({len(mix)} decisions)", (
            *_standard_rows(tree, hand, mix, override, text),
            *_zen_rows(mix),
        )),
    ]
    timings = _measure(groups, settings)
    targets = [
        Target("retrain-or-tune: decide <= 10x hand-written (running example)",
               _ratio(groups, timings, 0, "decide", "hand"), 10),
        Target("retrain-or-tune: decide <= 10x hand-written (mix)",
               _ratio(groups, timings, 1, "decide", "hand"), 10),
        Target("retrain-or-tune: decide(trace=False) <= 4x hand-written (running example)",
               _ratio(groups, timings, 0, "untraced", "hand"), 4),
        Target("retrain-or-tune: zen trace on / decide >= 10 (running example)",
               _ratio(groups, timings, 0, "zen-trace", "decide"), 10, at_least=True),
        Target("retrain-or-tune: zen trace on / decide().to_dict() >= 2 (running example)",
               _ratio(groups, timings, 0, "zen-trace", "to_dict"), 2, at_least=True),
        Target("retrain-or-tune: param override <= 1.3x a plain decide (running example)",
               _ratio(groups, timings, 0, "params", "decide"), 1.3),
        Target("retrain-or-tune: incomplete <= 1.5x a decided decide (running example)",
               _ratio(groups, timings, 0, "incomplete", "decide"), 1.5),
    ]
    notes = (*NOTES, "zen-engine: ZenEngine.evaluate on benchmarks/jdm/retrain-or-tune.json, "
                     "its loader returning the parsed content")
    return Outcome((_table("Per decision: retrain-or-tune", groups, timings, notes),),
                   tuple(targets))


def tune_or_rebuild(settings: Settings) -> Outcome:
    """The checklist answered, empty, and on a mix reaching every outcome."""
    tree = load_tree("tune-or-rebuild")
    hand = handwritten.tune_or_rebuild
    answered = example("tune-or-rebuild", "broken-workflow")
    mix = outcome_mix(tree.id, tuple(o.id for o in tree.outcomes))
    override, text = {"refine_max_structural": 1}, "refine_max_structural: 1"
    signs = sum(len(n.items) for n in tree.spec.nodes.values() if isinstance(n, Checklist))
    groups = [
        Group(f"answered checklist (broken-workflow, {signs} signs)",
              tuple(_standard_rows(tree, hand, [answered], override, text))),
        Group("empty checklist (incomplete)",
              tuple(_standard_rows(tree, hand, [{}], override, text))),
        Group(f"mix reaching every outcome ({len(mix)} decisions)",
              tuple(_standard_rows(tree, hand, mix, override, text))),
    ]
    timings = _measure(groups, settings)
    targets = [
        Target("tune-or-rebuild: decide <= 15x hand-written (answered)",
               _ratio(groups, timings, 0, "decide", "hand"), 15),
        Target("tune-or-rebuild: decide <= 15x hand-written (empty)",
               _ratio(groups, timings, 1, "decide", "hand"), 15),
        Target("tune-or-rebuild: param override <= 1.3x a plain decide (answered)",
               _ratio(groups, timings, 0, "params", "decide"), 1.3),
    ]
    return Outcome((_table("Per decision: tune-or-rebuild", groups, timings, NOTES),),
                   tuple(targets))


def ai_workflow_triage(settings: Settings) -> Outcome:
    """The entry tree calling each of the others, and a mix reaching every outcome."""
    tree = load_tree("ai-workflow-triage")
    hand = handwritten.ai_workflow_triage
    feature = example("ai-workflow-triage", "degrading-classifier")
    workflow = example("ai-workflow-triage", "broken-workflow")
    mix = outcome_mix(tree.id, tuple(o.id for o in tree.outcomes))
    override, text = {"full_recovery_share": 0.85}, "full_recovery_share: 0.85"
    groups = [
        Group("degrading classifier (calls retrain-or-tune)",
              tuple(_standard_rows(tree, hand, [feature], override, text))),
        Group("broken workflow (calls tune-or-rebuild)",
              tuple(_standard_rows(tree, hand, [workflow], override, text))),
        Group(f"mix reaching every outcome ({len(mix)} decisions)",
              tuple(_standard_rows(tree, hand, mix, override, text))),
    ]
    timings = _measure(groups, settings)
    targets = [
        Target("ai-workflow-triage: decide <= 10x hand-written (mix)",
               _ratio(groups, timings, 2, "decide", "hand"), 10),
    ]
    return Outcome((_table("Per decision: ai-workflow-triage", groups, timings, NOTES),),
                   tuple(targets))
