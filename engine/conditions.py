"""A condition taken apart for people: its `and` parts, whether each held, and the values
each compared, so an explanation can say which part chose a branch or ruled it out.

It works from a trace alone (a condition's text and the values the step recorded), so a
saved decision explains itself too. The text is compiled by the expression checker
against exactly those values, never evaluated otherwise: a text that reads anything
else, or is no valid expression, is not taken apart.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import EvaluationError, Location
from .expr import CompiledExpr, ExprType, compile_expression
from .model import Scalar

__all__ = ["ConditionPart", "condition_parts"]

_WHERE = Location("<trace>")


@dataclass(frozen=True, slots=True)
class ConditionPart:
    """One `and` part of a condition: its text, whether it held, and the value of each
    operand it compares that is not a constant (`structural + patching` = 2)."""

    text: str
    held: bool
    operands: tuple[tuple[str, Scalar], ...]


def condition_parts(text: str, values: Mapping[str, Scalar]) -> tuple[ConditionPart, ...] | None:
    """The parts of `text` joined by a top-level `and` (one part when there is none), each
    evaluated with `values`; None when the text reads a name `values` lacks or is invalid."""
    try:
        body = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    pieces = body.values if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And) \
        else [body]
    names = {name: _type_of(value) for name, value in values.items()}
    parts: list[ConditionPart] = []
    for piece in pieces:
        read = _read_part(piece, names, values)
        if read is None and any(not p.held for p in parts):
            break  # after a part that failed the walk read no further: those parts are unread
        if read is None:
            return None
        held, compared = read
        operands = []
        for shown in dict.fromkeys(s for p in compared for s in _operands(p)):
            value = _value(shown, names, values)
            if value is None:
                return None
            operands.append((shown, value))
        # the side that settled a part stands for it: its other sides were not read
        text = ast.unparse(compared[0] if len(compared) == 1 else piece)
        parts.append(ConditionPart(text, bool(held), tuple(operands)))
    return tuple(parts)


def _read_part(piece: ast.expr, names: Mapping[str, ExprType],
               values: Mapping[str, Scalar]) -> tuple[Scalar, list[ast.expr]] | None:
    """A part's value and the sub-expressions that decided it. An `or`/`and` is read as
    the walk reads it, left to right until one side settles it, since the trace records
    only the names the walk read: `refine < refine_min_signs or ...` that held at its
    first side is explained by that side, though the name after it was never recorded."""
    held = _value(ast.unparse(piece), names, values)
    if held is not None:
        return held, [piece]
    if not isinstance(piece, ast.BoolOp):
        return None
    settles = isinstance(piece.op, ast.Or)  # `or` settles on a true side, `and` on false
    read: list[ast.expr] = []
    for side in piece.values:
        side_read = _read_part(side, names, values)
        if side_read is None or not isinstance(side_read[0], bool):
            return None
        read.extend(side_read[1])
        if side_read[0] is settles:
            return settles, read
    return not settles, read


def _operands(piece: ast.expr) -> list[str]:
    """A comparison's sides that are not constants; else the names the part reads."""
    if isinstance(piece, ast.Compare):
        sides = (piece.left, *piece.comparators)
        return [ast.unparse(s) for s in sides if not isinstance(s, ast.Constant)]
    return list(dict.fromkeys(n.id for n in ast.walk(piece) if isinstance(n, ast.Name)))


def _value(text: str, names: Mapping[str, ExprType],
           values: Mapping[str, Scalar]) -> Scalar | None:
    compiled, problems = compile_expression(text, location=_WHERE, facts={}, params={},
                                            extra_names=names)
    if compiled is None or problems:
        return None
    return _evaluate(compiled, values)


def _evaluate(compiled: CompiledExpr, values: Mapping[str, Scalar]) -> Scalar | None:
    try:
        result = compiled.evaluate(values)
    except (ArithmeticError, TypeError, ValueError, EvaluationError):
        return None
    return result if isinstance(result, bool | int | float | str) else None


def _type_of(value: Scalar) -> ExprType:
    if isinstance(value, bool):
        return ExprType("boolean")
    if isinstance(value, int):
        return ExprType("integer")
    if isinstance(value, float):
        return ExprType("number")
    return ExprType("string")
