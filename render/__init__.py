"""Views of gatetree trees and decisions: text, Markdown, Graphviz and Mermaid.

A tree (and optionally one decision) becomes a small render model with
`build_diagram`; each format is a pure function of it (`to_dot`, `to_mermaid`).
`tree_doc` writes a Markdown flowchart document and `write_docs` a directory of them.
Only `render_file`/`render_bytes` run Graphviz's `dot` (SVG, PNG, PDF). The `graphviz`
package is imported only when DOT is made, and the engine never imports this package.
"""

from .build import build_diagram
from .cli_support import format_for_path, render, write_diagram
from .diagram import Cluster, Diagram, DiagramEdge, DiagramNode, Line
from .docs import write_docs
from .dot import to_dot
from .errors import GraphvizNotFound, RenderError, UnknownFormat
from .markdown import tree_doc
from .mermaid import to_mermaid
from .output import FORMATS, IMAGE_FORMATS, TEXT_FORMATS, check_format, render_bytes, render_file
from .trace_view import trace_markdown, trace_text

__all__ = [
    "FORMATS",
    "IMAGE_FORMATS",
    "TEXT_FORMATS",
    "Cluster",
    "Diagram",
    "DiagramEdge",
    "DiagramNode",
    "GraphvizNotFound",
    "Line",
    "RenderError",
    "UnknownFormat",
    "build_diagram",
    "check_format",
    "format_for_path",
    "render",
    "render_bytes",
    "render_file",
    "to_dot",
    "to_mermaid",
    "trace_markdown",
    "trace_text",
    "tree_doc",
    "write_diagram",
    "write_docs",
]
