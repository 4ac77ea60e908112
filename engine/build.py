"""Turn a schema-valid document into the frozen model. No checks beyond the schema here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from .model import (
    Branch,
    BranchKind,
    Call,
    Checklist,
    ChecklistGroup,
    ChecklistItem,
    Fact,
    Gate,
    Node,
    Outcome,
    Param,
    Reference,
    TreeSpec,
)
from .source import Document, escape_pointer

__all__ = ["build_spec"]


def build_spec(document: Document) -> TreeSpec:
    """The model of a document that already passed the tree schema."""
    data: Mapping[str, Any] = document.data
    at = document.locate
    params = {
        name: Param(
            name=name,
            type=raw["type"],
            default=raw["default"],
            help=raw.get("help", ""),
            title=raw.get("title", ""),
            loc=at(f"/params/{escape_pointer(name)}", key=True),
            default_loc=at(f"/params/{escape_pointer(name)}/default"),
        )
        for name, raw in data.get("params", {}).items()
    }
    facts = {
        name: Fact(
            name=name,
            type=raw["type"],
            question=raw["question"],
            help=raw.get("help", ""),
            values=tuple(raw.get("values", ())),
            unit=raw.get("unit", ""),
            derive=raw.get("derive"),
            default=raw.get("default"),
            loc=at(f"/facts/{escape_pointer(name)}", key=True),
            derive_loc=document.locate_text(f"/facts/{escape_pointer(name)}/derive"),
            derive_span=document.text_span(f"/facts/{escape_pointer(name)}/derive"),
            default_loc=at(f"/facts/{escape_pointer(name)}/default"),
        )
        for name, raw in data.get("facts", {}).items()
    }
    nodes: dict[str, Node] = {}
    for node_id, raw in data["nodes"].items():
        pointer = f"/nodes/{escape_pointer(node_id)}"
        nodes[node_id] = _BUILDERS[raw["kind"]](node_id, raw, pointer, document)
    source = data.get("source")
    return TreeSpec(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        start=data["start"],
        params=MappingProxyType(params),
        facts=MappingProxyType(facts),
        nodes=MappingProxyType(nodes),
        description=data.get("description", ""),
        notes=data.get("notes", ""),
        source=_reference(source) if source else None,
        path=document.path,
        sha256=document.sha256,
        format=data["gatetree"],
        text=document.text,
        start_loc=at("/start"),
    )


def _gate(node_id: str, raw: Mapping[str, Any], pointer: str, document: Document) -> Gate:
    branches = tuple(
        _branch(b, "if" if "if" in b and "when" not in b else "when", f"{pointer}/branches/{i}",
                document)
        for i, b in enumerate(raw["branches"])
    )
    default = raw.get("default")
    return Gate(
        id=node_id,
        title=raw["title"],
        question=raw.get("question", ""),
        branches=branches,
        default=_branch(default, "default", f"{pointer}/default", document) if default else None,
        fact=raw.get("fact"),
        help=raw.get("help", ""),
        notes=raw.get("notes", ""),
        cites=tuple(raw.get("cites", ())),
        loc=document.locate(pointer, key=True),
        fact_loc=document.locate(f"{pointer}/fact"),
    )


def _checklist(node_id: str, raw: Mapping[str, Any], pointer: str,
               document: Document) -> Checklist:
    groups = tuple(
        ChecklistGroup(name=name, title=g["title"], help=g.get("help", ""),
                       label=g.get("label", ""),
                       loc=document.locate(f"{pointer}/groups/{name}", key=True))
        for name, g in raw["groups"].items()
    )
    items = tuple(
        ChecklistItem(
            fact=item["fact"],
            group=item["group"],
            weight=item.get("weight", 1),
            label=item.get("label", ""),
            loc=document.locate(f"{pointer}/items/{i}"),
            fact_loc=document.locate(f"{pointer}/items/{i}/fact"),
            group_loc=document.locate(f"{pointer}/items/{i}/group"),
        )
        for i, item in enumerate(raw["items"])
    )
    return Checklist(
        id=node_id,
        title=raw["title"],
        question=raw.get("question", ""),
        groups=groups,
        items=items,
        unanswered=raw["unanswered"],
        branches=tuple(_branch(b, "if", f"{pointer}/branches/{i}", document)
                       for i, b in enumerate(raw["branches"])),
        default=_branch(raw["default"], "default", f"{pointer}/default", document),
        quorum=raw.get("quorum"),
        help=raw.get("help", ""),
        notes=raw.get("notes", ""),
        cites=tuple(raw.get("cites", ())),
        loc=document.locate(pointer, key=True),
        quorum_loc=document.locate(f"{pointer}/quorum"),
    )


def _call(node_id: str, raw: Mapping[str, Any], pointer: str, document: Document) -> Call:
    default = raw.get("default")
    return Call(
        id=node_id,
        title=raw["title"],
        tree=raw["tree"],
        branches=tuple(_branch(b, "when", f"{pointer}/branches/{i}", document)
                       for i, b in enumerate(raw.get("branches", ()))),
        default=_branch(default, "default", f"{pointer}/default", document) if default else None,
        question=raw.get("question", ""),
        help=raw.get("help", ""),
        notes=raw.get("notes", ""),
        cites=tuple(raw.get("cites", ())),
        loc=document.locate(pointer, key=True),
        tree_loc=document.locate(f"{pointer}/tree"),
    )


def _branch(raw: Mapping[str, Any], kind: BranchKind, pointer: str, document: Document) -> Branch:
    return Branch(
        kind=kind,
        next=raw["next"],
        value=raw.get("when"),
        condition=raw.get("if"),
        label=raw.get("label", ""),
        looks_like=raw.get("looks_like", ""),
        note=raw.get("note", ""),
        actions=tuple(raw.get("actions", ())),
        cites=tuple(raw.get("cites", ())),
        loc=document.locate(pointer),
        condition_loc=document.locate_text(f"{pointer}/if"),
        condition_span=document.text_span(f"{pointer}/if"),
        shape_problem=_shape(raw, kind),
        next_loc=document.locate(f"{pointer}/next"),
    )


def _outcome(node_id: str, raw: Mapping[str, Any], pointer: str, document: Document) -> Outcome:
    return Outcome(
        id=node_id,
        title=raw["title"],
        action=raw["action"],
        why=raw.get("why", ""),
        next_steps=tuple(raw.get("next_steps", ())),
        references=tuple(_reference(r) for r in raw.get("references", ())),
        notes=raw.get("notes", ""),
        cites=tuple(raw.get("cites", ())),
        loc=document.locate(pointer, key=True),
    )


def _reference(raw: Mapping[str, Any]) -> Reference:
    return Reference(title=raw["title"], url=raw.get("url", ""), note=raw.get("note", ""))


_BUILDERS: Mapping[str, Callable[[str, Mapping[str, Any], str, Document], Node]] = {
    "gate": _gate,
    "outcome": _outcome,
    "checklist": _checklist,
    "call": _call,
}


def _shape(raw: Mapping[str, Any], kind: str) -> str:
    """Whether a branch names both or neither of `when` and `if`, for the checks to report."""
    if kind == "default":
        return ""
    if "when" in raw and "if" in raw:
        return "both"
    if "when" not in raw and "if" not in raw:
        return "neither"
    return ""
