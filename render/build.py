"""From a tree (and optionally one decision) to the render model.

Extraction per node kind lives in `render.kinds`. A decision only changes states and adds
the values it read, so every format draws the same highlight; nothing here walks the tree.
With `expand`, each called tree is drawn inside a cluster next to its call, with the
called tree's own decision (from the call's step) highlighted.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import replace

from gatetree.decision import Decision, Step
from gatetree.errors import DecisionMismatch
from gatetree.tree import DecisionTree
from gatetree.values import show_value

from ._text import clean
from .diagram import Cluster, Diagram, DiagramEdge, DiagramNode, EdgeState, Line, NodeState
from .errors import RenderError
from .kinds import Context, extract
from .wording import evidence_value, tally

__all__ = ["build_diagram", "walk_order"]


def build_diagram(tree: DecisionTree, decision: Decision | None = None, *,
                  expand: bool = False) -> Diagram:
    """The render model of a tree, with a decision's path highlighted when one is given.

    `expand` adds detail: the fact each gate reads and what it is derived from, branch
    conditions, checklist items, each outcome's next steps, and every called tree drawn
    inside its call's cluster. Raises RenderError when the decision was made with
    another tree.
    """
    spec = tree.spec
    if decision is not None:
        _check_decision(tree, decision)
    params = decision.params if decision is not None else tree.effective_params({})
    context = Context(tree, tree.texts(params=params), params, expand)
    nodes: list[DiagramNode] = []
    edges: list[DiagramEdge] = []
    for node in context.spec.nodes.values():
        box, arrows = extract(node, context)
        nodes.append(box)
        edges.extend(a for a in arrows if a.target in spec.nodes)
    diagram = Diagram(
        id=spec.id, version=spec.version, title=clean(spec.title), start=spec.start,
        nodes=tuple(nodes), edges=tuple(edges),
        caption=(Line(clean(spec.title)), Line(f"{spec.id} {spec.version}", "note")),
    )
    if decision is not None:
        diagram = _highlight(diagram, decision)
    if expand:
        diagram = _expand_calls(diagram, tree, decision)
    return _ordered(diagram)


def walk_order(start: str, node_ids: Iterable[str],
               edges: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """Nodes as a reader meets them: every node after all nodes leading to it.

    Ties go to the node found first going breadth-first from the start through exits in
    order; unreachable nodes follow in file order, and a cycle never loses a node.
    """
    ids = list(node_ids)
    successors: dict[str, list[str]] = {n: [] for n in ids}
    for source, target in edges:
        successors[source].append(target)
    found = {start: 0} if start in successors else {}
    queue = list(found)
    for node_id in queue:
        for target in successors[node_id]:
            if target not in found:
                found[target] = len(found)
                queue.append(target)
    for node_id in ids:
        found.setdefault(node_id, len(found))
    indegree = dict.fromkeys(ids, 0)
    for targets in successors.values():
        for target in targets:
            indegree[target] += 1
    ready = [(found[n], n) for n in ids if indegree[n] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, node_id = heapq.heappop(ready)
        order.append(node_id)
        for target in successors[node_id]:
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, (found[target], target))
    placed = set(order)
    order.extend(sorted((n for n in ids if n not in placed), key=found.__getitem__))
    return tuple(order)


def _ordered(diagram: Diagram) -> Diagram:
    order = walk_order(diagram.start, [n.id for n in diagram.nodes],
                       [(e.source, e.target) for e in diagram.edges])
    rank = {node_id: i for i, node_id in enumerate(order)}
    nodes = sorted(diagram.nodes, key=lambda n: rank[n.id])
    edges = sorted(diagram.edges, key=lambda e: (rank[e.source], e.exit is None, e.exit or 0))
    return replace(diagram, nodes=tuple(nodes), edges=tuple(edges))


def _highlight(diagram: Diagram, decision: Decision) -> Diagram:
    on_path = set(decision.path)
    stuck = decision.path[-1] if not decision.decided and decision.path else None
    possible = set(decision.reachable_outcomes) if not decision.decided else set()
    steps = {(s.node, s.exit_index): s for s in decision.steps}  # the exits the trace took
    nodes = []
    for node in diagram.nodes:
        state: NodeState = "faded"
        body = node.body
        if node.id == stuck and decision.missing is not None:
            state = "stuck"
            body += (_needs(decision),)
        elif node.id in on_path:
            state = "path"
        elif node.id in possible:
            state = "possible"
        nodes.append(replace(node, state=state, body=body))
    edges = []
    for edge in diagram.edges:
        step = steps.get((edge.source, edge.exit)) if edge.exit is not None else None
        if step is None:
            edges.append(replace(edge, state="faded"))
        else:
            edges.append(replace(edge, state="taken", body=_values(step) + edge.body))
    return replace(diagram, nodes=tuple(nodes), edges=tuple(edges), highlighted=True,
                   caption=diagram.caption[:1] + _result(decision))


def _expand_calls(diagram: Diagram, tree: DecisionTree, decision: Decision | None) -> Diagram:
    """Each called tree inside a cluster named after its call, ids prefixed `call/`."""
    steps = {s.node: s for s in decision.steps} if decision is not None else {}
    nodes, edges, clusters = list(diagram.nodes), list(diagram.edges), list(diagram.clusters)
    for call_id, callee in tree.callees.items():
        if call_id not in tree.spec.nodes:
            continue
        step = steps.get(call_id)
        sub_decision = step.subdecision if step is not None else None
        inner = build_diagram(callee, sub_decision, expand=True)
        faded = decision is not None and sub_decision is None
        prefix = f"{call_id}/"
        nodes.extend(replace(n, id=prefix + n.id, state="faded" if faded else n.state,
                             cluster=prefix + n.cluster if n.cluster else call_id)
                     for n in inner.nodes)
        edges.extend(replace(e, id=prefix + e.id, source=prefix + e.source, target=prefix
                             + e.target, state="faded" if faded else e.state) for e in inner.edges)
        clusters.extend(replace(c, id=prefix + c.id, state="faded" if faded else c.state,
                                parent=prefix + c.parent if c.parent else call_id)
                        for c in inner.clusters)
        state: NodeState = "plain" if decision is None else "faded" if faded else "path"
        clusters.append(Cluster(call_id, f"{clean(callee.spec.title)} ({callee.id} "
                                         f"{callee.version})", "", state))
        edge_state: EdgeState = "plain" if decision is None else "faded" if faded else "taken"
        edges.append(DiagramEdge(f"{call_id}.call", call_id, prefix + callee.spec.start,
                                 "asks", "call", (), edge_state))
    return replace(diagram, nodes=tuple(nodes), edges=tuple(edges), clusters=tuple(clusters))


def _result(decision: Decision) -> tuple[Line, ...]:
    if decision.outcome is not None:
        lines = [Line(f"Outcome: {clean(decision.outcome.title)}", "value")]
    elif decision.missing is not None:
        lines = [_needs(decision)]
    else:
        lines = [Line(f"Status: {decision.status}", "value")]
    if decision.actions:
        lines.append(Line("Actions collected on the way:", "note"))
        lines.extend(Line(f"{i}. {clean(a.text)}", "action")
                     for i, a in enumerate(decision.actions, 1))
    return tuple(lines)


def _needs(decision: Decision) -> Line:
    missing = decision.missing
    assert missing is not None
    text = f"Needs: {missing.fact}"
    if missing.derivable_from:
        text += f" (or {', '.join(missing.derivable_from)} to derive it)"
    return Line(text, "value")


def _values(step: Step) -> tuple[Line, ...]:
    """The values a step used: group scores for a checklist, the outcome for a call."""
    checklist = step.checklist
    if checklist is not None:
        return tuple(Line(f"{g.group} = {show_value(g.score)} ({tally(g)})", "value")
                     for g in checklist.groups)
    sub = step.subdecision
    if sub is not None and sub.outcome is not None:
        return (Line(f"{sub.tree.id}: {sub.outcome.id}", "value"),)
    return tuple(Line(clean(evidence_value(e)), "value") for e in step.evidence)


def _check_decision(tree: DecisionTree, decision: Decision) -> None:
    spec = tree.spec
    try:
        tree.check_made_with(decision.tree)
    except DecisionMismatch as exc:
        raise RenderError(f"{exc}; draw it on the tree it was made with") from None
    unknown = [n for n in decision.path if n not in spec.nodes]
    if unknown:
        raise RenderError(f"the decision passes nodes the tree {spec.ref} does not have: "
                          f"{', '.join(unknown)}")
    # a read-back trace fits the trace schema, but an exit may still be past a node's exits
    beyond = [f"{s.node} (exit {s.exit_index})" for s in decision.steps
              if s.node in spec.nodes and s.exit_index >= len(getattr(spec.nodes[s.node],
                                                                      "exits", ()))]
    if beyond:
        raise RenderError(f"the decision takes exits the tree {spec.ref} does not have: "
                          f"{', '.join(beyond)}")

