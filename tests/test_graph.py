"""The outcomes below each node: the same as searching from every node, in one pass."""

from __future__ import annotations

from types import ModuleType

import networkx as nx
import pytest

from gatetree import builtin_trees, load_text, load_tree
from gatetree.graph import node_graph, outcomes_below
from gatetree.model import Outcome, TreeSpec


def _searched(spec: TreeSpec) -> dict[str, tuple[str, ...]]:
    """What the pass must give: a search from every node (quadratic, for checking only)."""
    graph = node_graph(spec)
    return {node_id: tuple(n for n in spec.nodes if isinstance(spec.nodes[n], Outcome)
                           and (n == node_id or n in nx.descendants(graph, node_id)))
            for node_id in spec.nodes}


@pytest.mark.parametrize("ref", [t.id for t in builtin_trees()])
def test_outcomes_below_each_node_of_the_built_in_trees(ref: str) -> None:
    spec = load_tree(ref).spec
    assert dict(outcomes_below(spec)) == _searched(spec)


@pytest.mark.parametrize("shape", ["chain_tree", "balanced_tree"])
def test_outcomes_below_each_node_of_generated_trees(generated: ModuleType, shape: str) -> None:
    spec = load_text(getattr(generated, shape)(61)).spec
    below = outcomes_below(spec)
    assert dict(below) == _searched(spec)
    assert list(below) == list(spec.nodes)


def test_a_chain_deeper_than_the_recursion_limit(generated: ModuleType) -> None:
    spec = load_text(generated.line_tree(10_000)).spec
    below = outcomes_below(spec)
    assert below["g-0"] == ("end",)
    assert len(below) == 10_001


def test_a_chain_of_gates_each_with_its_own_outcome(generated: ModuleType) -> None:
    below = outcomes_below(load_text(generated.chain_tree(2001)).spec)
    assert below["g-0"] == (*(f"o-{i}" for i in range(1000)), "end")
    assert below["g-999"] == ("o-999", "end")
    assert below["o-5"] == ("o-5",)
