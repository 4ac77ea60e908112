"""The node graph of a spec, and the outcomes below each node, in time linear in its size.

`node_graph` hands the graph to networkx for the load-time rules (cycles, reachability);
`outcomes_below` needs no library: one pass in reverse topological order, each node's set
an int with one bit per outcome, so a node above a long chain unions machine words instead
of copying every outcome id below it (a set of ids per node would be quadratic in size on
a chain of gates that each lead to their own outcome).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Outcome, TreeSpec

if TYPE_CHECKING:
    from networkx import DiGraph

__all__ = ["OutcomesBelow", "node_graph", "outcomes_below"]


def node_graph(spec: TreeSpec) -> DiGraph:
    """Nodes and branch edges, for the graph rules."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(spec.nodes)
    graph.add_edges_from((node_id, next_id) for node_id, nexts in _children(spec).items()
                         for next_id in nexts)
    return graph


_SPELLED = 4096  # node lookups remembered


@dataclass(frozen=True, slots=True)
class OutcomesBelow(Mapping[str, tuple[str, ...]]):
    """For each node id, the outcomes reachable from it (itself included), in file order.

    `bits[node]` has bit i set when `outcomes[i]` is below the node; a lookup spells the
    ids out, in time linear in the number of outcomes, and remembers them for the nodes
    looked up most (a walk asks at every node it is stuck at).
    """

    outcomes: tuple[str, ...]
    bits: Mapping[str, int]
    _spelled: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False,
                                                 repr=False)

    def __getitem__(self, node_id: str) -> tuple[str, ...]:
        spelled = self._spelled.get(node_id)
        if spelled is None:
            digits = bin(self.bits[node_id])[:1:-1]  # lowest bit first
            spelled = tuple(self.outcomes[i] for i, digit in enumerate(digits) if digit == "1")
            if len(self._spelled) >= _SPELLED:
                self._spelled.clear()  # a huge tree: memory stays bounded
            self._spelled[node_id] = spelled
        return spelled

    def __iter__(self) -> Iterator[str]:
        return iter(self.bits)

    def __len__(self) -> int:
        return len(self.bits)


def outcomes_below(spec: TreeSpec) -> OutcomesBelow:
    """The outcomes below every node of an acyclic spec (a branch to a missing node, or an
    edge that closes a cycle, adds nothing: such a spec never compiles)."""
    outcomes = tuple(n for n, node in spec.nodes.items() if isinstance(node, Outcome))
    own = {node_id: 1 << i for i, node_id in enumerate(outcomes)}
    children = _children(spec)
    bits: dict[str, int] = {}
    started: set[str] = set()
    for root in spec.nodes:
        stack = [root]
        while stack:  # depth first, without recursion: a chain may be any length
            node_id = stack[-1]
            if node_id not in started:
                started.add(node_id)
                stack.extend(c for c in children.get(node_id, ()) if c not in started)
                continue
            stack.pop()
            if node_id in bits:
                continue
            below = own.get(node_id, 0)
            for child in children.get(node_id, ()):
                below |= bits.get(child, 0)
            bits[node_id] = below
    return OutcomesBelow(outcomes, {node_id: bits[node_id] for node_id in spec.nodes})


def _children(spec: TreeSpec) -> dict[str, tuple[str, ...]]:
    """The distinct nodes each node's exits lead to (existing nodes only)."""
    return {node_id: tuple(dict.fromkeys(b.next for b in node.exits if b.next in spec.nodes))
            for node_id, node in spec.nodes.items() if not isinstance(node, Outcome)}
