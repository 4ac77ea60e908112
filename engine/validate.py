"""What `gatetree validate` checks: a tree, a cases file, an example facts file, or a folder.

A file is taken for what it says it is: `gatetree: 1` makes a tree and `gatetree-cases: 1`
a cases file. A facts file says nothing about itself, so it is recognised by where it
stands, the way the built-in examples do: `examples/<tree-id>/<name>.yaml` beside
`<tree-id>.yaml`, and checked against that tree. In a folder, any other YAML file is
skipped with a note; named on its own, it is checked as a tree (and so told its marker is
missing).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .cases import check_cases
from .errors import Diagnostic, DiagnosticsError, Location
from .inputs import check_facts, read_facts
from .loader import compile_document, load_tree
from .registry import find_tree, looks_like_path
from .source import Document, read_document

__all__ = ["Checked", "check_reference", "example_tree", "yaml_files"]

_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Checked:
    """One file checked: every problem found, what it was taken for, or why it was skipped."""

    path: str
    problems: tuple[Diagnostic, ...] = ()
    what: str = ""  # "" for a tree; "cases for ID", "facts for ID"
    skipped: str = ""  # why a file in a folder was not checked

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.problems if d.severity == "error")


def check_reference(reference: str) -> list[Checked]:
    """Check a folder (every tree, cases and example facts file under it), a file, or a
    built-in tree id. Raises TreeNotFound for a reference that names none of these."""
    path = Path(reference)
    if path.is_dir():
        return _check_folder(path)
    if path.is_file() or looks_like_path(reference):
        return [_check_file(path, in_folder=False)]
    return [replace(_check_file(find_tree(reference), in_folder=False), path=reference)]


def example_tree(path: Path) -> Path | None:
    """The tree an example facts file is for: `examples/<id>/x.yaml` -> `<id>.yaml` beside
    `examples/`, when that file exists."""
    folder = path.parent
    if folder.parent.name != "examples":
        return None
    for suffix in _SUFFIXES:
        tree = folder.parent.parent / f"{folder.name}{suffix}"
        if tree.is_file():
            return tree
    return None


def _check_folder(folder: Path) -> list[Checked]:
    checked = [_check_file(path, in_folder=True) for path in yaml_files(folder)]
    if not any(not c.skipped for c in checked):
        problem = Diagnostic(Location(str(folder)), "no tree, cases or facts file under this "
                             "folder", "trees start with 'gatetree: 1', cases files with "
                             "'gatetree-cases: 1'", code="empty-folder")
        checked.append(Checked(str(folder), (problem,)))
    return checked


def yaml_files(folder: Path) -> Iterator[Path]:
    """Every YAML file under a folder, in sorted order, leaving out hidden folders."""
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            if name.endswith(_SUFFIXES) and not name.startswith("."):
                yield Path(root) / name


def _check_file(path: Path, *, in_folder: bool) -> Checked:
    try:
        document = read_document(path)
    except DiagnosticsError as exc:
        return Checked(str(path), exc.diagnostics)
    data = document.data
    marked = isinstance(data, dict)
    if marked and "gatetree-cases" in data:
        return _check_cases(document)
    if marked and "gatetree" in data:
        return _check_tree(document)
    tree = example_tree(path)
    if tree is not None:
        return _check_facts(path, tree)
    if in_folder and not (marked and "nodes" in data):
        return Checked(str(path), skipped="no 'gatetree: 1' or 'gatetree-cases: 1', and not "
                                          "an example facts file")
    return _check_tree(document)


def _check_tree(document: Document) -> Checked:
    _, problems = compile_document(document)
    return Checked(document.path, tuple(sorted(problems, key=lambda d: d.sort_key)))


def _check_cases(document: Document) -> Checked:
    problems = check_cases(document)
    tree = document.data.get("tree")
    return Checked(document.path, tuple(sorted(problems, key=lambda d: d.sort_key)),
                   what=f"cases for {tree}")


def _check_facts(path: Path, tree_path: Path) -> Checked:
    what = f"facts for {tree_path.stem}"
    try:
        facts, document = read_facts(path)
    except DiagnosticsError as exc:
        return Checked(str(path), exc.diagnostics, what)
    try:
        tree = load_tree(tree_path)
    except DiagnosticsError:
        problem = Diagnostic(Location(str(path)), f"cannot check these facts: tree "
                             f"'{tree_path.stem}' does not load",
                             f"see its errors with: gatetree validate {tree_path}",
                             code="facts-tree-broken")
        return Checked(str(path), (problem,), what)
    try:
        check_facts(tree.spec, facts, origin=document)
    except DiagnosticsError as exc:
        return Checked(str(path), exc.diagnostics, what)
    return Checked(str(path), (), what)
