"""Text to compiled tree, in separate steps: read, format marker, schema, model, checks,
called trees, compile."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ._resources import SCHEMA_FILES
from .build import build_spec
from .calls import check_call, cycle_error, locate_callee, share_declarations
from .checks import check_spec
from .compile import compile_spec
from .errors import Diagnostic, TreeError
from .model import Call, TreeSpec
from .registry import resolve
from .schema import schema_diagnostics
from .source import Document, read_document
from .text import find_placeholders, placeholder_problems
from .tree import DecisionTree

__all__ = ["FORMATS", "check_file", "load_tree"]

FORMATS = (1,)
TREE_SCHEMA = SCHEMA_FILES["tree"]


def load_tree(reference: str | Path) -> DecisionTree:
    """A compiled tree from a file path, a built-in id, or `id@version`.

    Raises TreeNotFound for an unknown reference and TreeError with every problem found.
    """
    tree, problems = _Load().file(resolve(reference))
    if tree is None:
        raise TreeError(problems)
    return tree


def check_file(path: str | Path) -> list[Diagnostic]:
    """Every error and warning of a tree file, sorted by place; empty when clean.

    Errors in the trees it calls are included (with their own files); their warnings are not.
    """
    _, problems = _Load().file(Path(path))
    return sorted(problems, key=lambda d: d.sort_key)


def compile_document(document: Document) -> tuple[DecisionTree | None, list[Diagnostic]]:
    """Run every check on a parsed document; a tree only when no error was found.

    Calls to other trees are resolved relative to the document's path.
    """
    return _Load().document(document)


class _Load:
    """One load: each file compiled once, and the chain of calls under way, for cycles."""

    def __init__(self) -> None:
        self._done: dict[Path, tuple[DecisionTree | None, list[Diagnostic]]] = {}
        self._chain: list[tuple[Path, str]] = []

    def file(self, path: Path) -> tuple[DecisionTree | None, list[Diagnostic]]:
        key = path.resolve()
        if key not in self._done:
            try:
                document = read_document(path)
            except TreeError as exc:
                self._done[key] = None, list(exc.diagnostics)
            else:
                self._done[key] = self.document(document)
        return self._done[key]

    def document(self, document: Document) -> tuple[DecisionTree | None, list[Diagnostic]]:
        marker = _format_problems(document)
        if marker:
            return None, marker
        schema_problems = schema_diagnostics(document, TREE_SCHEMA)
        if schema_problems:
            return None, schema_problems
        spec = build_spec(document)
        problems = check_spec(spec)
        self._chain.append((Path(document.path).resolve(), spec.id))
        try:
            callees = self._callees(spec, Path(document.path).parent, problems)
        finally:
            self._chain.pop()
        shared, share_problems = share_declarations(spec, callees)
        problems.extend(share_problems)
        placeholders = find_placeholders(document)
        problems.extend(placeholder_problems(placeholders, spec.params))
        ok = not any(p.severity == "error" for p in problems)
        tree, expression_problems = compile_spec(
            spec, graph_ok=ok, callees=callees, cited=frozenset(p.name for p in placeholders))
        problems = list(dict.fromkeys([*problems, *expression_problems]))
        own = frozenset(spec.facts) | frozenset(spec.params)
        if tree is None:
            return None, problems
        return replace(tree, spec=shared, own_names=own), problems

    def _callees(self, spec: TreeSpec, base: Path,
                 problems: list[Diagnostic]) -> dict[str, DecisionTree]:
        """The compiled tree of every call; problems found on the way go to `problems`."""
        callees: dict[str, DecisionTree] = {}
        for node in spec.nodes.values():
            if not isinstance(node, Call):
                continue
            found = locate_callee(node, base)
            if isinstance(found, Diagnostic):
                problems.append(found)
                continue
            chain = [p for p, _ in self._chain]
            if found.resolve() in chain:
                start = chain.index(found.resolve())
                ids = [i for _, i in self._chain[start:]]
                problems.append(cycle_error(node, (*ids, ids[0])))
                continue
            callee, callee_problems = self.file(found)
            problems.extend(p for p in callee_problems if p.severity == "error")
            if callee is None:
                problems.append(Diagnostic(node.tree_loc, f"call '{node.id}' names tree "
                                                          f"'{node.tree}', which has errors",
                                           f"see {found}"))
                continue
            problems.extend(check_call(node, callee))
            callees[node.id] = callee
        return callees


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
