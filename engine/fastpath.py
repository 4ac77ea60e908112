"""Python written for one tree: the walk's common case with no interpretation left.

The table walker (`gatetree.walk`) reads a plan node by node; for a decision whose facts
are all known, that reading is most of the cost. Here the plan becomes Python: each gate's
and checklist's conditions, and the derived facts they read, as straight-line statements
(operands in locals, arithmetic bounded inline), its exits as constants, a node with one
parent written inside its parent's code, and the names read recorded as the walker records
them. It is written once a tree has decided a few times (a one-off decision does not pay
for writing it), and a function for each node only when a decision first reaches it.

The generated code handles only what is certain. At anything else (an unknown fact, an
error, a value the when-table does not settle at once, a derived checklist item not yet
known, a call) it hands the node to the walker, which decides it from scratch; what the
generated code wrote before (derived facts with the names they read) is exactly what the
walker would have written. So a decision is the same, step for step, whichever decides
each node. Code that Python cannot compile (an expression nested past its limits) is
written again without inlining, and failing that the node is walked by table; so is every
node of a tree of more than MAX_NODES nodes.
"""
from __future__ import annotations

import ast
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .checklist import ANSWERED, effective_quorum
from .expr import EVAL_GLOBALS, FUNCTIONS, bounded_tree
from .limits import GUARDED, MAX_DIGITS
from .model import Checklist
from .plan import CALL, CHECKLIST, GATE, OUTCOME, NodePlan, Plan

if TYPE_CHECKING:
    from .walk import Run

__all__ = ["CALLED", "MAX_NODES", "TRACED", "WARM", "entry"]

TRACED, CALLED = 1, 2  # the modes of a generated walk, added
MAX_NODES = 2000  # beyond this, generating and compiling code costs more than it saves
WARM = 3  # the decisions in a mode after which a tree gets its code (writing it takes ms)
INLINE_DEPTH = 8  # nodes written inside their parent's code, one within another
DERIVE_DEPTH = 3  # derived facts written inside the code that reads them, likewise
_BOUND = 10 ** MAX_DIGITS
_OPERATORS = {"__add": "+", "__sub": "-", "__mul": "*", "__truediv": "/",
              "__floordiv": "//", "__mod": "%"}
assert set(_OPERATORS) == set(GUARDED)
_COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
                ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in"}
_UNARY = {ast.Not: "not ", ast.USub: "-", ast.UAdd: "+"}

NodeFunction = Callable[["Run"], Any]
"""Decides a node of a run (and those written inside it); returns the function of the next
node to decide, or None when the walk has ended."""
Walk = Callable[["Run"], None]


def entry(plan: Plan, mode: int) -> Walk | None:
    """The generated walk of a plan in a mode, made once; None to walk by table.

    `mode` is TRACED, CALLED (a called tree's run, which reads its caller's names through
    the walker), both added, or 0.
    """
    try:
        return plan.generated[mode]  # type: ignore[no-any-return]
    except KeyError:
        pass
    seen = plan.warming[mode] = plan.warming.get(mode, 0) + 1
    if seen < WARM:
        return None  # a one-off decision (a command, a test case) is walked by table
    made = plan.generated[mode] = _walk(plan, bool(mode & TRACED), bool(mode & CALLED))
    return made


def _walk(plan: Plan, traced: bool, called: bool) -> Walk | None:
    if len(plan.nodes) > MAX_NODES:
        return None
    functions = _Functions(plan, traced, called)
    start = functions[plan.start]

    def walk(run: Run) -> None:
        step: Any = start
        while step is not None:
            step = step(run)

    return walk


class _Handover(Exception):
    """Raised in generated code where the walker must decide the node."""


class _Missing:
    __slots__ = ()


_MISS = _Missing()


class _Functions(dict[str, NodeFunction]):
    """Each node's function by id, written when first asked for."""

    def __init__(self, plan: Plan, traced: bool, called: bool) -> None:
        super().__init__()
        from .walk import DEFAULT, OPEN, NeedFact, same  # the walk imports this module

        self.plan = plan
        self.traced = traced
        self.called = called
        self.table: dict[str, NodeFunction] = {}
        self.space: dict[str, Any] = {
            **EVAL_GLOBALS, "HANDOVER": _Handover(), "MISS": _MISS, "BOUND": _BOUND,
            "same": same, "DEFAULT": DEFAULT, "FUNCS": self, "OPEN": OPEN,
            "NeedFact": NeedFact,
            "bool": bool, "str": str, "tuple": tuple, "Exception": Exception}
        self.parents: dict[str, set[str]] = {}
        for node_id, node in plan.nodes.items():
            for exit_ in node.exits:
                self.parents.setdefault(exit_.next, set()).add(node_id)
        self.derived = {name: f"d{k}" for k, name in enumerate(
            n for n, f in plan.facts.items() if f.derive is not None)}
        self.locals = {name: f"v{k}" for k, name in enumerate(
            [*plan.facts, *(p for p in plan.defaults if p not in plan.facts)])}
        self.made: set[str] = set()  # derivation functions written so far
        self.lock = threading.RLock()  # writing a function may write the derivations it calls
        self.types = {**{n: p.type for n, p in plan.spec.params.items()},
                      **{n: f.type for n, f in plan.spec.facts.items()}}

    def __missing__(self, node_id: str) -> NodeFunction:
        with self.lock:  # threads that reach a node at once: one writes it, under one name
            found = self.get(node_id)
            if found is not None:
                return found
            node = self.plan.nodes[node_id]
            function: NodeFunction | None = None
            if node.kind in (OUTCOME, GATE, CHECKLIST, CALL):
                name = f"n{len(self.space)}"
                for inline in (True, False):
                    if self.define(name, lambda w: w.root(node, name), inline):
                        function = self.space[name]
                        break
            self[node_id] = found = function or self.by_table(node_id)
            return found

    def by_table(self, node_id: str) -> NodeFunction:
        """A node the walker decides; the generated code follows on from its next node."""
        function = self.table.get(node_id)
        if function is None:
            functions = self

            def function(run: Run) -> Any:
                following = run.step(node_id)
                return None if following is None else functions[following]

            self.table[node_id] = function
        return function

    def define(self, name: str, write: Callable[[_Writer], list[str]], inline: bool) -> bool:
        """Write one function and compile it into the namespace; False when Python cannot
        compile it (an expression nested past its limits)."""
        writer = _Writer(self, inline)
        try:
            source = "\n".join(write(writer))
            for derived in writer.needed:  # the derivations the code calls, written first
                self.derivation(derived)
            code = compile(source, f"<gatetree {self.plan.ref.id} {name}>", "exec")
        except (SyntaxError, RecursionError, MemoryError, ValueError, KeyError):
            return False
        exec(code, self.space)  # code written here from a checked, whitelisted expression
        return True

    def derivation(self, fact: str) -> None:
        """A derived fact's function, for code that does not write the derivation inline."""
        name = self.derived[fact]
        if name in self.made:
            return
        self.made.add(name)
        for inline in (True, False):
            if self.define(name, lambda w: w.derivation_function(fact, name), inline):
                return
        self.space[name] = lambda run: run.value(fact)  # the walker derives it


@dataclass
class _Scope:
    """What generated code at one point can rely on: the names whose locals hold their
    value on every path here, and those in the list recording the names read (on every
    path, on some)."""

    record: str
    loaded: dict[str, None] = field(default_factory=dict)
    recorded: dict[str, None] = field(default_factory=dict)
    maybe: set[str] = field(default_factory=set)
    computed: dict[str, str] = field(default_factory=dict)  # arithmetic -> the temp holding it
    # The names recorded so far, while they are the same on every path: the record is then
    # written as a literal where it is used; None once it is a list the code appends to.
    pending: list[str] | None = field(default_factory=list)
    path: tuple[str, ...] = ()  # the nodes this code passed, not yet in the run's path

    def branch(self) -> _Scope:
        return _Scope(self.record, dict(self.loaded), dict(self.recorded), set(self.maybe),
                      dict(self.computed), None if self.pending is None else list(self.pending),
                      self.path)

    def recording(self, record: str) -> _Scope:
        """The same values, read into a new record (a node's, a derivation's)."""
        return _Scope(record, dict(self.loaded), computed=dict(self.computed), path=self.path)


class _Writer:
    """Writes one generated function's source, naming constants in the namespace."""

    def __init__(self, functions: _Functions, inline: bool) -> None:
        self.functions = functions
        self.plan = functions.plan
        self.traced = functions.traced
        self.called = functions.called
        self.space = functions.space
        self.inline = inline
        self.temps = 0
        self.needed: list[str] = []
        self.numeric: set[str] = set()  # locals and temps that hold a number, never text
        self.own: dict[str, str] = {}  # a checklist's own names, while writing its exits

    def constant(self, value: Any) -> str:
        """A value as the generated code spells it: a literal, or a name bound to it."""
        if isinstance(value, (bool, int, str)) or value is None or (
                isinstance(value, float) and math.isfinite(value)):
            return repr(value)
        name = f"k{len(self.space)}"
        self.space[name] = value
        return name

    def temp(self) -> str:
        self.temps += 1
        return f"t{self.temps}"

    # --- functions ---------------------------------------------------------------------
    def root(self, node: NodePlan, name: str) -> list[str]:
        head = [f"def {name}(run):", "    known = run.known", "    path = run.path"]
        if self.traced:
            head.append("    steps = run.steps")
        if self.called:
            head.append("    caller = run.outer.plan.own_names")
        return [*head, *_indent(self.node(node, _Scope("R"), 0), 1)]

    def derivation_function(self, fact: str, name: str) -> list[str]:
        local = self.functions.locals[fact]
        head = [f"def {name}(run):", "    known = run.known"]
        if self.called:
            head.append("    caller = run.outer.plan.own_names")
        return [*head, *_indent(self.derive(fact, _Scope("I"), 0), 1), f"    return {local}"]

    # --- nodes -------------------------------------------------------------------------
    def node(self, node: NodePlan, scope: _Scope, depth: int) -> list[str]:
        """Decide a node, then go on: inside this code to a child only this node leads to,
        else by returning the next node's function. The nodes passed in this code join the
        path in one go, where the code leaves them."""
        if node.kind == OUTCOME:
            return [*self._passed((*scope.path, node.id)),
                    f"run.outcome = {self.constant(node)}", "return None"]
        if node.kind == CALL:
            return self._call(node, scope, depth)
        if node.kind not in (GATE, CHECKLIST):
            return [*self._passed(scope.path), f"return FUNCS[{node.id!r}]"]
        scope = scope.recording("R")
        lines: list[str] = []
        before = scope.path
        extra = "None"
        if node.kind == GATE:
            choice, after = self._choice(node, scope)
        else:
            choice, after = self._checklist(node, scope)
            extra = "X"
        after.path = (*before, node.id)
        lines += ["try:", *_indent(choice, 1), "except Exception:",
                  *_indent(self._passed(before), 1),
                  f"    return FUNCS.by_table({node.id!r})(run)"]
        return [*lines, *self._tail(node, scope, after, extra, depth)]

    def _call(self, node: NodePlan, scope: _Scope, depth: int) -> list[str]:
        """Decide with the called tree (the walker's `call`, which runs its generated code),
        ending the walk here when it is stuck."""
        node_name = self.constant(node)
        scope = scope.recording("R")
        before = scope.path
        after = scope.branch()
        after.path = (*before, node.id)
        lines = ["try:", f"    i, X = run.call({node_name})", "except NeedFact as need:",
                 *_indent(self._passed(after.path), 1), f"    run.stuck({node_name}, need)",
                 "    return None", "except Exception:", *_indent(self._passed(before), 1),
                 f"    return FUNCS.by_table({node.id!r})(run)",
                 "if X.actions:", f"    run.actions.extend(run.called_actions({node.id!r}, "
                                  "X.actions))"]
        return [*lines, *self._tail(node, scope, after, "X", depth)]

    def _tail(self, node: NodePlan, scope: _Scope, after: _Scope, extra: str,
              depth: int) -> list[str]:
        """Record the step and its actions, and go on to the next node."""
        lines = []
        node_name = self.constant(node)
        if self.traced:
            lines.append(f"steps.append(({node_name}, i, {self.recorded(scope, list)}, {extra}))")
        if any(e.collected for e in node.exits):
            collected = self.constant(tuple(e.collected for e in node.exits))
            if node.cites:
                cites = self.constant(node.cites)
                lines += [f"if run.changed and not {cites}.isdisjoint(run.changed):",
                          f"    run.collect({node_name}, i)",
                          f"elif {collected}[i]:",
                          f"    run.actions.extend({collected}[i])"]
            else:
                lines += [f"if {collected}[i]:", f"    run.actions.extend({collected}[i])"]
        targets: dict[str, list[int]] = {}
        for exit_ in node.exits:
            targets.setdefault(exit_.next, []).append(exit_.index)
        if len(targets) == 1:  # every exit leads on to one node
            return [*lines, *self._go(node.exits[0].next, node, after, depth)]
        branches: list[str] = []
        for k, (target, indexes) in enumerate(targets.items()):
            go = self._go(target, node, after, depth)
            if k == len(targets) - 1:
                branches += ["else:", *_indent(go, 1)]
            else:
                test = f"i == {indexes[0]}" if len(indexes) == 1 else f"i in {tuple(indexes)}"
                branches += [f"{'elif' if k else 'if'} {test}:", *_indent(go, 1)]
        return [*lines, *branches]

    @staticmethod
    def _passed(nodes: tuple[str, ...]) -> list[str]:
        if not nodes:
            return []
        if len(nodes) == 1:
            return [f"path.append({nodes[0]!r})"]
        return [f"path.extend({nodes!r})"]

    def _go(self, target: str, parent: NodePlan, after: _Scope, depth: int) -> list[str]:
        child = self.plan.nodes[target]
        if self.inline and depth < INLINE_DEPTH and (
                child.kind == OUTCOME or self.functions.parents[target] == {parent.id}):
            return self.node(child, after.branch(), depth + 1)
        return [*self._passed(after.path), f"return FUNCS[{target!r}]"]

    def _choice(self, node: NodePlan, scope: _Scope) -> tuple[list[str], _Scope]:
        """Statements setting `i` to the exit a gate takes, or raising; and what holds once
        they have (the names read on every path through them)."""
        lines: list[str] = []
        if node.when is not None:
            assert node.fact is not None
            value = self.load(node.fact, lines, scope, 0)
            otherwise = f"i = {node.default}" if node.default is not None else "raise HANDOVER"
            keys = {type(k) for k in node.when}
            if keys == {bool}:  # `is`: 1 and 1.0 are no answer to a yes/no question
                for k, (key, index) in enumerate(node.when.items()):
                    lines += [f"{'elif' if k else 'if'} {value} is {key!r}:", f"    i = {index}"]
                lines += ["else:", f"    {otherwise}"]
                return lines, scope
            table = self.constant(node.when)
            lines += [f"i = {table}.get({value})", "if i is None:", f"    {otherwise}"]
            if keys != {str}:  # a text equals only a text; 1 and True share a number's key
                types = self.constant({v: type(node.exits[i].branch.value)
                                       for v, i in node.when.items()})
                lines += [f"elif {value}.__class__ is not {types}[{value}]:",
                          "    raise HANDOVER  # the walker tells which exit it means"]
            return lines, scope
        value = self.load(node.fact, lines, scope, 0) if node.fact is not None else "None"
        self.materialize(scope, lines)  # which exit holds decides what is read
        after: _Scope | None = None
        loop: list[str] = []
        for exit_ in node.exits:
            kind = exit_.branch.kind
            if kind == "when":
                expected = self.constant(exit_.branch.value)
                loop += [f"if same({value}, {expected}):", f"    i = {exit_.index}",
                         "    break"]
            elif kind == "if":
                assert exit_.condition is not None
                holds = self.expression(bounded_tree(exit_.condition.text), loop, scope, 0)
                loop += [f"if {holds}:", f"    i = {exit_.index}", "    break"]
            else:
                loop += [f"i = {exit_.index}", "break"]
            if after is None:
                after = scope.branch()  # the first exit is always tried
            if kind == "default":
                break
        else:
            loop.append("raise HANDOVER")  # no exit holds: the walker says why
        return [*lines, "while True:", *_indent(loop, 1)], after or scope

    def _checklist(self, node: NodePlan, scope: _Scope) -> tuple[list[str], _Scope]:
        """Statements setting `i` to the exit a checklist takes once enough is answered,
        with its answers `A` and quorum `Q`; it hands over while the walker would look ahead
        at the open items (their bounds), and where an item is derived and not yet known."""
        plan, spec = node.checklist, node.node
        assert plan is not None and isinstance(spec, Checklist)
        lines: list[str] = []
        answers = []
        for k, fact in enumerate(plan.facts):
            item = self.plan.facts[fact]
            lines.append(f"a{k} = known.get({fact!r}, OPEN)")
            if not self.called and item.derive is not None and self.inline:
                # derived here when every input is known; else the walker answers it
                derived = self.derive(fact, scope, 1)
                lines += [f"if a{k} is OPEN:", "    try:", *_indent(derived, 2),
                          f"        a{k} = {self.functions.locals[fact]}",
                          "    except Exception:", f"        a{k} = run.answer({fact!r})"]
            elif self.called or item.derive is not None or item.default is not None:
                lines += [f"if a{k} is OPEN:", f"    a{k} = run.answer({fact!r})"]
            answers.append(f"a{k}")
        groups = len(plan.groups)
        lines += [f"s{g} = 0" for g in range(groups)]
        lines.append("n = 0")  # open items
        for k, (group, weight) in enumerate(zip(plan.item_group, plan.weights, strict=True)):
            lines += [f"if a{k} is OPEN:", "    n += 1", f"elif a{k}:",
                      f"    s{group} += {self.constant(weight)}"]
        items = len(plan.facts)
        if isinstance(spec.quorum, str):
            quorum = self.load(spec.quorum, lines, scope, 0)
            if spec.unanswered == "quorum":  # an override out of range: the walker refuses it
                lines += [f"if not 1 <= {quorum} <= {items}:", "    raise HANDOVER"]
        else:
            quorum = self.constant(spec.quorum)
        lines.append(f"Q = {quorum}")
        needed = (quorum if isinstance(spec.quorum, str) and spec.unanswered == "quorum"
                  else str(effective_quorum(spec, None if isinstance(spec.quorum, str)
                                            else spec.quorum)))
        lines.append("A = (" + "".join(f"None if {a} is OPEN else bool({a}), "
                                       for a in answers) + ")")
        node_name = self.constant(node)
        self.materialize(scope, lines)  # the look-ahead reads params into the record
        first = " else ".join(f"{f!r} if {a} is OPEN" for f, a in zip(plan.facts, answers,
                                                                      strict=True))
        lines += [f"if {items} - n < {needed}:  # short of answers: the walker looks ahead",
                  "    run.reads = R" if self.traced else "    pass",
                  "    try:",
                  f"        i, X = run.look_ahead({node_name}, A, Q, {first} else None)",
                  "    except NeedFact as need:",
                  *_indent(self._passed((*scope.path, node.id)), 2),
                  f"        run.stuck({node_name}, need)",
                  "        return None",
                  "else:",
                  "    X = (A, Q, False)"]
        own = {ANSWERED: f"({items} - n)"}
        for g, (name, count) in enumerate(zip(plan.groups, plan.group_items, strict=True)):
            own[name] = f"s{g}"
            own[f"{name}_items"] = str(count)
        self.own = own
        self.numeric |= set(own.values())
        after = scope.branch()  # what holds on both ways: looked ahead, or scored
        loop: list[str] = []
        for exit_ in node.exits:
            if exit_.evaluate is None:
                loop += [f"i = {exit_.index}", "break"]
                break
            assert exit_.condition is not None
            holds = self.expression(bounded_tree(exit_.condition.text), loop, scope, 0)
            loop += [f"if {holds}:", f"    i = {exit_.index}", "    break"]
        else:
            loop.append("raise HANDOVER")
        self.own = {}
        return [*lines, "    while True:", *_indent(loop, 2)], after

    # --- values ------------------------------------------------------------------------
    def load(self, name: str, lines: list[str], scope: _Scope, depth: int) -> str:
        """Statements reading a fact or param into its local, recorded as read; the local."""
        local = self.functions.locals[name]
        if name not in scope.loaded:
            fact = self.plan.facts.get(name)
            derived = fact is not None and fact.derive is not None
            if self.called and not derived:  # the walker reads it, from the caller if its
                lines += [f"{local} = known.get({name!r}, MISS)",  # own, else a default
                          f"if {local} is MISS:", f"    {local} = run.value({name!r})"]
            elif derived:
                lines += [f"{local} = known.get({name!r}, MISS)", f"if {local} is MISS:"]
                pad = 1
                if self.called:  # a name the caller declares is the caller's to give
                    lines += [f"    if {name!r} in caller:",
                              f"        {local} = run.value({name!r})", "    else:"]
                    pad = 2
                if self.inline and depth < DERIVE_DEPTH:
                    lines += _indent(self.derive(name, scope, depth + 1), pad)
                else:
                    self.needed.append(name)
                    lines.append(f"{'    ' * pad}{local} = {self.functions.derived[name]}(run)")
            elif fact is not None and fact.default is not None:
                lines += [f"{local} = known.get({name!r}, MISS)",
                          f"if {local} is MISS:",
                          f"    {local} = known[{name!r}] = {self.constant(fact.default)}",
                          f"    run.how[{name!r}] = DEFAULT"]
            else:
                lines.append(f"{local} = known[{name!r}]")  # unknown: KeyError hands over
            scope.loaded[name] = None
            if self.functions.types.get(name) in ("integer", "number"):
                self.numeric.add(local)  # checked when given, or derived by a checked type
        if self.traced and name not in scope.recorded:
            record = scope.record
            if scope.pending is not None:
                scope.pending.append(name)
            else:
                lines.append(f"if {name!r} not in {record}: {record}.append({name!r})"
                             if name in scope.maybe else f"{record}.append({name!r})")
            scope.recorded[name] = None
            scope.maybe.add(name)
        return local

    def materialize(self, scope: _Scope, lines: list[str]) -> None:
        """Make the record a list the code appends to, before code that may read or not."""
        if self.traced and scope.pending is not None:
            lines.append(f"{scope.record} = [{', '.join(map(repr, scope.pending))}]")
            scope.pending = None

    def recorded(self, scope: _Scope, kind: type) -> str:
        """The record where it is used: a literal while it is the same on every path."""
        if scope.pending is None:
            return scope.record if kind is list else f"tuple({scope.record})"
        names = ", ".join(map(repr, scope.pending))
        return f"[{names}]" if kind is list else f"({names}{',' if scope.pending else ''})"

    def derive(self, name: str, scope: _Scope, depth: int) -> list[str]:
        """Statements deriving a fact into its local and storing it with the names read."""
        fact = self.plan.facts[name]
        assert fact.expression is not None
        record = f"I{depth}"
        inner = scope.recording(record)
        lines: list[str] = []
        value = self.expression(bounded_tree(fact.expression.text), lines, inner, depth)
        local = self.functions.locals[name]
        lines.append(f"{local} = known[{name!r}] = {value}")
        if self.traced:
            lines.append(f"run.how[{name!r}] = {self.recorded(inner, tuple)}")
        return lines

    def expression(self, tree: ast.expr, lines: list[str], scope: _Scope, depth: int) -> str:
        """Statements evaluating a checked expression in Python's order; what holds its value."""
        if isinstance(tree, ast.Constant):
            return self.constant(tree.value)
        if isinstance(tree, ast.Name):
            if tree.id in self.own:  # a checklist's score, count or answered
                return self.own[tree.id]
            return self.load(tree.id, lines, scope, depth)
        target = self.temp()
        if isinstance(tree, ast.Call):
            assert isinstance(tree.func, ast.Name)
            args = [self.expression(a, lines, scope, depth) for a in tree.args]
            function = tree.func.id
            numbers = all(a in self.numeric or _is_number_literal(a) for a in args)
            if function in _OPERATORS:
                key = f"{function}({', '.join(args)})"
                if key in scope.computed:  # the same operands: the same value, computed once
                    return scope.computed[key]
                lines += _arithmetic(target, function, args, numbers)
                scope.computed[key] = target
            else:
                assert function in FUNCTIONS
                lines.append(f"{target} = {function}({', '.join(args)})")
            if numbers and function != "len":
                self.numeric.add(target)
        elif isinstance(tree, ast.BoolOp):
            self._boolean(tree, tree.values, target, lines, scope, depth)
        elif isinstance(tree, ast.UnaryOp):
            operand = self.expression(tree.operand, lines, scope, depth)
            lines.append(f"{target} = {_UNARY[type(tree.op)]}{operand}")
            if operand in self.numeric and not isinstance(tree.op, ast.Not):
                self.numeric.add(target)
        elif isinstance(tree, ast.Compare):
            left = self.expression(tree.left, lines, scope, depth)
            self._compare(left, list(zip(tree.ops, tree.comparators, strict=True)), target,
                          lines, scope, depth)
        elif isinstance(tree, ast.IfExp):
            test = self.expression(tree.test, lines, scope, depth)
            body: list[str] = []
            orelse: list[str] = []
            self.materialize(scope, lines)
            then_scope, else_scope = scope.branch(), scope.branch()
            value = self.expression(tree.body, body, then_scope, depth)
            other = self.expression(tree.orelse, orelse, else_scope, depth)
            lines += [f"if {test}:", *_indent([*body, f"{target} = {value}"], 1),
                      "else:", *_indent([*orelse, f"{target} = {other}"], 1)]
            scope.maybe |= then_scope.maybe | else_scope.maybe
        elif isinstance(tree, (ast.List, ast.Tuple)):
            items = [self.expression(e, lines, scope, depth) for e in tree.elts]
            lines.append(f"{target} = ({''.join(i + ', ' for i in items)})")
        else:
            raise SyntaxError(f"no code for {type(tree).__name__}")  # the walker decides
        return target

    def _boolean(self, tree: ast.BoolOp, values: list[ast.expr], target: str,
                 lines: list[str], scope: _Scope, depth: int) -> None:
        """`a and b`: b is read only when a holds (`or`: when it fails), as in Python."""
        value = self.expression(values[0], lines, scope, depth)
        lines.append(f"{target} = {value}")
        if len(values) > 1:
            self._only_if(target if isinstance(tree.op, ast.And) else f"not {target}", lines,
                          scope, lambda block, inner: self._boolean(
                              tree, values[1:], target, block, inner, depth))

    def _compare(self, left: str, pairs: list[tuple[ast.cmpop, ast.expr]], target: str,
                 lines: list[str], scope: _Scope, depth: int) -> None:
        """`a < b < c`: c is read only when a < b holds, as in Python."""
        op, right_tree = pairs[0]
        right = self.expression(right_tree, lines, scope, depth)
        lines.append(f"{target} = {left} {_COMPARISONS[type(op)]} {right}")
        if len(pairs) > 1:
            self._only_if(target, lines, scope, lambda block, inner: self._compare(
                right, pairs[1:], target, block, inner, depth))

    def _only_if(self, test: str, lines: list[str], scope: _Scope,
                 write: Callable[[list[str], _Scope], None]) -> None:
        """Code that runs only when `test` holds: what it reads is recorded as it runs, and
        the values it loads are known inside it only."""
        block: list[str] = []
        self.materialize(scope, lines)
        inner = scope.branch()
        write(block, inner)
        lines += [f"if {test}:", *_indent(block, 1)]
        scope.maybe |= inner.maybe


def _arithmetic(target: str, function: str, args: list[str], numbers: bool) -> list[str]:
    """`a op b` bounded as `limits.GUARDED` bounds it: text goes through the guarded
    function (it checks the length first); a number outside the bounds hands over.
    `numbers`: both operands are known to be numbers, never text."""
    left, right = args
    lines = []
    pad = ""
    if not numbers:
        condition = " or ".join(f"{a}.__class__ is str" for a in args
                                if not _is_number_literal(a))
        lines += [f"if {condition}:", f"    {target} = {function}({left}, {right})", "else:"]
        pad = "    "
    lines += [f"{pad}{target} = {left} {_OPERATORS[function]} {right}",
              f"{pad}if not -BOUND < {target} < BOUND:",
              f"{pad}    raise HANDOVER  # too large, inf or NaN: the walker says so"]
    return lines


def _is_number_literal(text: str) -> bool:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return False
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _indent(lines: list[str], levels: int) -> list[str]:
    pad = "    " * levels
    return [pad + line for line in lines]
