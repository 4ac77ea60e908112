"""A JSON Schema compiled into one yes/no function, for the documents that are valid.

jsonschema builds a validator object at every step down a document and resolves every
`$ref` as it goes: right for its rich errors, but it cost more than everything else in
loading a big tree. Most documents are valid, so the loader first asks this check, which
is compiled once per schema into nested closures (each `$ref` resolved once); only a
document it refuses is handed to jsonschema, whose errors are then reported.

It knows the keywords gatetree's schemas use, with jsonschema's meaning (booleans are not
numbers, 1.0 is an integer, `pattern` searches); a schema with any other keyword is
refused when compiled, never checked loosely.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Check", "compile_schema"]

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description",
                          "default", "examples"})


def compile_schema(schema: Mapping[str, Any]) -> Check:
    """A function that tells whether a document is valid against the schema (draft
    2020-12, local `$ref`s only). Raises ValueError for a keyword it does not know."""
    return _Compiler(schema).compile(schema)


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        unknown = set(schema) - _ANNOTATIONS - set(_KEYWORDS)
        if unknown:
            raise ValueError(f"schema keyword {sorted(unknown)[0]!r} is not supported")
        checks = [self._condition(schema)] if "if" in schema else []
        checks += [_KEYWORDS[k](self, v, schema) for k, v in schema.items()
                   if k in _KEYWORDS and k not in ("if", "then", "else")]
        if not checks:
            return _always
        combined = checks[-1]
        for check in reversed(checks[:-1]):
            combined = _both(check, combined)
        return combined

    def ref(self, pointer: str) -> Check:
        """The check of a `#/...` pointer, compiled once; a schema that refers to itself
        gets a check that looks its compiled self up when run."""
        if pointer in self.refs:
            return self.refs[pointer]
        compiled: list[Check] = []
        self.refs[pointer] = lambda x: compiled[0](x)
        compiled.append(self.compile(self._resolve(pointer)))
        self.refs[pointer] = compiled[0]
        return compiled[0]

    def _resolve(self, pointer: str) -> Any:
        if not pointer.startswith("#"):
            raise ValueError(f"only local $ref are supported, not {pointer!r}")
        target: Any = self.root
        for part in pointer[1:].split("/")[1:]:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target

    def _condition(self, schema: Mapping[str, Any]) -> Check:
        test = self.compile(schema["if"])
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda x: then(x) if test(x) else otherwise(x)


def _both(first: Check, second: Check) -> Check:
    return lambda x: first(x) and second(x)


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def _equal(a: Any, b: Any) -> bool:
    """JSON equality as jsonschema has it: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "number": _is_number,
    "integer": lambda x: _is_number(x) and (isinstance(x, int) or x.is_integer()),
}


def _type(c: _Compiler, value: Any, schema: Any) -> Check:
    names = value if isinstance(value, list) else [value]
    tests = [_TYPES[name] for name in names]
    return tests[0] if len(tests) == 1 else (lambda x: any(t(x) for t in tests))


def _properties(c: _Compiler, value: Any, schema: Any) -> Check:
    props = {name: c.compile(sub) for name, sub in value.items()}

    def check(x: Any) -> bool:
        if isinstance(x, dict):
            for k, v in x.items():
                sub = props.get(k)
                if sub is not None and not sub(v):
                    return False
        return True

    return check


def _additional(c: _Compiler, value: Any, schema: Any) -> Check:
    known = frozenset(schema.get("properties", ()))
    check = c.compile(value)
    if check is _never:
        return lambda x: not isinstance(x, dict) or known.issuperset(x)

    def additional(x: Any) -> bool:
        if isinstance(x, dict):
            for k, v in x.items():
                if k not in known and not check(v):
                    return False
        return True

    return additional


def _property_names(c: _Compiler, value: Any, schema: Any) -> Check:
    check = c.compile(value)
    return lambda x: not isinstance(x, dict) or all(check(k) for k in x)


def _required(c: _Compiler, value: Any, schema: Any) -> Check:
    names = tuple(value)
    return lambda x: not isinstance(x, dict) or all(n in x for n in names)


def _min_properties(c: _Compiler, value: Any, schema: Any) -> Check:
    return lambda x: not isinstance(x, dict) or len(x) >= value


def _items(c: _Compiler, value: Any, schema: Any) -> Check:
    check = c.compile(value)

    def items(x: Any) -> bool:
        if isinstance(x, list):
            for v in x:
                if not check(v):
                    return False
        return True

    return items


def _min_items(c: _Compiler, value: Any, schema: Any) -> Check:
    return lambda x: not isinstance(x, list) or len(x) >= value


def _unique_items(c: _Compiler, value: Any, schema: Any) -> Check:
    if not value:
        return _always
    return lambda x: not isinstance(x, list) or not any(
        _equal(a, b) for i, a in enumerate(x) for b in x[i + 1:])


def _min_length(c: _Compiler, value: Any, schema: Any) -> Check:
    return lambda x: not isinstance(x, str) or len(x) >= value


def _pattern(c: _Compiler, value: Any, schema: Any) -> Check:
    search = re.compile(value).search
    return lambda x: not isinstance(x, str) or search(x) is not None


def _minimum(c: _Compiler, value: Any, schema: Any) -> Check:
    return lambda x: not _is_number(x) or x >= value


def _exclusive_minimum(c: _Compiler, value: Any, schema: Any) -> Check:
    return lambda x: not _is_number(x) or x > value


def _const(c: _Compiler, value: Any, schema: Any) -> Check:
    return lambda x: _equal(x, value)


def _enum(c: _Compiler, value: Any, schema: Any) -> Check:
    return lambda x: any(_equal(x, v) for v in value)


def _ref(c: _Compiler, value: Any, schema: Any) -> Check:
    return c.ref(value)


def _all_of(c: _Compiler, value: Any, schema: Any) -> Check:
    checks = [c.compile(s) for s in value]
    return lambda x: all(check(x) for check in checks)


def _any_of(c: _Compiler, value: Any, schema: Any) -> Check:
    checks = [c.compile(s) for s in value]
    return lambda x: any(check(x) for check in checks)


def _one_of(c: _Compiler, value: Any, schema: Any) -> Check:
    checks = [c.compile(s) for s in value]
    return lambda x: sum(1 for check in checks if check(x)) == 1


def _not(c: _Compiler, value: Any, schema: Any) -> Check:
    check = c.compile(value)
    return lambda x: not check(x)


def _conditional(c: _Compiler, value: Any, schema: Any) -> Check:
    return _always  # if/then/else are compiled together, by _Compiler._condition


_KEYWORDS: dict[str, Callable[[_Compiler, Any, Any], Check]] = {
    "type": _type, "properties": _properties, "additionalProperties": _additional,
    "propertyNames": _property_names, "required": _required,
    "minProperties": _min_properties, "items": _items, "minItems": _min_items,
    "uniqueItems": _unique_items, "minLength": _min_length, "pattern": _pattern,
    "minimum": _minimum, "exclusiveMinimum": _exclusive_minimum, "const": _const,
    "enum": _enum, "$ref": _ref, "allOf": _all_of, "anyOf": _any_of, "oneOf": _one_of,
    "not": _not, "if": _conditional, "then": _conditional, "else": _conditional,
}
