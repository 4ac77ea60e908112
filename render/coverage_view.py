"""A tree drawn with its test coverage: each branch the passing cases took is drawn as
taken, with how many cases took it, and each branch no case took is faded and marked "not
covered"; nodes no case reached are faded. Built on the render model (`build_diagram`) and
drawn by the same formats, so the picture is the tree's usual diagram with coverage on it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gatetree.coverage import Coverage
from gatetree.tree import DecisionTree

from .build import build_diagram
from .diagram import Diagram, Line
from .dot import to_dot
from .errors import UnknownFormat
from .formats import IMAGE_FORMATS, format_for_path, write_output
from .mermaid import to_mermaid

__all__ = ["coverage_diagram", "coverage_format", "write_coverage_diagram"]

NOT_COVERED = "not covered"


def coverage_diagram(tree: DecisionTree, coverage: Coverage) -> Diagram:
    """The tree's diagram with its branches and nodes marked covered or not."""
    diagram = build_diagram(tree)
    hits = {(b.node, b.exit): b.hits for b in coverage.branches}
    reached = {node for node, count in coverage.nodes if count}
    edges = []
    for edge in diagram.edges:
        count = hits.get((edge.source, edge.exit)) if edge.exit is not None else None
        if count is None:
            edges.append(edge)
            continue
        note = f"covered by {count} case{'s' * (count != 1)}" if count else NOT_COVERED
        edges.append(replace(edge, state="taken" if count else "faded",
                             body=(*edge.body, Line(note, "note"))))
    nodes = tuple(replace(n, state="path" if n.id in reached else "faded")
                  for n in diagram.nodes)
    covered, total = coverage.counts()["branches"]
    caption = (*diagram.caption[:1],
               Line(f"Branch coverage {covered}/{total} ({coverage.branch_percent:g}%): "
                    "covered branches drawn bold, the others faded and marked "
                    f"'{NOT_COVERED}'", "note"))
    return replace(diagram, nodes=nodes, edges=tuple(edges), caption=caption,
                   highlighted=True)


def coverage_format(path: str | Path) -> str:
    """The diagram format a file's suffix asks for: dot, svg, png, pdf or mermaid.
    Raises UnknownFormat (a usage error) for any other suffix."""
    fmt = format_for_path(path)
    if fmt == "markdown":
        raise UnknownFormat(Path(path).suffix, (".svg", ".png", ".pdf", ".dot", ".mmd"))
    return fmt


def write_coverage_diagram(tree: DecisionTree, coverage: Coverage, path: str | Path) -> Path:
    """Write the coverage diagram in the format its suffix asks for (`coverage_format`);
    RenderError when it cannot be drawn or written."""
    target = Path(path)
    fmt = coverage_format(target)
    diagram = coverage_diagram(tree, coverage)
    text = to_mermaid(diagram) if fmt == "mermaid" else to_dot(diagram)
    if fmt in IMAGE_FORMATS:
        from .run_dot import render_bytes

        return write_output(target, render_bytes(text, fmt))
    return write_output(target, text)
