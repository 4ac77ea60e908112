"""Format names and file suffixes to output: what `gatetree render`, `docs` and
`decide --diagram` call, so the CLI stays a thin layer over the pure formatters.
"""

from __future__ import annotations

from pathlib import Path

from gatetree.decision import Decision
from gatetree.tree import DecisionTree

from .build import build_diagram
from .dot import to_dot
from .errors import RenderError, UnknownFormat
from .markdown import tree_doc
from .mermaid import to_mermaid
from .output import check_format, render_bytes

__all__ = ["SUFFIXES", "format_for_path", "render", "write_diagram"]

SUFFIXES = {".dot": "dot", ".gv": "dot", ".svg": "svg", ".png": "png", ".pdf": "pdf",
            ".mmd": "mermaid", ".mermaid": "mermaid", ".md": "markdown"}


def render(tree: DecisionTree, fmt: str, *, decision: Decision | None = None,
           expand: bool = False) -> str | bytes:
    """A tree (optionally with a decision drawn on it) in a format of FORMATS.

    Text formats give str, image formats bytes. Markdown is the tree's flowchart doc; with
    a decision it is the decision's trace followed by the highlighted Mermaid diagram.
    """
    fmt = check_format(fmt)
    if fmt == "markdown":
        if decision is None:
            return tree_doc(tree)
        from .trace_view import trace_markdown

        diagram = to_mermaid(build_diagram(tree, decision, expand=expand))
        return (trace_markdown(decision).rstrip("\n") + "\n\n## The path on the tree\n\n"
                "```mermaid\n" + diagram + "```\n")
    diagram_model = build_diagram(tree, decision, expand=expand)
    if fmt == "mermaid":
        return to_mermaid(diagram_model)
    dot_text = to_dot(diagram_model)
    if fmt == "dot":
        return dot_text
    return render_bytes(dot_text, fmt)


def format_for_path(path: str | Path) -> str:
    """The format a file name asks for by its suffix (.svg, .png, .pdf, .dot, .mmd, .md)."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnknownFormat(suffix or str(path), tuple(SUFFIXES))
    return SUFFIXES[suffix]


def write_diagram(tree: DecisionTree, decision: Decision | None, path: str | Path, *,
                  fmt: str | None = None, expand: bool = False) -> Path:
    """Write a tree (with a decision's path, if given) to a file; format from the suffix."""
    target = Path(path)
    chosen = check_format(fmt) if fmt else format_for_path(target)
    output = render(tree, chosen, decision=decision, expand=expand)
    data = output if isinstance(output, bytes) else output.encode("utf-8")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target
