"""One small extractor per node kind: a tree node becomes a box and its arrows.

Node kinds are a closed union (`gatetree.model.Node`): `extract` handles each one, and a new
kind fails the type check until it has an extractor. A call's branch labels (the called
tree's outcome titles) are made here once; the flowchart doc reads them from the diagram.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import NoReturn

from gatetree.model import Branch, Call, Checklist, Gate, Node, Outcome, Scalar, TreeSpec
from gatetree.tree import DecisionTree
from gatetree.values import show_value

from ._text import clean, repeats
from .diagram import DiagramEdge, DiagramNode, Line, edge_id

__all__ = ["Context", "callee_outcomes", "derived_from", "extract"]


@dataclass(frozen=True, slots=True)
class Context:
    """What an extractor may read besides its node: the tree (its callees and compiled
    derivations), the spec, param values and detail level.

    `spec` is the tree's spec with its `{param}` texts filled (`DecisionTree.texts`), and
    extractors are given its nodes, so nothing here fills a text.
    """

    tree: DecisionTree
    spec: TreeSpec
    params: Mapping[str, Scalar]
    expand: bool


def extract(node: Node, context: Context) -> tuple[DiagramNode, tuple[DiagramEdge, ...]]:
    """The box and arrows of a node, by its kind."""
    match node:
        case Gate():
            return _gate(node, context)
        case Checklist():
            return _checklist(node, context)
        case Call():
            return _call(node, context)
        case Outcome():
            return _outcome(node, context)
        case _:
            _assert_never(node)


def _assert_never(node: NoReturn) -> NoReturn:  # typing's own is Python 3.11+
    raise AssertionError(f"a node of no known kind: {node!r}")


def derived_from(tree: DecisionTree, fact: str) -> tuple[str, ...]:
    """The names a fact's derivation reads, in the order it reads them ('' if it has none);
    a fact a called tree declares is derived as that tree says."""
    compiled = tree.derivations.get(fact)
    if compiled is not None:
        return compiled.reads
    for callee in tree.callees.values():
        if reads := derived_from(callee, fact):
            return reads
    return ()


def callee_outcomes(callee: DecisionTree, params: Mapping[str, Scalar]) -> dict[str, Outcome]:
    """A called tree's outcomes by id, their texts filled with the params in effect."""
    return {o.id: o for o in callee.texts(params=params).nodes.values()
            if isinstance(o, Outcome)}


def _gate(gate: Gate, context: Context) -> tuple[DiagramNode, tuple[DiagramEdge, ...]]:
    title = clean(gate.title)
    fact = context.spec.facts.get(gate.fact) if gate.fact else None
    question = clean(gate.question or (fact.question if fact else ""))
    body: list[Line] = []
    if question and not repeats(title, question):
        body.append(Line(question))
    if context.expand and fact is not None:
        body.append(Line(f"answer: {fact.name}", "value"))
        reads = derived_from(context.tree, fact.name)
        if reads:
            body.append(Line(f"derived from {', '.join(reads)}", "note"))
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
    callee = context.tree.callees.get(node.id)
    body = [Line(clean(node.question))] if node.question else []
    name = f"{clean(callee.spec.title)} ({callee.id})" if callee else clean(node.tree)
    body.append(Line(f"asks the tree: {name}", "note"))
    outcomes = callee_outcomes(callee, context.params) if callee else {}
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


def _exits(node_id: str, exits: tuple[Branch, ...], context: Context) -> tuple[DiagramEdge, ...]:
    return tuple(_branch_edge(node_id, i, b, context) for i, b in enumerate(exits))


def _branch_edge(node_id: str, index: int, branch: Branch, context: Context) -> DiagramEdge:
    body = []
    if context.expand and branch.kind == "if" and branch.label and branch.condition:
        body.append(Line(f"if {clean(branch.condition)}", "note"))
    body.extend(Line(clean(a), "action") for a in branch.actions)
    return DiagramEdge(edge_id(node_id, index), node_id, branch.next,
                       clean(branch.display_label), branch.kind, tuple(body), exit=index)

