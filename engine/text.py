"""`{param}` placeholders in tree texts, so a tuned threshold shows in the advice it changes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, TypeVar

from .errors import Diagnostic, Location, did_you_mean
from .model import (
    TEXT,
    Branch,
    Call,
    Checklist,
    ChecklistGroup,
    ChecklistItem,
    Fact,
    Gate,
    Outcome,
    Scalar,
    TreeSpec,
)
from .source import Document, escape_pointer
from .values import show_value

__all__ = [
    "Placeholder",
    "cited_params",
    "fill",
    "fill_node",
    "fill_spec",
    "find_placeholders",
    "placeholder_problems",
    "show_value",
]

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")

_T = TypeVar("_T", bound=Gate | Checklist | Call | Outcome | Branch | ChecklistGroup
             | ChecklistItem | Fact)


def fill(text: str, params: Mapping[str, Scalar]) -> str:
    """Replace `{name}` by the param's value; other braces are left as written."""
    if "{" not in text:
        return text

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return show_value(params[name], yes_no=True) if name in params else match.group(0)

    return _PLACEHOLDER.sub(value, text)


def fill_node(node: _T, params: Mapping[str, Scalar]) -> _T:
    """A copy of a node, fact or branch with every text filled, its branches, groups and
    items included; the same object when it has no placeholder."""
    changes: dict[str, Any] = {}
    for name, role in _roles(type(node)):
        value = getattr(node, name)
        if role == "prose":
            if isinstance(value, str):
                if "{" in value:
                    changes[name] = fill(value, params)
            elif any("{" in v for v in value):
                changes[name] = tuple(fill(v, params) for v in value)
        elif isinstance(value, tuple):
            parts = tuple(fill_node(part, params) for part in value)
            if any(new is not old for new, old in zip(parts, value, strict=True)):
                changes[name] = parts
        elif value is not None:
            part = fill_node(value, params)
            if part is not value:
                changes[name] = part
    return replace(node, **changes) if changes else node


def cited_params(node: Gate | Checklist | Call | Outcome | Fact) -> frozenset[str]:
    """The names in `{placeholders}` of a node's or fact's texts, its parts' included: a
    decision whose params keep these names' defaults reads the texts filled at compile."""
    found: set[str] = set()
    _collect(node, found)
    return frozenset(found)


def _collect(node: Any, found: set[str]) -> None:
    for name, role in _roles(type(node)):
        value = getattr(node, name)
        if role == "prose":
            for text in (value,) if isinstance(value, str) else value:
                found.update(m.group(1) for m in _PLACEHOLDER.finditer(text))
        elif isinstance(value, tuple):
            for part in value:
                _collect(part, found)
        elif value is not None:
            _collect(value, found)


def fill_spec(spec: TreeSpec, params: Mapping[str, Scalar]) -> TreeSpec:
    """The spec as people read it with these param values: every text filled."""
    return replace(
        spec,
        description=fill(spec.description, params),
        notes=fill(spec.notes, params),
        facts=MappingProxyType({name: fill_node(f, params) for name, f in spec.facts.items()}),
        nodes=MappingProxyType({i: fill_node(n, params) for i, n in spec.nodes.items()}),
    )


def _roles(cls: type[Any]) -> tuple[tuple[str, str], ...]:
    """The fields of a model class marked as texts ("prose") or as holding texts ("parts")."""
    roles = _ROLES.get(cls)
    if roles is None:
        roles = _ROLES[cls] = tuple((f.name, f.metadata[TEXT]) for f in fields(cls)
                                    if TEXT in f.metadata)
    return roles


_ROLES: dict[type[Any], tuple[tuple[str, str], ...]] = {}


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
                                   f"text refers to '{{{name}}}', which is not a param", hint,
                                   code="unknown-placeholder"))
    return problems


_PROSE_KEYS = {cls: frozenset(name for name, role in _roles(cls) if role == "prose")
               for cls in (TreeSpec, Fact, Gate, Checklist, Call, Outcome, Branch,
                           ChecklistGroup, ChecklistItem)}
_NODE_PROSE = _PROSE_KEYS[Gate] | _PROSE_KEYS[Checklist] | _PROSE_KEYS[Call] | \
    _PROSE_KEYS[Outcome]
_PART_PROSE = _PROSE_KEYS[Branch] | _PROSE_KEYS[ChecklistGroup] | _PROSE_KEYS[ChecklistItem]


def _document_texts(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Every text of a document, by pointer; which keys hold texts, the model's marks say."""
    yield from _texts_at(data, "", _PROSE_KEYS[TreeSpec])
    for name, fact in (data.get("facts") or {}).items():
        yield from _texts_at(fact, f"/facts/{escape_pointer(name)}", _PROSE_KEYS[Fact])
    for node_id, node in (data.get("nodes") or {}).items():
        pointer = f"/nodes/{escape_pointer(node_id)}"
        yield from _texts_at(node, pointer, _NODE_PROSE)
        if not isinstance(node, dict):
            continue
        parts = [(f"{pointer}/{key}/{i}", part) for key in ("branches", "items")
                 if isinstance(node.get(key), list) for i, part in enumerate(node[key])]
        if isinstance(node.get("default"), dict):
            parts.append((f"{pointer}/default", node["default"]))
        if isinstance(node.get("groups"), dict):
            parts.extend((f"{pointer}/groups/{escape_pointer(name)}", group)
                         for name, group in node["groups"].items())
        for here, part in parts:
            yield from _texts_at(part, here, _PART_PROSE)


def _texts_at(owner: Any, pointer: str, keys: frozenset[str]) -> Iterator[tuple[str, str]]:
    if not isinstance(owner, dict):
        return
    for key, value in owner.items():
        if key not in keys:
            continue
        here = f"{pointer}/{escape_pointer(key)}"
        if isinstance(value, str):
            yield here, value
        elif isinstance(value, list):
            yield from ((f"{here}/{i}", v) for i, v in enumerate(value) if isinstance(v, str))
