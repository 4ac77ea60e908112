"""Views of gatetree trees and decisions: text, Markdown, Graphviz and Mermaid.

A tree (and optionally one decision) becomes a small render model with
`build_diagram`; each format is a pure function of it (`to_dot`, `to_mermaid`).
`tree_doc` writes a Markdown flowchart document and `write_docs` a directory of them;
`render.formats` is the registry of output formats (`render_text`, `render_image`,
`write_diagram`). Only `render_bytes` (and the image formats through it) runs Graphviz's
`dot`. Each public name is imported from its module on first access (PEP 562), so the
command line can look a format up without loading the renderers; the engine imports this
package only in its command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import build_diagram
    from .diagram import Cluster, Diagram, DiagramEdge, DiagramNode, Line
    from .docs import write_docs
    from .dot import to_dot
    from .errors import GraphvizNotFound, RenderError, UnknownFormat
    from .formats import FORMATS, IMAGE_FORMATS, render_image, render_text, write_diagram
    from .markdown import tree_doc
    from .mermaid import to_mermaid
    from .run_dot import render_bytes
    from .trace_view import trace_markdown, trace_text
    from .whatif_view import whatif_markdown, whatif_text

__all__ = [
    "FORMATS", "IMAGE_FORMATS", "Cluster", "Diagram", "DiagramEdge", "DiagramNode",
    "GraphvizNotFound", "Line", "RenderError", "UnknownFormat", "build_diagram",
    "render_bytes", "render_image", "render_text", "to_dot", "to_mermaid",
    "trace_markdown", "trace_text", "tree_doc", "whatif_markdown", "whatif_text",
    "write_diagram", "write_docs",
]

_MODULES: dict[str, tuple[str, ...]] = {  # module -> the public names it defines
    "build": ("build_diagram",),
    "diagram": ("Cluster", "Diagram", "DiagramEdge", "DiagramNode", "Line"),
    "docs": ("write_docs",),
    "dot": ("to_dot",),
    "errors": ("GraphvizNotFound", "RenderError", "UnknownFormat"),
    "formats": ("FORMATS", "IMAGE_FORMATS", "render_image", "render_text", "write_diagram"),
    "markdown": ("tree_doc",),
    "mermaid": ("to_mermaid",),
    "run_dot": ("render_bytes",),
    "trace_view": ("trace_markdown", "trace_text"),
    "whatif_view": ("whatif_markdown", "whatif_text"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:  # PEP 562: a public name is imported on first use
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = found = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    return found
