"""A caller's value as the plain Python value of its declared type, and hints when it is not.

Apps hand over what their data libraries give them: `numpy.int64`, `numpy.float64`,
`numpy.bool_`, `500.0` for a count, and NaN or `pandas.NA` for an empty cell. A decision
holds only plain bool, int, float and str, so its trace stays plain data and JSON.
Neither library is imported here: one of their values can only exist once its library is,
so the types are looked up in `sys.modules`, and only for values that are not plain.
"""

from __future__ import annotations

import math
import numbers
import operator
import sys

from .errors import did_you_mean

__all__ = [
    "BOOLEAN_WORDS", "QUOTED_CHARACTERS", "plain_value", "quote_value", "show_literal",
    "show_value", "type_hint",
]

# The words a person types for a boolean; in files they are text (YAML 1.2), so they get a hint.
BOOLEAN_WORDS = {"true": True, "yes": True, "y": True, "1": True,
                 "false": False, "no": False, "n": False, "0": False}
_AS_IS = frozenset({str, bool, int})  # the common case costs one set lookup


def plain_value(type_name: str, value: object) -> object:
    """None for no value (None, NaN, pandas' NA or NaT), else the plain value for the type.

    A numpy or pandas scalar becomes the bool, int, float or str it holds (by the numeric
    tower, not by its class), and a whole float becomes an int for an integer. Anything
    else is returned as it is, for the type check to report.
    """
    if type(value) in _AS_IS:
        return value
    if isinstance(value, float):  # numpy.float64 is one too
        return _from_float(type_name, float(value))
    if value is None:
        return None
    return _not_plain(type_name, value)


SHOWN_DIGITS = 12
"""Significant digits a number keeps in prose: arithmetic's noise (1.2000000000000028) sits
in the last of a float's 15-17 digits, and any number a person types has fewer than 12."""


def show_value(value: object, *, yes_no: bool = False) -> str:
    """A value as people write it, for prose: reports, docs, diagrams and what-ifs.

    true/false (yes/no with `yes_no`); a float rounded to SHOWN_DIGITS significant digits
    and then written as briefly as it reads back (1.2000000000000028 -> 1.2,
    0.1 + 0.2 -> 0.3), a whole one without its ".0" (74.0 -> 74); text as it is. JSON keeps
    the full value; messages about a value a caller gave use `show_literal`.
    """
    if isinstance(value, bool):
        return ("yes" if value else "no") if yes_no else ("true" if value else "false")
    if isinstance(value, float):
        return _show_float(value)
    return str(value)


def show_literal(value: object) -> str:
    """A value exactly as a tree or facts file would write it, for conditions and error
    messages: true/false, text quoted, a number with all its digits, nan."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


QUOTED_CHARACTERS = 80
"""How much of a bad value an error message quotes: a 10 MB string gives a line, not 10 MB."""


def quote_value(value: object, *, limit: int = QUOTED_CHARACTERS) -> str:
    """A value for an error message, as `show_literal` writes it (a string as its repr, so
    a newline shows as `\\n`), shortened past `limit` characters to its start, an ellipsis
    and its full length: `'xxxx…' (10000000 characters)`, `9999…(5000 digits)`."""
    if isinstance(value, int) and not isinstance(value, bool) \
            and value.bit_length() > _DIGITS_SHOWN_BITS:  # str() refuses past 4,300 digits
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = show_literal(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str):
        return f"{text[:limit]}…' ({len(value)} characters)"
    if isinstance(value, int):
        return f"{text[:limit]}…({len(text.lstrip('-'))} digits)"
    return f"{text[:limit]}…({len(text)} characters)"


_DIGITS_SHOWN_BITS = 13_000  # about 3,900 digits, within what str() converts


def _show_float(value: float) -> str:
    if not math.isfinite(value):
        return repr(value)  # nan, inf
    shown = float(f"{value:.{SHOWN_DIGITS}g}")
    if shown.is_integer() and abs(shown) < 1e16:  # past 1e16 a float is 1e+16, not digits
        return str(int(shown))
    return repr(shown)


def type_hint(type_name: str, value: object, values: tuple[str, ...] = ()) -> str | None:
    """A hint for a value that does not fit its type: the near enum value, or true/false
    for a yes/no word (a string, as YAML 1.2 and JSON read it)."""
    if type_name == "enum":
        return did_you_mean(str(value), values)
    if type_name == "boolean" and isinstance(value, str) and value.lower() in BOOLEAN_WORDS:
        return "write true or false"
    return None


def _from_float(type_name: str, value: float) -> float | int | None:
    if math.isnan(value):
        return None  # NaN is how pandas and numpy say "no value"
    if type_name == "integer" and value.is_integer():
        return int(value)
    return value


def _not_plain(type_name: str, value: object) -> object:
    if isinstance(value, str):
        return str.__str__(value)  # numpy.str_, str enums: the text itself
    if isinstance(value, numbers.Integral):
        return operator.index(value)
    if isinstance(value, numbers.Real):
        return _from_float(type_name, float(value))
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.bool_):
        return bool(value)  # not in the numeric tower, and no int: a boolean
    pandas = sys.modules.get("pandas")
    if pandas is not None and (value is pandas.NA or value is pandas.NaT):
        return None
    return value
