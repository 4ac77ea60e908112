"""A decision and its trace: plain frozen data, produced by the walk, serialisable to JSON.

Each `to_dict` has a `_from_dict` beside it that reads exactly what it writes, so a saved
trace reads back as an equal Decision (`engine.trace.read_trace` checks the data first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from .model import Outcome, Reference, Scalar

__all__ = [
    "TRACE_FORMAT",
    "ChecklistTrace",
    "CollectedAction",
    "Decision",
    "DecisionStatus",
    "Evidence",
    "GroupScore",
    "ItemAnswer",
    "Missing",
    "Step",
    "TreeRef",
    "ValueSource",
    "Verdict",
]

TRACE_FORMAT = "gatetree-trace/1"

ValueSource = Literal["given", "derived", "default", "param", "param-default"]
DecisionStatus = Literal["decided", "incomplete"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A value the walk used and where it came from; a derived value lists what it read.

    `settled_by` is the operand that settled a derivation while some of its facts were
    unknown (three-valued: `a and b` is false once one of them is); None otherwise.
    """

    name: str
    value: Scalar
    source: ValueSource
    expression: str | None = None
    inputs: tuple[Evidence, ...] = ()
    settled_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "value": self.value, "source": self.source}
        if self.expression is not None:
            data["expression"] = self.expression
            data["inputs"] = [i.to_dict() for i in self.inputs]
        if self.settled_by is not None:
            data["settled_by"] = self.settled_by
        return data

    @staticmethod
    def _from_dict(data: Mapping[str, Any]) -> Evidence:
        return Evidence(data["name"], data["value"], data["source"], data.get("expression"),
                        tuple(Evidence._from_dict(i) for i in data.get("inputs", ())),
                        data.get("settled_by"))


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

    @staticmethod
    def _from_dict(data: Mapping[str, Any]) -> ItemAnswer:
        return ItemAnswer(data["fact"], data["group"], data["label"], data["weight"],
                          data["answer"], data["source"])


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

    @staticmethod
    def _from_dict(data: Mapping[str, Any]) -> GroupScore:
        return GroupScore(data["group"], data["title"], data["label"], data["score"],
                          data["weight"], data["yes"], data["answered"], data["items"])


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

    @staticmethod
    def _from_dict(data: Mapping[str, Any]) -> ChecklistTrace:
        return ChecklistTrace(data["unanswered"], data["quorum"],
                              tuple(ItemAnswer._from_dict(i) for i in data["items"]),
                              tuple(GroupScore._from_dict(g) for g in data["groups"]),
                              data["answered"], data["decided_early"])


@dataclass(frozen=True, slots=True)
class Step:
    """One node passed: the question, the values read, the branch taken and why.

    `exit_index` is the exit taken, counted in the node's `exits` (branches in the order
    they are tried, the default last). A checklist step also carries its items and scores;
    a call step the decision of the tree it called. `settled_by` is the operand that
    settled the chosen condition while some of its facts were unknown; None otherwise.
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
    settled_by: str | None = None

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
            "exit": self.exit_index,
        }
        if self.settled_by is not None:
            data["branch"]["settled_by"] = self.settled_by
        if self.checklist is not None:
            data["checklist"] = self.checklist.to_dict()
        if self.subdecision is not None:
            data["subdecision"] = self.subdecision.to_dict()
        return data

    @staticmethod
    def _from_dict(data: Mapping[str, Any]) -> Step:
        branch = data["branch"]
        checklist, sub = data.get("checklist"), data.get("subdecision")
        return Step(
            node=data["node"],
            title=data["title"],
            question=data["question"],
            fact=data["fact"],
            evidence=tuple(Evidence._from_dict(e) for e in data["evidence"]),
            label=branch["label"],
            chosen_by=branch["chosen_by"],
            rejected=tuple(branch["rejected"]),
            next=branch["next"],
            actions=tuple(data["actions"]),
            exit_index=data["exit"],
            checklist=None if checklist is None else ChecklistTrace._from_dict(checklist),
            subdecision=None if sub is None else Decision._from_dict(sub),
            settled_by=branch.get("settled_by"),
        )


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

    @staticmethod
    def _from_dict(data: Mapping[str, Any]) -> Missing:
        return Missing(data["fact"], data["question"], data["node"],
                       tuple(data["derivable_from"]), tuple(data.get("via", ())))


@dataclass(frozen=True, slots=True)
class TreeRef:
    id: str
    version: str
    sha256: str
    title: str


class _Built:
    """A Decision field made from the walk's record when first read, then kept.

    A decision the walk makes holds its record (`_record`, with a `build(name)` method);
    one made from its fields (a read trace, `dataclasses.replace`) has every field set.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: object | None, owner: type) -> Any:
        if obj is None:
            raise AttributeError(self.name)
        values = obj.__dict__
        try:
            return values[self.name]
        except KeyError:
            value = values[self.name] = values["_record"].build(self.name)
            return value

    def __set__(self, obj: object, value: Any) -> None:
        obj.__dict__[self.name] = value


@dataclass(frozen=True)
class Decision:
    """The result of a walk: decided with an outcome, or incomplete with the fact it needs.

    The walk records only what the trace needs; `steps` (with their evidence), the filled
    `outcome` and the read-only mappings are made from that record when first read, and
    `to_dict` writes the trace straight from it.
    """

    tree: TreeRef
    status: DecisionStatus
    outcome: Outcome | None
    path: tuple[str, ...]
    steps: tuple[Step, ...]
    actions: tuple[CollectedAction, ...]
    missing: Missing | None
    reachable_outcomes: tuple[str, ...]
    facts: Mapping[str, Scalar]
    params: Mapping[str, Scalar]
    overrides: Mapping[str, Scalar] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def _recorded(cls, record: Any, fields: dict[str, Any]) -> Decision:
        """A decision over a walk's record: `fields` are the ones made at once."""
        decision = object.__new__(cls)
        decision.__dict__.update(fields)
        decision.__dict__["_record"] = record
        return decision

    @property
    def decided(self) -> bool:
        return self.status == "decided"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        """The decision a trace records (`to_dict`'s output, parsed JSON or not).

        Raises InputError, with every problem located, when the data is not such a trace.
        """
        from .trace import read_trace

        return read_trace(data)

    def __reduce__(self) -> tuple[Any, ...]:
        # The read-only mappings do not pickle; everything else does as it is.
        return _restore, (self.tree, self.status, self.outcome, self.path, self.steps,
                          self.actions, self.missing, self.reachable_outcomes,
                          dict(self.facts), dict(self.params), dict(self.overrides))

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form, valid against schemas/trace.v1.schema.json."""
        record = self.__dict__.get("_record")
        if record is not None and "steps" not in self.__dict__:
            return record.to_dict()  # type: ignore[no-any-return]
        outcome = self.outcome
        return {
            "format": TRACE_FORMAT,
            "tree": tree_dict(self.tree),
            "status": self.status,
            "outcome": None if outcome is None else outcome_dict(outcome),
            "path": list(self.path),
            "actions": [{"node": a.node, "text": a.text} for a in self.actions],
            "steps": [s.to_dict() for s in self.steps],
            "missing": None if self.missing is None else self.missing.to_dict(),
            "reachable_outcomes": list(self.reachable_outcomes),
            "facts": dict(self.facts),
            "params": dict(self.params),
            "overrides": dict(self.overrides),
        }

    @staticmethod
    def _from_dict(data: Mapping[str, Any]) -> Decision:
        tree, outcome, missing = data["tree"], data["outcome"], data["missing"]
        return Decision(
            tree=TreeRef(tree["id"], tree["version"], tree["sha256"], tree["title"]),
            status=data["status"],
            outcome=None if outcome is None else _outcome(outcome),
            path=tuple(data["path"]),
            steps=tuple(Step._from_dict(s) for s in data["steps"]),
            actions=tuple(CollectedAction(a["node"], a["text"]) for a in data["actions"]),
            missing=None if missing is None else Missing._from_dict(missing),
            reachable_outcomes=tuple(data["reachable_outcomes"]),
            facts=MappingProxyType(dict(data["facts"])),
            params=MappingProxyType(dict(data["params"])),
            overrides=MappingProxyType(dict(data["overrides"])),
        )


for _name in ("outcome", "steps", "facts", "params", "path", "actions", "reachable_outcomes",
              "overrides"):
    setattr(Decision, _name, _Built(_name))  # after the dataclass, which sees plain fields


def tree_dict(tree: TreeRef) -> dict[str, Any]:
    """A trace's `tree` member; the record's `to_dict` writes the same."""
    return {"id": tree.id, "version": tree.version, "sha256": tree.sha256, "title": tree.title}


def outcome_dict(outcome: Outcome) -> dict[str, Any]:
    """A trace's `outcome` member, read back by `_outcome`."""
    return {
        "id": outcome.id,
        "title": outcome.title,
        "action": outcome.action,
        "why": outcome.why,
        "next_steps": list(outcome.next_steps),
        "references": [{"title": r.title, "url": r.url, "note": r.note}
                       for r in outcome.references],
        "notes": outcome.notes,
        "cites": list(outcome.cites),
    }


def _outcome(data: Mapping[str, Any]) -> Outcome:
    return Outcome(data["id"], data["title"], data["action"], data["why"],
                   tuple(data["next_steps"]),
                   tuple(Reference(r["title"], r["url"], r["note"])
                         for r in data.get("references", ())),
                   data.get("notes", ""), tuple(data.get("cites", ())))


def _restore(tree: TreeRef, status: DecisionStatus, outcome: Outcome | None, path: tuple[str, ...],
             steps: tuple[Step, ...], actions: tuple[CollectedAction, ...],
             missing: Missing | None, reachable: tuple[str, ...], facts: dict[str, Scalar],
             params: dict[str, Scalar], overrides: dict[str, Scalar]) -> Decision:
    return Decision(tree, status, outcome, path, steps, actions, missing, reachable,
                    MappingProxyType(facts), MappingProxyType(params),
                    MappingProxyType(overrides))


class Verdict(NamedTuple):
    """What `decide(..., trace=False)` returns: the result without the trace.

    The outcome reached (None when incomplete), the path, the actions collected and, when
    incomplete, the fact needed next; no steps, evidence or reachable outcomes, so it costs
    a fraction of a traced Decision. A named tuple, as it is made for every decision of a
    hot path: a frozen dataclass takes several times as long to make.
    """

    status: DecisionStatus
    outcome: Outcome | None
    path: tuple[str, ...]
    actions: tuple[CollectedAction, ...]
    missing: Missing | None

    @property
    def decided(self) -> bool:
        return self.status == "decided"
