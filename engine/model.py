"""The checked shape of a tree: frozen dataclasses, tuples and read-only mappings.

Every element keeps the location it was read from, so later checks and runtime errors
can point at `file:line:col`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .errors import Location, TextSpan
from .values import show_value

__all__ = [
    "Branch",
    "BranchKind",
    "Branching",
    "Call",
    "Checklist",
    "ChecklistGroup",
    "ChecklistItem",
    "Fact",
    "FactType",
    "Gate",
    "Node",
    "Outcome",
    "Param",
    "Reference",
    "Scalar",
    "TreeSpec",
    "UnansweredPolicy",
]

Scalar = bool | int | float | str
FactType = Literal["boolean", "enum", "integer", "number", "string"]
BranchKind = Literal["when", "if", "default"]
UnansweredPolicy = Literal["no", "all", "quorum"]

_NOWHERE = Location("<memory>")
_NO_TEXT = TextSpan(_NOWHERE)

TEXT = "text"
"""Field metadata key. "prose" marks a text people read, where `{param}` placeholders are
filled (a string, or a tuple of strings); "parts" marks the elements (branches, groups,
items) that hold such texts. `engine.text` fills and finds placeholders by these marks."""
_PROSE = {TEXT: "prose"}
_PARTS = {TEXT: "parts"}


@dataclass(frozen=True, slots=True)
class Reference:
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: FactType
    default: Scalar
    help: str
    title: str = ""
    loc: Location = field(default=_NOWHERE, compare=False)
    default_loc: Location = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    type: FactType
    question: str = field(metadata=_PROSE)
    help: str = field(default="", metadata=_PROSE)
    values: tuple[str, ...] = ()
    unit: str = ""
    derive: str | None = None
    default: Scalar | None = None
    loc: Location = field(default=_NOWHERE, compare=False)
    derive_loc: Location = field(default=_NOWHERE, compare=False)
    derive_span: TextSpan = field(default=_NO_TEXT, compare=False)
    default_loc: Location = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Branch:
    """One way out of a gate: a value of the gate's fact, a condition, or the default."""

    kind: BranchKind
    next: str
    value: Scalar | None = None
    condition: str | None = None
    label: str = field(default="", metadata=_PROSE)
    looks_like: str = field(default="", metadata=_PROSE)
    note: str = field(default="", metadata=_PROSE)
    actions: tuple[str, ...] = field(default=(), metadata=_PROSE)
    cites: tuple[str, ...] = ()
    loc: Location = field(default=_NOWHERE, compare=False)
    condition_loc: Location = field(default=_NOWHERE, compare=False)
    condition_span: TextSpan = field(default=_NO_TEXT, compare=False)
    next_loc: Location = field(default=_NOWHERE, compare=False)
    shape_problem: str = field(default="", compare=False)  # "both" / "neither" when/if

    @property
    def display_label(self) -> str:
        """The text on the edge: the label, else the value or condition, else 'otherwise'."""
        if self.label:
            return self.label
        if self.kind == "when":
            return show_value(self.value, yes_no=True)
        if self.kind == "if":
            return self.condition or ""
        return "otherwise"


@dataclass(frozen=True, slots=True)
class Gate:
    id: str
    title: str = field(metadata=_PROSE)
    question: str = field(metadata=_PROSE)
    branches: tuple[Branch, ...] = field(metadata=_PARTS)
    default: Branch | None = field(default=None, metadata=_PARTS)
    fact: str | None = None
    help: str = field(default="", metadata=_PROSE)
    notes: str = field(default="", metadata=_PROSE)
    cites: tuple[str, ...] = ()
    loc: Location = field(default=_NOWHERE, compare=False)
    fact_loc: Location = field(default=_NOWHERE, compare=False)
    kind: Literal["gate"] = "gate"

    @property
    def exits(self) -> tuple[Branch, ...]:
        """Branches in the order they are tried, the default last."""
        return self.branches + ((self.default,) if self.default else ())


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    title: str = field(metadata=_PROSE)
    action: str = field(metadata=_PROSE)
    why: str = field(default="", metadata=_PROSE)
    next_steps: tuple[str, ...] = field(default=(), metadata=_PROSE)
    references: tuple[Reference, ...] = ()
    notes: str = field(default="", metadata=_PROSE)
    cites: tuple[str, ...] = ()
    loc: Location = field(default=_NOWHERE, compare=False)
    kind: Literal["outcome"] = "outcome"


@dataclass(frozen=True, slots=True)
class ChecklistGroup:
    """A named side of a checklist (e.g. signs that refining is enough), with its heading."""

    name: str
    title: str = field(metadata=_PROSE)
    help: str = field(default="", metadata=_PROSE)
    label: str = field(default="", metadata=_PROSE)
    loc: Location = field(default=_NOWHERE, compare=False)

    @property
    def display_label(self) -> str:
        """The plural used in explanations ("structural signs"), else "<name> items"."""
        return self.label or f"{self.name} items"


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One yes/no fact of a checklist; a "yes" adds its weight to its group's score."""

    fact: str
    group: str
    weight: int | float = 1
    label: str = field(default="", metadata=_PROSE)
    loc: Location = field(default=_NOWHERE, compare=False)
    fact_loc: Location = field(default=_NOWHERE, compare=False)
    group_loc: Location = field(default=_NOWHERE, compare=False)

    @property
    def display_label(self) -> str:
        """The short name used in explanations: the label, else the fact's name in words."""
        return self.label or self.fact.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Checklist:
    """Yes/no items scored per group; ordered conditions over the scores choose the exit.

    `unanswered` says how items without an answer count: as "no", or the checklist waits
    for all of them, or for `quorum` answers (a number or the name of an integer param).
    """

    id: str
    title: str = field(metadata=_PROSE)
    question: str = field(metadata=_PROSE)
    groups: tuple[ChecklistGroup, ...] = field(metadata=_PARTS)
    items: tuple[ChecklistItem, ...] = field(metadata=_PARTS)
    unanswered: UnansweredPolicy
    branches: tuple[Branch, ...] = field(metadata=_PARTS)
    default: Branch | None = field(default=None, metadata=_PARTS)
    quorum: int | str | None = None
    help: str = field(default="", metadata=_PROSE)
    notes: str = field(default="", metadata=_PROSE)
    cites: tuple[str, ...] = ()
    loc: Location = field(default=_NOWHERE, compare=False)
    quorum_loc: Location = field(default=_NOWHERE, compare=False)
    kind: Literal["checklist"] = "checklist"

    @property
    def exits(self) -> tuple[Branch, ...]:
        """Branches in the order they are tried, the default last."""
        return self.branches + ((self.default,) if self.default else ())

    @property
    def ask_order(self) -> tuple[ChecklistItem, ...]:
        """Items grouped as people answer them: group by group, file order within each."""
        return tuple(i for g in self.groups for i in self.items if i.group == g.name)

    def group(self, name: str) -> ChecklistGroup | None:
        return next((g for g in self.groups if g.name == name), None)


@dataclass(frozen=True, slots=True)
class Call:
    """Hands the decision to another tree and branches on the outcome it reaches."""

    id: str
    title: str = field(metadata=_PROSE)
    tree: str
    branches: tuple[Branch, ...] = field(default=(), metadata=_PARTS)
    default: Branch | None = field(default=None, metadata=_PARTS)
    question: str = field(default="", metadata=_PROSE)
    help: str = field(default="", metadata=_PROSE)
    notes: str = field(default="", metadata=_PROSE)
    cites: tuple[str, ...] = ()
    loc: Location = field(default=_NOWHERE, compare=False)
    tree_loc: Location = field(default=_NOWHERE, compare=False)
    kind: Literal["call"] = "call"

    @property
    def exits(self) -> tuple[Branch, ...]:
        """Branches in the order they are tried, the default last."""
        return self.branches + ((self.default,) if self.default else ())


Node = Gate | Checklist | Call | Outcome
Branching = Gate | Checklist | Call


@dataclass(frozen=True, slots=True)
class TreeSpec:
    """A tree as written, after the schema check: what the file says, nothing compiled.

    `path`, `sha256` and `text` say where it was read from and what that text was.
    """

    id: str
    version: str
    title: str
    start: str
    params: Mapping[str, Param]
    facts: Mapping[str, Fact]
    nodes: Mapping[str, Node]
    description: str = field(default="", metadata=_PROSE)
    notes: str = field(default="", metadata=_PROSE)
    source: Reference | None = None
    path: str = "<memory>"
    sha256: str = ""
    format: int = 1
    text: str = field(default="", repr=False, compare=False)  # the source text, for pickling
    start_loc: Location = field(default=_NOWHERE, compare=False)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"
