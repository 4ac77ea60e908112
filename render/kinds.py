"""One small extractor per node kind: a tree node becomes a box and its arrows.

A new kind registers a function in EXTRACTORS; a kind with none is drawn by `generic`
from its title, question and exits, never refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from gatetree.model import Branch, Call, Checklist, Gate, Outcome, Scalar, TreeSpec
from gatetree.text import show_value
from gatetree.tree import DecisionTree

from ._text import clean, repeats
from .diagram import DiagramEdge, DiagramNode, Line, edge_id

__all__ = ["EXTRACTORS", "Context", "Extractor", "extract", "generic"]


@dataclass(frozen=True, slots=True)
class Context:
    """What an extractor may read besides its node: the spec, param values, detail level.

    `spec` is the tree's spec with its `{param}` texts filled (`DecisionTree.texts`), and
    extractors are given its nodes, so nothing here fills a text.
    """

    spec: TreeSpec
    params: Mapping[str, Scalar]
    expand: bool
    callees: Mapping[str, DecisionTree] = field(default_factory=lambda: MappingProxyType({}))


Extractor = Callable[[Any, Context], tuple[DiagramNode, tuple[DiagramEdge, ...]]]


def extract(node: Any, context: Context) -> tuple[DiagramNode, tuple[DiagramEdge, ...]]:
    """The box and arrows of any node, by its kind."""
    return EXTRACTORS.get(kind_of(node), generic)(node, context)


def kind_of(node: Any) -> str:
    return str(getattr(node, "kind", type(node).__name__.lower()))


def _gate(gate: Gate, context: Context) -> tuple[DiagramNode, tuple[DiagramEdge, ...]]:
    title = clean(gate.title)
    fact = context.spec.facts.get(gate.fact) if gate.fact else None
    question = clean(gate.question or (fact.question if fact else ""))
    body: list[Line] = []
    if question and not repeats(title, question):
        body.append(Line(question))
    if context.expand and fact is not None:
        body.append(Line(f"answer: {fact.name}", "value"))
        if fact.derive:
            body.append(Line(f"derived from {', '.join(names_in(fact.derive, context.spec))}",
                             "note"))
    return DiagramNode(gate.id, "gate", title, tuple(body)), _exits(gate.id, gate.exits, context)


def _checklist(node: Checklist, context: Context) -> tuple[DiagramNode, tuple[DiagramEdge, ...]]:
    body = [Line(clean(node.question))] if node.question else []
    for group in node.groups:
        items = [i for i in node.items if i.group == group.name]
        body.append(Line(f"{group.name}: {clean(group.title)} ({len(items)} "
                         f"item{'' if len(items) == 1 else 's'})"))
        if context.expand:
            body.extend(Line(f"• {clean(i.display_label)}"
                             + ("" if i.weight == 1 else f" (×{show_value(i.weight)})"), "note")
                        for i in items)
    title = clean(node.title)
    return (DiagramNode(node.id, "checklist", title, tuple(body)),
            _exits(node.id, node.exits, context))


def _call(node: Call, context: Context) -> tuple[DiagramNode, tuple[DiagramEdge, ...]]:
    callee = context.callees.get(node.id)
    body = [Line(clean(node.question))] if node.question else []
    name = f"{clean(callee.spec.title)} ({callee.id})" if callee else clean(node.tree)
    body.append(Line(f"asks the tree: {name}", "note"))
    outcomes = {o.id: o for o in callee.texts(params=context.params).nodes.values()
                if isinstance(o, Outcome)} if callee else {}
    edges = []
    for index, branch in enumerate(node.exits):
        edge = _branch_edge(node.id, index, branch, context)
        reached = outcomes.get(str(branch.value)) if branch.kind == "when" else None
        if not branch.label and reached is not None:
            edge = replace(edge, label=clean(reached.title))
        edges.append(edge)
    return DiagramNode(node.id, "call", clean(node.title), tuple(body)), tuple(edges)


def _outcome(outcome: Outcome, context: Context) -> tuple[DiagramNode, tuple[DiagramEdge, ...]]:
    body = [Line(clean(outcome.action))]
    if context.expand:
        body.extend(Line(f"• {clean(step)}", "note") for step in outcome.next_steps)
    return DiagramNode(outcome.id, "outcome", clean(outcome.title), tuple(body)), ()


def generic(node: Any, context: Context) -> tuple[DiagramNode, tuple[DiagramEdge, ...]]:
    """Any other kind: its title, its question if it has one, and its exits as arrows."""
    node_id = str(node.id)
    title = clean(str(getattr(node, "title", "") or node_id))
    question = getattr(node, "question", "")
    body = (Line(clean(question)),) if isinstance(question, str) and question else ()
    exits = getattr(node, "exits", None)
    if exits is None:
        exits = getattr(node, "branches", ())
    edges = []
    for index, branch in enumerate(exits or ()):
        target = getattr(branch, "next", None)
        if not isinstance(target, str):
            continue
        label = getattr(branch, "display_label", None) or getattr(branch, "label", "")
        actions = getattr(branch, "actions", ())
        edges.append(DiagramEdge(
            edge_id(node_id, index), node_id, target, clean(str(label)),
            str(getattr(branch, "kind", "exit")),
            tuple(Line(clean(str(a)), "action") for a in actions), exit=index,
        ))
    return DiagramNode(node_id, kind_of(node), title, body), tuple(edges)


EXTRACTORS: dict[str, Extractor] = {
    "gate": _gate,
    "checklist": _checklist,
    "call": _call,
    "outcome": _outcome,
}
"""Node kind -> extractor. A new kind registers one; unknown kinds use `generic`."""


def _exits(node_id: str, exits: tuple[Branch, ...], context: Context) -> tuple[DiagramEdge, ...]:
    return tuple(_branch_edge(node_id, i, b, context) for i, b in enumerate(exits))


def _branch_edge(node_id: str, index: int, branch: Branch, context: Context) -> DiagramEdge:
    body = []
    if context.expand and branch.kind == "if" and branch.label and branch.condition:
        body.append(Line(f"if {clean(branch.condition)}", "note"))
    body.extend(Line(clean(a), "action") for a in branch.actions)
    return DiagramEdge(edge_id(node_id, index), node_id, branch.next,
                       clean(branch.display_label), branch.kind, tuple(body), exit=index)


def names_in(expression: str, spec: TreeSpec) -> list[str]:
    """The facts and params an expression reads, in order of first mention."""
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression)
    return list(dict.fromkeys(w for w in words if w in spec.facts or w in spec.params))
