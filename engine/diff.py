"""What a change to a policy changes: a semantic diff of two trees by id, and a replay of
cases through both that lists every decision that moved.

The semantic diff matches elements by what names them, never by their place in the file:
params and facts by name, nodes by id, a branch by the value it answers (`when`), by its
rank among the conditions (`if`), or as the default; checklist groups by name and items by
fact. Each changed field is one change, filed under what it is (node, branch, condition,
param, fact, outcome, text). The replay decides each case with both trees; a case whose
outcome, path, actions or status differs is a changed decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from .cases import CaseResult, replay_cases
from .decision import Decision
from .errors import Location
from .model import TEXT, Branch, Node, TreeSpec
from .tree import DecisionTree
from .values import show_value

__all__ = ["CaseChange", "Change", "TreeDiff", "diff_trees", "version_warning"]

ChangeKind = Literal["added", "removed", "changed"]
_TEXT_FIELDS = {"cites", "references"}  # not filled prose, but texts people read all the same


@dataclass(frozen=True, slots=True)
class Change:
    """One element added or removed, or one field of it changed (`field`, old and new)."""

    kind: ChangeKind
    what: str  # tree, node, branch, condition, param, fact, outcome, text
    element: str  # e.g. "gate-3 when fully", "param min_eval_examples"
    location: Location
    field: str = ""
    old: str | None = None
    new: str | None = None

    def describe(self) -> str:
        if self.kind != "changed":
            return f"{self.kind} {self.element}"
        return f"changed {self.element}: {self.field} {self.old} -> {self.new}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "what": self.what, "element": self.element,
                "field": self.field, "old": self.old, "new": self.new,
                "location": str(self.location)}


@dataclass(frozen=True, slots=True)
class CaseChange:
    """A case the two trees decide differently; `old`/`new` None when it could not run."""

    file: str
    name: str
    location: Location
    old: Decision | None
    new: Decision | None
    old_problem: str = ""
    new_problem: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "name": self.name, "location": str(self.location),
                "old": _summary(self.old, self.old_problem),
                "new": _summary(self.new, self.new_problem)}


@dataclass(frozen=True, slots=True)
class TreeDiff:
    """Two versions of a policy: what the files say differently, and what they decide."""

    old: TreeSpec
    new: TreeSpec
    changes: tuple[Change, ...]
    replayed: int
    cases: tuple[CaseChange, ...]
    cases_files: tuple[str, ...]

    @property
    def decisions_changed(self) -> bool:
        return bool(self.cases)

    @property
    def warning(self) -> str | None:
        return version_warning(self.old.version, self.new.version, changed=bool(self.changes),
                               decisions=self.decisions_changed)

    def to_dict(self) -> dict[str, Any]:
        return {"format": "gatetree-diff/1",
                "old": {"id": self.old.id, "version": self.old.version, "path": self.old.path},
                "new": {"id": self.new.id, "version": self.new.version, "path": self.new.path},
                "changes": [c.to_dict() for c in self.changes],
                "cases_files": list(self.cases_files), "replayed": self.replayed,
                "decisions_changed": [c.to_dict() for c in self.cases],
                "warning": self.warning}


def _summary(decision: Decision | None, problem: str) -> dict[str, Any]:
    if decision is None:
        return {"problem": problem}
    return {"status": decision.status,
            "outcome": decision.outcome.id if decision.outcome else None,
            "path": list(decision.path), "actions": [a.text for a in decision.actions],
            "missing": decision.missing.fact if decision.missing else None}


def diff_trees(old: DecisionTree, new: DecisionTree, cases: Iterable[Path]) -> TreeDiff:
    """The semantic diff of two trees, and the replay of these cases files through both."""
    changes = _spec_changes(old.spec, new.spec)
    unique: dict[Path, Path] = {}
    for path in cases:  # each file once, however it is named
        unique.setdefault(path.resolve(), path)
    files = list(unique.values())
    replayed, moved = 0, []
    for path in files:
        before, after = replay_cases(path, old), replay_cases(path, new)
        for a, b in zip(before.results, after.results, strict=True):
            replayed += 1
            if _decided(a) != _decided(b):
                moved.append(CaseChange(before.path, a.name, a.location, a.decision,
                                        b.decision, _problem(a), _problem(b)))
    return TreeDiff(old.spec, new.spec, tuple(changes), replayed, tuple(moved),
                    tuple(str(f) for f in files))


def _decided(result: CaseResult) -> dict[str, Any]:
    """What a replayed case decided: status, outcome, path, actions, the fact missing."""
    return _summary(result.decision, _problem(result))


def _problem(result: CaseResult) -> str:
    return "; ".join([d.message for d in result.problems] + list(result.failures))


def version_warning(old: str, new: str, *, changed: bool, decisions: bool) -> str | None:
    """Why the new version number does not fit the change, or None when it does.

    A change must move the version; a change of decisions must move at least the minor
    number (a patch release is for changes that decide nothing differently).
    """
    before, after = _semver(old), _semver(new)
    if after < before:
        return f"version went down, {old} -> {new}"
    if (changed or decisions) and after == before:
        return f"the tree changed but its version did not move ({old})"
    if decisions and after[:2] == before[:2]:
        return (f"decisions changed but only the patch number moved ({old} -> {new}); "
                "move the minor or major version")
    return None


def _semver(version: str) -> tuple[int, ...]:
    core = version.split("-", 1)[0].split("+", 1)[0]
    return tuple(int(part) if part.isdigit() else 0 for part in core.split("."))


# --- the semantic diff ---------------------------------------------------------------------
def _spec_changes(old: TreeSpec, new: TreeSpec) -> list[Change]:
    changes = _fields(old, new, "tree", f"tree {new.id}", new.start_loc,
                      skip={"params", "facts", "nodes", "path", "sha256", "version"})
    changes += _keyed(old.params, new.params, "param", "param {}")
    changes += _keyed(old.facts, new.facts, "fact", "fact {}")
    for key in sorted(old.nodes.keys() - new.nodes.keys(), key=list(old.nodes).index):
        changes.append(_whole("removed", old.nodes[key], key))
    for key, node in new.nodes.items():
        if key not in old.nodes:
            changes.append(_whole("added", node, key))
        elif old.nodes[key].kind != node.kind:
            changes.append(Change("changed", "node", f"node {key}", node.loc, "kind",
                                  old.nodes[key].kind, node.kind))
        else:
            changes += _node(old.nodes[key], node)
    return changes


def _whole(kind: ChangeKind, node: Node, key: str) -> Change:
    what = "outcome" if node.kind == "outcome" else "node"
    return Change(kind, what, f"{node.kind} {key}", node.loc)


def _node(old: Node, new: Node) -> list[Change]:
    what = "outcome" if new.kind == "outcome" else "node"
    name = f"{new.kind} {new.id}"
    changes = _fields(old, new, what, name, new.loc)
    if old.kind == "outcome" or new.kind == "outcome":
        return changes
    changes += _keyed(_exits(old.exits), _exits(new.exits), "branch", f"{new.id} {{}}")
    if old.kind == "checklist" and new.kind == "checklist":
        changes += _keyed({g.name: g for g in old.groups}, {g.name: g for g in new.groups},
                          "node", f"{new.id} group {{}}")
        changes += _keyed({i.fact: i for i in old.items}, {i.fact: i for i in new.items},
                          "node", f"{new.id} item {{}}")
    return changes


def _exits(exits: Sequence[Branch]) -> dict[str, Branch]:
    """A node's exits by what names them: its value, its rank among conditions, default."""
    named: dict[str, Branch] = {}
    rank = 0
    for branch in exits:
        if branch.kind == "when":
            named[f"when {show_value(branch.value)}"] = branch
        elif branch.kind == "if":
            rank += 1
            named[f"condition {rank}"] = branch
        else:
            named["default"] = branch
    return named


def _keyed(old: Mapping[str, Any], new: Mapping[str, Any], what: str,
           name: str) -> list[Change]:
    """Elements by key: removed (in old order), then added or changed (in new order)."""
    changes = [Change("removed", what, name.format(key), old[key].loc)
               for key in old if key not in new]
    for key, element in new.items():
        if key not in old:
            changes.append(Change("added", what, name.format(key), element.loc))
        else:
            changes += _fields(old[key], element, what, name.format(key), element.loc)
    return changes


def _fields(old: Any, new: Any, what: str, name: str, where: Location, *,
            skip: Iterable[str] = ()) -> list[Change]:
    """Each field that differs, but the parts (branches, groups, items) and locations."""
    changes = []
    for f in fields(new):
        if not f.compare or f.name in skip or f.metadata.get(TEXT) == "parts":
            continue
        before, after = getattr(old, f.name), getattr(new, f.name)
        if before == after:
            continue
        prose = f.metadata.get(TEXT) == "prose" or f.name in _TEXT_FIELDS
        kind = "text" if prose else "condition" if f.name in ("condition", "derive") else what
        at = getattr(new, f"{f.name}_loc", None)
        changes.append(Change("changed", kind, name, at if at and at.line else where, f.name,
                              _show(before), _show(after)))
    return changes


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, str):
        return repr(value)
    return show_value(value)
