"""A compiled decision tree: immutable, shareable across threads, re-parses nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .checks import node_graph
from .decision import Decision, Missing, TreeRef
from .errors import DecisionMismatch, Diagnostic
from .expr import CompiledExpr
from .inputs import check_facts, check_params
from .model import Node, Outcome, Scalar, TreeSpec
from .text import T, fill_node
from .walk import walk

__all__ = ["DecisionTree", "reachable_outcomes"]


@dataclass(frozen=True, slots=True)
class DecisionTree:
    """A tree ready to decide: the spec plus its compiled expressions.

    `callees` holds the compiled tree each call node hands over to. For a tree that calls
    others, `spec.facts` and `spec.params` also list theirs: facts and params are shared by
    name, so whatever a called tree accepts, its caller accepts too.
    """

    spec: TreeSpec
    derivations: Mapping[str, CompiledExpr]
    conditions: Mapping[tuple[str, int], CompiledExpr]
    outcomes_below: Mapping[str, tuple[str, ...]]
    warnings: tuple[Diagnostic, ...] = ()
    callees: Mapping[str, DecisionTree] = field(default_factory=lambda: MappingProxyType({}))
    default_texts: Mapping[int, Any] = field(default_factory=lambda: MappingProxyType({}))
    own_names: frozenset[str] = frozenset()  # facts and params this tree's file declares

    def texts_of(self, item: T, overrides: Mapping[str, Scalar], params: Mapping[str, Scalar],
                 ) -> T:
        """A node or branch with its `{param}` placeholders filled.

        With default params the copy was made once at compile; only overridden params make
        a decision fill texts again.
        """
        if not overrides:
            filled: T = self.default_texts.get(id(item), item)
            return filled
        return fill_node(item, params)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> str:
        return self.spec.version

    @property
    def ref(self) -> TreeRef:
        return TreeRef(self.spec.id, self.spec.version, self.spec.sha256, self.spec.title)

    def decide(
        self,
        facts: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
    ) -> Decision:
        """Walk the tree from the given facts. Never prompts and never guesses.

        Raises InputError for unknown or mistyped facts or params. A fact the walk needs
        but cannot get makes the decision `incomplete`, naming that fact.
        """
        given = check_facts(self.spec, facts or {})
        overrides = check_params(self.spec, params or {})
        return walk(self, given, overrides)

    def check_made_with(self, made_with: TreeRef) -> None:
        """Refuse a decision or trace that another tree, or another text of this one, made."""
        ref = self.ref
        same_text = not made_with.sha256 or made_with.sha256 == ref.sha256
        if (made_with.id, made_with.version) == (ref.id, ref.version) and same_text:
            return
        raise DecisionMismatch(
            f"the decision was made with tree {made_with.id}@{made_with.version} "
            f"(sha256 {made_with.sha256[:12] or 'not recorded'}), not with "
            f"{ref.id}@{ref.version} (sha256 {ref.sha256[:12]})")

    def effective_params(self, overrides: Mapping[str, Scalar]) -> dict[str, Scalar]:
        return {name: overrides.get(name, p.default) for name, p in self.spec.params.items()}

    def asker(self, missing: Missing) -> tuple[DecisionTree, Node]:
        """The tree (this one, or one it calls) and the node that asks for a missing fact."""
        tree = self
        for call_id in missing.via:
            tree = tree.callees[call_id]
        return tree, tree.spec.nodes[missing.node]

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return tuple(n for n in self.spec.nodes.values() if isinstance(n, Outcome))


def reachable_outcomes(spec: TreeSpec) -> Mapping[str, tuple[str, ...]]:
    """For each node, the outcomes below it, in file order."""
    import networkx as nx

    graph = node_graph(spec)
    order = {node_id: i for i, node_id in enumerate(spec.nodes)}
    table = {}
    for node_id in spec.nodes:
        below = nx.descendants(graph, node_id) | {node_id}
        table[node_id] = tuple(sorted((n for n in below if isinstance(spec.nodes[n], Outcome)),
                                      key=order.__getitem__))
    return MappingProxyType(table)
