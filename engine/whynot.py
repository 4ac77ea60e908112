"""Why not that outcome: the fewest changes to the facts that would reach it.

The search runs the same walk. Where the walk leaves every path to the wanted outcome (the
first step whose exit no longer leads there), it tries each change to a fact that step
read (another value of a yes/no or enum fact; a number moved to its boundary, found by
`gatetree.boundary`), and a fact the walk stops for; then it walks again and goes on from
where the new walk leaves. Breadth first, so the answer holds every smallest set of
changes (fewest facts changed), up to MAX_CHANGES. When no change is left to try, the
outcome is "unreachable from here"; when the search stops at its limits first, it says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .boundary import Boundary, boundaries, evidence_tree
from .decision import Decision, Evidence
from .errors import GatetreeError
from .model import Gate, Scalar
from .record import walk
from .tree import DecisionTree

__all__ = ["MAX_CHANGES", "FactChange", "WhyNot", "why_not"]

MAX_CHANGES = 4  # facts changed at most in one answer
_MAX_TRIED = 2000  # walks a search may take, so a wide tree stays quick


@dataclass(frozen=True, slots=True)
class FactChange:
    """One fact set to another value; for a number, the boundary it was moved to."""

    fact: str
    was: Scalar | None
    value: Scalar
    boundary: Boundary | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "was": self.was, "value": self.value,
                "boundary": None if self.boundary is None else self.boundary.to_dict()}


@dataclass(frozen=True, slots=True)
class WhyNot:
    """The smallest sets of changes that reach `outcome`; empty when none was found.

    `exhausted` says, when none was found, that every change was tried (unreachable from
    here) rather than the search stopping at MAX_CHANGES or its walk budget.
    """

    outcome: str
    outcome_title: str
    changes: tuple[tuple[FactChange, ...], ...]
    exhausted: bool = True

    @property
    def reachable(self) -> bool:
        return bool(self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "outcome_title": self.outcome_title,
                "reachable": self.reachable, "exhausted": self.exhausted,
                "changes": [[c.to_dict() for c in option] for option in self.changes]}


def why_not(tree: DecisionTree, decision: Decision, outcome: str) -> WhyNot:
    """The fewest changes to the decision's facts (and params as they were) that would
    reach `outcome`. Raises KeyError for an id that is not an outcome of the tree."""
    tree.check_made_with(decision.tree)
    titles = {o.id: o.title for o in tree.outcomes}
    if outcome not in titles:
        raise KeyError(outcome)
    search = _Search(tree, decision.overrides, outcome)
    frontier: list[tuple[dict[str, Any], tuple[FactChange, ...]]] = [(dict(decision.facts), ())]
    seen: set[frozenset[tuple[str, Any]]] = set()
    for _ in range(MAX_CHANGES + 1):
        found: dict[frozenset[tuple[str, Any]], tuple[FactChange, ...]] = {}
        following: list[tuple[dict[str, Any], tuple[FactChange, ...]]] = []
        for facts, changes in frontier:
            result = search.decide(facts)
            if result is None:
                if search.tried > _MAX_TRIED:
                    return WhyNot(outcome, titles[outcome], (), exhausted=False)
                continue
            if result.outcome is not None and result.outcome.id == outcome:
                found.setdefault(frozenset((c.fact, c.value) for c in changes), changes)
                continue
            changed = {c.fact for c in changes}
            for change in search.changes(result, facts):
                state = frozenset((c.fact, c.value) for c in (*changes, change))
                if change.fact not in changed and state not in seen:
                    seen.add(state)
                    following.append(({**facts, change.fact: change.value},
                                      (*changes, change)))
        if found:
            return WhyNot(outcome, titles[outcome], tuple(found.values()))
        if not following:
            return WhyNot(outcome, titles[outcome], ())
        frontier = following
    return WhyNot(outcome, titles[outcome], (), exhausted=False)


class _Search:
    def __init__(self, tree: DecisionTree, overrides: Mapping[str, Any], outcome: str) -> None:
        self.tree, self.overrides, self.outcome = tree, overrides, outcome
        self.below = tree._plan.outcomes_below
        self.tried = 0

    def decide(self, facts: Mapping[str, Any]) -> Decision | None:
        self.tried += 1
        if self.tried > _MAX_TRIED:
            return None
        try:
            decided = walk(self.tree._plan, facts, self.overrides)
        except GatetreeError:
            return None
        assert isinstance(decided, Decision)
        return decided

    def leads(self, node: str) -> bool:
        return node == self.outcome or self.outcome in self.below.get(node, ())

    def changes(self, result: Decision, facts: Mapping[str, Any]) -> Iterator[FactChange]:
        """The changes that may set the walk back toward the outcome, where it leaves."""
        if not self.leads(self.tree.spec.start):
            return
        for step in result.steps:
            if self.leads(step.next):
                continue
            if not self.leads(step.node):
                return  # an earlier change went astray before here
            yield from self._at(step.node, step.evidence, step.exit_index, facts)
            return
        if result.missing is not None and result.missing.via == ():
            yield from self._missing(result.missing.fact, result.missing.derivable_from)

    def _at(self, node: str, evidence: tuple[Evidence, ...], taken: int,
            facts: Mapping[str, Any]) -> Iterator[FactChange]:
        spec = self.tree.spec
        gate = spec.nodes[node]
        exits = getattr(gate, "exits", ())
        wanted = [i for i, b in enumerate(exits) if i != taken and self.leads(b.next)]
        shown = {e.name: e.value for e in evidence_tree(evidence)}  # a default's value, too
        names = list(_leaves(evidence))  # given facts only: a derived one follows them
        checklist = self.tree._plan.nodes[node].checklist
        if checklist is not None:  # its open items too, and what would derive them
            plan = self.tree._plan.facts
            names += [n for item in checklist.facts
                      for n in (plan[item].derive_names or (item,))]
        for name in dict.fromkeys(names):
            fact = spec.facts.get(name)
            if fact is None:
                continue  # a param: policy, not a fact to change
            if fact.type in ("boolean", "enum"):
                yield from self._values(name, facts.get(name, shown.get(name)))
        if isinstance(gate, Gate):
            for index in wanted:
                for boundary in boundaries(self.tree._plan, facts, self.overrides, node,
                                           index, evidence):
                    yield FactChange(boundary.fact, boundary.was, boundary.reached, boundary)

    def _missing(self, name: str, inputs: tuple[str, ...]) -> Iterator[FactChange]:
        for fact in (name, *inputs):
            yield from self._values(fact, None)

    def _values(self, name: str, was: Any) -> Iterator[FactChange]:
        fact = self.tree.spec.facts[name]
        values: tuple[Scalar, ...] = (True, False) if fact.type == "boolean" else \
            fact.values if fact.type == "enum" else ()
        for value in values:
            if was is None or value != was or type(value) is not type(was):
                yield FactChange(name, was, value)


def _leaves(evidence: tuple[Evidence, ...]) -> Iterator[str]:
    """The names a step's evidence rests on, outermost first, once each."""
    return iter(dict.fromkeys(e.name for e in evidence_tree(evidence) if e.source != "derived"))
