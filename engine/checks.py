"""Rules a schema cannot express: declarations, references, branch coverage and the graph."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from .errors import Diagnostic, Location, did_you_mean
from .expr import FUNCTIONS
from .model import Branch, Fact, Gate, Scalar, TreeSpec

__all__ = ["check_spec", "node_graph", "value_fits"]


def check_spec(spec: TreeSpec) -> list[Diagnostic]:
    """Every declaration, reference and graph problem of a tree, all at once."""
    problems = [*_declarations(spec), *_references(spec), *_coverage(spec)]
    if not any(p.severity == "error" for p in problems):
        problems.extend(_graph(spec))
    return problems


def node_graph(spec: TreeSpec) -> nx.DiGraph:
    """Nodes and branch edges; an edge remembers the branches that take it."""
    graph = nx.DiGraph()
    graph.add_nodes_from(spec.nodes)
    for node in spec.nodes.values():
        if isinstance(node, Gate):
            for branch in node.exits:
                if branch.next in spec.nodes:
                    graph.add_edge(node.id, branch.next)
    return graph


def value_fits(fact_type: str, value: object, values: tuple[str, ...] = ()) -> bool:
    """Whether a value has a declared type (an int is a number; a bool is not an int)."""
    if fact_type == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if fact_type == "integer":
        return isinstance(value, int)
    if fact_type == "number":
        return isinstance(value, (int, float))
    if fact_type == "enum":
        return isinstance(value, str) and value in values
    return isinstance(value, str)


def _error(loc: Location, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic(loc, message, hint)


def _declarations(spec: TreeSpec) -> Iterator[Diagnostic]:
    for name in sorted(set(spec.facts) & set(spec.params)):
        yield _error(spec.params[name].loc, f"'{name}' is declared both as a fact and as a param",
                     "rename one of them: expressions read both by name")
    for name, decl in [*spec.facts.items(), *spec.params.items()]:
        if name in FUNCTIONS:
            yield _error(decl.loc, f"'{name}' is the name of a function in expressions",
                         "choose another name")
    for fact in spec.facts.values():
        if fact.type == "enum" and not fact.values:
            yield _error(fact.loc, f"enum fact '{fact.name}' lists no values",
                         "add values: [a, b, ...]")
        if fact.type != "enum" and fact.values:
            yield _error(fact.loc, f"fact '{fact.name}' has values but is of type {fact.type}",
                         "use type: enum, or remove values")
        if fact.default is not None and not value_fits(fact.type, fact.default, fact.values):
            yield _error(fact.loc, f"default of fact '{fact.name}' is not {_expected(fact)}")
    for param in spec.params.values():
        if not value_fits(param.type, param.default):
            yield _error(param.loc, f"default of param '{param.name}' must be {param.type}, "
                                    f"got {param.default!r}")


def _references(spec: TreeSpec) -> Iterator[Diagnostic]:
    if spec.start not in spec.nodes:
        yield _error(spec.start_loc, f"start node '{spec.start}' does not exist",
                     did_you_mean(spec.start, spec.nodes))
    for node in spec.nodes.values():
        if not isinstance(node, Gate):
            continue
        if node.fact is not None and node.fact not in spec.facts:
            yield _error(node.fact_loc, f"gate '{node.id}' branches on undeclared fact "
                                        f"'{node.fact}'",
                         did_you_mean(node.fact, spec.facts) or "declare it under facts:")
        if not node.question and (node.fact is None or node.fact not in spec.facts):
            yield _error(node.loc, f"gate '{node.id}' has no question",
                         "add question:, or name a fact whose question it asks")
        for branch in node.exits:
            if branch.next not in spec.nodes:
                yield _error(branch.next_loc, f"branch of '{node.id}' goes to '{branch.next}', "
                                              "which does not exist",
                             did_you_mean(branch.next, spec.nodes))
            if branch.next == node.id:
                yield _error(branch.next_loc, f"branch of '{node.id}' goes back to itself")


def _coverage(spec: TreeSpec) -> Iterator[Diagnostic]:
    """Every gate leaves by some branch, whatever the answer; no branch is dead."""
    for node in spec.nodes.values():
        if not isinstance(node, Gate):
            continue
        fact = spec.facts.get(node.fact) if node.fact else None
        seen: dict[Scalar, Branch] = {}
        for branch in node.branches:
            if branch.kind != "when":
                continue
            if node.fact is None:
                yield _error(branch.loc, f"branch of '{node.id}' uses 'when' but the gate names "
                                         "no fact", "add fact: to the gate, or use 'if'")
                continue
            if fact is None:
                continue
            if not value_fits(fact.type, branch.value, fact.values):
                yield _error(branch.loc, f"'when: {_show(branch.value)}' is not "
                                         f"{_expected(fact)} (fact '{fact.name}')",
                             did_you_mean(str(branch.value), fact.values)
                             if fact.type == "enum" else None)
                continue
            key = branch.value
            if key in seen:
                yield _error(branch.loc, f"gate '{node.id}' has two branches for "
                                         f"'{_show(key)}'; the second is never taken")
            seen[key] = branch
        if node.default is not None:
            continue
        if any(b.kind == "if" for b in node.branches):
            yield _error(node.loc, f"gate '{node.id}' has conditions but no default",
                         "add default: so the walk never dead-ends when no condition holds")
        elif fact is not None:
            domain: tuple[Scalar, ...] = (
                (True, False) if fact.type == "boolean" else fact.values
            )
            missing = [v for v in domain if v not in seen]
            if fact.type in ("integer", "number", "string"):
                yield _error(node.loc, f"gate '{node.id}' branches on {fact.type} fact "
                                       f"'{fact.name}' without a default",
                             "add default: for the values no branch names")
            elif missing:
                shown = ", ".join(_show(v) for v in missing)
                yield _error(node.loc, f"gate '{node.id}' does not cover "
                                       f"{'value' if len(missing) == 1 else 'values'} {shown} "
                                       f"of fact '{fact.name}'",
                             "add a branch for each, or a default:")


def _graph(spec: TreeSpec) -> Iterator[Diagnostic]:
    graph = node_graph(spec)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        cycle = []
    if cycle:
        ids = [edge[0] for edge in cycle] + [cycle[0][0]]
        first = spec.nodes[cycle[0][0]]
        yield _error(first.loc, f"cycle: {' -> '.join(ids)}",
                     "a decision tree must not loop; point one branch at a later node")
    reachable = nx.descendants(graph, spec.start) | {spec.start}
    for node_id, node in spec.nodes.items():
        if node_id not in reachable:
            yield _error(node.loc, f"node '{node_id}' cannot be reached from start "
                                   f"'{spec.start}'", "point a branch at it, or remove it")


def _expected(fact: Fact) -> str:
    if fact.type == "enum":
        return f"one of: {', '.join(fact.values)}"
    return f"a{'n' if fact.type[0] in 'aeiou' else ''} {fact.type}"


def _show(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
