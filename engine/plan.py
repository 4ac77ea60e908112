"""A tree compiled for deciding: per node and exit, everything a decision would otherwise redo.

The walk (`gatetree.walk`) runs a plan node by node from tables made here once per tree:
each exit's `chosen_by` and `rejected` texts, a gate's value-to-exit table, each expression
as a Python function, each checklist's groups and ask order, the outcomes below each node,
the `{param}` texts filled by the defaults and which params each text names. Nothing in a
plan changes after it is made, so one plan serves every thread.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .checklist import scope_names
from .decision import CollectedAction, TreeRef
from .expr import EVAL_GLOBALS, CompiledExpr, bounded_tree
from .inputs import FactChecker
from .model import Branch, Call, Checklist, Gate, Node, Outcome, Scalar, TreeSpec
from .text import cited_params
from .values import show_literal

__all__ = ["CALL", "CHECKLIST", "GATE", "OUTCOME", "ChecklistPlan", "ExitPlan", "FactPlan",
           "NodePlan", "Plan", "build_plan"]

OUTCOME, GATE, CHECKLIST, CALL, UNKNOWN = range(5)

Reader = Callable[[str], Any]
"""Reads a fact or param by name for an expression, raising NeedFact when it is unknown."""
Evaluate = Callable[[Reader, Mapping[str, Any]], Any]
"""An expression as a function of a reader and a checklist's own names (scores, counts)."""


@dataclass(frozen=True, slots=True, eq=False)
class ExitPlan:
    """One exit of a node with what a step through it says, decided once."""

    index: int
    branch: Branch  # as written; its texts are filled when a trace is built
    next: str
    chosen_by: str
    rejected: tuple[str, ...]
    condition: CompiledExpr | None = None
    evaluate: Evaluate | None = None
    collected: tuple[CollectedAction, ...] = ()  # its actions, texts filled by the defaults


@dataclass(frozen=True, slots=True, eq=False)
class ChecklistPlan:
    """A checklist's counting tables: items in ask order, each by group index and weight."""

    facts: tuple[str, ...]  # ask order
    groups: tuple[str, ...]
    item_group: tuple[int, ...]  # per ask-order item
    weights: tuple[int | float, ...]
    group_items: tuple[int, ...]  # items per group
    group_weight: tuple[int | float, ...]
    conditions: tuple[tuple[CompiledExpr, ast.expr] | None, ...]  # per exit; None: default
    params: tuple[str, ...]  # the params its conditions and quorum read


@dataclass(frozen=True, slots=True, eq=False)
class NodePlan:
    id: str
    kind: int
    node: Node  # as written
    exits: tuple[ExitPlan, ...] = ()
    fact: str | None = None
    when: Mapping[Scalar, int] | None = None  # a gate of values only: value -> exit; a
    # call: the called tree's outcome -> exit
    default: int | None = None  # the default exit's index
    checklist: ChecklistPlan | None = None
    call: str | None = None  # a call node's id, the key of its callee
    cites: frozenset[str] = frozenset()  # params the node's texts name


@dataclass(frozen=True, slots=True, eq=False)
class FactPlan:
    name: str
    derive: Evaluate | None
    expression: CompiledExpr | None
    derive_names: tuple[str, ...]  # sorted, as a missing fact's derivable_from reads them
    default: Scalar | None
    cites: frozenset[str]


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """Everything a decision with this tree reads, made once at compile."""

    ref: TreeRef
    spec: TreeSpec  # as the tree carries it (the called trees' declarations merged)
    filled: TreeSpec  # texts filled by the params' defaults
    start: str
    nodes: Mapping[str, NodePlan]
    facts: Mapping[str, FactPlan]
    defaults: Mapping[str, Scalar]
    own_names: frozenset[str]
    outcomes_below: Mapping[str, tuple[str, ...]]
    checker: FactChecker
    param_checker: FactChecker
    callees: Mapping[str, Plan] = field(default_factory=lambda: MappingProxyType({}))
    # Checklist look-aheads by node, answers, quorum and params: a pure function's results,
    # so sharing them across threads changes no decision (the walk bounds its size).
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    # Node texts filled by params other than the defaults, by node and the values it names.
    texts: dict[tuple[str, frozenset[Any]], Node] = field(default_factory=dict, repr=False)
    # The called trees' overrides and params for runs without overrides, by call node.
    calls: dict[str, tuple[dict[str, Scalar], Mapping[str, Scalar]]] = field(
        default_factory=dict, repr=False)
    # A called tree's actions as collected here, by call node and action.
    called_actions: dict[tuple[str, CollectedAction], CollectedAction] = field(
        default_factory=dict, repr=False)
    # Derived facts three-valued with none of their inputs known, by name (the walk's).
    alone: dict[str, Any] = field(default_factory=dict, repr=False)
    # Its generated walk by mode (fastpath.TRACED, CALLED), made on first use.
    generated: dict[int, Any] = field(default_factory=dict, repr=False)
    warming: dict[int, int] = field(default_factory=dict, repr=False)  # decisions by mode


def build_plan(spec: TreeSpec, filled: TreeSpec, derivations: Mapping[str, CompiledExpr],
               conditions: Mapping[tuple[str, int], CompiledExpr],
               callees: Mapping[str, Plan], own_names: frozenset[str],
               outcomes_below: Mapping[str, tuple[str, ...]]) -> Plan:
    """The plan of a compiled tree; `outcomes_below` maps each node to the outcomes below it."""
    facts = {name: FactPlan(
        name=name,
        derive=_function(derivations[name]) if name in derivations else None,
        expression=derivations.get(name),
        derive_names=derivations[name].reads if name in derivations else (),
        default=fact.default,
        cites=cited_params(fact),
    ) for name, fact in spec.facts.items()}
    nodes = {node_id: _node(node, filled.nodes[node_id], conditions,
                            callees[node_id].ref.id if node_id in callees else "")
             for node_id, node in spec.nodes.items()}
    return Plan(
        ref=TreeRef(spec.id, spec.version, spec.sha256, spec.title),
        spec=spec,
        filled=filled,
        start=spec.start,
        nodes=nodes,  # plain dicts: read on every step, never written after this
        facts=facts,
        # a plain dict, as `nodes`: merged into every run's values, never written after this
        defaults={name: p.default for name, p in spec.params.items()},
        own_names=own_names,
        outcomes_below=outcomes_below,
        checker=FactChecker(spec.facts, "fact"),
        param_checker=FactChecker(spec.params, "param"),
        callees=MappingProxyType(dict(callees)),
    )


def _node(node: Node, filled: Node, conditions: Mapping[tuple[str, int], CompiledExpr],
          callee_id: str) -> NodePlan:
    cites = cited_params(node)
    if isinstance(node, Outcome):
        return NodePlan(node.id, OUTCOME, node, cites=cites)
    if not isinstance(node, (Gate, Checklist, Call)):
        return NodePlan(node.id, UNKNOWN, node, cites=cites)  # drawn, never walked
    assert not isinstance(filled, Outcome)
    exits = tuple(_exit(node, filled, i, branch, conditions, callee_id)
                  for i, branch in enumerate(node.exits))
    default = len(node.branches) if node.default is not None else None
    if isinstance(node, Gate):
        when = None
        if node.fact is not None and all(b.kind == "when" for b in node.branches):
            table: dict[Scalar, int] = {}
            for i, branch in enumerate(node.branches):
                assert branch.value is not None
                table.setdefault(branch.value, i)
            when = table
        return NodePlan(node.id, GATE, node, exits, node.fact, when, default, cites=cites)
    if isinstance(node, Checklist):
        return NodePlan(node.id, CHECKLIST, node, exits, default=default,
                        checklist=_checklist(node, exits), cites=cites)
    assert isinstance(node, Call)
    outcomes: dict[Scalar, int] = {}  # the called tree's outcome -> the exit taking it
    for i, branch in enumerate(node.branches):
        assert branch.value is not None
        outcomes.setdefault(branch.value, i)
    return NodePlan(node.id, CALL, node, exits, when=outcomes, default=default, call=node.id,
                    cites=cites)


def _exit(node: Gate | Checklist | Call, filled: Gate | Checklist | Call, index: int,
          branch: Branch, conditions: Mapping[tuple[str, int], CompiledExpr],
          callee_id: str) -> ExitPlan:
    tried = [conditions[(node.id, i)] for i, b in enumerate(node.exits[:index])
             if b.kind == "if" and (node.id, i) in conditions]
    condition = conditions.get((node.id, index)) if branch.kind == "if" else None
    if branch.kind == "default":
        chosen_by = "default"
    elif isinstance(node, Call):
        chosen_by = f"{callee_id} outcome == {show_literal(branch.value)}"
    elif branch.kind == "when":
        assert isinstance(node, Gate)
        chosen_by = f"{node.fact} == {show_literal(branch.value)}"
    else:
        assert condition is not None
        chosen_by = condition.text
    own = frozenset(scope_names(node)) if isinstance(node, Checklist) else frozenset()
    filled_branch = filled.exits[index]
    return ExitPlan(
        index=index,
        branch=branch,
        next=branch.next,
        chosen_by=chosen_by,
        rejected=tuple(c.text for c in tried),
        condition=condition,
        evaluate=_function(condition, own) if condition is not None else None,
        collected=tuple(CollectedAction(node.id, text) for text in filled_branch.actions),
    )


def _checklist(node: Checklist, exits: tuple[ExitPlan, ...]) -> ChecklistPlan:
    groups = tuple(g.name for g in node.groups)
    order = node.ask_order
    item_group = tuple(groups.index(i.group) for i in order)
    return ChecklistPlan(
        facts=tuple(i.fact for i in order),
        groups=groups,
        item_group=item_group,
        weights=tuple(i.weight for i in order),
        group_items=tuple(item_group.count(g) for g in range(len(groups))),
        group_weight=tuple(sum(w for w, g in zip((i.weight for i in order), item_group,
                                                  strict=True) if g == k)
                           for k in range(len(groups))),
        conditions=tuple(None if e.condition is None
                         else (e.condition, _parse(e.condition)) for e in exits),
        params=tuple(sorted({n for e in exits if e.condition is not None
                             for n in e.condition.names} - set(scope_names(node))
                            | ({node.quorum} if isinstance(node.quorum, str) else set()))),
    )


def _parse(expression: CompiledExpr) -> ast.expr:
    return bounded_tree(expression.text)


class _Names(ast.NodeTransformer):
    """Rewrites each name an expression reads into a call of the reader (`_g('name')`), or a
    look-up in the checklist's own names (`_s['name']`) when the checklist has it."""

    def __init__(self, own: frozenset[str]) -> None:
        self.own = own

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in EVAL_GLOBALS:
            return node  # a function, or a bounded operator
        if node.id in self.own:
            return ast.copy_location(ast.Subscript(ast.Name("_s", ast.Load()),
                                                   ast.Constant(node.id), ast.Load()), node)
        return ast.copy_location(ast.Call(ast.Name("_g", ast.Load()), [ast.Constant(node.id)],
                                          []), node)


_GLOBALS: dict[str, Any] = dict(EVAL_GLOBALS)


def _function(expression: CompiledExpr, own: frozenset[str] = frozenset()) -> Evaluate:
    """The expression as a Python function of a reader and a checklist's own names.

    The expression was checked against the whitelist at load; here it is only re-written
    so that reading a name is a call. A text too deeply nested for Python's compiler is
    evaluated by its code object instead, through a mapping that reads the same way.
    """
    rewritten = _Names(own).visit(_parse(expression))
    lam = ast.Expression(ast.Lambda(
        ast.arguments(posonlyargs=[], args=[ast.arg("_g"), ast.arg("_s")], kwonlyargs=[],
                      kw_defaults=[], defaults=[]), rewritten))
    ast.fix_missing_locations(lam)
    try:
        function: Evaluate = eval(compile(lam, f"<{expression.location}>", "eval"), _GLOBALS)
    except (RecursionError, MemoryError, SyntaxError):
        code = expression.code

        def function(read: Reader, own_values: Mapping[str, Any]) -> Any:
            return eval(code, _GLOBALS, _Scope(read, own_values))  # whitelisted AST
    return function


class _Scope(Mapping[str, Any]):
    """A checklist's own names, then the reader: the scope of the fallback evaluation."""

    __slots__ = ("_own", "_read")

    def __init__(self, read: Reader, own: Mapping[str, Any]) -> None:
        self._read = read
        self._own = own

    def __getitem__(self, name: str) -> Any:
        if name in self._own:
            return self._own[name]
        if name in EVAL_GLOBALS:
            raise KeyError(name)  # eval falls back to the globals
        return self._read(name)

    def __iter__(self) -> Any:
        return iter(self._own)

    def __len__(self) -> int:
        return len(self._own)
