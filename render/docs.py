"""A directory of flowchart docs: one Markdown file per tree and an index linking them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from gatetree.tree import DecisionTree

from ._text import clean
from .errors import RenderError
from .formats import write_output
from .inline import md_text
from .markdown import tree_doc

__all__ = ["doc_name", "write_docs"]


def write_docs(trees: Iterable[DecisionTree], directory: str | Path, *,
               guides: bool = False) -> tuple[Path, ...]:
    """Write `<tree id>.md` for every tree (and every tree they call) and `index.md`; with
    `guides`, each tree's interactive guide beside its doc as `<tree id>.html`, the two
    linking each other (the guides need Graphviz's `dot`).

    Returns the paths written. Two versions of one tree id are written as
    `<id>@<version>.md`. The directory is
    created when missing; files already there are overwritten, others left alone.
    """
    trees = sorted(_with_callees(trees), key=lambda t: (t.id, t.version))
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create {folder}: {exc.strerror or exc}") from None
    repeated = Counter(t.id for t in trees)
    names = [doc_name(t, versioned=repeated[t.id] > 1) for t in trees]
    written: list[Path] = []
    for tree, name in zip(trees, names, strict=True):
        if not guides:
            written.append(write_output(folder / name, tree_doc(tree)))
            continue
        from .guide import guide_html, guide_link

        page = f"{name[:-3]}.html"
        written.append(write_output(folder / name, tree_doc(tree) + guide_link(page)))
        written.append(write_output(folder / page, guide_html(tree, doc=name)))
    written.append(write_output(folder / "index.md", _index(trees, names)))
    return tuple(written)


def _with_callees(trees: Iterable[DecisionTree]) -> list[DecisionTree]:
    """The trees and every tree they call, directly or not, each (id, version) once."""
    found: dict[tuple[str, str], DecisionTree] = {}
    stack = list(trees)
    while stack:
        tree = stack.pop(0)
        if (tree.id, tree.version) not in found:
            found[(tree.id, tree.version)] = tree
            stack.extend(tree.callees.values())
    return list(found.values())


def doc_name(tree: DecisionTree, *, versioned: bool = False) -> str:
    """The file name of a tree's doc."""
    return f"{tree.id}@{tree.version}.md" if versioned else f"{tree.id}.md"


def _index(trees: list[DecisionTree], names: list[str]) -> str:
    lines = ["# Decision trees", "",
             "Each tree as a flowchart document: the diagram, the facts it asks for, every "
             "gate in walk order and every outcome.", "",
             "| Tree | Id | Version | What it decides |", "|---|---|---|---|"]
    for tree, name in zip(trees, names, strict=True):
        summary = md_text(_first_sentence(tree.spec.description))
        lines.append(f"| [{md_text(tree.spec.title)}](<{name}>) | `{tree.id}` | "
                     f"{md_text(tree.version)} | {summary} |")
    return "\n".join(lines) + "\n"


def _first_sentence(text: str) -> str:
    text = clean(text)
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]

