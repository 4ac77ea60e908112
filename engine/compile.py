"""Compile a checked spec: every expression parsed, type-checked and compiled exactly once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from .checklist import scope_names
from .errors import Diagnostic
from .expr import CompiledExpr, ExprType, compile_expression
from .graph import outcomes_below
from .model import Checklist, Fact, Gate, TreeSpec
from .text import fill_spec
from .tree import DecisionTree

__all__ = ["compile_spec"]


def compile_spec(
    spec: TreeSpec, *, graph_ok: bool = True, callees: Mapping[str, DecisionTree] | None = None,
    cited: frozenset[str] = frozenset(), shared: TreeSpec | None = None,
    checked: bool = False,
) -> tuple[DecisionTree | None, list[Diagnostic]]:
    """A DecisionTree, or None with every expression problem found.

    `callees` are the compiled trees the call nodes hand over to, by call node id; `cited`
    are the params the tree's texts name as `{placeholders}` (they count as used); `shared`
    is the spec with the called trees' facts and params added, which the tree carries.
    `checked`: this very text passed every check before (the checked-tree cache), so the
    graph rules are not run again; the expressions are compiled all the same.
    """
    problems: list[Diagnostic] = []
    derivations: dict[str, CompiledExpr] = {}
    conditions: dict[tuple[str, int], CompiledExpr] = {}
    attempted: set[str] = set()  # names in expressions that failed: not "unused"

    for fact in spec.facts.values():
        if fact.derive is None:
            continue
        compiled, found = compile_expression(fact.derive, location=fact.derive_loc,
                                             facts=spec.facts, params=spec.params,
                                             span=fact.derive_span)
        problems.extend(found)
        if compiled is None:
            attempted |= _words(fact.derive)
        if compiled is not None:
            mismatch = _derive_mismatch(fact, compiled.type)
            if mismatch:
                problems.append(Diagnostic(fact.derive_loc, mismatch, code="derive-type"))
            else:
                derivations[fact.name] = compiled

    for node in spec.nodes.values():
        if not isinstance(node, (Gate, Checklist)):
            continue
        extra = scope_names(node) if isinstance(node, Checklist) else None
        kind = f"a group, count or param of checklist '{node.id}'" if extra else ""
        for index, branch in enumerate(node.branches):
            if branch.condition is None or branch.kind != "if":
                continue
            condition, found = compile_expression(branch.condition,
                                                  location=branch.condition_loc,
                                                  facts=spec.facts, params=spec.params,
                                                  extra_names=extra, extra_kind=kind,
                                                  span=branch.condition_span)
            problems.extend(found)
            if condition is None:
                attempted |= _words(branch.condition)
                continue
            if condition.type.name != "boolean":
                problems.append(Diagnostic(branch.condition_loc,
                                           f"condition must be true or false, "
                                           f"got {condition.type.name}",
                                           code="condition-not-boolean"))
            facts_read = sorted(condition.names & set(spec.facts) - set(extra or ()))
            if extra is not None and facts_read:
                problems.append(Diagnostic(branch.condition_loc,
                                           f"checklist conditions read group scores, "
                                           f"counts and params, not facts ('{facts_read[0]}')",
                                           "make it an item, or branch on it in a gate after "
                                           "the checklist", code="checklist-condition-reads-fact"))
            conditions[(node.id, index)] = condition

    if not checked:
        problems.extend(_derive_cycles(spec, derivations))
    used = set(cited) | attempted
    for callee in (callees or {}).values():
        used |= {*callee.spec.facts, *callee.spec.params}  # shared by name with the callee
    problems.extend(_unused(spec, derivations, conditions, used))
    if any(p.severity == "error" for p in problems) or not graph_ok:
        return None, problems
    carried = shared or spec
    filled = fill_spec(carried, {name: p.default for name, p in carried.params.items()})
    below = outcomes_below(spec)
    own_names = frozenset(spec.facts) | frozenset(spec.params)
    called = dict(callees or {})
    tree = DecisionTree(
        spec=carried,
        derivations=MappingProxyType(derivations),
        conditions=MappingProxyType(conditions),
        outcomes_below=below,
        filled=filled,
        warnings=tuple(p for p in problems if p.severity == "warning"),
        callees=MappingProxyType(called),
        own_names=own_names,
    )
    return tree, problems


def _derive_mismatch(fact: Fact, result: ExprType) -> str | None:
    if fact.type == "enum":
        if result.name != "string" or result.values is None:
            return (f"derive of enum fact '{fact.name}' must give one of its values "
                    f"({', '.join(fact.values)}) as literals")
        extra = sorted(result.values - set(fact.values))
        if extra:
            return (f"derive of fact '{fact.name}' can give '{extra[0]}', which is not one of "
                    f"its values ({', '.join(fact.values)})")
        return None
    fits = result.name == fact.type or (fact.type == "number" and result.numeric)
    return None if fits else (f"derive of {fact.type} fact '{fact.name}' gives "
                              f"{result.name}")


def _derive_cycles(spec: TreeSpec, derivations: dict[str, CompiledExpr]) -> list[Diagnostic]:
    # Only a derived fact that reads a derived fact can close a cycle; most trees have none,
    # and then networkx is not imported (a load from the checked-tree cache needs it not).
    edges = [(name, read) for name, compiled in derivations.items()
             for read in sorted(compiled.names & set(derivations))]
    if not edges:
        return []
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_edges_from(edges)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return []
    names = [edge[0] for edge in cycle] + [cycle[0][0]]
    first = spec.facts[names[0]]
    return [Diagnostic(first.derive_loc, f"facts derive each other in a cycle: "
                                         f"{' -> '.join(names)}",
                       "one of them must be given, not derived", code="derive-cycle")]


def _unused(spec: TreeSpec, derivations: dict[str, CompiledExpr],
            conditions: dict[tuple[str, int], CompiledExpr], cited: set[str]) -> list[Diagnostic]:
    used: set[str] = {n.fact for n in spec.nodes.values() if isinstance(n, Gate) and n.fact}
    used |= {i.fact for n in spec.nodes.values() if isinstance(n, Checklist) for i in n.items}
    used |= {n.quorum for n in spec.nodes.values()
             if isinstance(n, Checklist) and isinstance(n.quorum, str)}
    used |= cited
    for condition in conditions.values():
        used |= condition.names
    frontier = list(used)
    while frontier:
        name = frontier.pop()
        derivation = derivations.get(name)
        if derivation is None:
            continue
        for read in derivation.names - used:
            used.add(read)
            frontier.append(read)
    warnings = []
    for kind, declared in (("fact", spec.facts), ("param", spec.params)):
        for name, decl in declared.items():
            if name not in used:
                warnings.append(Diagnostic(decl.loc, f"{kind} '{name}' is declared but never "
                                                     "used", "remove it, or use it in a gate",
                                           severity="warning", code="unused-declaration"))
    return warnings


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
