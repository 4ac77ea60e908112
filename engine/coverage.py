"""Coverage of a tree by the decisions of its passing cases: nodes, branches, outcomes.

A branch is one exit of a gate, checklist or call, the default included, counted in the
node's `exits` (the order `Step.exit_index` counts in). Coverage is read from the traces
the cases made, never by walking the tree another way; only passing cases count, so an
outcome reached by a case that fails is not covered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .decision import Decision
from .errors import Location
from .tree import DecisionTree

__all__ = ["BranchCoverage", "Coverage", "coverage_of", "merge"]


@dataclass(frozen=True, slots=True)
class BranchCoverage:
    """One exit of a node, where it stands in the tree file, and how many cases took it.

    At a checklist, `condition` is the verdict condition the exit tests ("" for the
    default); the exit's hits are the cases whose verdict that condition decided.
    """

    node: str
    exit: int
    kind: str  # "when", "if" or "default"
    label: str
    next: str
    location: Location
    hits: int
    node_kind: str
    condition: str = ""

    @property
    def covered(self) -> bool:
        return self.hits > 0

    def describe(self) -> str:
        """The branch in words, e.g. `gate-3 exit 1 "Partly" -> gate-4`."""
        return f'{self.node} exit {self.exit} "{self.label}" -> {self.next}'

    def to_dict(self) -> dict[str, Any]:
        return {"node": self.node, "exit": self.exit, "kind": self.kind, "label": self.label,
                "next": self.next, "node_kind": self.node_kind, "condition": self.condition,
                "location": str(self.location), "hits": self.hits}


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the passing cases of one tree reached, node by node and exit by exit."""

    tree_id: str
    version: str
    path: str
    nodes: tuple[tuple[str, int], ...]  # (node id, cases that passed it), in file order
    branches: tuple[BranchCoverage, ...]
    outcomes: tuple[tuple[str, int], ...]  # (outcome id, cases that ended there)

    @property
    def uncovered_branches(self) -> tuple[BranchCoverage, ...]:
        return tuple(b for b in self.branches if not b.covered)

    @property
    def uncovered_nodes(self) -> tuple[str, ...]:
        return tuple(n for n, hits in self.nodes if not hits)

    @property
    def uncovered_outcomes(self) -> tuple[str, ...]:
        return tuple(o for o, hits in self.outcomes if not hits)

    @property
    def checklist_conditions(self) -> tuple[BranchCoverage, ...]:
        """The verdict conditions of every checklist (its default included)."""
        return tuple(b for b in self.branches if b.node_kind == "checklist")

    @property
    def branch_percent(self) -> float:
        """Branch coverage in percent, rounded down to a tenth: 100 only when full."""
        return _percent(len(self.branches) - len(self.uncovered_branches), len(self.branches))

    def below(self, percent: float) -> bool:
        """Whether branch coverage is under `percent`, exactly (not as rounded)."""
        covered, total = self.counts()["branches"]
        return total > 0 and covered * 100 < percent * total

    def counts(self) -> dict[str, tuple[int, int]]:
        """(covered, total) of nodes, branches, outcomes and checklist conditions."""
        def count(pairs: Iterable[bool]) -> tuple[int, int]:
            flags = list(pairs)
            return sum(flags), len(flags)

        return {"nodes": count(h > 0 for _, h in self.nodes),
                "branches": count(b.covered for b in self.branches),
                "outcomes": count(h > 0 for _, h in self.outcomes),
                "conditions": count(b.covered for b in self.checklist_conditions)}

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.tree_id, "version": self.version,
                                "path": self.path, "branch_percent": self.branch_percent}
        for key, (covered, total) in self.counts().items():
            data[key] = {"covered": covered, "total": total}
        data["uncovered_branches"] = [b.to_dict() for b in self.uncovered_branches]
        data["uncovered_nodes"] = list(self.uncovered_nodes)
        data["uncovered_outcomes"] = list(self.uncovered_outcomes)
        data["checklist_conditions"] = [b.to_dict() for b in self.checklist_conditions]
        return data


def _percent(covered: int, total: int) -> float:
    return 100.0 if total == 0 else (1000 * covered // total) / 10


def coverage_of(tree: DecisionTree, decisions: Iterable[Decision]) -> Coverage:
    """The coverage of `tree` by these decisions (give only those of passing cases)."""
    node_hits: dict[str, int] = dict.fromkeys(tree.spec.nodes, 0)
    exit_hits: dict[tuple[str, int], int] = {}
    for decision in decisions:
        for passed in set(decision.path):
            if passed in node_hits:
                node_hits[passed] += 1
        for step in decision.steps:
            key = (step.node, step.exit_index)
            exit_hits[key] = exit_hits.get(key, 0) + 1
    branches = []
    for node_id, node in tree.spec.nodes.items():
        if node.kind == "outcome":
            continue
        for index, branch in enumerate(node.exits):
            condition = (branch.condition or "") if node.kind == "checklist" else ""
            branches.append(BranchCoverage(
                node_id, index, branch.kind, branch.display_label, branch.next, branch.loc,
                exit_hits.get((node_id, index), 0), node.kind, condition))
    outcomes = tuple((o.id, node_hits.get(o.id, 0)) for o in tree.outcomes)
    return Coverage(tree.id, tree.spec.version, tree.spec.path, tuple(node_hits.items()),
                    tuple(branches), outcomes)


def merge(parts: Iterable[Coverage]) -> Coverage:
    """Coverage of one tree by several cases files: hits added up (same tree, same file)."""
    items = list(parts)
    first = items[0]
    nodes = {n: 0 for n, _ in first.nodes}
    outcomes = {o: 0 for o, _ in first.outcomes}
    hits = [0] * len(first.branches)
    for part in items:
        for n, h in part.nodes:
            nodes[n] += h
        for o, h in part.outcomes:
            outcomes[o] += h
        for i, branch in enumerate(part.branches):
            hits[i] += branch.hits
    branches = tuple(replace(b, hits=h) for b, h in zip(first.branches, hits, strict=True))
    return Coverage(first.tree_id, first.version, first.path, tuple(nodes.items()), branches,
                    tuple(outcomes.items()))

