"""Rules a schema cannot express: declarations, references, branch coverage and the graph."""

from __future__ import annotations

from collections.abc import Iterator

from .checklist import count_names
from .errors import Diagnostic, Location, did_you_mean
from .expr import FUNCTIONS
from .graph import node_graph
from .model import Branch, Checklist, Fact, Gate, Outcome, Param, Scalar, TreeSpec
from .values import quote_value, type_hint

__all__ = ["check_spec", "value_fits"]


def check_spec(spec: TreeSpec) -> list[Diagnostic]:
    """Every declaration, reference and graph problem of a tree, all at once."""
    problems = [*_declarations(spec), *_references(spec), *_coverage(spec), *_checklists(spec)]
    if not any(p.severity == "error" for p in problems):
        problems.extend(_graph(spec))
    return problems


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
    declared: list[Fact | Param] = [*spec.facts.values(), *spec.params.values()]
    for decl in declared:
        name = decl.name
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
            yield _error(fact.default_loc,
                         f"default of fact '{fact.name}' is not {_expected(fact)}",
                         type_hint(fact.type, fact.default, fact.values))
    for param in spec.params.values():
        if not value_fits(param.type, param.default):
            yield _error(param.default_loc, f"default of param '{param.name}' must be "
                                            f"{param.type}, got {quote_value(param.default)}",
                         type_hint(param.type, param.default))


def _references(spec: TreeSpec) -> Iterator[Diagnostic]:
    if spec.start not in spec.nodes:
        yield _error(spec.start_loc, f"start node '{spec.start}' does not exist",
                     did_you_mean(spec.start, spec.nodes))
    for node in spec.nodes.values():
        if isinstance(node, Outcome):
            continue
        for branch in node.exits:
            if branch.next not in spec.nodes:
                yield _error(branch.next_loc, f"branch of '{node.id}' goes to '{branch.next}', "
                                              "which does not exist",
                             did_you_mean(branch.next, spec.nodes))
            if branch.next == node.id:
                yield _error(branch.next_loc, f"branch of '{node.id}' goes back to itself")
        if not isinstance(node, Gate):
            continue
        if node.fact is not None and node.fact not in spec.facts:
            yield _error(node.fact_loc, f"gate '{node.id}' branches on undeclared fact "
                                        f"'{node.fact}'",
                         did_you_mean(node.fact, spec.facts) or "declare it under facts:")
        if not node.question and node.fact is None:
            yield _error(node.loc, f"gate '{node.id}' has no question",
                         "add question:, or name a fact whose question it asks")


def _coverage(spec: TreeSpec) -> Iterator[Diagnostic]:
    """Every gate leaves by some branch, whatever the answer; no branch is dead."""
    for node in spec.nodes.values():
        if not isinstance(node, Gate):
            continue
        fact = spec.facts.get(node.fact) if node.fact else None
        if fact is not None and fact.type == "enum" and not fact.values:
            continue  # reported once, as an enum without values
        seen: dict[Scalar, Branch] = {}
        unsure = False  # a branch value is wrong: "not covered" would only repeat that
        for branch in node.branches:
            if branch.shape_problem == "both":
                yield _error(branch.loc, f"branch of '{node.id}' has both 'when' and 'if'",
                             "use one of them")
                unsure = True
                continue
            if branch.shape_problem == "neither":
                yield _error(branch.loc, f"branch of '{node.id}' has neither 'when' nor 'if'",
                             "add one, or make it the gate's default:")
                unsure = True
                continue
            if branch.kind != "when":
                continue
            if node.fact is None:
                yield _error(branch.loc, f"branch of '{node.id}' uses 'when' but the gate names "
                                         "no fact", "add fact: to the gate, or use 'if'")
                continue
            if fact is None:
                continue
            if not value_fits(fact.type, branch.value, fact.values):
                unsure = True
                yield _error(branch.loc, f"'when: {_show(branch.value)}' is not "
                                         f"{_expected(fact)} (fact '{fact.name}')",
                             type_hint(fact.type, branch.value, fact.values))
                continue
            key = branch.value
            assert key is not None  # value_fits above
            if key in seen:
                yield _error(branch.loc, f"gate '{node.id}' has two branches for "
                                         f"'{_show(key)}'; the second is never taken")
            seen[key] = branch
        if node.default is not None or unsure:
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


def _checklists(spec: TreeSpec) -> Iterator[Diagnostic]:
    """Items are declared boolean facts in declared groups; group names stand alone."""
    for node in spec.nodes.values():
        if isinstance(node, Checklist):
            yield from _checklist_items(spec, node)
            yield from _checklist_groups(spec, node)
            yield from _checklist_quorum(spec, node)


def _checklist_items(spec: TreeSpec, node: Checklist) -> Iterator[Diagnostic]:
    groups = [g.name for g in node.groups]
    seen: set[str] = set()
    for item in node.items:
        fact = spec.facts.get(item.fact)
        if fact is None:
            yield _error(item.fact_loc, f"checklist '{node.id}' lists undeclared fact "
                                        f"'{item.fact}'",
                         did_you_mean(item.fact, spec.facts) or "declare it under facts:")
        elif fact.type != "boolean":
            yield _error(item.fact_loc, f"checklist item '{item.fact}' must be a boolean fact, "
                                        f"not {fact.type}", "items are yes/no questions")
        if item.fact in seen:
            yield _error(item.fact_loc, f"checklist '{node.id}' lists fact '{item.fact}' twice")
        seen.add(item.fact)
        if item.group not in groups:
            yield _error(item.group_loc, f"item '{item.fact}' is in group '{item.group}', which "
                                         f"checklist '{node.id}' does not declare",
                         did_you_mean(item.group, groups)
                         or f"groups: {', '.join(groups)}")


def _checklist_groups(spec: TreeSpec, node: Checklist) -> Iterator[Diagnostic]:
    used = {i.group for i in node.items}
    taken = {**dict.fromkeys(FUNCTIONS, "a function"), **dict.fromkeys(spec.params, "a param"),
             **dict.fromkeys(spec.facts, "a fact")}
    counts = count_names(node)
    for group in node.groups:
        if group.name not in used:
            yield _error(group.loc, f"group '{group.name}' of checklist '{node.id}' has no "
                                    "items", "put items in it, or remove it")
        clash = taken.get(group.name) or counts.get(group.name)
        if clash:
            yield _error(group.loc, f"group '{group.name}' of checklist '{node.id}' has the "
                                    f"name of {clash}",
                         "conditions read a group's score by its name; rename the group")
    for name, meaning in counts.items():
        decl = spec.facts.get(name) or spec.params.get(name)
        if decl is not None:
            yield _error(decl.loc, f"{type(decl).__name__.lower()} '{name}' has the name "
                                   f"checklist '{node.id}' gives to {meaning}",
                         "rename it: the checklist's conditions could not read it")


def _checklist_quorum(spec: TreeSpec, node: Checklist) -> Iterator[Diagnostic]:
    quorum = node.quorum
    if quorum is None:
        return
    if node.unanswered != "quorum":
        yield _error(node.quorum_loc, f"checklist '{node.id}' gives a quorum but unanswered "
                                      f"is '{node.unanswered}'",
                     "use unanswered: quorum, or remove quorum")
        return
    if isinstance(quorum, str):
        param = spec.params.get(quorum)
        if param is None:
            yield _error(node.quorum_loc, f"quorum names '{quorum}', which is not a param",
                         did_you_mean(quorum, spec.params) or "declare it under params:")
            return
        if param.type != "integer":
            yield _error(node.quorum_loc, f"quorum param '{quorum}' must be an integer, "
                                          f"not {param.type}")
            return
        if not isinstance(param.default, int) or isinstance(param.default, bool):
            return
        quorum = param.default
    if quorum > len(node.items):
        yield _error(node.quorum_loc, f"quorum {quorum} is more than the {len(node.items)} "
                                      f"items of checklist '{node.id}'")
    elif quorum < 1:
        yield _error(node.quorum_loc, f"quorum {quorum} of checklist '{node.id}' must be at "
                                      "least 1", "use unanswered: \"no\" to decide on no answers")


def _graph(spec: TreeSpec) -> Iterator[Diagnostic]:
    import networkx as nx

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
