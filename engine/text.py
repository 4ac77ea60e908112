"""`{param}` placeholders in tree texts, so a tuned threshold shows in the advice it changes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import fields, replace
from typing import Any, TypeVar

from .model import Branch, Call, Checklist, Gate, Node, Outcome, Scalar, TreeSpec

__all__ = ["fill", "fill_node", "placeholders", "spec_placeholders", "texts"]

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
    return _PLACEHOLDER.sub(lambda m: _show(params[m.group(1)]) if m.group(1) in params
                            else m.group(0), text)


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


def _show(value: Scalar) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
