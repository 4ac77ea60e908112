"""Facts and params from callers, files and `name=value` options, checked against a tree."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from .checks import value_fits
from .errors import Diagnostic, InputError, Location, TreeError, did_you_mean
from .limits import MAX_DIGITS, magnitude_problem
from .model import Fact, Param, Scalar, TreeSpec
from .source import Document, escape_pointer, parse_bytes, read_document
from .values import BOOLEAN_WORDS, plain_value, quote_value, type_hint

__all__ = [
    "FactChecker",
    "check_facts",
    "check_params",
    "parse_assignment",
    "read_facts",
    "split_assignment",
    "text_to_value",
    "value_problem",
    "write_facts",
]


def read_facts(path: str | Path, *, content: bytes | None = None,
               ) -> tuple[dict[str, Any], Document]:
    """A facts file (YAML or JSON mapping of fact: value) and where each value stood.

    With `content`, those bytes are read instead (standard input, say) and `path` only
    names them in locations, as `<stdin>`.
    """
    try:
        document = (read_document(path) if content is None
                    else parse_bytes(content, path=str(path)))
    except TreeError as exc:
        raise InputError(exc.diagnostics) from None
    if document.data is None:
        return {}, document
    if not isinstance(document.data, dict):
        raise InputError([Diagnostic(document.locate(""), "a facts file must be a mapping of "
                                                          "fact: value", code="facts-not-mapping")])
    return dict(document.data), document


def write_facts(path: str | Path, facts: Mapping[str, Scalar], *, tree: TreeSpec) -> None:
    """Write facts as a facts file that `read_facts` reads back to the same values.

    JSON when the name ends .json, else YAML: one `name: value` line each, the value
    written as JSON (which YAML 1.2 reads alike), so a text such as `no` stays text.
    """
    target = Path(path)
    # facts are read as finite numbers only, so a file with inf or NaN would not read back
    endless = [n for n, v in facts.items() if isinstance(v, float) and not math.isfinite(v)]
    if endless:
        raise InputError([Diagnostic(Location(str(path)), "cannot write facts that are not "
                                     f"finite numbers: {', '.join(endless)}",
                                     "a facts file holds finite numbers only",
                                     code="facts-not-finite")])
    if target.suffix.lower() == ".json":
        text = json.dumps(dict(facts), indent=2, ensure_ascii=False) + "\n"
    else:
        lines = [f"# Facts for {tree.id} {tree.version} ({tree.title})"]
        lines += [f"{name}: {json.dumps(value, ensure_ascii=False)}"
                  for name, value in facts.items()]
        text = "\n".join(lines) + "\n"
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError([Diagnostic(Location(str(path)), "cannot write the facts file: "
                                     f"{exc.strerror or exc}", code="facts-unwritable")]) from None


def check_facts(
    spec: TreeSpec, facts: Mapping[str, Any], *, origin: Document | str = "facts",
    pointer: str = "",
) -> dict[str, Scalar]:
    """The given facts, type-checked, as plain Python values. Every problem is reported at once.

    None, NaN and `pandas.NA` mean unknown (an empty cell of a data frame); numpy and
    pandas scalars count as the values they hold, and a whole float as a whole number.
    With a Document as origin, problems point at `pointer/NAME` in it.
    """
    return _check(spec.facts, facts, origin, pointer, "fact")


def check_params(
    spec: TreeSpec, params: Mapping[str, Any], *, origin: Document | str = "params",
    pointer: str = "",
) -> dict[str, Scalar]:
    """Param overrides, type-checked like facts; a param given no value keeps its default."""
    return _check(spec.params, params, origin, pointer, "param")


class FactChecker:
    """One tree's check of given facts (or params), made at compile.

    The common case, plain values of the declared types, costs a type look-up per value;
    anything else (an unknown name, a numpy value, NaN, a wrong type) goes through the full
    check, which converts what it can and reports every problem, located.
    """

    __slots__ = ("_accept", "_declared", "_kind")

    def __init__(self, declared: Mapping[str, Fact] | Mapping[str, Param], kind: str) -> None:
        self._declared = declared
        self._kind = kind
        # name -> type -> what else a plain value of that type must pass: nothing, the
        # number bounds, or being one of an enum's values.
        self._accept: dict[str, dict[type, object]] = {}
        for name, decl in declared.items():
            if decl.type == "enum":
                rule = frozenset(decl.values) if isinstance(decl, Fact) else _ANY
                self._accept[name] = {str: rule}
            else:
                rule = _BOUNDED if decl.type in ("integer", "number") else _ANY
                self._accept[name] = dict.fromkeys(_PLAIN[decl.type], rule)

    def __call__(self, given: Mapping[str, Any], *,
                 origin: Document | str = "") -> dict[str, Scalar]:
        """The given values, checked; raises InputError like check_facts. A plain dict of
        plain values comes back as it is (copy it to keep it), anything else as a new dict."""
        accept = self._accept
        try:
            for name, value in given.items():
                rule = accept[name][value.__class__]  # an unknown name or type: KeyError
                if rule is _ANY:
                    continue
                if rule is _BOUNDED:
                    if -_NUMBER_BOUND < value < _NUMBER_BOUND:
                        continue
                elif value in rule:  # type: ignore[operator]
                    continue
                break
            else:
                return given if given.__class__ is dict else dict(given)
        except KeyError:
            pass
        return _check(self._declared, given, origin or f"{self._kind}s", "", self._kind)


_ANY, _BOUNDED = object(), object()
# The types a plain value of each declared type has; a number outside the bound (inf, an
# integer of more than MAX_DIGITS digits) or NaN (no comparison holds) goes to the full check.
_PLAIN: dict[str, tuple[type, ...]] = {
    "boolean": (bool,), "integer": (int,), "number": (int, float), "string": (str,)}
_NUMBER_BOUND = 10 ** MAX_DIGITS


def parse_assignment(text: str, declarations: Mapping[str, Fact] | Mapping[str, Param],
                     *, kind: str, option: str) -> tuple[str, Scalar]:
    """`name=value` from the command line, the value read by the declared type; `kind`
    ("fact" or "param") says what the declarations are, `option` where the text was given."""
    where = Location(f"{option} {text}")
    parts = split_assignment(text)
    if parts is None:
        raise InputError([Diagnostic(where, f"expected NAME=VALUE, got {quote_value(text)}",
                                     code="assignment-form")])
    name, raw = parts
    decl = declarations.get(name)
    if decl is None:
        raise InputError([_unknown(where, kind, name, declarations)])
    value = text_to_value(decl.type, raw)
    return name, value


def split_assignment(text: str) -> tuple[str, str] | None:
    """`name=value` split at the first `=` and stripped; None without a name or an `=`."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    return (name, raw.strip()) if sep and name else None


# The numbers a person types, in ASCII only: Python's int() and float() also read
# "٥٠٠" (Arabic-Indic digits), "7_4", "inf" and "nan", which nobody means as a number.
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def text_to_value(type_name: str, raw: str) -> Scalar:
    """A typed value from text, by the declared type; text that does not parse stays text.

    A number is written with ASCII digits: an optional sign, digits with at most one
    decimal point, and an optional exponent (`-12`, `0.5`, `.5`, `1e-3`).
    """
    lowered, text = raw.lower(), raw.strip()
    if type_name == "boolean" and lowered in BOOLEAN_WORDS:
        return BOOLEAN_WORDS[lowered]
    if type_name == "integer" and _INTEGER_TEXT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python reads: stays text, and is refused
            return raw
    if type_name == "number" and _NUMBER_TEXT.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    return raw


def _check(
    declared: Mapping[str, Fact] | Mapping[str, Param],
    given: Mapping[str, Any],
    origin: Document | str,
    pointer: str,
    kind: str,
) -> dict[str, Scalar]:
    problems: list[Diagnostic] = []
    checked: dict[str, Scalar] = {}
    for name, value in given.items():
        if isinstance(origin, Document):
            where = origin.locate(f"{pointer}/{escape_pointer(str(name))}")
        else:
            where = Location(origin)
        decl = declared.get(name)
        if decl is None:
            if isinstance(origin, Document):
                where = origin.locate(f"{pointer}/{escape_pointer(str(name))}", key=True)
            problems.append(_unknown(where, kind, str(name), declared))
            continue
        value = plain_value(decl.type, value)
        if value is None:
            continue
        problem = value_problem(decl, value, kind=kind)
        if problem is not None:
            message, hint = problem
            problems.append(Diagnostic(where, message, hint, code="value-does-not-fit"))
            continue
        checked[name] = cast(Scalar, value)  # it fits its type, so it is a plain scalar
    if problems:
        raise InputError(problems)
    return checked


def value_problem(decl: Fact | Param, value: object, *,
                  kind: str = "fact") -> tuple[str, str | None] | None:
    """What is wrong with a plain value for a declaration (message, hint), or None when it fits.

    A caller's value is made plain first (`values.plain_value`), as check_facts does.
    """
    values = decl.values if isinstance(decl, Fact) else ()
    if value_fits(decl.type, value, values) and not _is_nan(value):
        if isinstance(value, str) or magnitude_problem(value) is None:
            return None
        # inf (NaN is no value, above), or more digits than expressions compute with
        if isinstance(value, float):
            return f"{kind} '{decl.name}' must be a finite number; got {value}", None
        return (f"{kind} '{decl.name}' must be {_describe_type(decl.type, values)} of at most "
                f"{MAX_DIGITS} digits; got one of more", None)
    return (f"{kind} '{decl.name}' must be {_describe_type(decl.type, values)}; "
            f"got {quote_value(value)}", type_hint(decl.type, value, values))


def _is_nan(value: object) -> bool:
    """NaN compares false with everything, so it would silently pick default branches."""
    return isinstance(value, float) and math.isnan(value)


def _unknown(where: Location, kind: str, name: str, declared: Mapping[str, Any]) -> Diagnostic:
    hint = did_you_mean(name, declared) or f"known {kind}s: {', '.join(sorted(declared))}"
    return Diagnostic(where, f"unknown {kind} '{name}'", hint, code=f"unknown-{kind}")


def _describe_type(type_name: str, values: tuple[str, ...]) -> str:
    if type_name == "enum":
        return f"one of: {', '.join(values)}"
    return {"boolean": "true or false", "integer": "a whole number", "number": "a number",
            "string": "text"}[type_name]
