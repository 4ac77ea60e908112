"""Three-valued evaluation: an expression over facts some of which are unknown.

The walk evaluates an expression's plain compiled code first; only when that reads an
unknown fact does it come here. Unknown is a third truth value (Kleene's): `and` is false
as soon as one operand is false and `or` true as soon as one is true, wherever the unknown
stands; `a if c else b` is known when `c` and the chosen side are; anything else that reads
an unknown is unknown. A settled answer is the one the expression gives once every fact is
known, whatever the unknown facts turn out to be (for expressions that do not fail).

The result says which operand settled it (for the trace) and, when unknown, the unknown
names that still matter, in reading order (for `missing`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .expr import EVAL_GLOBALS, bounded_tree

__all__ = ["UNKNOWN", "Partial", "evaluate"]


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""The value of an expression the known facts do not settle."""

_FAILURES = (ArithmeticError, TypeError, ValueError)
_Found = list[tuple[tuple[int, int], Any]]  # (line, column) of a name, and its unknown


@dataclass(frozen=True, slots=True)
class Partial:
    """An expression's value from partial facts.

    `value` is UNKNOWN when the known facts do not settle it; `needs` then holds what the
    reader raised for each unknown name that still matters, in reading order. `settled_by`
    is the text of the operand that settled an `and`/`or` past an unknown one.
    """

    value: Any
    needs: tuple[Any, ...] = ()
    settled_by: str | None = None

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN


@dataclass(frozen=True, slots=True)
class _Pending:
    """An operand that failed after an unknown one: it fails only if nothing settles."""

    error: Exception


@lru_cache(maxsize=4096)
def _tree(text: str) -> ast.expr:
    return bounded_tree(text)


def evaluate(text: str, read: Callable[[str], Any], own: Mapping[str, Any],
             unknown: type[Exception]) -> Partial:
    """Evaluate a checked expression's text; `read` raises `unknown` for an unknown name.

    Raises what the plain evaluation would raise (ArithmeticError, TypeError, ValueError)
    when the expression fails with the facts that are known.
    """
    walker = _Walker(text, read, own, unknown)
    value, found = walker.value(_tree(text))
    if isinstance(value, _Pending):
        raise value.error
    if value is not UNKNOWN:
        return Partial(value, (), walker.settled)
    needs: dict[str, Any] = {}
    for _, need in sorted(found, key=lambda pair: pair[0]):  # reading order
        needs.setdefault(need.fact, need)
    return Partial(UNKNOWN, tuple(needs.values()))


class _Walker:
    """One evaluation; each node's value comes with the unknowns that still matter to it."""

    def __init__(self, text: str, read: Callable[[str], Any], own: Mapping[str, Any],
                 unknown: type[Exception]) -> None:
        self.text = text
        self.read = read
        self.own = own
        self.unknown = unknown
        self.settled: str | None = None

    def value(self, node: ast.expr) -> tuple[Any, _Found]:
        if isinstance(node, ast.Constant):
            return node.value, []
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.BoolOp):
            return self._bool(node)
        if isinstance(node, ast.UnaryOp):
            operand, needs = self.value(node.operand)
            if _open(operand):
                return operand, needs
            if isinstance(node.op, ast.Not):
                return not operand, []
            return (-operand if isinstance(node.op, ast.USub) else +operand), []
        if isinstance(node, ast.IfExp):
            test, needs = self.value(node.test)
            if _open(test):
                return test, needs
            return self.value(node.body if test else node.orelse)
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.value(e)[0] for e in node.elts], []
        raise TypeError(f"cannot evaluate {type(node).__name__}")  # checked at load

    def _name(self, node: ast.Name) -> tuple[Any, _Found]:
        name = node.id
        if name in self.own:
            return self.own[name], []
        try:
            return self.read(name), []
        except self.unknown as need:
            return UNKNOWN, [((node.lineno, node.col_offset), need)]

    def _bool(self, node: ast.BoolOp) -> tuple[Any, _Found]:
        stop = isinstance(node.op, ast.Or)  # the truth that settles the operation
        open_: Any = None  # UNKNOWN or a _Pending met so far
        needs: _Found = []
        for operand in node.values:
            try:
                value, found = self.value(operand)
            except _FAILURES as exc:
                if open_ is None:
                    raise  # as plain Python: nothing unknown stands before it
                value, found = _Pending(exc), []
            if _open(value):
                if open_ is None or value is UNKNOWN:
                    open_ = value
                needs.extend(found)
                continue
            if bool(value) is stop:
                if open_ is not None:
                    self.settled = self._segment(operand)
                return value, []
            if open_ is None:
                last = value
        if open_ is not None:
            return (UNKNOWN if needs else open_), needs
        return last, []

    def _compare(self, node: ast.Compare) -> tuple[Any, _Found]:
        left, needs = self.value(node.left)
        result: Any = True
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right, found = self.value(comparator)
            if _open(left) or _open(right):
                result = UNKNOWN
                needs = [*needs, *found]
            elif not _COMPARE[type(op)](left, right):
                return False, []
            left = right
        return (result, needs) if result is UNKNOWN else (True, [])

    def _call(self, node: ast.Call) -> tuple[Any, _Found]:
        assert isinstance(node.func, ast.Name)
        args: list[Any] = []
        needs: _Found = []
        for argument in node.args:
            value, found = self.value(argument)
            args.append(value)
            needs.extend(found)
        if any(_open(a) for a in args):
            return UNKNOWN, needs
        return EVAL_GLOBALS[node.func.id](*args), []

    def _segment(self, node: ast.expr) -> str:
        return ast.get_source_segment(self.text, node) or ast.unparse(node)


def _open(value: Any) -> bool:
    return value is UNKNOWN or isinstance(value, _Pending)


_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}
