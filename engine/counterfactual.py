"""What-ifs for a decision: at each step on its path, where each other answer would lead.

Every alternative keeps all other facts as they were. At a gate that branches on a fact,
the fact is set to the other answer's value and the tree decides again (a given fact wins
over its derivation, so a derived fact needs no special case); at a gate of conditions,
or when no value selects the answer, the same walk runs with that gate forced down the
other exit. Nothing here walks the tree another way. A call's exits follow the outcome the
called tree reaches, not an answer anyone gives, so a call step lists no alternatives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .boundary import Boundary, boundaries
from .decision import Decision, Evidence, Step, TreeRef
from .errors import GatetreeError
from .model import Branch, Call, Gate, Scalar
from .record import walk
from .tree import DecisionTree

__all__ = [
    "Alternative",
    "AlternativeStatus",
    "Boundary",
    "Change",
    "ChangeKind",
    "Counterfactuals",
    "StepAlternatives",
    "counterfactuals",
]

ChangeKind = Literal["set-fact", "force-exit"]
AlternativeStatus = Literal["decided", "incomplete", "error"]


@dataclass(frozen=True, slots=True)
class Change:
    """What would have been different for the other answer.

    `set-fact`: `fact` takes `value` instead of `was` (which came from `was_source`).
    `force-exit`: the gate takes the exit whose `condition` holds (None: the default).
    `inputs` are the values the real answer rested on: for a derived fact, what it was
    derived from; at a gate of conditions, what the conditions read. One of them would
    have to change for the other answer to come out by itself.
    """

    kind: ChangeKind
    fact: str | None = None
    value: Scalar | None = None
    was: Scalar | None = None
    was_source: str | None = None
    condition: str | None = None
    inputs: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "fact": self.fact,
            "value": self.value,
            "was": self.was,
            "was_source": self.was_source,
            "condition": self.condition,
            "inputs": [i.to_dict() for i in self.inputs],
        }


@dataclass(frozen=True, slots=True)
class Alternative:
    """One other answer at a step and the result the walk reaches with it."""

    node: str
    node_title: str
    exit_index: int
    label: str
    change: Change
    status: AlternativeStatus
    outcome: str | None
    outcome_title: str | None
    path: tuple[str, ...]
    actions: tuple[str, ...]
    missing: str | None = None
    missing_question: str | None = None
    possible_outcomes: tuple[str, ...] = ()
    same_outcome: bool = False
    error: str | None = None
    boundaries: tuple[Boundary, ...] = ()  # by how much each numeric input would flip it

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "exit_index": self.exit_index,
            "label": self.label,
            "change": self.change.to_dict(),
            "status": self.status,
            "outcome": self.outcome,
            "outcome_title": self.outcome_title,
            "path": list(self.path),
            "actions": list(self.actions),
            "missing": self.missing,
            "possible_outcomes": list(self.possible_outcomes),
            "same_outcome": self.same_outcome,
            "error": self.error,
            "boundaries": [b.to_dict() for b in self.boundaries],
        }


@dataclass(frozen=True, slots=True)
class StepAlternatives:
    """A step on the decided path: the answer taken and every other one."""

    node: str
    title: str
    question: str
    taken: str
    exit_index: int
    alternatives: tuple[Alternative, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "title": self.title,
            "question": self.question,
            "taken": self.taken,
            "exit_index": self.exit_index,
            "alternatives": [a.to_dict() for a in self.alternatives],
        }


@dataclass(frozen=True, slots=True)
class Counterfactuals:
    """All what-ifs of one decision, step by step along its path."""

    tree: TreeRef
    status: str
    outcome: str | None
    steps: tuple[StepAlternatives, ...]

    def at(self, node: str) -> StepAlternatives:
        """The step at a gate; KeyError when the path does not pass it."""
        for step in self.steps:
            if step.node == node:
                return step
        raise KeyError(node)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tree": {"id": self.tree.id, "version": self.tree.version,
                     "sha256": self.tree.sha256},
            "status": self.status,
            "outcome": self.outcome,
            "steps": [s.to_dict() for s in self.steps],
        }


def counterfactuals(tree: DecisionTree, decision: Decision) -> Counterfactuals:
    """For each step of a decision, the other answers and where each would have led.

    Raises DecisionMismatch when the decision was made with another tree.
    """
    tree.check_made_with(decision.tree)
    outcome = decision.outcome.id if decision.outcome else None
    texts = tree.texts(params=decision.params)
    steps = []
    for step in decision.steps:
        gate = tree.spec.nodes[step.node]
        exits: tuple[Branch, ...] = () if isinstance(gate, Call) else getattr(gate, "exits", ())
        labels = [b.display_label for b in getattr(texts.nodes[step.node], "exits", ())]
        alternatives = tuple(
            _alternative(tree, decision, step, gate, index, branch, labels[index], outcome)
            for index, branch in enumerate(exits) if index != step.exit_index
        )
        steps.append(StepAlternatives(step.node, step.title, step.question, step.label,
                                      step.exit_index, alternatives))
    return Counterfactuals(decision.tree, decision.status, outcome, tuple(steps))


def _alternative(tree: DecisionTree, decision: Decision, step: Step, gate: Any, index: int,
                 branch: Branch, label: str, outcome: str | None) -> Alternative:
    params = decision.overrides
    facts = dict(decision.facts)
    value = _selecting_value(tree, gate, branch) if isinstance(gate, Gate) else None
    fact = gate.fact if isinstance(gate, Gate) else None
    evidence = {e.name: e for e in step.evidence}
    try:
        if fact is not None and value is not None:
            used = evidence.get(fact)
            change = Change("set-fact", fact, value, step.value,
                            used.source if used else None,
                            inputs=used.inputs if used and used.source == "derived" else ())
            facts[fact] = value
            result = tree.decide(facts, params=params)
        else:
            change = Change("force-exit", condition=branch.condition,
                            inputs=step.evidence)
            forced = walk(tree._plan, facts, params, forced={step.node: index})
            assert isinstance(forced, Decision)
            result = forced
    except GatetreeError as exc:
        return Alternative(step.node, step.title, index, label, change,
                           "error", None, None, (), (), error=str(exc))
    missing = result.missing
    return Alternative(
        node=step.node,
        node_title=step.title,
        exit_index=index,
        label=label,
        change=change,
        status=result.status,
        outcome=result.outcome.id if result.outcome else None,
        outcome_title=result.outcome.title if result.outcome else None,
        path=result.path,
        actions=tuple(a.text for a in result.actions),
        missing=missing.fact if missing else None,
        missing_question=missing.question if missing else None,
        possible_outcomes=result.reachable_outcomes if missing else (),
        same_outcome=result.outcome is not None and result.outcome.id == outcome,
        boundaries=_boundaries(tree, decision, step, gate, branch),
    )


def _boundaries(tree: DecisionTree, decision: Decision, step: Step, gate: Any,
                branch: Branch) -> tuple[Boundary, ...]:
    """Where each numeric input of a gate step would send it down this branch instead."""
    if not isinstance(gate, Gate):
        return ()
    return boundaries(tree._plan, decision.facts, decision.overrides, step.node,
                      gate.exits.index(branch), step.evidence)


def _selecting_value(tree: DecisionTree, gate: Gate, branch: Branch) -> Scalar | None:
    """A value of the gate's fact that makes the gate take this branch, if one exists."""
    if gate.fact is None or branch.kind == "if":
        return None
    if branch.kind == "when":
        return branch.value
    if any(b.kind == "if" for b in gate.branches):
        return None
    fact = tree.spec.facts[gate.fact]
    taken = {(type(b.value), b.value) for b in gate.branches}
    candidates: tuple[Scalar, ...] = ()
    if fact.type == "enum":
        candidates = fact.values
    elif fact.type == "boolean":
        candidates = (True, False)
    for candidate in candidates:
        if (type(candidate), candidate) not in taken:
            return candidate
    return None
