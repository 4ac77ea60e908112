"""Text to compiled tree, in separate steps: read, format marker, schema, model, checks, compile."""

from __future__ import annotations

from pathlib import Path

from .build import build_spec
from .checks import check_spec
from .compile import compile_spec
from .errors import Diagnostic, TreeError
from .registry import resolve
from .schema import schema_diagnostics
from .source import Document, read_document
from .tree import DecisionTree

__all__ = ["FORMATS", "check_file", "load_tree"]

FORMATS = (1,)
TREE_SCHEMA = "tree.v1.schema.json"


def load_tree(reference: str | Path) -> DecisionTree:
    """A compiled tree from a file path, a built-in id, or `id@version`.

    Raises TreeNotFound for an unknown reference and TreeError with every problem found.
    """
    path = resolve(reference)
    tree, problems = compile_document(read_document(path))
    if tree is None:
        raise TreeError(problems)
    return tree


def check_file(path: str | Path) -> list[Diagnostic]:
    """Every error and warning of a tree file, sorted by place; empty when clean."""
    try:
        _, problems = compile_document(read_document(path))
    except TreeError as exc:
        return list(exc.diagnostics)
    return sorted(problems, key=lambda d: d.sort_key)


def compile_document(document: Document) -> tuple[DecisionTree | None, list[Diagnostic]]:
    """Run every check on a parsed document; a tree only when no error was found."""
    marker = _format_problems(document)
    if marker:
        return None, marker
    schema_problems = schema_diagnostics(document, TREE_SCHEMA)
    if schema_problems:
        return None, schema_problems
    spec = build_spec(document)
    graph_problems = check_spec(spec)
    graph_ok = not any(p.severity == "error" for p in graph_problems)
    tree, expression_problems = compile_spec(spec, graph_ok=graph_ok)
    return tree, [*graph_problems, *expression_problems]


def _format_problems(document: Document) -> list[Diagnostic]:
    data = document.data
    versions = ", ".join(str(v) for v in FORMATS)
    if not isinstance(data, dict):
        return [Diagnostic(document.locate(""), "a tree file must be a mapping",
                           f"start it with 'gatetree: {FORMATS[-1]}'")]
    if "gatetree" not in data:
        return [Diagnostic(document.locate(""), "missing format marker 'gatetree'",
                           f"add 'gatetree: {FORMATS[-1]}' as the first line")]
    marker = data["gatetree"]
    if isinstance(marker, bool) or marker not in FORMATS:
        return [Diagnostic(document.locate("/gatetree"),
                           f"tree format {marker!r} is not supported",
                           f"this release reads format {versions}")]
    return []
