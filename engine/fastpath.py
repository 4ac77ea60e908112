"""Python written for one tree: the walk's common case with no interpretation left.

The table walker (`gatetree.walk`) reads a plan node by node; for a decision whose facts
are all known, that reading is most of the cost. Here each gate becomes a function of its
own, generated from the plan the first time a tree decides: its conditions and derived
facts as straight-line statements (operands in locals, arithmetic bounded inline), its
exits as constants, and the names read recorded as the walker records them.

The generated code handles only what is certain. At anything else (an unknown fact, an
error, a value the when-table does not settle at once, a checklist or a call) the node is
handed to the walker, which decides it from scratch; what the generated code wrote before
(derived facts with the names they read) is exactly what the walker would have written.
So a decision is the same, step for step, whichever decides each node. A node whose code
cannot be compiled (an expression nested past Python's limits) and a tree of more than
MAX_NODES nodes are walked by table throughout.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .expr import EVAL_GLOBALS, FUNCTIONS, bounded_tree
from .limits import GUARDED, MAX_DIGITS
from .plan import GATE, OUTCOME, NodePlan, Plan

if TYPE_CHECKING:
    from .walk import Run

__all__ = ["MAX_NODES", "entry"]

MAX_NODES = 2000  # beyond this, generating and compiling code costs more than it saves
_BOUND = 10 ** MAX_DIGITS
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
              ast.Mod: "%"}
_GUARDED_NAME = {"+": "__add", "-": "__sub", "*": "__mul", "/": "__truediv",
                 "//": "__floordiv", "%": "__mod"}
_COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
                ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in"}
_UNARY = {ast.Not: "not ", ast.USub: "-", ast.UAdd: "+"}

NodeFunction = Callable[["Run"], Any]
"""Decides one node of a run; returns the next node's function, or None when done."""


class _Handover(Exception):
    """Raised in generated code where the walker must decide the node."""


def entry(plan: Plan, traced: bool) -> Callable[[Run], None] | None:
    """The generated walk of a plan (made once per plan and mode), or None to walk by table."""
    try:
        return plan.generated[traced]  # type: ignore[no-any-return]
    except KeyError:
        found = plan.generated[traced] = _generate(plan, traced)
        return found


def _generate(plan: Plan, traced: bool) -> Callable[[Run], None] | None:
    if len(plan.nodes) > MAX_NODES:
        return None
    from .walk import DEFAULT, same  # the walk imports this module: only at generation

    functions: dict[str, NodeFunction] = {}
    table = {node_id: _by_table(node_id, functions) for node_id in plan.nodes}
    functions.update(table)
    space: dict[str, Any] = {**EVAL_GLOBALS, "HANDOVER": _Handover(), "MISS": _MISS,
                             "BOUND": _BOUND, "same": same, "DEFAULT": DEFAULT,
                             "FUNCS": functions, "TABLE": table,
                             "str": str, "tuple": tuple, "Exception": Exception}
    derived = {name: f"d{k}" for k, name in enumerate(n for n, f in plan.facts.items()
                                                       if f.derive is not None)}
    writer = _Writer(plan, traced, derived, space)
    for name, function in derived.items():
        if not writer.define(function, writer.derivation, name):
            space[function] = _resolved(name)
    for k, (node_id, node) in enumerate(plan.nodes.items()):
        if node.kind in (OUTCOME, GATE) and writer.define(f"n{k}", writer.node, node):
            functions[node_id] = space[f"n{k}"]
    start = functions[plan.start]

    def walk(run: Run) -> None:
        step: Any = start
        while step is not None:
            step = step(run)

    return walk


def _resolved(name: str) -> Callable[[Run], Any]:
    """A derived fact the walker derives: its expression could not be written as code."""
    return lambda run: run.value(name)


def _by_table(node_id: str, functions: dict[str, NodeFunction]) -> NodeFunction:
    """A node the walker decides; the generated code follows on from its next node."""

    def decide(run: Run) -> Any:
        following = run.step(node_id)
        return None if following is None else functions[following]

    return decide


class _Missing:
    __slots__ = ()


_MISS = _Missing()


@dataclass
class _Reads:
    """What a stretch of generated code has read: on every path (`must`), on some (`may`)."""

    must: dict[str, None] = field(default_factory=dict)
    may: set[str] = field(default_factory=set)

    def branch(self) -> _Reads:
        return _Reads(dict(self.must), set(self.may))


class _Writer:
    """Writes the source of the generated functions, naming constants in their namespace."""

    def __init__(self, plan: Plan, traced: bool, derived: dict[str, str],
                 space: dict[str, Any]) -> None:
        self.plan = plan
        self.traced = traced
        self.derived = derived
        self.space = space
        self.temps = 0

    def define(self, name: str, write: Callable[[Any, str], list[str]], subject: Any) -> bool:
        """Write and compile one function into the namespace; False when it cannot be
        (an expression nested past what Python compiles)."""
        try:
            lines = write(subject, name)
            exec(compile("\n".join(lines), f"<gatetree {self.plan.ref.id} {name}>", "exec"),
                 self.space)
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            self.space.pop(name, None)
            return False
        return True

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
    def derivation(self, name: str, function: str) -> list[str]:
        """A derived fact's function: computes it, stores it with the names it read."""
        fact = self.plan.facts[name]
        assert fact.expression is not None
        body: list[str] = []
        value = self.expression(bounded_tree(fact.expression.text), body, _Reads(), "I")
        lines = [f"def {function}(run):", "    known = run.known"]
        if self.traced:
            lines.append("    I = []")
        lines += _indent(body, 1)
        lines.append(f"    known[{name!r}] = {value}")
        if self.traced:
            lines.append(f"    run.how[{name!r}] = tuple(I)")
        lines.append(f"    return {value}")
        return lines

    def node(self, node: NodePlan, function: str) -> list[str]:
        """An outcome's or a gate's function (the walker decides checklists and calls)."""
        if node.kind == OUTCOME:
            node_name = self.constant(node)
            return [f"def {function}(run):", f"    run.path.append({node.id!r})",
                    f"    run.outcome = {node_name}", "    return None"]
        lines = [f"def {function}(run):", "    known = run.known"]
        if self.traced:
            lines.append("    R = []")
        lines += _indent(["try:", *_indent(self._choice(node), 1),
                          "except Exception:",
                          f"    return TABLE[{node.id!r}](run)"], 1)
        lines += _indent(self._tail(node), 1)
        return lines

    def _choice(self, node: NodePlan) -> list[str]:
        """Statements setting `i` to the exit a gate takes, or raising HANDOVER."""
        lines: list[str] = []
        reads = _Reads()
        if node.when is not None:
            assert node.fact is not None
            value = self.load(node.fact, lines, reads, "R")
            table = self.constant(node.when)
            types = self.constant({v: type(node.exits[i].branch.value)
                                   for v, i in node.when.items()})
            lines += [f"i = {table}.get({value})",
                      "if i is None:",
                      f"    i = {node.default}" if node.default is not None
                      else "    raise HANDOVER",
                      f"elif {value}.__class__ is not {types}[{value}]:",
                      "    raise HANDOVER  # 1 and True share a key: the walker tells them"]
            return lines
        value = self.load(node.fact, lines, reads, "R") if node.fact is not None else "None"
        loop: list[str] = []
        for exit_ in node.exits:
            kind = exit_.branch.kind
            if kind == "when":
                expected = self.constant(exit_.branch.value)
                loop += [f"if same({value}, {expected}):", f"    i = {exit_.index}",
                         "    break"]
            elif kind == "if":
                assert exit_.condition is not None
                holds = self.expression(bounded_tree(exit_.condition.text), loop, reads, "R")
                loop += [f"if {holds}:", f"    i = {exit_.index}", "    break"]
            else:
                loop += [f"i = {exit_.index}", "break"]
                break
        else:
            loop.append("raise HANDOVER")  # no exit holds: the walker says why
        return [*lines, "while True:", *_indent(loop, 1)]

    def _tail(self, node: NodePlan) -> list[str]:
        """Record the step and its actions, and go on to the next node."""
        node_name = self.constant(node)
        lines = [f"run.path.append({node.id!r})"]
        if self.traced:
            lines.append(f"run.steps.append(({node_name}, i, R, None))")
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
        following = self.constant(tuple(e.next for e in node.exits))
        lines.append(f"return FUNCS[{following}[i]]")
        return lines

    # --- values ------------------------------------------------------------------------
    def load(self, name: str, lines: list[str], reads: _Reads, record: str) -> str:
        """Statements reading a fact or param into a local, recorded as read; its local."""
        local = f"v_{name}"
        if name in reads.must:
            return local
        fact = self.plan.facts.get(name)
        if fact is not None and fact.derive is not None:
            lines += [f"{local} = known.get({name!r}, MISS)",
                      f"if {local} is MISS:", f"    {local} = {self.derived[name]}(run)"]
        elif fact is not None and fact.default is not None:
            lines += [f"{local} = known.get({name!r}, MISS)",
                      f"if {local} is MISS:",
                      f"    {local} = known[{name!r}] = {self.constant(fact.default)}",
                      f"    run.how[{name!r}] = DEFAULT"]
        else:
            lines.append(f"{local} = known[{name!r}]")  # unknown: KeyError hands over
        if self.traced:
            if name in reads.may:
                lines.append(f"if {name!r} not in {record}: {record}.append({name!r})")
            else:
                lines.append(f"{record}.append({name!r})")
        reads.must[name] = None
        reads.may.add(name)
        return local

    def expression(self, tree: ast.expr, lines: list[str], reads: _Reads, record: str) -> str:
        """Statements evaluating a checked expression in Python's order; what holds its value."""
        if isinstance(tree, ast.Constant):
            return self.constant(tree.value)
        if isinstance(tree, ast.Name):
            return self.load(tree.id, lines, reads, record)
        target = self.temp()
        if isinstance(tree, ast.Call):
            assert isinstance(tree.func, ast.Name)
            args = [self.expression(a, lines, reads, record) for a in tree.args]
            function = tree.func.id
            if function in _GUARDED_NAMES and len(args) == 2:
                lines += _arithmetic(target, _GUARDED_NAMES[function], args)
            else:
                assert function in FUNCTIONS
                lines.append(f"{target} = {function}({', '.join(args)})")
        elif isinstance(tree, ast.BoolOp):
            self._boolean(tree, tree.values, target, lines, reads, record)
        elif isinstance(tree, ast.UnaryOp):
            operand = self.expression(tree.operand, lines, reads, record)
            lines.append(f"{target} = {_UNARY[type(tree.op)]}{operand}")
        elif isinstance(tree, ast.Compare):
            left = self.expression(tree.left, lines, reads, record)
            self._compare(left, list(zip(tree.ops, tree.comparators, strict=True)), target,
                          lines, reads, record)
        elif isinstance(tree, ast.IfExp):
            test = self.expression(tree.test, lines, reads, record)
            body: list[str] = []
            orelse: list[str] = []
            then_reads, else_reads = reads.branch(), reads.branch()
            value = self.expression(tree.body, body, then_reads, record)
            other = self.expression(tree.orelse, orelse, else_reads, record)
            lines += [f"if {test}:", *_indent([*body, f"{target} = {value}"], 1),
                      "else:", *_indent([*orelse, f"{target} = {other}"], 1)]
            reads.may |= then_reads.may | else_reads.may
        elif isinstance(tree, (ast.List, ast.Tuple)):
            items = [self.expression(e, lines, reads, record) for e in tree.elts]
            lines.append(f"{target} = ({''.join(i + ', ' for i in items)})")
        else:
            raise SyntaxError(f"no code for {type(tree).__name__}")  # the walker decides
        return target

    def _boolean(self, tree: ast.BoolOp, values: list[ast.expr], target: str,
                 lines: list[str], reads: _Reads, record: str) -> None:
        """`a and b`: b is read only when a holds (`or`: when it fails), as in Python."""
        value = self.expression(values[0], lines, reads, record)
        lines.append(f"{target} = {value}")
        if len(values) > 1:
            block: list[str] = []
            inner = reads.branch()
            self._boolean(tree, values[1:], target, block, inner, record)
            test = target if isinstance(tree.op, ast.And) else f"not {target}"
            lines += [f"if {test}:", *_indent(block, 1)]
            reads.may |= inner.may

    def _compare(self, left: str, pairs: list[tuple[ast.cmpop, ast.expr]], target: str,
                 lines: list[str], reads: _Reads, record: str) -> None:
        """`a < b < c`: c is read only when a < b holds, as in Python."""
        op, right_tree = pairs[0]
        right = self.expression(right_tree, lines, reads, record)
        lines.append(f"{target} = {left} {_COMPARISONS[type(op)]} {right}")
        if len(pairs) > 1:
            block: list[str] = []
            inner = reads.branch()
            self._compare(right, pairs[1:], target, block, inner, record)
            lines += [f"if {target}:", *_indent(block, 1)]
            reads.may |= inner.may


_GUARDED_NAMES = {name: op for op, name in _GUARDED_NAME.items()}
assert set(_GUARDED_NAMES) == set(GUARDED)


def _arithmetic(target: str, op: str, args: list[str]) -> list[str]:
    """`a op b` bounded as `limits.GUARDED` bounds it: text goes through the guarded
    function (it checks the length first); a number outside the bounds hands over."""
    left, right = args
    texts = [a for a in args if not _is_number_literal(a)]
    lines = []
    if texts:
        condition = " or ".join(f"{a}.__class__ is str" for a in texts)
        lines += [f"if {condition}:", f"    {target} = {_GUARDED_NAME[op]}({left}, {right})",
                  "else:"]
        indent = "    "
    else:
        indent = ""
    lines += [f"{indent}{target} = {left} {op} {right}",
              f"{indent}if not -BOUND < {target} < BOUND:",
              f"{indent}    raise HANDOVER  # too large, inf or NaN: the walker says so"]
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

