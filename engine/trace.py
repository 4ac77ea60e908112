"""Read a saved trace back: a JSON trace file or its parsed data becomes the Decision it records.

The data is checked against schemas/trace.v1.schema.json first, so a damaged or foreign
trace gives located errors, never a half-read Decision. A dict is checked in its JSON form
(`json.dumps(data, indent=2)`), so its errors point at lines of that text and name the
JSON pointer of the value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .decision import Decision, TreeRef
from .errors import Diagnostic, InputError, Location, TreeError
from .schema import schema_diagnostics
from .source import Document, parse_document, read_document

__all__ = ["Recorded", "read_trace", "recorded"]

TRACE_SCHEMA = "trace.v1.schema.json"

Recorded = tuple[TreeRef, Mapping[str, Any], Mapping[str, Any], tuple[str, ...], str]
"""What a replay needs of a trace: the tree, facts, overrides, path and status."""


def read_trace(source: str | Path | Mapping[str, Any], *, origin: str = "<trace>") -> Decision:
    """The Decision a trace records, equal to the one that was saved.

    `source` is a trace file's path, or the trace's data (`Decision.to_dict()`, or that
    parsed back from JSON); `origin` names data in messages. Raises InputError with every
    problem located when it is not a valid trace, or a trace too old to record the exit
    each step took (`DecisionTree.replay` re-makes those from their facts).
    """
    document = _checked(source, origin)
    without = _first_step_without_exit(document.data, "")
    if without is not None:
        pointer, node = without
        raise InputError([Diagnostic(
            document.locate(pointer), f"{pointer} (node '{node}') has no 'exit': the trace was "
                                      "written before steps recorded the exit they took",
            "make it again with `gatetree decide ... --format json`, or replay it in Python "
            "with DecisionTree.replay", code="trace-without-exit")])
    return Decision._from_dict(document.data)


def recorded(trace: Decision | Mapping[str, Any], *, origin: str = "<trace>") -> Recorded:
    """What a trace (or a Decision) says was decided, and from what: enough to replay it.

    Unlike `read_trace`, this accepts traces written before steps recorded their exits.
    """
    if isinstance(trace, Decision):
        return (trace.tree, trace.facts, trace.overrides, trace.path, trace.status)
    data = _checked(trace, origin).data
    tree = data["tree"]
    return (TreeRef(tree["id"], tree["version"], tree["sha256"], tree["title"]),
            data["facts"], data["overrides"], tuple(data["path"]), data["status"])


def _checked(source: str | Path | Mapping[str, Any], origin: str) -> Document:
    """The trace as a document that passed the trace schema."""
    try:
        if isinstance(source, Mapping):
            document = parse_document(_json_text(source, origin), path=origin)
        else:
            document = read_document(source)
    except TreeError as exc:  # unreadable, or not YAML/JSON: the input is at fault
        raise InputError(exc.diagnostics) from None
    problems = schema_diagnostics(document, TRACE_SCHEMA)
    if problems:
        raise InputError(problems)
    return document


def _json_text(data: Mapping[str, Any], origin: str) -> str:
    try:
        return json.dumps(dict(data), indent=2, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InputError([Diagnostic(Location(origin), f"a trace must be JSON data: {exc}",
                                     code="trace-not-json")]
                         ) from None


def _first_step_without_exit(data: Mapping[str, Any], pointer: str) -> tuple[str, str] | None:
    """The pointer and node of the first step, nested traces included, without an exit."""
    for index, step in enumerate(data["steps"]):
        here = f"{pointer}/steps/{index}"
        if "exit" not in step:
            return here, step["node"]
        if "subdecision" in step:
            found = _first_step_without_exit(step["subdecision"], f"{here}/subdecision")
            if found is not None:
                return found
    return None
