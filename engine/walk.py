"""Walk a compiled tree from facts to a Decision, recording why each branch was taken."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import checklist as tally
from .decision import (
    ChecklistTrace,
    CollectedAction,
    Decision,
    Evidence,
    ItemAnswer,
    Missing,
    Step,
    ValueSource,
)
from .errors import Diagnostic, EvaluationError, InputError, Location
from .model import Branch, Branching, Call, Checklist, Gate, Node, Outcome, Scalar
from .text import fill, fill_node
from .values import show_literal

if TYPE_CHECKING:
    from .tree import DecisionTree

__all__ = ["Choice", "NeedFact", "Resolver", "choose", "walk"]


class NeedFact(Exception):
    """Raised inside evaluation when a fact is needed and unknown.

    `exits` narrows the exits still possible at the node (None: any of them); `inner` is
    what a called tree is missing, when the need arose there.
    """

    def __init__(self, fact: str, derivable_from: tuple[str, ...] = (), *,
                 exits: tuple[int, ...] | None = None, inner: Missing | None = None) -> None:
        super().__init__(fact)
        self.fact = fact
        self.derivable_from = derivable_from
        self.exits = exits
        self.inner = inner


class Resolver:
    """Values of facts and params for one decision: given, derived, defaulted; cached.

    A called tree's resolver has the caller's as `outer`, and takes from it every name the
    caller declares, so caller and called tree read one value per name in a decision.
    """

    def __init__(self, tree: DecisionTree, facts: Mapping[str, Scalar],
                 overrides: Mapping[str, Scalar], outer: Resolver | None = None) -> None:
        self.tree = tree
        self.facts = facts
        self.overrides = overrides
        self.outer = outer
        self.params = tree.effective_params(overrides)
        self._cache: dict[str, Evidence] = {}
        self._at_defaults = self.params == tree.effective_params({})
        self._texts: dict[str, Node] = {}

    def node(self, node_id: str) -> Node:
        """A node with its `{param}` texts filled by this decision's params.

        With the default params the filled copy was made once at compile; other params
        fill the nodes this decision passes, once each.
        """
        if self._at_defaults:
            return self.tree.filled.nodes[node_id]
        filled = self._texts.get(node_id)
        if filled is None:
            filled = self._texts[node_id] = fill_node(self.tree.spec.nodes[node_id], self.params)
        return filled

    def question(self, fact: str) -> str:
        """A fact's question, filled by this decision's params."""
        if self._at_defaults:
            return self.tree.filled.facts[fact].question
        return fill(self.tree.spec.facts[fact].question, self.params)

    def evidence(self, name: str) -> Evidence:
        cached = self._cache.get(name)
        if cached is None:
            cached = self._cache[name] = self._resolve(name)
        return cached

    def _resolve(self, name: str) -> Evidence:
        if self.outer is not None and name in self.outer.tree.own_names:
            return self.outer.evidence(name)
        if name in self.params:
            source: ValueSource = "param" if name in self.overrides else "param-default"
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
                    raise NeedFact(name, self._unresolved(derive.reads)) from None
            else:
                return Evidence(name, value, "derived", derive.text, reader.read)
        if fact.default is not None:
            return Evidence(name, fact.default, "default")
        raise NeedFact(name)

    def _unresolved(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """The unknown inputs of a derivation, in the order its expression reads them; an
        input that is itself derived stands for its own unknown inputs."""
        missing: list[str] = []
        for name in names:
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


class _Scope(Mapping[str, Any]):
    """A reader with extra names in front: a checklist's scores for one tally."""

    __slots__ = ("_reader", "_values")

    def __init__(self, values: Mapping[str, Any], reader: Reader) -> None:
        self._values = values
        self._reader = reader

    def __getitem__(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        return self._reader[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def evaluate(expression: Any, reader: Mapping[str, Any]) -> Any:
    try:
        return expression.evaluate(reader)
    except NeedFact:
        raise
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise EvaluationError(expression.location,
                              f"cannot evaluate {expression.text!r}: {exc}") from None


@dataclass(frozen=True, slots=True)
class Choice:
    """The exit a node takes with the values at hand, and why."""

    index: int
    branch: Branch
    evidence: tuple[Evidence, ...]
    chosen_by: str
    rejected: tuple[str, ...]
    checklist: ChecklistTrace | None = None
    subdecision: Decision | None = None


def choose(tree: DecisionTree, node: Branching, resolver: Resolver) -> Choice:
    """The exit a node takes; raises NeedFact when a needed value is unknown."""
    if isinstance(node, Checklist):
        return _choose_checklist(tree, node, resolver)
    if isinstance(node, Call):
        return _choose_call(tree, node, resolver)
    return _choose_gate(tree, node, resolver)


def _choose_gate(tree: DecisionTree, gate: Gate, resolver: Resolver) -> Choice:
    """The first exit of a gate that holds."""
    reader = Reader(resolver)
    value: Scalar | None = None
    if gate.fact is not None:
        value = reader[gate.fact]
    rejected: list[str] = []
    for index, branch in enumerate(gate.exits):
        if branch.kind == "when":
            if _same(value, branch.value):
                return Choice(index, branch, reader.read,
                              f"{gate.fact} == {show_literal(branch.value)}", tuple(rejected))
        elif branch.kind == "if":
            condition = tree.conditions[(gate.id, index)]
            if evaluate(condition, reader):
                return Choice(index, branch, reader.read, condition.text, tuple(rejected))
            rejected.append(condition.text)
        else:
            return Choice(index, branch, reader.read, "default", tuple(rejected))
    raise AssertionError(f"gate {gate.id!r} has no exit for {value!r}; checks guarantee one")


def _choose_checklist(tree: DecisionTree, node: Checklist, resolver: Resolver) -> Choice:
    """Score the answered items; decide when the policy allows, or when no answer to the
    open items could change the exit."""
    reader = Reader(resolver)
    answers: dict[str, bool | None] = {}
    found: dict[str, Evidence] = {}
    first_need: NeedFact | None = None
    for item in node.ask_order:
        try:
            found[item.fact] = resolver.evidence(item.fact)
        except NeedFact as need:
            answers[item.fact] = None
            first_need = first_need or need
        else:
            answers[item.fact] = bool(found[item.fact].value)
    quorum = reader[node.quorum] if isinstance(node.quorum, str) else node.quorum
    if node.unanswered == "quorum" and quorum is not None and not 1 <= quorum <= len(node.items):
        # Only an override can get here: load checks the defaults. Refuse, never clamp.
        raise InputError([Diagnostic(
            Location("params"), f"param '{node.quorum}' is {quorum}, but checklist "
                                f"'{node.id}' can wait for 1 to {len(node.items)} answers")])
    conditions = [(b, tree.conditions.get((node.id, i))) for i, b in enumerate(node.exits)]

    def pick(state: tally.Tally) -> int:
        scope = _Scope(tally.scope_values(node, state), reader)
        for index, (_, condition) in enumerate(conditions):
            if condition is None or evaluate(condition, scope):
                return index
        raise AssertionError(f"checklist {node.id!r} has no default; checks guarantee one")

    early = not tally.settles_now(node, answers, quorum)
    if early:
        finals = tally.final_tallies(node, answers, quorum)
        exits = None if finals is None else _possible_exits(pick, finals)
        if exits is None or len(exits) != 1:
            assert first_need is not None, "an unsettled checklist has an open item"
            raise NeedFact(first_need.fact, first_need.derivable_from, exits=exits)
        index = exits[0]
    else:
        index = pick(tally.tally(node, answers))
    branch = node.exits[index]
    trace = ChecklistTrace(
        unanswered=node.unanswered,
        quorum=quorum if node.unanswered == "quorum" else None,
        items=tuple(ItemAnswer(i.fact, i.group, i.display_label, i.weight, answers[i.fact],
                               found[i.fact].source if i.fact in found else None)
                    for i in node.ask_order),
        groups=tally.group_scores(node, answers),
        answered=sum(1 for a in answers.values() if a is not None),
        decided_early=early,
    )
    rejected = tuple(c.text for _, c in conditions[:index] if c is not None)
    chosen = conditions[index][1]
    return Choice(index, branch, (*found.values(), *reader.read),
                  chosen.text if chosen is not None else "default", rejected, checklist=trace)


def _possible_exits(pick: Callable[[tally.Tally], int],
                    finals: Iterable[tally.Tally]) -> tuple[int, ...] | None:
    """The exits the open items could still lead to; None when that cannot be told.

    A condition may fail on a tally that is only possible (a division by a score that is
    still zero); then the checklist asks on instead of failing a decision it need not make.
    """
    try:
        return tuple(sorted({pick(state) for state in finals}))
    except EvaluationError:
        return None


def _choose_call(tree: DecisionTree, node: Call, resolver: Resolver) -> Choice:
    """Decide with the called tree from the facts and params it shares by name."""
    callee = tree.callees[node.id]
    shared = callee.spec
    # The caller's values of the params it shares stand in the called tree (its texts too).
    overrides = {k: v for k, v in resolver.params.items()
                 if k in shared.params and k in tree.own_names}
    overrides.update({k: v for k, v in resolver.overrides.items() if k in shared.params})
    sub = walk(callee, {k: v for k, v in resolver.facts.items() if k in shared.facts},
               overrides, outer=resolver)
    if sub.outcome is None:
        assert sub.missing is not None
        exits = tuple(i for i, b in enumerate(node.exits)
                      if any(_handles(node, b, o) for o in sub.reachable_outcomes))
        raise NeedFact(sub.missing.fact, sub.missing.derivable_from, exits=exits,
                       inner=sub.missing)
    reached = sub.outcome.id
    for index, branch in enumerate(node.exits):
        if _handles(node, branch, reached):
            chosen_by = ("default" if branch.kind == "default"
                         else f"{callee.id} outcome == {show_literal(reached)}")
            return Choice(index, branch, (), chosen_by, (), subdecision=sub)
    raise AssertionError(f"call {node.id!r} has no exit for {reached!r}; checks guarantee one")


def _handles(node: Call, branch: Branch, outcome: str) -> bool:
    """Whether a call's branch takes the called tree's outcome."""
    if branch.kind == "default":
        return all(b.value != outcome for b in node.branches)
    return branch.value == outcome


def walk(tree: DecisionTree, facts: Mapping[str, Scalar],
         overrides: Mapping[str, Scalar], *, forced: Mapping[str, int] | None = None,
         outer: Resolver | None = None) -> Decision:
    """The decision for checked facts and params.

    `forced` maps a gate id to the index of the exit to take there regardless of the facts:
    counterfactuals ask "what if this gate had gone the other way" through the same walk.
    """
    spec = tree.spec
    resolver = Resolver(tree, facts, overrides, outer)
    steps: list[Step] = []
    actions: list[CollectedAction] = []
    path: list[str] = []
    node_id = spec.start
    while True:
        path.append(node_id)
        node = resolver.node(node_id)
        if isinstance(node, Outcome):
            return _decision(tree, resolver, "decided", node, path, steps, actions, None,
                             (node.id,))
        try:
            if forced and node_id in forced:
                choice = _forced(node, forced[node_id])
            else:
                choice = choose(tree, node, resolver)
        except NeedFact as need:
            if need.inner is not None:
                missing = replace(need.inner, via=(node_id, *need.inner.via))
            else:
                missing = Missing(need.fact, resolver.question(need.fact), node_id,
                                  need.derivable_from)
            still = _still_reachable(tree, node, resolver, need.exits)
            return _decision(tree, resolver, "incomplete", None, path, steps, actions, missing,
                             still)
        branch = choice.branch
        gate_fact = node.fact if isinstance(node, Gate) else None
        question = node.question or (resolver.question(gate_fact) if gate_fact else "")
        steps.append(Step(
            node=node.id,
            title=node.title,
            question=question,
            fact=gate_fact,
            evidence=choice.evidence,
            label=branch.display_label,
            chosen_by=choice.chosen_by,
            rejected=choice.rejected,
            next=branch.next,
            actions=branch.actions,
            exit_index=choice.index,
            checklist=choice.checklist,
            subdecision=choice.subdecision,
        ))
        if choice.subdecision is not None:
            actions.extend(CollectedAction(f"{node.id}/{a.node}", a.text)
                           for a in choice.subdecision.actions)
        actions.extend(CollectedAction(node.id, text) for text in branch.actions)
        node_id = branch.next


def _forced(node: Branching, index: int) -> Choice:
    branch = node.exits[index]
    return Choice(index, branch, (), "forced (what-if)", ())


def _still_reachable(tree: DecisionTree, stuck: Branching, resolver: Resolver,
                     exits: tuple[int, ...] | None) -> tuple[str, ...]:
    """Outcomes reachable from a stuck node, following known answers below it."""
    spec = tree.spec
    found: set[str] = set()
    stack = [b.next for i, b in enumerate(stuck.exits) if exits is None or i in exits]
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
        except NeedFact as need:
            stack.extend(b.next for i, b in enumerate(node.exits)
                         if need.exits is None or i in need.exits)
    return tuple(o for o in tree.outcomes_below[stuck.id] if o in found)


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
        overrides=MappingProxyType(dict(resolver.overrides)),
    )


def _same(value: object, expected: object) -> bool:
    """Equal as answers: booleans equal only booleans, and 1 equals 1.0 for numbers."""
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected
    if isinstance(value, str) or isinstance(expected, str):
        return type(value) is type(expected) and value == expected
    return value == expected
