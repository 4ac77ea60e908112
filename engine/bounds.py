"""Which exits a checklist's open items could still lead to, told from each group's bounds.

With items unanswered, each group's score lies between its "yes" weight now and that plus
the weight of its open items. The conditions are evaluated over these intervals in
three-valued logic: an exit whose condition holds on the whole box, after conditions that
fail on all of it, is the only one possible. The exits a box leaves open are confirmed by
concrete tallies at its corners; only when bounds and corners disagree (a condition the
intervals cannot follow, such as a division by a score that may be zero) are the tallies
enumerated (`checklist.final_tallies`), as before bounds.
"""

from __future__ import annotations

import ast
import itertools
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .checklist import ANSWERED, effective_quorum, final_tallies, scope_values
from .model import Checklist
from .plan import ChecklistPlan, NodePlan

__all__ = ["possible_exits", "scope"]

Interval = tuple[float, float]
_CORNER_GROUPS = 4  # up to 2^4 corners; beyond, only the two extreme ones


class _Unknown(Exception):
    """The intervals cannot follow this expression: fall back to enumerating tallies."""


class _Fails(Exception):
    """A condition cannot be evaluated on a tally that may happen (a division by zero)."""


def scope(plan: ChecklistPlan, scores: Sequence[int | float], answered: int,
          ) -> dict[str, Any]:
    """The checklist's own names for one tally: scores, item counts, answers."""
    values: dict[str, Any] = {ANSWERED: answered}
    for name, score, items in zip(plan.groups, scores, plan.group_items, strict=True):
        values[name] = score
        values[f"{name}_items"] = items
    return values


def possible_exits(node: NodePlan, answers: Sequence[bool | None], quorum: int | None,
                   read: Callable[[str], Any]) -> tuple[int, ...] | None:
    """The exits the open items could still lead to, in order; None when that cannot be
    told (too many tallies to look ahead, or a condition that fails on some of them)."""
    plan, spec = node.checklist, node.node
    assert plan is not None and isinstance(spec, Checklist)
    groups = len(plan.groups)
    low: list[int | float] = [0] * groups
    high: list[int | float] = [0] * groups
    for answer, group, weight in zip(answers, plan.item_group, plan.weights, strict=True):
        if answer is None:
            high[group] += weight
        elif answer:
            low[group] += weight
            high[group] += weight
    answered = len(answers) - list(answers).count(None)
    needed = effective_quorum(spec, quorum)
    box: dict[str, Any] = {ANSWERED: (max(needed, answered), len(answers))}
    for name, lo, extra, items in zip(plan.groups, low, high, plan.group_items, strict=True):
        box[name] = (lo, extra)
        box[f"{name}_items"] = (items, items)
    try:
        upper = _upper(plan, box, read)
        if len(upper) == 1:
            return upper
        corners = _corners(plan, low, high, len(answers), node, read)
    except _Unknown:
        corners = None
    if corners is not None and set(corners) == set(upper):
        return upper
    return _enumerated(node, answers, quorum, read)


def _upper(plan: ChecklistPlan, box: Mapping[str, Any],
           read: Callable[[str], Any]) -> tuple[int, ...]:
    """Every exit some tally in the box may take (more, never fewer, than the true set)."""
    possible = []
    for index, condition in enumerate(plan.conditions):
        holds = True if condition is None else _truth(_Box(box, read).value(condition[1]))
        if holds is False:
            continue
        possible.append(index)
        if holds is True:
            break
    return tuple(possible)


def _corners(plan: ChecklistPlan, low: list[int | float], high: list[int | float], items: int,
             node: NodePlan, read: Callable[[str], Any]) -> tuple[int, ...] | None:
    """The exits taken at the box's corners, all items answered: tallies that can happen."""
    groups = len(plan.groups)
    if groups <= _CORNER_GROUPS:
        choices: Any = itertools.product((False, True), repeat=groups)
    else:
        choices = ((False,) * groups, (True,) * groups)
    found: set[int] = set()
    for corner in choices:
        scores = [h if up else lo for lo, h, up in zip(low, high, corner, strict=True)]
        own = scope(plan, scores, items)
        try:
            found.add(_pick(node, own, read))
        except _Fails:
            return None
    return tuple(sorted(found))


def _pick(node: NodePlan, own: Mapping[str, Any], read: Callable[[str], Any]) -> int:
    for exit_ in node.exits:
        if exit_.evaluate is None:
            return exit_.index
        try:
            holds = exit_.evaluate(read, own)
        except (ArithmeticError, TypeError, ValueError):
            raise _Fails from None
        if holds:
            return exit_.index
    raise AssertionError(f"checklist {node.id!r} has no default; checks guarantee one")


def _enumerated(node: NodePlan, answers: Sequence[bool | None], quorum: int | None,
                read: Callable[[str], Any]) -> tuple[int, ...] | None:
    """The exits over every final tally (the look-ahead bounds could not settle)."""
    plan, spec = node.checklist, node.node
    assert plan is not None and isinstance(spec, Checklist)
    by_fact = dict(zip(plan.facts, answers, strict=True))
    finals = final_tallies(spec, by_fact, quorum)
    if finals is None:
        return None
    try:
        return tuple(sorted({_pick(node, scope_values(spec, state), read) for state in finals}))
    except _Fails:
        return None


def _truth(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _Unknown


class _Box:
    """Evaluates a condition over intervals: numbers are (low, high), truth is three-valued
    (None: true for some tallies, false for others); params are read as they are."""

    def __init__(self, box: Mapping[str, Any], read: Callable[[str], Any]) -> None:
        self.box = box
        self.read = read

    def value(self, node: ast.expr) -> Any:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise _Unknown
        return method(node)

    def _Constant(self, node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (value, value)
        return value

    def _Name(self, node: ast.Name) -> Any:
        if node.id in self.box:
            return self.box[node.id]
        value = self.read(node.id)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (value, value)
        return value

    def _BoolOp(self, node: ast.BoolOp) -> bool | None:
        stop = isinstance(node.op, ast.Or)  # the value that settles the operation
        result: bool | None = not stop
        for operand in node.values:
            truth = _truth(self.value(operand))
            if truth is stop:
                return stop
            if truth is None:
                result = None
        return result

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.value(node.operand)
        if isinstance(node.op, ast.Not):
            truth = _truth(operand)
            return None if truth is None else not truth
        low, high = _interval(operand)
        return (-high, -low) if isinstance(node.op, ast.USub) else (low, high)

    def _BinOp(self, node: ast.BinOp) -> Interval:
        (a, b), (c, d) = _interval(self.value(node.left)), _interval(self.value(node.right))
        op = node.op
        if isinstance(op, ast.Add):
            return (a + c, b + d)
        if isinstance(op, ast.Sub):
            return (a - d, b - c)
        if isinstance(op, ast.Mult):
            products = (a * c, a * d, b * c, b * d)
            return (min(products), max(products))
        if isinstance(op, ast.Div) and (c > 0 or d < 0):
            quotients = (a / c, a / d, b / c, b / d)
            return (min(quotients), max(quotients))
        if a == b and c == d and c != 0:  # // and % of known values
            exact = _EXACT[type(op)](a, c)
            return (exact, exact)
        raise _Unknown

    def _Compare(self, node: ast.Compare) -> bool | None:
        left = self.value(node.left)
        result: bool | None = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.value(right_node)
            truth = _compare(op, left, right)
            if truth is False:
                return False
            if truth is None:
                result = None
            left = right
        return result

    def _IfExp(self, node: ast.IfExp) -> Any:
        test = _truth(self.value(node.test))
        if test is not None:
            return self.value(node.body if test else node.orelse)
        body, orelse = self.value(node.body), self.value(node.orelse)
        if isinstance(body, tuple) and isinstance(orelse, tuple):
            return (min(body[0], orelse[0]), max(body[1], orelse[1]))
        return body if body == orelse else None

    def _Call(self, node: ast.Call) -> Interval:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        args = [_interval(self.value(a)) for a in node.args]
        if name == "min":
            return (min(a[0] for a in args), min(a[1] for a in args))
        if name == "max":
            return (max(a[0] for a in args), max(a[1] for a in args))
        if name == "abs" and len(args) == 1:
            low, high = args[0]
            if low >= 0:
                return (low, high)
            if high <= 0:
                return (-high, -low)
            return (0, max(-low, high))
        if name == "round" and len(args) == 1:
            return (round(args[0][0]), round(args[0][1]))
        raise _Unknown


_EXACT: dict[type, Callable[[Any, Any], Any]] = {ast.FloorDiv: operator.floordiv,
                                                 ast.Mod: operator.mod}


def _interval(value: Any) -> Interval:
    if isinstance(value, tuple):
        return value
    raise _Unknown


def _compare(op: ast.cmpop, left: Any, right: Any) -> bool | None:
    if not (isinstance(left, tuple) and isinstance(right, tuple)):
        if isinstance(left, tuple) or isinstance(right, tuple) or isinstance(op, (ast.In,
                                                                                  ast.NotIn)):
            raise _Unknown
        return bool(_OPS[type(op)](left, right))
    (a, b), (c, d) = left, right
    if isinstance(op, ast.Lt):
        return True if b < c else False if a >= d else None
    if isinstance(op, ast.LtE):
        return True if b <= c else False if a > d else None
    if isinstance(op, ast.Gt):
        return True if a > d else False if b <= c else None
    if isinstance(op, ast.GtE):
        return True if a >= d else False if b < c else None
    if isinstance(op, (ast.Eq, ast.NotEq)):
        if a == b == c == d:
            equal: bool | None = True
        elif b < c or d < a:
            equal = False
        else:
            equal = None
        if isinstance(op, ast.Eq) or equal is None:
            return equal
        return not equal
    raise _Unknown


_OPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
}
