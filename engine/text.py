"""`{param}` placeholders in tree texts, so a tuned threshold shows in the advice it changes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, TypeVar

from .errors import Diagnostic, Location, did_you_mean
from .model import Branch, Call, Checklist, Gate, Outcome, Scalar, TreeSpec
from .source import Document, escape_pointer

__all__ = [
    "Placeholder",
    "T",
    "default_texts",
    "fill",
    "fill_node",
    "find_placeholders",
    "placeholder_problems",
    "show_value",
]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_TEXT_FIELDS = ("question", "help", "notes", "action", "why", "looks_like", "note", "label")
_LIST_FIELDS = ("next_steps", "actions")

T = TypeVar("T", bound=Gate | Checklist | Call | Outcome | Branch)


def fill(text: str, params: Mapping[str, Scalar]) -> str:
    """Replace `{name}` by the param's value; other braces are left as written."""
    if "{" not in text:
        return text

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return show_value(params[name], yes_no=True) if name in params else match.group(0)

    return _PLACEHOLDER.sub(value, text)


def fill_node(node: T, params: Mapping[str, Scalar]) -> T:
    """A copy of a node (or branch) with placeholders filled in its own texts."""
    changes: dict[str, Any] = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if f.name in _TEXT_FIELDS and isinstance(value, str) and "{" in value:
            changes[f.name] = fill(value, params)
        elif f.name in _LIST_FIELDS and any("{" in v for v in value):
            changes[f.name] = tuple(fill(v, params) for v in value)
    return replace(node, **changes) if changes else node


def show_value(value: object, *, yes_no: bool = False) -> str:
    """A value as people read it: true/false (or yes/no in prose), 3.0 as 3."""
    if isinstance(value, bool):
        return ("yes" if value else "no") if yes_no else ("true" if value else "false")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A `{name}` written in a fact's or node's text, and where it stands."""

    name: str
    location: Location


def find_placeholders(document: Document) -> tuple[Placeholder, ...]:
    """Every placeholder in the texts of a (schema-valid) tree document, located."""
    data = document.data if isinstance(document.data, dict) else {}
    return tuple(
        Placeholder(match.group(1), document.text_span(pointer).at(match.start()))
        for pointer, text in _document_texts(data)
        for match in _PLACEHOLDER.finditer(text)
    )


def placeholder_problems(found: Iterable[Placeholder],
                         params: Mapping[str, object]) -> list[Diagnostic]:
    """A placeholder that names no param is an error at the placeholder itself."""
    problems: list[Diagnostic] = []
    for placeholder in found:
        name = placeholder.name
        if name in params:
            continue
        hint = did_you_mean(name, params) or (
            f"known params: {', '.join(params)}" if params else "declare it under params:")
        problems.append(Diagnostic(placeholder.location,
                                   f"text refers to '{{{name}}}', which is not a param", hint))
    return problems


def _document_texts(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for name, fact in (data.get("facts") or {}).items():
        if isinstance(fact, dict):
            for key in ("question", "help"):
                if isinstance(fact.get(key), str):
                    yield f"/facts/{escape_pointer(name)}/{key}", fact[key]
    for node_id, node in (data.get("nodes") or {}).items():
        yield from _owner_texts(node, f"/nodes/{escape_pointer(node_id)}")


def _owner_texts(owner: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if not isinstance(owner, dict):
        return
    for key, value in owner.items():
        here = f"{pointer}/{escape_pointer(key)}"
        if key in _TEXT_FIELDS and isinstance(value, str):
            yield here, value
        elif key in _LIST_FIELDS and isinstance(value, list):
            yield from ((f"{here}/{i}", v) for i, v in enumerate(value) if isinstance(v, str))
        elif key in ("branches", "items") and isinstance(value, list):
            for i, branch in enumerate(value):
                yield from _owner_texts(branch, f"{here}/{i}")
        elif key in ("default", "groups") and isinstance(value, dict):
            nested = value.values() if key == "groups" else [value]
            names = list(value) if key == "groups" else [""]
            for name, child in zip(names, nested, strict=True):
                yield from _owner_texts(child, f"{here}/{escape_pointer(name)}" if name else here)


def default_texts(spec: TreeSpec) -> Mapping[int, Any]:
    """Every node and branch with placeholders filled by the params' defaults, by id.

    Made once at compile, so a decision with default params fills no text.
    """
    params = {name: param.default for name, param in spec.params.items()}
    table: dict[int, Any] = {}
    for node in spec.nodes.values():
        table[id(node)] = fill_node(node, params)
        for branch in getattr(node, "exits", ()):
            table[id(branch)] = fill_node(branch, params)
    return MappingProxyType(table)
