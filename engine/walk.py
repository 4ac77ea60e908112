"""Walk a compiled plan from facts to a record of the decision.

A run records only what a trace needs: each node passed with the exit it took and the
names it read, every value with where it came from, the actions collected. The rich
`Decision` (steps, evidence) is built from the record when first read (`gatetree.record`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from . import bounds, fastpath, partial
from .checklist import effective_quorum
from .decision import CollectedAction, Missing
from .errors import Diagnostic, EvaluationError, InputError, Location
from .model import Branch, Call, Checklist, Gate, Node, Scalar
from .plan import CALL, CHECKLIST, GATE, OUTCOME, ExitPlan, FactPlan, NodePlan, Plan
from .text import fill, fill_node

__all__ = ["DEFAULT", "FORCED", "OPEN", "OUTER", "NeedFact", "Run", "leaves"]

DEFAULT = "default"  # how a value came: the fact's default
OUTER = "outer"  # read from the calling tree's run
FORCED = "forced"  # a step's extra: the exit was forced (what-if)
_NO_NAMES: Mapping[str, Any] = {}
_NO_SETTLED: Mapping[Any, str] = MappingProxyType({})  # a run's, until something settles
_NONE: frozenset[str] = frozenset()
OPEN = _OPEN = object()  # a checklist item without an answer
MEMO_SIZE = 1024  # checklist look-aheads a plan remembers before it starts afresh


class NeedFact(Exception):
    """Raised inside evaluation when a fact is needed and unknown.

    `exits` narrows the exits still possible at the node (None: any of them); `inner` is
    what a called tree is missing, when the need arose there.
    """

    def __init__(self, fact: str, derivable_from: tuple[str, ...] = (), *,
                 exits: tuple[int, ...] | None = None, inner: Missing | None = None) -> None:
        super().__init__(fact)
        self.fact = fact
        self.derivable_from = derivable_from
        self.exits = exits
        self.inner = inner


class Run:
    """One decision in progress with one tree; a called tree's run has the caller's as `outer`
    and takes from it every name the caller declares, so both read one value per name."""

    # What most runs never set is read from the class until a run sets its own, so a run
    # costs little to make: most decisions are decided by generated code (gatetree.fastpath)
    # that reads none of it.
    outer: Run | None = None
    forced: Mapping[str, int] | None = None
    changed: frozenset[str] = _NONE  # the params whose value is not the default
    settled: Mapping[Any, str] = _NO_SETTLED  # what settled an expression past an unknown
    # fact: by derived fact, and by (node id, exit index) for a gate's condition
    status = "decided"
    outcome: NodePlan | None = None
    missing: Missing | None = None
    reachable: tuple[str, ...] = ()
    built: Any = None  # the record's builder, once a trace is read
    failed: dict[str, NeedFact]  # made when first read (__getattr__), as are the two below
    texts: dict[str, Node]
    reads: list[str]

    def __init__(self, plan: Plan, facts: Mapping[str, Scalar], overrides: Mapping[str, Scalar],
                 params: Mapping[str, Scalar], *, outer: Run | None = None, trace: bool = True,
                 forced: Mapping[str, int] | None = None) -> None:
        self.plan = plan
        self.facts = facts
        self.overrides = overrides
        self.params = params
        self.trace = trace
        self.how: dict[str, Any] = {}  # derived: the names read; else DEFAULT or OUTER
        if trace:
            self.steps: list[tuple[NodePlan, int, list[str], Any]] = []
        self.path: list[str] = []
        self.actions: list[CollectedAction] = []
        if outer is None:
            self.known: dict[str, Any] = {**facts, **params}
        else:  # a name the caller declares reads as the caller's value (see _resolve),
            self.outer = outer  # once the caller has one; every other as given here
            self.known = known = {**facts, **params}
            outer_known = outer.known
            for name in known.keys() & outer.plan.own_names:
                if name in outer_known:
                    known[name] = outer_known[name]
                    self.how[name] = OUTER
                else:
                    del known[name]
        if forced:
            self.forced = forced
        if overrides:
            self.changed = _changed(plan.defaults, overrides)

    def __getattr__(self, name: str) -> Any:
        """What the table walker uses, made the first time it is read."""
        if name in ("failed", "texts"):  # the unknown names with what would derive them;
            made: Any = {}  # the node texts filled by this run's params
        elif name in ("reads", "steps"):  # the names read at the node being decided; the
            made = []  # steps, for a run with a trace
        else:
            raise AttributeError(name)
        setattr(self, name, made)
        return made

    # --- values ------------------------------------------------------------------------
    def value(self, name: str) -> Any:
        """A fact's or param's value; raises NeedFact when it is unknown."""
        try:
            return self.known[name]
        except KeyError:
            return self._resolve(name)

    def read(self, name: str) -> Any:
        """A value, recorded as read at the node being decided when the run keeps a trace.

        A method, not a bound method kept on the run: that would make every run a reference
        cycle, freed only by the garbage collector."""
        return self._read_recorded(name) if self.trace else self.value(name)

    def _read_recorded(self, name: str) -> Any:
        """A value, recorded as read at the node being decided."""
        try:
            value = self.known[name]
        except KeyError:
            value = self._resolve(name)
        reads = self.reads
        if name not in reads:
            reads.append(name)
        return value

    def _resolve(self, name: str) -> Any:
        outer = self.outer
        if outer is not None:
            if name in outer.plan.own_names:
                value = self.known[name] = outer.value(name)
                self.how[name] = OUTER
                return value
            if name in self.params:
                value = self.known[name] = self.params[name]
                return value
            if name in self.facts:
                value = self.known[name] = self.facts[name]
                return value
        failed = self.failed.get(name)
        if failed is not None:
            raise failed.with_traceback(None)  # made once per decision: raised often
        fact = self.plan.facts[name]
        if fact.derive is not None and outer is None and \
                self.known.keys().isdisjoint(fact.derive_names):
            alone = self._alone(fact)
            if alone is not None:  # nothing it reads is known: settled, or as unknown as ever
                return self._settled_alone(fact, alone)
        if fact.derive is not None:
            saved = self.reads
            inputs = self.reads = []
            try:
                value = fact.derive(self.read, _NO_NAMES)
            except NeedFact:  # some fact is unknown: do the known ones settle it?
                try:
                    value = self._partially_derived(name)
                finally:
                    self.reads = saved
            except (ArithmeticError, TypeError, ValueError) as exc:
                self.reads = saved
                raise self._failure(fact.expression, exc) from None
            else:
                self.reads = saved
            if value is not partial.UNKNOWN:
                self.known[name] = value
                self.how[name] = tuple(inputs)
                return value
        if fact.default is not None:
            self.known[name] = fact.default
            self.how[name] = DEFAULT
            return fact.default
        self.failed[name] = NeedFact(name)
        raise self.failed[name]  # no local holds it: its traceback holds this frame

    def _alone(self, fact: FactPlan) -> tuple[partial.Partial, tuple[str, ...]] | None:
        """A derivation three-valued with none of its inputs known, when each is a fact only
        a caller gives (not derived, no default), with the facts that would settle it: the
        same every time, so made once."""
        found = self.plan.alone.get(fact.name, _OPEN)
        if found is _OPEN:
            found = None
            plans = self.plan.facts
            if fact.expression is not None and all(
                    n in plans and plans[n].derive is None and plans[n].default is None
                    for n in fact.derive_names):
                def unknown(name: str) -> Any:
                    raise NeedFact(name)

                try:
                    value = partial.evaluate(fact.expression.text, unknown, _NO_NAMES, NeedFact)
                except (ArithmeticError, TypeError, ValueError):
                    pass  # the walk says how it fails
                else:  # kept without the unknowns, whose tracebacks hold this run
                    found = (partial.Partial(value.value, (), value.settled_by),
                             leaves(value.needs))
            self.plan.alone[fact.name] = found
        return found  # type: ignore[no-any-return]

    def _settled_alone(self, fact: FactPlan,
                       alone: tuple[partial.Partial, tuple[str, ...]]) -> Any:
        name = fact.name
        found, needs = alone
        if found.settled_by is not None:
            self._settle(name, found.settled_by)
        if found.known:
            self.known[name] = found.value
            self.how[name] = ()  # it read no value
            return found.value
        if fact.default is not None:
            self.known[name] = fact.default
            self.how[name] = DEFAULT
            return fact.default
        self.failed[name] = NeedFact(name, needs)
        raise self.failed[name]

    def _partially_derived(self, name: str) -> Any:
        """A derivation three-valued: its value, or UNKNOWN when the fact has a default to
        fall back on; NeedFact (the unknowns that matter) when it has none."""
        fact = self.plan.facts[name]
        expression = fact.expression
        assert expression is not None
        try:
            found = partial.evaluate(expression.text, self.read, _NO_NAMES, NeedFact)
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise self._failure(expression, exc) from None
        if found.settled_by is not None:
            self._settle(name, found.settled_by)
        if not found.known and fact.default is None:
            self.failed[name] = NeedFact(name, leaves(found.needs))
            raise self.failed[name]
        return found.value

    def _settle(self, key: Any, operand: str) -> None:
        settled = {} if self.settled is _NO_SETTLED else dict(self.settled)
        settled[key] = operand
        self.settled = settled

    @staticmethod
    def _failure(expression: Any, exc: Exception) -> EvaluationError:
        return EvaluationError(expression.location,
                               f"cannot evaluate {expression.text!r}: {exc}")

    # --- texts -------------------------------------------------------------------------
    def node_text(self, node: NodePlan) -> Node:
        """The node with its `{param}` texts filled by this run's params."""
        if not self.changed or node.cites.isdisjoint(self.changed):
            return self.plan.filled.nodes[node.id]
        filled = self.texts.get(node.id)
        if filled is None:  # filled once per tree for the same values of the params it names
            params = self.params
            key = (node.id, frozenset((p, type(params[p]), params[p]) for p in node.cites))
            texts = self.plan.texts
            filled = texts.get(key)
            if filled is None:
                filled = fill_node(node.node, params)
                if len(texts) >= MEMO_SIZE:
                    texts.clear()
                texts[key] = filled
            self.texts[node.id] = filled
        return filled

    def question(self, fact: str) -> str:
        """A fact's question, filled by this run's params."""
        plan = self.plan
        if not self.changed or plan.facts[fact].cites.isdisjoint(self.changed):
            return plan.filled.facts[fact].question
        return fill(plan.spec.facts[fact].question, self.params)

    # --- the walk ----------------------------------------------------------------------
    def walk(self) -> Run:
        if not self.forced:
            mode = self.trace if self.outer is None else self.trace + 2
            generated = self.plan.generated.get(mode) or fastpath.entry(self.plan, mode)
            if generated is not None:
                generated(self)
                self.__dict__.pop("failed", None)  # as below
                return self
        node_id: str | None = self.plan.start
        while node_id is not None:
            node_id = self.step(node_id)
        self.__dict__.pop("failed", None)  # its exceptions hold frames that hold this run
        return self

    def step(self, node_id: str) -> str | None:
        """Decide one node: the id of the next one, or None once the walk has ended."""
        self.path.append(node_id)
        node = self.plan.nodes[node_id]
        kind = node.kind
        if kind == OUTCOME:
            self.outcome = node
            return None
        self.reads = []
        extra: Any = None
        forced = self.forced
        try:
            if forced and node_id in forced:
                index, extra = forced[node_id], FORCED
            elif kind == GATE:
                index = self._gate(node)
            elif kind == CHECKLIST:
                index, extra = self._checklist(node)
            else:
                index, extra = self._call(node, self.trace)
        except NeedFact as need:
            self.stuck(node, need)
            return None
        exit_ = node.exits[index]
        if self.trace:
            self.steps.append((node, index, self.reads, extra))
        if kind == CALL and extra is not FORCED and extra.actions:
            self.actions.extend(self.called_actions(node_id, extra.actions))
        if exit_.collected:
            if self.changed and not node.cites.isdisjoint(self.changed):
                self.collect(node, index)
            else:
                self.actions.extend(exit_.collected)
        return exit_.next

    def call(self, node: NodePlan) -> tuple[int, Run]:
        """A call's exit and the called tree's run (for generated code, gatetree.fastpath)."""
        return self._call(node, self.trace)

    def called_actions(self, node_id: str, actions: list[CollectedAction],
                        ) -> list[CollectedAction]:
        """A called tree's actions as the caller collects them, each named by the call
        node and the node that collected it (made once per action, then remembered)."""
        made = self.plan.called_actions
        found = []
        for action in actions:
            key = (node_id, action)
            prefixed = made.get(key)
            if prefixed is None:
                prefixed = CollectedAction(f"{node_id}/{action.node}", action.text)
                if len(made) < MEMO_SIZE:
                    made[key] = prefixed
            found.append(prefixed)
        return found

    def collect(self, node: NodePlan, index: int) -> None:
        """Collect an exit's actions with their texts filled by this run's params."""
        text = self.node_text(node)
        assert isinstance(text, (Gate, Checklist, Call))
        self.actions.extend(CollectedAction(node.id, t) for t in text.exits[index].actions)

    def stuck(self, node: NodePlan, need: NeedFact) -> None:
        """End the walk at a node for a fact it needs (generated code calls it too)."""
        self.status = "incomplete"
        if need.inner is not None:
            self.missing = replace(need.inner, via=(node.id, *need.inner.via))
        else:
            self.missing = Missing(need.fact, self.question(need.fact), node.id,
                                   need.derivable_from)
        self.reachable = self._still_reachable(node, need.exits)

    def _still_reachable(self, stuck: NodePlan, exits: tuple[int, ...] | None,
                         ) -> tuple[str, ...]:
        """Outcomes reachable from a stuck node, following known answers below it."""
        nodes, below = self.plan.nodes, self.plan.outcomes_below
        found: set[str] = set()
        stack = [e.next for e in stuck.exits if exits is None or e.index in exits]
        seen: set[str] = set()
        while stack:
            node_id = stack.pop()
            if node_id in seen:
                continue
            seen.add(node_id)
            node = nodes[node_id]
            if node.kind == OUTCOME:
                found.add(node_id)
                continue
            if found.issuperset(below[node_id]):
                continue  # nothing new below: its answers cannot add an outcome
            self.reads = []
            try:
                if node.kind == GATE:
                    index = self._gate(node)
                elif node.kind == CHECKLIST:
                    index = self._checklist(node)[0]
                else:
                    index = self._call(node, False)[0]
            except NeedFact as need:
                stack.extend(e.next for e in node.exits
                             if need.exits is None or e.index in need.exits)
            else:
                stack.append(node.exits[index].next)
        return tuple(o for o in self.plan.outcomes_below[stuck.id] if o in found)

    # --- choosing an exit --------------------------------------------------------------
    def _gate(self, node: NodePlan) -> int:
        """The first exit of a gate that holds."""
        when = node.when
        if when is not None:
            assert node.fact is not None
            value = self.read(node.fact)
            index = when.get(value)
            if index is not None:
                expected = node.exits[index].branch.value
                if type(value) is type(expected) or same(value, expected):
                    return index
                for exit_ in node.exits:  # 1 and True share a key; find the one that holds
                    if exit_.branch.kind == "when" and same(value, exit_.branch.value):
                        return exit_.index
            if node.default is not None:
                return node.default
            raise AssertionError(f"gate {node.id!r} has no exit for {value!r}; "
                                 "checks guarantee one")
        value = self.read(node.fact) if node.fact is not None else None
        for exit_ in node.exits:
            kind = exit_.branch.kind
            if kind == "when":
                if same(value, exit_.branch.value):
                    return exit_.index
            elif kind == "if":
                assert exit_.evaluate is not None
                try:
                    holds = exit_.evaluate(self.read, _NO_NAMES)
                except NeedFact:
                    holds = self._truth(node, exit_)
                    if holds is partial.UNKNOWN:
                        first = self._unknown_in(exit_)
                        raise NeedFact(first.fact, first.derivable_from,
                                       exits=self._open_exits(node, exit_.index, value)
                                       ) from None
                except (ArithmeticError, TypeError, ValueError) as exc:
                    raise self._failure(exit_.condition, exc) from None
                if holds:
                    return exit_.index
            else:
                return exit_.index
        raise AssertionError(f"gate {node.id!r} has no exit for {value!r}; checks guarantee one")

    def _condition(self, node: NodePlan, exit_: ExitPlan) -> Any:
        """Whether a gate's condition holds: its plain code first; when that reads an unknown
        fact, three-valued (True, False or partial.UNKNOWN)."""
        try:
            return self._holds(exit_, _NO_NAMES)
        except NeedFact:
            return self._truth(node, exit_)

    def _truth(self, node: NodePlan, exit_: ExitPlan) -> Any:
        """A condition three-valued, recording the operand that settled it."""
        found = self._partially(exit_)
        if found.settled_by is not None:
            self._settle((node.id, exit_.index), found.settled_by)
        return found.value

    def _partially(self, exit_: ExitPlan) -> partial.Partial:
        assert exit_.condition is not None
        try:
            return partial.evaluate(exit_.condition.text, self.read, _NO_NAMES, NeedFact)
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise self._failure(exit_.condition, exc) from None

    def _unknown_in(self, exit_: ExitPlan) -> NeedFact:
        """The first unknown, in reading order, that would settle an unsettled condition."""
        needs = self._partially(exit_).needs
        assert needs, "an unsettled condition reads an unknown fact"
        return needs[0]  # type: ignore[no-any-return]

    def _open_exits(self, node: NodePlan, stuck: int, value: Any) -> tuple[int, ...]:
        """The exits a gate stuck at exit `stuck` may still take: that one, and each after it
        whose condition is not known to fail, up to one known to hold."""
        possible = [stuck]
        for exit_ in node.exits[stuck + 1:]:
            kind = exit_.branch.kind
            if kind == "when":
                holds: Any = same(value, exit_.branch.value)
            elif kind == "if":
                try:
                    holds = self._condition(node, exit_)
                except EvaluationError:
                    holds = partial.UNKNOWN  # it may not fail once the facts are known
            else:
                holds = True
            if holds is partial.UNKNOWN or holds:
                possible.append(exit_.index)
            if holds is not partial.UNKNOWN and holds:
                break
        return tuple(possible)

    def _holds(self, exit_: ExitPlan, own: Mapping[str, Any]) -> Any:
        assert exit_.evaluate is not None and exit_.condition is not None
        try:
            return exit_.evaluate(self.read, own)
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise EvaluationError(exit_.condition.location,
                                  f"cannot evaluate {exit_.condition.text!r}: {exc}") from None

    def _checklist(self, node: NodePlan) -> tuple[int, Any]:
        """Score the answered items; decide when the policy allows, or when no answer to the
        open items could change the exit (told from each group's bounds)."""
        plan = node.checklist
        spec = node.node
        assert plan is not None and isinstance(spec, Checklist)
        answers: list[bool | None] = []
        first: str | None = None  # the first open item, asked when the checklist cannot settle
        for fact in plan.facts:
            value = self.answer(fact)
            if value is _OPEN:
                answers.append(None)
                first = first or fact
            else:
                answers.append(bool(value))
        quorum = self.read(spec.quorum) if isinstance(spec.quorum, str) else spec.quorum
        items = len(plan.facts)
        if spec.unanswered == "quorum" and quorum is not None and not 1 <= quorum <= items:
            # Only an override can get here: load checks the defaults. Refuse, never clamp.
            raise InputError([Diagnostic(
                Location("params"), f"param '{spec.quorum}' is {quorum}, but checklist "
                                    f"'{spec.id}' can wait for 1 to {items} answers",
                code="quorum-out-of-range")])
        answered = items - answers.count(None)
        if answered >= effective_quorum(spec, quorum):
            scores: list[int | float] = [0] * len(plan.groups)
            for answer, group, weight in zip(answers, plan.item_group, plan.weights,
                                             strict=True):
                if answer:
                    scores[group] += weight
            own = bounds.scope(plan, scores, answered)
            for exit_ in node.exits:
                if exit_.evaluate is None or self._holds(exit_, own):
                    return exit_.index, (tuple(answers), quorum, False)
            raise AssertionError(f"checklist {node.id!r} has no default; checks guarantee one")
        assert first is not None, "an unsettled checklist has an open item"
        return self.look_ahead(node, tuple(answers), quorum, first)

    def look_ahead(self, node: NodePlan, answers: tuple[bool | None, ...], quorum: int | None,
                   first: str) -> tuple[int, Any]:
        """A checklist short of answers: its exit when no answer to the open items could
        change it; else NeedFact for the first open item, with the exits still possible."""
        exits = self._possible(node, answers, quorum)
        if exits is None or len(exits) != 1:
            failed = self.failed.get(first)
            raise NeedFact(first, failed.derivable_from if failed else (), exits=exits)
        return exits[0], (answers, quorum, True)

    def answer(self, fact: str) -> Any:
        """A checklist item's value, or OPEN; a plain unanswered fact raises nothing
        (generated code calls it too)."""
        value = self.known.get(fact, _OPEN)
        if value is not _OPEN:
            return value
        plan = self.plan.facts[fact]
        if (self.outer is None and plan.derive is None and plan.default is None) or \
                fact in self.failed:
            return _OPEN
        try:
            return self._resolve(fact)
        except NeedFact:
            return _OPEN

    def _possible(self, node: NodePlan, answers: tuple[bool | None, ...], quorum: int | None,
                  ) -> tuple[int, ...] | None:
        """The exits the open items could lead to, from the plan's memo when the same
        answers and params came before (replaying the params read, for the trace)."""
        assert node.checklist is not None
        key = (node.id, answers, quorum,
               tuple(self.value(n) for n in node.checklist.params))
        memo = self.plan.memo
        found = memo.get(key)
        if found is None:
            saved = self.reads
            read: list[str] = []
            self.reads = read
            try:
                exits = bounds.possible_exits(node, answers, quorum, self._read_recorded)
            finally:
                self.reads = saved
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            found = memo[key] = (exits, tuple(read))
        for name in found[1]:
            self.read(name)
        return found[0]

    def _call(self, node: NodePlan, trace: bool) -> tuple[int, Run]:
        """Decide with the called tree from the facts and params it shares by name."""
        callee = self.plan.callees[node.id]
        # The caller's values of the params it shares stand in the called tree (its texts
        # too): the same for every run without overrides, so made once for those.
        made = None if self.overrides else self.plan.calls.get(node.id)
        if made is None:
            made = self._callee_params(callee)
            if not self.overrides:
                self.plan.calls[node.id] = made
        overrides, params = made
        sub = Run(callee, self.facts, overrides, params, outer=self, trace=trace).walk()
        spec = node.node
        assert isinstance(spec, Call)
        if sub.outcome is None:
            assert sub.missing is not None
            exits = tuple(e.index for e in node.exits
                          if any(handles(spec, e.branch, o) for o in sub.reachable))
            raise NeedFact(sub.missing.fact, sub.missing.derivable_from, exits=exits,
                           inner=sub.missing)
        assert node.when is not None
        index = node.when.get(sub.outcome.id, node.default)
        if index is None:
            raise AssertionError(f"call {node.id!r} has no exit for {sub.outcome.id!r}; "
                                 "checks guarantee one")
        return index, sub

    def _callee_params(self, callee: Plan) -> tuple[dict[str, Scalar], Mapping[str, Scalar]]:
        shared = callee.spec.params
        overrides = {k: v for k, v in self.params.items()
                     if k in shared and k in self.plan.own_names}
        overrides.update({k: v for k, v in self.overrides.items() if k in shared})
        params: Mapping[str, Scalar] = callee.defaults
        if overrides:
            params = {**callee.defaults, **overrides}
        return overrides, params


def _changed(defaults: Mapping[str, Scalar], overrides: Mapping[str, Scalar]) -> frozenset[str]:
    return frozenset(k for k, v in overrides.items() if v != defaults[k])


def leaves(needs: tuple[NeedFact, ...]) -> tuple[str, ...]:
    """The facts to give for some unknowns, in their order: a derived one's own inputs."""
    return tuple(dict.fromkeys(n for need in needs for n in (need.derivable_from or (need.fact,))))


def handles(node: Call, branch: Branch, outcome: str) -> bool:
    """Whether a call's branch takes the called tree's outcome."""
    if branch.kind == "default":
        return all(b.value != outcome for b in node.branches)
    return branch.value == outcome


def same(value: object, expected: object) -> bool:
    """Equal as answers: booleans equal only booleans, and 1 equals 1.0 for numbers."""
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected
    if isinstance(value, str) or isinstance(expected, str):
        return type(value) is type(expected) and value == expected
    return value == expected
