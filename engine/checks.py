"""Rules a schema cannot express: declarations, references, branch coverage and the graph."""

from __future__ import annotations

from collections.abc import Iterator

from .checklist import count_names
from .errors import Diagnostic, did_you_mean
from .expr import FUNCTIONS
from .graph import node_graph
from .model import Branch, Checklist, Fact, Gate, Outcome, Param, Scalar, TreeSpec
from .values import quote_value, show_value, type_hint

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


def _declarations(spec: TreeSpec) -> Iterator[Diagnostic]:
    for name in sorted(set(spec.facts) & set(spec.params)):
        yield Diagnostic(spec.params[name].loc,
                         f"'{name}' is declared both as a fact and as a param",
                         "rename one of them: expressions read both by name",
                         code="name-declared-twice")
    declared: list[Fact | Param] = [*spec.facts.values(), *spec.params.values()]
    for decl in declared:
        name = decl.name
        if name in FUNCTIONS:
            yield Diagnostic(decl.loc, f"'{name}' is the name of a function in expressions",
                             "choose another name", code="name-shadows-function")
    for fact in spec.facts.values():
        if fact.type == "enum" and not fact.values:
            yield Diagnostic(fact.loc, f"enum fact '{fact.name}' lists no values",
                             "add values: [a, b, ...]", code="enum-without-values")
        if fact.type != "enum" and fact.values:
            yield Diagnostic(fact.loc, f"fact '{fact.name}' has values but is of type {fact.type}",
                             "use type: enum, or remove values", code="values-on-non-enum")
        if fact.default is not None and not value_fits(fact.type, fact.default, fact.values):
            yield Diagnostic(fact.default_loc,
                             f"default of fact '{fact.name}' is not {_expected(fact)}",
                             type_hint(fact.type, fact.default, fact.values),
                             code="default-wrong-type")
    for param in spec.params.values():
        if not value_fits(param.type, param.default):
            yield Diagnostic(param.default_loc, f"default of param '{param.name}' must be "
                                            f"{param.type}, got {quote_value(param.default)}",
                         type_hint(param.type, param.default), code="default-wrong-type")


def _references(spec: TreeSpec) -> Iterator[Diagnostic]:
    if spec.start not in spec.nodes:
        yield Diagnostic(spec.start_loc, f"start node '{spec.start}' does not exist",
                         did_you_mean(spec.start, spec.nodes), code="unknown-start")
    for node in spec.nodes.values():
        if isinstance(node, Outcome):
            continue
        for branch in node.exits:
            if branch.next not in spec.nodes:
                yield Diagnostic(branch.next_loc, f"branch of '{node.id}' goes to '{branch.next}', "
                                                  "which does not exist",
                                 did_you_mean(branch.next, spec.nodes), code="unknown-target")
            if branch.next == node.id:
                yield Diagnostic(branch.next_loc, f"branch of '{node.id}' goes back to itself",
                                 code="branch-to-itself")
        if not isinstance(node, Gate):
            continue
        if node.fact is not None and node.fact not in spec.facts:
            yield Diagnostic(node.fact_loc, f"gate '{node.id}' branches on undeclared fact "
                                            f"'{node.fact}'",
                             did_you_mean(node.fact, spec.facts) or "declare it under facts:",
                             code="undeclared-fact")
        if not node.question and node.fact is None:
            yield Diagnostic(node.loc, f"gate '{node.id}' has no question",
                             "add question:, or name a fact whose question it asks",
                             code="gate-without-question")


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
                yield Diagnostic(branch.loc, f"branch of '{node.id}' has both 'when' and 'if'",
                                 "use one of them", code="branch-when-and-if")
                unsure = True
                continue
            if branch.shape_problem == "neither":
                yield Diagnostic(branch.loc, f"branch of '{node.id}' has neither 'when' nor 'if'",
                                 "add one, or make it the gate's default:",
                                 code="branch-without-condition")
                unsure = True
                continue
            if branch.kind != "when":
                continue
            if node.fact is None:
                yield Diagnostic(branch.loc, f"branch of '{node.id}' uses 'when' but the gate "
                                             "names no fact", "add fact: to the gate, or use 'if'",
                                 code="when-without-fact")
                continue
            if fact is None:
                continue
            if not value_fits(fact.type, branch.value, fact.values):
                unsure = True
                yield Diagnostic(branch.loc, f"'when: {show_value(branch.value)}' is not "
                                             f"{_expected(fact)} (fact '{fact.name}')",
                                 type_hint(fact.type, branch.value, fact.values),
                                 code="when-wrong-type")
                continue
            key = branch.value
            assert key is not None  # value_fits above
            if key in seen:
                yield Diagnostic(branch.loc, f"gate '{node.id}' has two branches for "
                                             f"'{show_value(key)}'; the second is never taken",
                                 code="duplicate-branch")
            seen[key] = branch
        if node.default is not None or unsure:
            continue
        if any(b.kind == "if" for b in node.branches):
            yield Diagnostic(node.loc, f"gate '{node.id}' has conditions but no default",
                             "add default: so the walk never dead-ends when no condition holds",
                             code="missing-default")
        elif fact is not None:
            domain: tuple[Scalar, ...] = (
                (True, False) if fact.type == "boolean" else fact.values
            )
            missing = [v for v in domain if v not in seen]
            if fact.type in ("integer", "number", "string"):
                yield Diagnostic(node.loc, f"gate '{node.id}' branches on {fact.type} fact "
                                           f"'{fact.name}' without a default",
                                 "add default: for the values no branch names",
                                 code="missing-default")
            elif missing:
                shown = ", ".join(show_value(v) for v in missing)
                yield Diagnostic(node.loc, f"gate '{node.id}' does not cover "
                                           f"{'value' if len(missing) == 1 else 'values'} {shown} "
                                           f"of fact '{fact.name}'",
                                 "add a branch for each, or a default:", code="uncovered-values")


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
            yield Diagnostic(item.fact_loc, f"checklist '{node.id}' lists undeclared fact "
                                            f"'{item.fact}'",
                             did_you_mean(item.fact, spec.facts) or "declare it under facts:",
                             code="undeclared-fact")
        elif fact.type != "boolean":
            yield Diagnostic(item.fact_loc, f"checklist item '{item.fact}' must be a boolean fact, "
                                            f"not {fact.type}", "items are yes/no questions",
                             code="checklist-item-not-boolean")
        if item.fact in seen:
            yield Diagnostic(item.fact_loc, f"checklist '{node.id}' lists fact '{item.fact}' twice",
                             code="checklist-item-twice")
        seen.add(item.fact)
        if item.group not in groups:
            yield Diagnostic(item.group_loc, f"item '{item.fact}' is in group '{item.group}', "
                                             f"which checklist '{node.id}' does not declare",
                             did_you_mean(item.group, groups)
                             or f"groups: {', '.join(groups)}", code="unknown-group")


def _checklist_groups(spec: TreeSpec, node: Checklist) -> Iterator[Diagnostic]:
    used = {i.group for i in node.items}
    taken = {**dict.fromkeys(FUNCTIONS, "a function"), **dict.fromkeys(spec.params, "a param"),
             **dict.fromkeys(spec.facts, "a fact")}
    counts = count_names(node)
    for group in node.groups:
        if group.name not in used:
            yield Diagnostic(group.loc, f"group '{group.name}' of checklist '{node.id}' has no "
                                        "items", "put items in it, or remove it",
                             code="empty-group")
        clash = taken.get(group.name) or counts.get(group.name)
        if clash:
            yield Diagnostic(group.loc, f"group '{group.name}' of checklist '{node.id}' has the "
                                        f"name of {clash}",
                             "conditions read a group's score by its name; rename the group",
                             code="group-name-clash")
    for name, meaning in counts.items():
        decl = spec.facts.get(name) or spec.params.get(name)
        if decl is not None:
            yield Diagnostic(decl.loc, f"{type(decl).__name__.lower()} '{name}' has the name "
                                       f"checklist '{node.id}' gives to {meaning}",
                             "rename it: the checklist's conditions could not read it",
                             code="group-name-clash")


def _checklist_quorum(spec: TreeSpec, node: Checklist) -> Iterator[Diagnostic]:
    quorum = node.quorum
    if quorum is None:
        return
    if node.unanswered != "quorum":
        yield Diagnostic(node.quorum_loc, f"checklist '{node.id}' gives a quorum but unanswered "
                                          f"is '{node.unanswered}'",
                         "use unanswered: quorum, or remove quorum", code="quorum-without-policy")
        return
    if isinstance(quorum, str):
        param = spec.params.get(quorum)
        if param is None:
            yield Diagnostic(node.quorum_loc, f"quorum names '{quorum}', which is not a param",
                             did_you_mean(quorum, spec.params) or "declare it under params:",
                             code="unknown-quorum-param")
            return
        if param.type != "integer":
            yield Diagnostic(node.quorum_loc, f"quorum param '{quorum}' must be an integer, "
                                              f"not {param.type}", code="quorum-param-type")
            return
        if not isinstance(param.default, int) or isinstance(param.default, bool):
            return
        quorum = param.default
    if quorum > len(node.items):
        yield Diagnostic(node.quorum_loc, f"quorum {quorum} is more than the {len(node.items)} "
                                          f"items of checklist '{node.id}'",
                         code="quorum-too-large")
    elif quorum < 1:
        yield Diagnostic(node.quorum_loc, f"quorum {quorum} of checklist '{node.id}' must be at "
                                          "least 1",
                         "use unanswered: \"no\" to decide on no answers", code="quorum-too-small")


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
        yield Diagnostic(first.loc, f"cycle: {' -> '.join(ids)}",
                         "a decision tree must not loop; point one branch at a later node",
                         code="graph-cycle")
    reachable = nx.descendants(graph, spec.start) | {spec.start}
    for node_id, node in spec.nodes.items():
        if node_id not in reachable:
            yield Diagnostic(node.loc, f"node '{node_id}' cannot be reached from start "
                                       f"'{spec.start}'", "point a branch at it, or remove it",
                             code="unreachable-node")


def _expected(fact: Fact) -> str:
    if fact.type == "enum":
        return f"one of: {', '.join(fact.values)}"
    return f"a{'n' if fact.type[0] in 'aeiou' else ''} {fact.type}"
