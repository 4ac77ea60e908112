"""The output formats, in one registry: each one's name, file suffixes, whether it is text
or an image that `dot` makes from DOT text, and the renderer that writes it.

`gatetree render`, `decide --diagram` and `docs` look formats up here, and so do apps:
`render_text` gives a str, `render_image` bytes, `write_diagram` a file. The renderers
are imported when one is used, so looking a format up loads none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import RenderError, UnknownFormat

if TYPE_CHECKING:
    from gatetree.decision import Decision
    from gatetree.tree import DecisionTree

__all__ = [
    "BINARY_FORMATS", "FORMATS", "IMAGE_FORMATS", "REGISTRY", "SUFFIXES", "Format",
    "check_format", "format_for_path", "render_image", "render_text",
    "write_diagram", "write_output",
]

Renderer = Callable[["DecisionTree", "Decision | None", bool], str]


def _dot(tree: DecisionTree, decision: Decision | None, expand: bool) -> str:
    from .build import build_diagram
    from .dot import to_dot

    return to_dot(build_diagram(tree, decision, expand=expand))


def _mermaid(tree: DecisionTree, decision: Decision | None, expand: bool) -> str:
    from .build import build_diagram
    from .mermaid import to_mermaid

    return to_mermaid(build_diagram(tree, decision, expand=expand))


def _markdown(tree: DecisionTree, decision: Decision | None, expand: bool) -> str:
    """The tree's flowchart doc; with a decision, its trace and the highlighted diagram."""
    if decision is None:
        from .markdown import tree_doc

        return tree_doc(tree)
    from .trace_view import trace_markdown

    return (trace_markdown(decision).rstrip("\n") + "\n\n## The path on the tree\n\n"
            "```mermaid\n" + _mermaid(tree, decision, expand) + "```\n")


@dataclass(frozen=True, slots=True)
class Format:
    """An output format. `renderer` writes its text; for an `image` that text is DOT, which
    `dot` turns into the image's bytes. A `binary` image is no text at all (PNG, PDF)."""

    name: str
    suffixes: tuple[str, ...]
    renderer: Renderer
    image: bool = False
    binary: bool = False


REGISTRY = (
    Format("dot", (".dot", ".gv"), _dot),
    Format("svg", (".svg",), _dot, image=True),
    Format("png", (".png",), _dot, image=True, binary=True),
    Format("pdf", (".pdf",), _dot, image=True, binary=True),
    Format("mermaid", (".mmd", ".mermaid"), _mermaid),
    Format("markdown", (".md",), _markdown),
)
_BY_NAME = {f.name: f for f in REGISTRY}
FORMATS = tuple(_BY_NAME)
"""Every format `gatetree render` can write; the image formats need Graphviz."""
IMAGE_FORMATS = tuple(f.name for f in REGISTRY if f.image)
BINARY_FORMATS = tuple(f.name for f in REGISTRY if f.binary)
"""The formats that are not text (SVG is XML), so a terminal cannot show them."""
SUFFIXES = {suffix: f.name for f in REGISTRY for suffix in f.suffixes}


def check_format(name: str, known: tuple[str, ...] = FORMATS) -> str:
    """The format name, lower-cased; UnknownFormat (listing `known`) when it is not one."""
    lowered = name.lower()
    if lowered not in known:
        raise UnknownFormat(name, known)
    return lowered


def format_for_path(path: str | Path) -> str:
    """The format a file name asks for by its suffix (.svg, .png, .pdf, .dot, .mmd, .md)."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnknownFormat(suffix or str(path), tuple(SUFFIXES))
    return SUFFIXES[suffix]


def render_text(tree: DecisionTree, fmt: str, *, decision: Decision | None = None,
                expand: bool = False) -> str:
    """A tree (with a decision drawn on it, if given) in a text format: dot, mermaid or
    markdown (the flowchart doc; with a decision, its trace and the path drawn)."""
    chosen = _BY_NAME[check_format(fmt, tuple(f.name for f in REGISTRY if not f.image))]
    return chosen.renderer(tree, decision, expand)


def render_image(tree: DecisionTree, fmt: str, *, decision: Decision | None = None,
                 expand: bool = False) -> bytes:
    """A tree (with a decision drawn on it, if given) as SVG, PNG or PDF, made by `dot`."""
    from .run_dot import render_bytes

    chosen = _BY_NAME[check_format(fmt, IMAGE_FORMATS)]
    return render_bytes(chosen.renderer(tree, decision, expand), chosen.name)


def write_output(path: str | Path, data: str | bytes) -> Path:
    """Write text (as UTF-8) or bytes to a file; RenderError saying why it cannot."""
    target = Path(path)
    try:
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def write_diagram(tree: DecisionTree, decision: Decision | None, path: str | Path, *,
                  fmt: str | None = None, expand: bool = False) -> Path:
    """Write a tree (with a decision's path, if given) to a file; format from the suffix."""
    chosen = check_format(fmt) if fmt else format_for_path(path)
    if _BY_NAME[chosen].image:
        return write_output(path, render_image(tree, chosen, decision=decision, expand=expand))
    return write_output(path, render_text(tree, chosen, decision=decision, expand=expand))

