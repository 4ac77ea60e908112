"""A decision and its trace: plain frozen data, produced by the walk, serialisable to JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from .model import Outcome, Scalar

__all__ = [
    "TRACE_FORMAT",
    "ChecklistTrace",
    "CollectedAction",
    "Decision",
    "Evidence",
    "GroupScore",
    "ItemAnswer",
    "Missing",
    "Step",
    "TreeRef",
    "ValueSource",
]

TRACE_FORMAT = "gatetree-trace/1"

ValueSource = Literal["given", "derived", "default", "param", "param-default"]
Status = Literal["decided", "incomplete"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A value the walk used and where it came from; a derived value lists what it read."""

    name: str
    value: Scalar
    source: ValueSource
    expression: str | None = None
    inputs: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "value": self.value, "source": self.source}
        if self.expression is not None:
            data["expression"] = self.expression
            data["inputs"] = [i.to_dict() for i in self.inputs]
        return data


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    """One checklist item as the walk saw it; `answer` is None when it was not answered."""

    fact: str
    group: str
    label: str
    weight: int | float
    answer: bool | None
    source: ValueSource | None

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "group": self.group, "label": self.label,
                "weight": self.weight, "answer": self.answer, "source": self.source}


@dataclass(frozen=True, slots=True)
class GroupScore:
    """A checklist group's tally: `score` is the weight of its "yes" answers, out of `weight`."""

    group: str
    title: str
    label: str
    score: int | float
    weight: int | float
    yes: int
    answered: int
    items: int

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "title": self.title, "label": self.label,
                "score": self.score, "weight": self.weight, "yes": self.yes,
                "answered": self.answered, "items": self.items}


@dataclass(frozen=True, slots=True)
class ChecklistTrace:
    """What a checklist saw: every item, each group's score, and how gaps were counted.

    `decided_early` is true when items were still unanswered but no answer to them could
    have changed the branch.
    """

    unanswered: str
    quorum: int | None
    items: tuple[ItemAnswer, ...]
    groups: tuple[GroupScore, ...]
    answered: int
    decided_early: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "unanswered": self.unanswered,
            "quorum": self.quorum,
            "answered": self.answered,
            "decided_early": self.decided_early,
            "groups": [g.to_dict() for g in self.groups],
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True, slots=True)
class Step:
    """One node passed: the question, the values read, the branch taken and why.

    A checklist step also carries its items and scores; a call step the decision of the
    tree it called.
    """

    node: str
    title: str
    question: str
    fact: str | None
    evidence: tuple[Evidence, ...]
    label: str
    chosen_by: str
    rejected: tuple[str, ...]
    next: str
    actions: tuple[str, ...] = ()
    exit_index: int = 0
    checklist: ChecklistTrace | None = None
    subdecision: Decision | None = None

    @property
    def value(self) -> Scalar | None:
        """The value of the gate's fact, when the gate branches on one."""
        for item in self.evidence:
            if item.name == self.fact:
                return item.value
        return None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "node": self.node,
            "title": self.title,
            "question": self.question,
            "fact": self.fact,
            "value": self.value,
            "evidence": [e.to_dict() for e in self.evidence],
            "branch": {
                "label": self.label,
                "chosen_by": self.chosen_by,
                "rejected": list(self.rejected),
                "next": self.next,
            },
            "actions": list(self.actions),
        }
        if self.checklist is not None:
            data["checklist"] = self.checklist.to_dict()
        if self.subdecision is not None:
            data["subdecision"] = self.subdecision.to_dict()
        return data


@dataclass(frozen=True, slots=True)
class CollectedAction:
    node: str
    text: str


@dataclass(frozen=True, slots=True)
class Missing:
    """The fact the walk needs next, and the inputs that would let it be derived instead.

    `via` lists the call nodes the walk went through to the tree that asks it (empty when
    the tree itself asks).
    """

    fact: str
    question: str
    node: str
    derivable_from: tuple[str, ...] = ()
    via: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"fact": self.fact, "question": self.question, "node": self.node,
                                "derivable_from": list(self.derivable_from)}
        if self.via:
            data["via"] = list(self.via)
        return data


@dataclass(frozen=True, slots=True)
class TreeRef:
    id: str
    version: str
    sha256: str
    title: str


@dataclass(frozen=True, slots=True)
class Decision:
    """The result of a walk: decided with an outcome, or incomplete with the fact it needs."""

    tree: TreeRef
    status: Status
    outcome: Outcome | None
    path: tuple[str, ...]
    steps: tuple[Step, ...]
    actions: tuple[CollectedAction, ...]
    missing: Missing | None
    reachable_outcomes: tuple[str, ...]
    facts: Mapping[str, Scalar]
    params: Mapping[str, Scalar]
    overrides: Mapping[str, Scalar] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def decided(self) -> bool:
        return self.status == "decided"

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form, valid against schemas/trace.v1.schema.json."""
        outcome = self.outcome
        return {
            "format": TRACE_FORMAT,
            "tree": {
                "id": self.tree.id,
                "version": self.tree.version,
                "sha256": self.tree.sha256,
                "title": self.tree.title,
            },
            "status": self.status,
            "outcome": None if outcome is None else {
                "id": outcome.id,
                "title": outcome.title,
                "action": outcome.action,
                "why": outcome.why,
                "next_steps": list(outcome.next_steps),
            },
            "path": list(self.path),
            "actions": [{"node": a.node, "text": a.text} for a in self.actions],
            "steps": [s.to_dict() for s in self.steps],
            "missing": None if self.missing is None else self.missing.to_dict(),
            "reachable_outcomes": list(self.reachable_outcomes),
            "facts": dict(self.facts),
            "params": dict(self.params),
            "overrides": dict(self.overrides),
        }
