"""A compiled decision tree: immutable, shareable across threads, re-parses nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .decision import Decision, Missing, TreeRef
from .errors import DecisionMismatch, Diagnostic
from .expr import CompiledExpr
from .inputs import check_facts, check_params
from .model import Node, Outcome, Scalar, TreeSpec
from .text import fill_spec
from .trace import recorded
from .walk import walk

__all__ = ["DecisionTree"]


@dataclass(frozen=True, slots=True)
class DecisionTree:
    """A tree ready to decide: the spec plus its compiled expressions.

    `callees` holds the compiled tree each call node hands over to. For a tree that calls
    others, `spec.facts` and `spec.params` also list theirs: facts and params are shared by
    name, so whatever a called tree accepts, its caller accepts too. `filled` is the spec
    with every `{param}` text filled by the params' defaults, made once at compile.

    A tree pickles as its source text, origin and called trees, and compiles again on
    load; copying gives the tree itself, since nothing in it ever changes.
    """

    spec: TreeSpec
    derivations: Mapping[str, CompiledExpr]
    conditions: Mapping[tuple[str, int], CompiledExpr]
    outcomes_below: Mapping[str, tuple[str, ...]]
    filled: TreeSpec = field(compare=False, repr=False)
    warnings: tuple[Diagnostic, ...] = ()
    callees: Mapping[str, DecisionTree] = field(default_factory=lambda: MappingProxyType({}))
    own_names: frozenset[str] = frozenset()  # facts and params this tree's file declares

    def texts(self, *, params: Mapping[str, Scalar] | None = None) -> TreeSpec:
        """The spec as people read it: every `{param}` text filled by `params` where they
        name one of this tree's params, by its default otherwise."""
        values = self.effective_params(params or {})
        if values == self.effective_params({}):
            return self.filled
        return fill_spec(self.spec, values)

    def __reduce__(self) -> tuple[Any, ...]:
        if not self.spec.text:
            raise TypeError(f"tree {self.spec.ref} was compiled without its source text, so "
                            "it cannot be pickled; load it with load_tree or load_text")
        from .loader import _unpickle

        return _unpickle, (self.spec.text, self.spec.path, dict(self.callees))

    def __copy__(self) -> DecisionTree:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> DecisionTree:
        return self

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
        facts: Mapping[str, Any],
        *,
        params: Mapping[str, Any] | None = None,
    ) -> Decision:
        """Walk the tree from the given facts (`{}` for none). Never prompts, never guesses.

        Raises InputError for unknown or mistyped facts or params. A fact the walk needs
        but cannot get makes the decision `incomplete`, naming that fact.
        """
        given = check_facts(self.spec, facts)
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

    def replay(self, trace: Decision | Mapping[str, Any]) -> Decision:
        """The decision a saved trace (its data, or a Decision) records, made again here.

        Raises DecisionMismatch when another tree, or another text of this one, made it,
        or when its facts no longer lead this tree along its path to its result; InputError
        when it is not a trace, or its facts or params no longer fit the tree. Traces
        written before steps recorded their exits replay too.
        """
        made_with, facts, overrides, path, status = recorded(trace)
        self.check_made_with(made_with)
        decision = self.decide(facts, params=overrides)
        if decision.path != path or decision.status != status:
            raise DecisionMismatch(
                f"the trace's facts now lead {' -> '.join(decision.path)} ({decision.status}), "
                f"not {' -> '.join(path)} ({status}) as recorded: the trace was edited, or "
                "made by another gatetree")
        return decision

    def effective_params(self, overrides: Mapping[str, Scalar]) -> dict[str, Scalar]:
        """Every param's value: the override where one is given, else the default."""
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

