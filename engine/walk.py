"""Walk a compiled tree from facts to a Decision, recording why each branch was taken."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .decision import CollectedAction, Decision, Evidence, Missing, Step
from .errors import EvaluationError
from .model import Branch, Gate, Outcome, Scalar
from .text import fill, fill_node

if TYPE_CHECKING:
    from .tree import DecisionTree

__all__ = ["Choice", "NeedFact", "Resolver", "choose", "walk"]


class NeedFact(Exception):
    """Raised inside evaluation when a fact is needed and unknown."""

    def __init__(self, fact: str, derivable_from: tuple[str, ...] = ()) -> None:
        super().__init__(fact)
        self.fact = fact
        self.derivable_from = derivable_from


class Resolver:
    """Values of facts and params for one decision: given, derived, defaulted; cached."""

    def __init__(self, tree: DecisionTree, facts: Mapping[str, Scalar],
                 overrides: Mapping[str, Scalar]) -> None:
        self.tree = tree
        self.facts = facts
        self.overrides = overrides
        self.params = tree.effective_params(overrides)
        self._cache: dict[str, Evidence] = {}

    def evidence(self, name: str) -> Evidence:
        cached = self._cache.get(name)
        if cached is None:
            cached = self._cache[name] = self._resolve(name)
        return cached

    def _resolve(self, name: str) -> Evidence:
        if name in self.params:
            source = "param" if name in self.overrides else "param-default"
            return Evidence(name, self.params[name], source)
        if name in self.facts:
            return Evidence(name, self.facts[name], "given")
        fact = self.tree.spec.facts[name]
        derive = self.tree.derivations.get(name)
        if derive is not None:
            reader = Reader(self)
            try:
                value = evaluate(derive, reader)
            except NeedFact:
                if fact.default is None:
                    raise NeedFact(name, self._unresolved(derive.names)) from None
            else:
                return Evidence(name, value, "derived", derive.text, reader.read)
        if fact.default is not None:
            return Evidence(name, fact.default, "default")
        raise NeedFact(name)

    def _unresolved(self, names: frozenset[str]) -> tuple[str, ...]:
        missing = []
        for name in sorted(names):
            try:
                self.evidence(name)
            except NeedFact as need:
                missing.extend(need.derivable_from or (need.fact,))
        return tuple(dict.fromkeys(missing))


class Reader(Mapping[str, Any]):
    """The scope an expression is evaluated in: reading a name records the evidence."""

    __slots__ = ("_read", "_resolver")

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self._read: dict[str, Evidence] = {}

    @property
    def read(self) -> tuple[Evidence, ...]:
        return tuple(self._read.values())

    def __getitem__(self, name: str) -> Any:
        spec = self._resolver.tree.spec
        if name not in spec.facts and name not in spec.params:
            raise KeyError(name)  # lets eval fall back to the whitelisted functions
        evidence = self._resolver.evidence(name)
        self._read.setdefault(name, evidence)
        return evidence.value

    def __iter__(self) -> Iterator[str]:
        return iter(self._read)

    def __len__(self) -> int:
        return len(self._read)


def evaluate(expression: Any, reader: Reader) -> Any:
    try:
        return expression.evaluate(reader)
    except NeedFact:
        raise
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise EvaluationError(expression.location,
                              f"cannot evaluate {expression.text!r}: {exc}") from None


@dataclass(frozen=True, slots=True)
class Choice:
    """The exit a gate takes with the values at hand, and why."""

    index: int
    branch: Branch
    evidence: tuple[Evidence, ...]
    chosen_by: str
    rejected: tuple[str, ...]


def choose(tree: DecisionTree, gate: Gate, resolver: Resolver) -> Choice:
    """The first exit of a gate that holds; raises NeedFact when a needed value is unknown."""
    reader = Reader(resolver)
    value: Scalar | None = None
    if gate.fact is not None:
        value = reader[gate.fact]
    rejected: list[str] = []
    for index, branch in enumerate(gate.exits):
        if branch.kind == "when":
            if type(value) is type(branch.value) and value == branch.value:
                return Choice(index, branch, reader.read,
                              f"{gate.fact} == {_literal(branch.value)}", tuple(rejected))
        elif branch.kind == "if":
            condition = tree.conditions[(gate.id, index)]
            if evaluate(condition, reader):
                return Choice(index, branch, reader.read, condition.text, tuple(rejected))
            rejected.append(condition.text)
        else:
            return Choice(index, branch, reader.read, "default", tuple(rejected))
    raise AssertionError(f"gate {gate.id!r} has no exit for {value!r}; checks guarantee one")


def walk(tree: DecisionTree, facts: Mapping[str, Scalar],
         overrides: Mapping[str, Scalar], *, forced: Mapping[str, int] | None = None) -> Decision:
    """The decision for checked facts and params.

    `forced` maps a gate id to the index of the exit to take there regardless of the facts:
    counterfactuals ask "what if this gate had gone the other way" through the same walk.
    """
    spec = tree.spec
    resolver = Resolver(tree, facts, overrides)
    steps: list[Step] = []
    actions: list[CollectedAction] = []
    path: list[str] = []
    node_id = spec.start
    while True:
        path.append(node_id)
        node = spec.nodes[node_id]
        if isinstance(node, Outcome):
            outcome = fill_node(node, resolver.params)
            return _decision(tree, resolver, "decided", outcome, path, steps, actions, None,
                             (node.id,))
        try:
            if forced and node_id in forced:
                choice = _forced(node, forced[node_id])
            else:
                choice = choose(tree, node, resolver)
        except NeedFact as need:
            fact = spec.facts[need.fact]
            missing = Missing(need.fact, fill(fact.question, resolver.params), node_id,
                              need.derivable_from)
            still = _still_reachable(tree, node, resolver)
            return _decision(tree, resolver, "incomplete", None, path, steps, actions, missing,
                             still)
        branch = fill_node(choice.branch, resolver.params)
        question = node.question or (spec.facts[node.fact].question if node.fact else "")
        steps.append(Step(
            node=node.id,
            title=node.title,
            question=fill(question, resolver.params),
            fact=node.fact,
            evidence=choice.evidence,
            label=branch.display_label,
            chosen_by=choice.chosen_by,
            rejected=choice.rejected,
            next=branch.next,
            actions=branch.actions,
            exit_index=choice.index,
        ))
        actions.extend(CollectedAction(node.id, text) for text in branch.actions)
        node_id = branch.next


def _forced(gate: Gate, index: int) -> Choice:
    branch = gate.exits[index]
    return Choice(index, branch, (), "forced (what-if)", ())


def _still_reachable(tree: DecisionTree, gate: Gate, resolver: Resolver) -> tuple[str, ...]:
    """Outcomes reachable from a stuck gate, following known answers below it."""
    spec = tree.spec
    found: set[str] = set()
    stack = [b.next for b in gate.exits]
    seen: set[str] = set()
    while stack:
        node_id = stack.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        node = spec.nodes[node_id]
        if isinstance(node, Outcome):
            found.add(node_id)
            continue
        try:
            stack.append(choose(tree, node, resolver).branch.next)
        except NeedFact:
            stack.extend(b.next for b in node.exits)
    return tuple(o for o in tree.outcomes_below[gate.id] if o in found)


def _decision(tree: DecisionTree, resolver: Resolver, status: Any, outcome: Outcome | None,
              path: list[str], steps: list[Step], actions: list[CollectedAction],
              missing: Missing | None, reachable: tuple[str, ...]) -> Decision:
    return Decision(
        tree=tree.ref,
        status=status,
        outcome=outcome,
        path=tuple(path),
        steps=tuple(steps),
        actions=tuple(actions),
        missing=missing,
        reachable_outcomes=reachable,
        facts=MappingProxyType(dict(resolver.facts)),
        params=MappingProxyType(resolver.params),
    )


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)
