"""Check a document against a JSON Schema and say what is wrong in short located sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from ._resources import load_schema
from .errors import Diagnostic, did_you_mean
from .schema_check import Check, compile_schema
from .source import Document, escape_pointer
from .values import QUOTED_CHARACTERS, quote_value
from .yaml_hints import missing_space

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

__all__ = ["schema_diagnostics"]


@cache
def _validator(name: str) -> Any:
    import jsonschema  # on load only: deciding validates nothing against a schema

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@cache
def _check(name: str) -> Check:
    return compile_schema(load_schema(name))


def schema_diagnostics(document: Document, schema_name: str) -> list[Diagnostic]:
    """Every schema violation in the document, one diagnostic each, deepest cause first.

    A valid document is told so by the schema compiled into one quick check; jsonschema
    runs only on a document that check refuses, for its errors.
    """
    if _check(schema_name)(document.data):
        return []
    validator = _validator(schema_name)
    found: dict[tuple[str, str], Diagnostic] = {}
    for error in _leaves(validator.iter_errors(document.data)):
        for diagnostic in _describe(error, document):
            found.setdefault((diagnostic.location.pointer, diagnostic.message), diagnostic)
    return list(found.values())


def _leaves(errors: Any) -> Iterator[ValidationError]:
    """Replace anyOf/oneOf wrappers by their most specific causes."""
    for error in errors:
        if error.context:
            best = min(error.context, key=lambda e: len(e.context))
            yield from _leaves([best])
        else:
            yield error


def _pointer(path: Any) -> str:
    return "".join(f"/{escape_pointer(str(part))}" for part in path)


def _where(pointer: str) -> str:
    return pointer or "the top level"


def _describe(error: ValidationError, document: Document) -> list[Diagnostic]:
    pointer = _pointer(error.absolute_path)
    validator = error.validator
    value = error.validator_value
    instance = error.instance
    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        return [
            Diagnostic(document.locate(f"{pointer}/{escape_pointer(name)}", key=True),
                       f"unknown key '{name}' in {_where(pointer)}",
                       (pointer == "" and _outdented(instance[name], error.schema))
                       or did_you_mean(name, allowed) or f"allowed keys: {', '.join(allowed)}",
                       code="unknown-key")
            for name in instance if name not in allowed
        ]
    if "propertyNames" in error.schema_path:
        name = str(instance)
        rule = ("node ids use lower-case letters, digits, '-' and '_'"
                if pointer in ("/nodes", "") else "names use lower-case letters, digits and '_'")
        return [Diagnostic(document.locate(f"{pointer}/{escape_pointer(name)}", key=True),
                           f"invalid name {quote_value(name)} in {_where(pointer)}", rule,
                           code="invalid-name")]
    hint: str | None = None
    key = False
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else str(value)
        message = f"missing required key '{missing}' in {_where(pointer)}"
        key = True
    elif validator == "pattern":
        # quoted as its repr, which shows a \n
        message = f"{quote_value(instance)} is not a valid value for {_where(pointer)}"
        hint = _pattern_hint(pointer)
    elif validator == "const":
        message = f"{_where(pointer)} must be {value!r}, got {quote_value(instance)}"
    elif validator == "enum":
        choices = ", ".join(str(v) for v in value)
        message = f"{_where(pointer)} must be one of: {choices}; got {quote_value(instance)}"
        hint = did_you_mean(str(instance)[:QUOTED_CHARACTERS], [str(v) for v in value])
    elif validator == "type":
        names = value if isinstance(value, list) else [value]
        wanted = " or ".join(_TYPE_WORDS.get(str(v), str(v)) for v in names)
        message = f"{_where(pointer)} must be {_article(wanted)}, got {_kind(instance)}"
        if "object" in names and isinstance(instance, str):
            hint = missing_space(instance)
        elif instance is None and ("object" in names or "array" in names):
            hint = "indent its entries under it"
    elif validator in ("minimum", "exclusiveMinimum"):
        bound = "at least" if validator == "minimum" else "more than"
        message = f"{_where(pointer)} must be {bound} {value}, got {quote_value(instance)}"
    elif validator in ("minItems", "minProperties"):
        message = f"{_where(pointer)} must not be empty"
    elif validator == "minLength":
        message = f"{_where(pointer)} must not be an empty string"
    elif validator == "uniqueItems":
        message = f"{_where(pointer)} lists the same value twice"
    else:
        message = f"{_where(pointer)}: {error.message}"
    return [Diagnostic(document.locate(pointer, key=key), message, hint,
                       code=f"schema-{_kebab(str(validator))}")]


def _outdented(value: Any, schema: dict[str, Any]) -> str | None:
    """A node, fact or param written at the top level: it lost its indentation."""
    sections = schema.get("properties", {})
    defs = schema.get("$defs", {})
    if not isinstance(value, dict) or not {"nodes", "facts", "params"} <= set(sections):
        return None
    if "kind" in value:
        section = "nodes"
    elif "question" in value and set(value) <= set(defs["fact"]["properties"]):
        section = "facts"
    elif "type" in value and set(value) <= set(defs["param"]["properties"]):
        section = "params"
    else:
        return None
    return f"did you mean to indent it under {section}:?"


_TYPE_WORDS = {"array": "list", "object": "mapping", "null": "null"}


def _pattern_hint(pointer: str) -> str:
    if pointer.endswith("/version"):
        return "use a semantic version such as 1.0.0"
    return "use lower-case letters, digits, '-' and '_'"


def _article(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {quote_value(value)}"
    if isinstance(value, str):
        return f"string {quote_value(value)}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _kebab(name: str) -> str:
    """A JSON Schema keyword as a rule code: `additionalProperties` -> `additional-properties`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
