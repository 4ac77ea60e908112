"""The exact boundary of a comparison linear in one fact, and the arithmetic that gives it.

The what-ifs find where a step flips by bisection (`gatetree.boundary`); when the
comparison that flips there reads the fact once, through `+ - * /` by values that do not
depend on it, this solves it exactly in decimal fractions instead, and writes the
arithmetic with the values the decision used: `79 + 0.9 x (91 - 79)` = 89.8.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .expr import FUNCTIONS
from .values import show_value

__all__ = ["Solved", "roots", "solve"]

_ORDERED = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


@dataclass(frozen=True, slots=True)
class Solved:
    value: Fraction
    formula: str | None  # the arithmetic, values filled in: "79 + 0.9 x (91 - 79)"


def solve(texts: Iterable[str], name: str, values: Mapping[str, Any], near: float,
          far: float) -> Solved | None:
    """The root of the first comparison in `texts` that reads `name` once, linearly, and
    holds at one of `near`, `far` but not the other; None when there is none."""
    for node, solved in _solved(texts, name, values):
        if _holds(node, {**values, name: near}) != _holds(node, {**values, name: far}):
            return solved
    return None


def roots(texts: Iterable[str], name: str, values: Mapping[str, Any]) -> list[Fraction]:
    """Where each comparison linear in `name` changes its truth: the only places a step
    that reads them linearly can flip."""
    return [solved.value for _, solved in _solved(texts, name, values)]


def _solved(texts: Iterable[str], name: str,
            values: Mapping[str, Any]) -> Iterator[tuple[ast.Compare, Solved]]:
    for text in dict.fromkeys(texts):
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError:  # checked at load: cannot happen
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and len(node.ops) == 1 and \
                    isinstance(node.ops[0], _ORDERED):
                solved = _solve(node, name, values)
                if solved is not None:
                    yield node, solved


def _solve(node: ast.Compare, name: str, values: Mapping[str, Any]) -> Solved | None:
    left, right = node.left, node.comparators[0]
    names = [n.id for side in (left, right) for n in ast.walk(side)
             if isinstance(n, ast.Name) and n.id not in FUNCTIONS]
    if names.count(name) != 1 or any(n != name and n not in values for n in names):
        return None
    side, other = (left, right) if _reads(left, name) else (right, left)
    isolated = _isolate(side, other, name, values)
    if isolated is None:
        return None
    try:
        value = _exact(isolated, values)
    except (ArithmeticError, TypeError, ValueError):
        return None
    formula = _formula(isolated, values)
    return Solved(value, formula if isinstance(isolated, (ast.BinOp, ast.UnaryOp)) else None)


def _holds(node: ast.Compare, scope: Mapping[str, Any]) -> Any:
    try:
        return eval(compile(ast.Expression(node), "<solve>", "eval"),  # checked at load
                    {"__builtins__": {}, **FUNCTIONS}, dict(scope))
    except (ArithmeticError, TypeError, ValueError):
        return None


def _reads(node: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _isolate(side: ast.expr, other: ast.expr, name: str,
             values: Mapping[str, Any]) -> ast.expr | None:
    """`other` rearranged so that it equals the fact where `side` equals `other`."""
    while not (isinstance(side, ast.Name) and side.id == name):
        if isinstance(side, ast.UnaryOp) and isinstance(side.op, (ast.USub, ast.UAdd)):
            other = ast.UnaryOp(side.op, other)
            side = side.operand
            continue
        if not isinstance(side, ast.BinOp):
            return None
        in_left = _reads(side.left, name)
        rest = side.right if in_left else side.left
        op = side.op
        if isinstance(op, ast.Add):
            other = ast.BinOp(other, ast.Sub(), rest)
        elif isinstance(op, ast.Sub):
            other = ast.BinOp(rest, ast.Add(), other) if in_left \
                else ast.BinOp(rest, ast.Sub(), other)
        elif isinstance(op, ast.Mult) and _nonzero(rest, values):
            other = ast.BinOp(other, ast.Div(), rest)
        elif isinstance(op, ast.Div) and in_left and _nonzero(rest, values):
            other = ast.BinOp(other, ast.Mult(), rest)
        else:
            return None  # the fact divides, or is multiplied by zero: not solved here
        side = side.left if in_left else side.right
    return other


def _nonzero(node: ast.expr, values: Mapping[str, Any]) -> bool:
    try:
        return _exact(node, values) != 0
    except (ArithmeticError, TypeError, ValueError):
        return False


def _exact(node: ast.expr, values: Mapping[str, Any]) -> Fraction:
    """The expression in decimal fractions: 0.9 is nine tenths, not the nearest double."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and \
            not isinstance(node.value, bool):
        return Fraction(repr(node.value))
    if isinstance(node, ast.Name) and node.id in values:
        value = values[node.id]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(node.id)
        return Fraction(repr(value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _exact(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult,
                                                            ast.Div)):
        a, b = _exact(node.left, values), _exact(node.right, values)
        op = node.op
        return a + b if isinstance(op, ast.Add) else a - b if isinstance(op, ast.Sub) \
            else a * b if isinstance(op, ast.Mult) else a / b
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in ("min", "max", "abs"):
        args = [_exact(a, values) for a in node.args]
        return min(args) if node.func.id == "min" else max(args) \
            if node.func.id == "max" else abs(args[0])
    raise TypeError("not arithmetic")


class _Filled(ast.NodeTransformer):
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.values:
            return ast.Name(show_value(self.values[node.id]), ast.Load())
        return node


def _formula(node: ast.expr, values: Mapping[str, Any]) -> str:
    filled = _Filled(values).visit(ast.parse(ast.unparse(node), mode="eval"))
    return ast.unparse(filled).replace(" * ", " x ")
