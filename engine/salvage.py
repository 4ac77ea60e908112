"""The parts of a tree the schema accepted, so one bad node does not hide the rest's errors.

A schema error stops the model from being built, which would leave every graph and
expression error elsewhere in the file unreported until the schema error is fixed. When
each schema error lies inside one node, fact or param (or is an unknown top-level key),
the loader checks the document again with those entries set aside: a broken node is
replaced by a stand-in outcome under its own id (branches to it still lead somewhere), a
broken fact or param, or an unknown top-level key (often an outdented fact), is left out.
Problems that name a part set aside (`'x'` or `'{x}'`), and reachability (the stand-in
has no exits), say nothing new and are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .errors import Diagnostic
from .source import Document

__all__ = ["salvage", "still_meaningful"]

_SECTIONS = ("nodes", "facts", "params")


def salvage(document: Document, problems: Iterable[Diagnostic]
            ) -> tuple[Document, frozenset[str]] | None:
    """The document without the entries the schema errors are in, and those entries' names;
    None when an error lies elsewhere (a missing `start`, a bad id), where nothing is
    left to check apart."""
    broken: dict[str, set[str]] = {section: set() for section in _SECTIONS}
    unknown_keys: set[str] = set()
    for problem in problems:
        parts = [_unescape(p) for p in problem.location.pointer.split("/")[1:]]
        if len(parts) >= 2 and parts[0] in broken:
            broken[parts[0]].add(parts[1])
        elif len(parts) == 1 and problem.message.startswith("unknown key"):
            unknown_keys.add(parts[0])
        else:
            return None
    data = {k: v for k, v in document.data.items() if k not in unknown_keys}
    for section, names in broken.items():
        entries = data.get(section)
        if not names:
            continue
        if not isinstance(entries, dict):
            return None
        kept = {k: v for k, v in entries.items() if k not in names}
        if section == "nodes":
            kept = {k: v if k not in names else _stand_in(k) for k, v in entries.items()}
        data[section] = kept
    return replace(document, data=data), frozenset(unknown_keys).union(*broken.values())


def still_meaningful(problem: Diagnostic, set_aside: frozenset[str]) -> bool:
    """Whether a problem found in a salvaged document says something about the parts the
    schema accepted: an error that names no part set aside and is not about reachability."""
    if problem.severity != "error" or "cannot be reached from start" in problem.message:
        return False
    return not any(quoted in problem.message for name in set_aside
                   for quoted in (f"'{name}'", f"'{{{name}}}'"))


def _stand_in(node_id: str) -> dict[str, str]:
    return {"kind": "outcome", "title": node_id, "action": node_id}


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")
