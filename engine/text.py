"""`{param}` placeholders in tree texts, so a tuned threshold shows in the advice it changes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import fields, replace
from types import MappingProxyType
from typing import Any, TypeVar

from .errors import Diagnostic, did_you_mean
from .model import Branch, Call, Checklist, Gate, Node, Outcome, Scalar, TreeSpec
from .source import Document, escape_pointer

__all__ = [
    "T",
    "default_texts",
    "fill",
    "fill_node",
    "placeholder_problems",
    "placeholders",
    "show_value",
    "spec_placeholders",
    "texts",
]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_TEXT_FIELDS = ("question", "help", "notes", "action", "why", "looks_like", "note", "label")
_LIST_FIELDS = ("next_steps", "actions")

T = TypeVar("T", Gate, Checklist, Call, Outcome, Branch)


def placeholders(text: str) -> Iterator[str]:
    return (m.group(1) for m in _PLACEHOLDER.finditer(text))


def fill(text: str, params: Mapping[str, Scalar]) -> str:
    """Replace `{name}` by the param's value; other braces are left as written."""
    if "{" not in text:
        return text
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return show_value(params[name], yes_no=True) if name in params else match.group(0)

    return _PLACEHOLDER.sub(value, text)


def texts(node: Node) -> Iterator[tuple[str, str, Any]]:
    """(field, text, owner) for every human text of a node and its branches."""
    owners: list[Any] = [node]
    if not isinstance(node, Outcome):
        owners.extend(node.exits)
    for owner in owners:
        for name in _TEXT_FIELDS:
            value = getattr(owner, name, None)
            if isinstance(value, str) and value:
                yield name, value, owner
        for name in _LIST_FIELDS:
            for value in getattr(owner, name, ()):
                yield name, value, owner


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


def spec_placeholders(spec: TreeSpec) -> Iterator[tuple[str, Any]]:
    """(param name, owner) for every placeholder in the tree's node and fact texts."""
    for fact in spec.facts.values():
        for text in (fact.question, fact.help):
            for name in placeholders(text):
                yield name, fact
    for node in spec.nodes.values():
        for _, text, owner in texts(node):
            for name in placeholders(text):
                yield name, owner


def show_value(value: object, *, yes_no: bool = False) -> str:
    """A value as people read it: true/false (or yes/no in prose), 3.0 as 3."""
    if isinstance(value, bool):
        return ("yes" if value else "no") if yes_no else ("true" if value else "false")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def placeholder_problems(document: Document, params: Mapping[str, object]) -> list[Diagnostic]:
    """A `{name}` in a fact's or node's text that names no param, located inside the text."""
    problems: list[Diagnostic] = []
    data = document.data if isinstance(document.data, dict) else {}
    for pointer, text in _document_texts(data):
        for match in _PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name in params:
                continue
            hint = did_you_mean(name, params) or (
                f"known params: {', '.join(params)}" if params else "declare it under params:")
            where = document.text_span(pointer).at(match.start())
            problems.append(Diagnostic(where, f"text refers to '{{{name}}}', which is not a "
                                              "param", hint))
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
    """Every outcome and branch with placeholders filled by the params' defaults, by id.

    Made once at compile, so a decision with default params copies no text.
    """
    params = {name: param.default for name, param in spec.params.items()}
    table: dict[int, Any] = {}
    for node in spec.nodes.values():
        if isinstance(node, Outcome):
            table[id(node)] = fill_node(node, params)
        for branch in getattr(node, "exits", ()):
            table[id(branch)] = fill_node(branch, params)
    return MappingProxyType(table)
