"""A decision and its trace: plain frozen data, produced by the walk, serialisable to JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .model import Outcome, Scalar

__all__ = [
    "TRACE_FORMAT",
    "CollectedAction",
    "Decision",
    "Evidence",
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
class Step:
    """One gate passed: the question, the values read, the branch taken and why."""

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

    @property
    def value(self) -> Scalar | None:
        """The value of the gate's fact, when the gate branches on one."""
        for item in self.evidence:
            if item.name == self.fact:
                return item.value
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
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


@dataclass(frozen=True, slots=True)
class CollectedAction:
    node: str
    text: str


@dataclass(frozen=True, slots=True)
class Missing:
    """The fact the walk needs next, and the inputs that would let it be derived instead."""

    fact: str
    question: str
    node: str
    derivable_from: tuple[str, ...] = ()


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
            "missing": None if self.missing is None else {
                "fact": self.missing.fact,
                "question": self.missing.question,
                "node": self.missing.node,
                "derivable_from": list(self.missing.derivable_from),
            },
            "reachable_outcomes": list(self.reachable_outcomes),
            "facts": dict(self.facts),
            "params": dict(self.params),
        }
