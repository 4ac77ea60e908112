"""How large a value an expression may make, so every evaluation stays cheap.

Derived facts feed each other, so `b = a * a`, `c = b * b`, ... squares its way to numbers
no machine can hold, and `s + s` doubles a string the same way; `round(x, -10**9)` builds
a number of a billion digits before it rounds. Every arithmetic step of an expression goes
through one of the functions here, which refuse a result beyond the limits below with an
OverflowError (the walk turns it into a located evaluation error), and input values are
held to the same limits when they enter.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

__all__ = [
    "GUARDED",
    "MAX_DIGITS",
    "MAX_ROUND_DIGITS",
    "MAX_STRING",
    "bounded",
    "bounded_round",
    "magnitude_problem",
]

MAX_DIGITS = 1000  # an integer has at most this many digits
MAX_STRING = 1_000_000  # a string an expression makes has at most this many characters
MAX_ROUND_DIGITS = MAX_DIGITS  # round(x, digits) takes -MAX_ROUND_DIGITS <= digits <= it

_INT_BOUND = 10 ** MAX_DIGITS


def magnitude_problem(value: object) -> str | None:
    """Why a value is beyond what expressions compute with, or None when it is within."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if -_INT_BOUND < value < _INT_BOUND:
            return None
        return f"an integer of more than {MAX_DIGITS} digits"
    if isinstance(value, float):
        return None if math.isfinite(value) else "not a finite number"
    if isinstance(value, str) and len(value) > MAX_STRING:
        return f"a string of more than {MAX_STRING} characters"
    return None


def bounded(value: Any) -> Any:
    """The value, when it is within the limits; else an OverflowError saying which."""
    problem = magnitude_problem(value)
    if problem is not None:
        raise OverflowError(f"the result is {problem}")
    return value


def _guarded(operation: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def step(left: Any, right: Any) -> Any:
        if isinstance(left, str) and isinstance(right, str) \
                and len(left) + len(right) > MAX_STRING:
            raise OverflowError(f"the result is a string of more than {MAX_STRING} characters")
        return bounded(operation(left, right))

    step.__name__ = operation.__name__
    return step


# The function an expression's code calls for each operator, by the name it calls it by:
# "__add" for '+', ... Names starting with "__" are refused in trees, so none is a fact.
GUARDED: dict[str, Callable[[Any, Any], Any]] = {
    f"__{name}": _guarded(function)
    for name, function in (("add", operator.add), ("sub", operator.sub),
                           ("mul", operator.mul), ("truediv", operator.truediv),
                           ("floordiv", operator.floordiv), ("mod", operator.mod))
}


def bounded_round(number: Any, digits: Any = None) -> Any:
    """`round`, refusing digits so far from 0 that rounding would build a huge number."""
    if digits is None:
        return bounded(round(number))
    if not -MAX_ROUND_DIGITS <= digits <= MAX_ROUND_DIGITS:
        raise ValueError(f"round() digits must be between -{MAX_ROUND_DIGITS} and "
                         f"{MAX_ROUND_DIGITS}, got {digits}")
    return bounded(round(number, digits))
