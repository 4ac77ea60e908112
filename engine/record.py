"""A walk's record made into what callers read: a lazy Decision, its trace dict, a Verdict.

The walk (`gatetree.walk`) keeps, per run, the exit taken at each node with the names read
there, and every value with how it came (given, a param, derived from names, a default, or
the calling tree's). Steps and evidence are made from that only when read; `to_dict`
writes the JSON form from the record without making them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .checklist import group_scores
from .decision import (
    TRACE_FORMAT,
    ChecklistTrace,
    Decision,
    Evidence,
    ItemAnswer,
    Step,
    ValueSource,
    Verdict,
    outcome_dict,
    tree_dict,
)
from .model import Checklist, Node, Outcome, Scalar
from .plan import CALL, CHECKLIST, GATE, NodePlan, Plan
from .walk import DEFAULT, FORCED, OUTER, Run

__all__ = ["decision", "verdict", "walk"]

_NO_OVERRIDES: MappingProxyType[str, Any] = MappingProxyType({})
_FORCED_BY = "forced (what-if)"


def walk(plan: Plan, facts: Mapping[str, Scalar], overrides: Mapping[str, Scalar], *,
         trace: bool = True, forced: Mapping[str, int] | None = None) -> Decision | Verdict:
    """Decide with checked facts and params: a Decision, or with `trace=False` a Verdict.

    `forced` maps a node id to the exit to take there regardless of the facts: what-ifs
    ask "what if this gate had gone the other way" through the same walk.
    """
    params: Mapping[str, Scalar] = plan.defaults
    if overrides:
        params = dict(plan.defaults)
        params.update(overrides)
    run = Run(plan, facts, overrides, params, trace=trace, forced=forced).walk()
    return decision(run) if trace else verdict(run)


def decision(run: Run) -> Decision:
    """The Decision of a finished run; all but its status are made when first read."""
    return Decision._recorded(_builder_of(run), {"tree": run.plan.ref, "status": run.status,
                                                 "missing": run.missing})


def verdict(run: Run) -> Verdict:
    """The result of a run made without a trace."""
    outcome = run.outcome
    filled = None
    if outcome is not None:
        filled = run.node_text(outcome) if run.changed else run.plan.filled.nodes[outcome.id]
    assert filled is None or isinstance(filled, Outcome)
    # made as the tuple it is: the named tuple's own constructor costs a call more
    return _make_verdict(Verdict, (run.status, filled, tuple(run.path), tuple(run.actions),
                                   run.missing))


_make_verdict = tuple.__new__


class _Builder:
    """Makes a recorded Decision's lazy fields, and its trace dict, from the run."""

    __slots__ = ("evidence", "run")

    def __init__(self, run: Run) -> None:
        self.run = run
        self.evidence: dict[str, Evidence] = {}  # by name, once made

    def build(self, name: str) -> Any:
        run = self.run
        if name == "steps":
            return tuple(self._step(*step) for step in run.steps)
        if name == "outcome":
            return None if run.outcome is None else run.node_text(run.outcome)
        if name == "facts":
            return MappingProxyType(_facts(run))
        if name == "params":
            return MappingProxyType(dict(run.params))
        if name == "path":
            return tuple(run.path)
        if name == "actions":
            return tuple(run.actions)
        if name == "reachable_outcomes":
            return (run.outcome.id,) if run.outcome is not None else run.reachable
        if name == "overrides":
            return MappingProxyType(dict(run.overrides)) if run.overrides else _NO_OVERRIDES
        raise AttributeError(name)

    # --- objects -----------------------------------------------------------------------
    def value(self, name: str) -> Evidence:
        found = self.evidence.get(name)
        if found is None:
            found = self.evidence[name] = self._evidence(name)
        return found

    def _evidence(self, name: str) -> Evidence:
        run = self.run
        how = run.how.get(name)
        value = run.known[name]
        if how == OUTER:
            assert run.outer is not None
            return _builder_of(run.outer).value(name)
        if isinstance(how, tuple):
            expression = run.plan.facts[name].expression
            assert expression is not None
            return Evidence(name, value, "derived", expression.text,
                            tuple(self.value(n) for n in how), run.settled.get(name))
        return Evidence(name, value, _source(run, name, how))

    def _step(self, node: NodePlan, index: int, reads: list[str], extra: Any) -> Step:
        run = self.run
        text = run.node_text(node)
        branch = text.exits[index]  # type: ignore[union-attr]
        fact = node.fact if node.kind == GATE else None
        checklist = subdecision = None
        rejected: tuple[str, ...] = ()
        if extra is FORCED:
            evidence: tuple[Evidence, ...] = ()
            chosen_by = _FORCED_BY
        else:
            exit_ = node.exits[index]
            chosen_by, rejected = exit_.chosen_by, exit_.rejected
            if node.kind == CHECKLIST:
                evidence = tuple(self.value(n) for n in _checklist_names(node, reads, extra))
                checklist = self._checklist(text, extra)
            elif node.kind == CALL:
                evidence = ()
                subdecision = decision(extra)
            else:
                evidence = tuple(self.value(n) for n in reads)
        return Step(
            node=node.id,
            title=text.title,
            question=_question(run, text, fact),
            fact=fact,
            evidence=evidence,
            label=branch.display_label,
            chosen_by=chosen_by,
            rejected=rejected,
            next=branch.next,
            actions=branch.actions,
            exit_index=index,
            checklist=checklist,
            subdecision=subdecision,
            settled_by=None if extra is FORCED else run.settled.get((node.id, index)),
        )

    def _checklist(self, text: Node, extra: Any) -> ChecklistTrace:
        assert isinstance(text, Checklist)
        answers, quorum, early = extra
        items = text.ask_order
        by_fact = {i.fact: a for i, a in zip(items, answers, strict=True)}
        return ChecklistTrace(
            unanswered=text.unanswered,
            quorum=quorum if text.unanswered == "quorum" else None,
            items=tuple(ItemAnswer(i.fact, i.group, i.display_label, i.weight, a,
                                   None if a is None else self.value(i.fact).source)
                        for i, a in zip(items, answers, strict=True)),
            groups=group_scores(text, by_fact),
            answered=len(answers) - answers.count(None),
            decided_early=early,
        )

    # --- the trace dict, straight from the record ---------------------------------------
    def to_dict(self) -> dict[str, Any]:
        run = self.run
        ref = run.plan.ref
        outcome = None if run.outcome is None else run.node_text(run.outcome)
        assert outcome is None or isinstance(outcome, Outcome)
        return {
            "format": TRACE_FORMAT,
            "tree": tree_dict(ref),
            "status": run.status,
            "outcome": None if outcome is None else outcome_dict(outcome),
            "path": list(run.path),
            "actions": [{"node": a.node, "text": a.text} for a in run.actions],
            "steps": [self._step_dict(*step) for step in run.steps],
            "missing": None if run.missing is None else run.missing.to_dict(),
            "reachable_outcomes": [outcome.id] if outcome is not None else list(run.reachable),
            "facts": _facts(run),
            "params": dict(run.params),
            "overrides": dict(run.overrides),
        }

    def _evidence_dict(self, name: str) -> dict[str, Any]:
        run = self.run
        how = run.how.get(name)
        if how == OUTER:
            assert run.outer is not None
            return _builder_of(run.outer)._evidence_dict(name)
        data: dict[str, Any] = {"name": name, "value": run.known[name]}
        if isinstance(how, tuple):
            expression = run.plan.facts[name].expression
            assert expression is not None
            data["source"] = "derived"
            data["expression"] = expression.text
            data["inputs"] = [self._evidence_dict(n) for n in how]
            if name in run.settled:
                data["settled_by"] = run.settled[name]
        else:
            data["source"] = _source(run, name, how)
        return data

    def _step_dict(self, node: NodePlan, index: int, reads: list[str], extra: Any,
                   ) -> dict[str, Any]:
        run = self.run
        text = run.node_text(node)
        branch = text.exits[index]  # type: ignore[union-attr]
        fact = node.fact if node.kind == GATE else None
        names: list[str] | tuple[str, ...] = ()
        chosen_by, rejected = _FORCED_BY, ()  # type: tuple[str, tuple[str, ...]]
        if extra is not FORCED:
            exit_ = node.exits[index]
            chosen_by, rejected = exit_.chosen_by, exit_.rejected
            if node.kind == CHECKLIST:
                names = _checklist_names(node, reads, extra)
            elif node.kind == GATE:
                names = reads
        data: dict[str, Any] = {
            "node": node.id,
            "title": text.title,
            "question": _question(run, text, fact),
            "fact": fact,
            "value": run.known[fact] if fact is not None and fact in names else None,
            "evidence": [self._evidence_dict(n) for n in names],
            "branch": {
                "label": branch.display_label,
                "chosen_by": chosen_by,
                "rejected": list(rejected),
                "next": branch.next,
            },
            "actions": list(branch.actions),
            "exit": index,
        }
        settled = None if extra is FORCED else run.settled.get((node.id, index))
        if settled is not None:
            data["branch"]["settled_by"] = settled
        if extra is not FORCED and node.kind == CHECKLIST:
            data["checklist"] = self._checklist(text, extra).to_dict()
        elif extra is not FORCED and node.kind == CALL:
            data["subdecision"] = _builder_of(extra).to_dict()
        return data


def _builder_of(run: Run) -> _Builder:
    """The builder of a calling run, made once per run for its evidence."""
    builder = run.built
    if builder is None:
        builder = run.built = _Builder(run)
    return builder  # type: ignore[no-any-return]


def _source(run: Run, name: str, how: Any) -> ValueSource:
    if how == DEFAULT:
        return "default"
    if name in run.params:
        return "param" if name in run.overrides else "param-default"
    return "given"


def _facts(run: Run) -> dict[str, Any]:
    if run.outer is None:
        return dict(run.facts)
    declared = run.plan.spec.facts
    return {k: v for k, v in run.facts.items() if k in declared}


def _question(run: Run, text: Node, fact: str | None) -> str:
    question = getattr(text, "question", "")
    return question or (run.question(fact) if fact else "")


def _checklist_names(node: NodePlan, reads: list[str], extra: Any) -> list[str]:
    """A checklist step's evidence: the answered items in ask order, then the params read
    (its quorum, and those its conditions read to settle the exit)."""
    assert node.checklist is not None
    answers = extra[0]
    answered = [f for f, a in zip(node.checklist.facts, answers, strict=True) if a is not None]
    return [*answered, *reads]
