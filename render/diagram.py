"""The render model: what a picture of a tree shows, apart from how any format draws it.

A node has a kind, a title and body lines; an edge has an id, a label, body lines and a
kind. Ids come from the tree (node ids, and `gate.exit-index` for edges), so highlighting a
decision never depends on the order in which edges are written out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Cluster", "Diagram", "DiagramEdge", "DiagramNode", "EdgeKind", "EdgeState", "Line",
           "LineStyle", "NodeKind", "NodeState", "edge_id"]

NodeKind = Literal["gate", "outcome", "checklist", "call"]
"""The tree's node kinds, closed: extraction checks it with assert_never, and each format's
tables are keyed by it (a test holds them complete)."""
EdgeKind = Literal["when", "if", "default", "call"]
"""A branch's kind, or 'call' for a call's arrow into the tree it calls."""
LineStyle = Literal["text", "action", "value", "note"]
NodeState = Literal["plain", "path", "stuck", "possible", "faded"]
EdgeState = Literal["plain", "taken", "faded"]


@dataclass(frozen=True, slots=True)
class Line:
    """One paragraph of a label, with a style that says what it is, not how it looks."""

    text: str
    style: LineStyle = "text"


@dataclass(frozen=True, slots=True)
class DiagramNode:
    """A box for one tree node, of the node's kind."""

    id: str
    kind: NodeKind
    title: str
    body: tuple[Line, ...] = ()
    state: NodeState = "plain"
    cluster: str = ""


@dataclass(frozen=True, slots=True)
class DiagramEdge:
    """An arrow for one exit of a node, of the exit's kind.

    `exit` counts the exit in its node's exits, as a decision's steps do (None for an arrow
    that is no exit, such as a call's arrow into the tree it calls).
    """

    id: str
    source: str
    target: str
    label: str
    kind: EdgeKind
    body: tuple[Line, ...] = ()
    state: EdgeState = "plain"
    exit: int | None = None


@dataclass(frozen=True, slots=True)
class Cluster:
    """A framed group of nodes: a called tree drawn inside the tree that calls it."""

    id: str
    title: str
    parent: str = ""
    state: NodeState = "plain"


@dataclass(frozen=True, slots=True)
class Diagram:
    """A tree (optionally with one decision on it), nodes in walk order.

    `caption` is the headline: the title, then for a decision its result and the actions
    it collected. A node whose `cluster` is not "" is drawn inside that cluster.
    """

    id: str
    version: str
    title: str
    start: str
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    caption: tuple[Line, ...] = ()
    highlighted: bool = False
    clusters: tuple[Cluster, ...] = ()

    def inside(self, cluster: str) -> tuple[tuple[DiagramNode, ...], tuple[Cluster, ...]]:
        """The nodes and the clusters drawn directly in a cluster ('' is the top level)."""
        return (tuple(n for n in self.nodes if n.cluster == cluster),
                tuple(c for c in self.clusters if c.parent == cluster))

    def node(self, node_id: str) -> DiagramNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)


def edge_id(node_id: str, exit_index: int) -> str:
    """The id of a node's exit: tree ids never hold '.', so it cannot clash with a node id."""
    return f"{node_id}.{exit_index}"

