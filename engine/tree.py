"""A compiled decision tree: immutable, shareable across threads, re-parses nothing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, overload

from .decision import Decision, Missing, TreeRef, Verdict
from .errors import DecisionMismatch, Diagnostic
from .expr import CompiledExpr
from .model import Node, Outcome, Scalar, TreeSpec
from .plan import Plan, build_plan
from .record import walk
from .text import fill_spec
from .trace import recorded

if TYPE_CHECKING:
    from .batch import BatchRow

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
    _plan: Plan = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # What every decision reads, made once from the fields above (gatetree.plan).
        plan = build_plan(self.spec, self.filled, self.derivations, self.conditions,
                          {call: callee._plan for call, callee in self.callees.items()},
                          self.own_names, self.outcomes_below)
        object.__setattr__(self, "_plan", plan)

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

    def __dask_tokenize__(self) -> object:
        """What Dask hashes a tree by when it ships one to its workers: the text it was
        compiled from, never the code and caches its plan makes as it decides."""
        return ("gatetree.DecisionTree", self.spec.sha256, self.spec.path,
                tuple((call, tree.__dask_tokenize__()) for call, tree in
                      sorted(self.callees.items())))

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
        return self._plan.ref

    @overload
    def decide(self, facts: Mapping[str, Any], *, params: Mapping[str, Any] | None = None,
               trace: Literal[True] = True) -> Decision: ...
    @overload
    def decide(self, facts: Mapping[str, Any], *, params: Mapping[str, Any] | None = None,
               trace: Literal[False]) -> Verdict: ...
    @overload
    def decide(self, facts: Mapping[str, Any], *, params: Mapping[str, Any] | None = None,
               trace: bool) -> Decision | Verdict: ...
    def decide(
        self,
        facts: Mapping[str, Any],
        *,
        params: Mapping[str, Any] | None = None,
        trace: bool = True,
    ) -> Decision | Verdict:
        """Walk the tree from the given facts (`{}` for none). Never prompts, never guesses.

        Raises InputError for unknown or mistyped facts or params. A fact the walk needs
        but cannot get makes the decision `incomplete`, naming that fact. With
        `trace=False` the result is a Verdict: outcome, status, path, actions and the
        missing fact, without the trace, for hot paths that only act on the result.
        """
        plan = self._plan
        given = plan.checker(facts)
        if trace and given is facts:
            given = dict(given)  # the trace keeps them: the caller's dict may change later
        overrides = plan.param_checker(params) if params else {}
        if overrides is params:
            overrides = dict(overrides)  # a run keeps its overrides, traced or not
        return walk(plan, given, overrides, trace=trace)

    def decide_many(self, records: Iterable[object], *, workers: int = 1, trace: bool = False,
                    params: Mapping[str, Any] | None = None) -> Iterator[BatchRow]:
        """A BatchRow for every record, in order, errors as values (see gatetree.batch):
        a record that does not fit the tree gives an error row with the message `decide`
        raises, and never stops the others. `workers` > 1 decides in that many processes
        (0: one per CPU); bad `params` raise InputError at once."""
        from .batch import decide_many

        return decide_many(self, records, workers=workers, trace=trace, params=params)

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

