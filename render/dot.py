"""The render model as Graphviz DOT text, built with the `graphviz` package.

Every text goes into an HTML-like label after escaping `& < > " ' ]` and the backslash
(Graphviz expands `\\N`, `\\G`... even inside HTML labels), so no label can end a string,
open markup or rename a node. Labels are laid out by `render.labels`, coloured by
`render.theme`; running `dot` is `render.run_dot`'s job, not this module's.
"""

from __future__ import annotations

import html
import re
from typing import Any

from . import theme
from .diagram import Diagram, DiagramEdge, DiagramNode, NodeKind
from .errors import RenderError
from .labels import Markup, caption_label, cluster_label, edge_label, node_label

__all__ = ["to_dot"]

FONT = "Helvetica,Arial,sans-serif"

_NODE_STATE: dict[str, dict[str, str]] = {
    "plain": {},
    "path": {"color": theme.PATH, "penwidth": "2.5"},
    "stuck": {"color": theme.PATH, "penwidth": "2.5", "fillcolor": theme.STUCK_FILL},
    "possible": {"color": theme.PATH, "penwidth": "1.5"},
    "faded": {"color": theme.FADED_LINE, "fillcolor": theme.FADED_FILL,
              "fontcolor": theme.FADED_TEXT},
}
_EDGE_STATE: dict[str, dict[str, str]] = {
    "plain": {"color": theme.EDGE, "fontcolor": theme.EDGE_TEXT},
    "taken": {"color": theme.PATH, "fontcolor": theme.PATH_TEXT, "penwidth": "2.5"},
    "faded": {"color": theme.FADED_LINE, "fontcolor": theme.FADED_EDGE_TEXT,
              "style": "dashed"},
}
_SHAPES: dict[NodeKind, dict[str, str]] = {
    "gate": {"shape": "box", "style": "rounded,filled"},
    "outcome": {"shape": "box", "style": "filled", "peripheries": "2"},
    "checklist": {"shape": "note", "style": "filled"},
    "call": {"shape": "component", "style": "filled"},
}
_EDGE_KIND: dict[str, dict[str, str]] = {"call": {"style": "dashed", "arrowhead": "vee"}}
_CLUSTER_STATE: dict[str, dict[str, str]] = {
    "plain": {"color": theme.KIND_COLORS["call"][1]},
    "path": {"color": theme.PATH, "penwidth": "2"},
    "faded": {"color": theme.FADED_LINE, "fontcolor": theme.FADED_TEXT},
}


def _escape(text: str) -> str:
    """Text for an HTML-like label; Graphviz 2.43 also trips over a ']' before a tag."""
    return html.escape(text, quote=True).replace("\\", "\\\\").replace("]", "&#93;")


_MARKUP = Markup(
    escape=_escape, bold=("<B>", "</B>"),
    styles={"text": ("", ""), "action": ("<I>", "</I>"),
            "value": ('<FONT FACE="monospace">', "</FONT>"),
            "note": ('<FONT POINT-SIZE="10">', "</FONT>")},
    headline=('<FONT POINT-SIZE="18"><B>', "</B></FONT>"),
    result=('<FONT POINT-SIZE="14"><B>', "</B></FONT>"),
    caption_width=70, note_width=100, action_mark="↳ ",
)


def to_dot(diagram: Diagram) -> str:
    """DOT text for a diagram: top to bottom, gates as rounded boxes, outcomes double-framed,
    checklists as notes, calls as components, called trees in dashed clusters."""
    try:
        import graphviz  # imported here: the engine and the other formats do not need it
    except ImportError:
        raise RenderError("DOT output needs the Python package 'graphviz' (a gatetree "
                          "dependency): pip install graphviz") from None

    graph = graphviz.Digraph(
        name=diagram.id,
        graph_attr={"id": _safe_id(diagram.id), "rankdir": "TB", "fontname": FONT,
                    "fontsize": "14", "labelloc": "t", "nodesep": "0.45",
                    "ranksep": "0.55", "pad": "0.3",
                    "label": _html_label(caption_label(_MARKUP, diagram.caption))},
        node_attr={"fontname": FONT, "fontsize": "12", "margin": "0.16,0.08"},
        edge_attr={"fontname": FONT, "fontsize": "10", "arrowsize": "0.8"},
    )
    _add_nodes(graph, diagram, "")
    for edge in diagram.edges:
        graph.edge(edge.source, edge.target, label=_html_label(edge_label(_MARKUP, edge)),
                   **_edge_attrs(edge))
    source: str = graph.source
    return source


def _add_nodes(graph: Any, diagram: Diagram, cluster: str) -> None:
    """The nodes of one cluster ('' is the top level), then its clusters, nested."""
    nodes, clusters = diagram.inside(cluster)
    for node in nodes:
        graph.node(node.id, label=_html_label(node_label(_MARKUP, node)), **_node_attrs(node))
    for inner in clusters:
        with graph.subgraph(name=f"cluster_{inner.id}") as sub:
            sub.attr(label=_html_label(cluster_label(_MARKUP, inner)),
                     id=_safe_id(f"cluster_{inner.id}"), style="rounded,dashed",
                     fontsize="11", labeljust="l", labelloc="b", **_CLUSTER_STATE[inner.state])
            _add_nodes(sub, diagram, inner.id)


def _node_attrs(node: DiagramNode) -> dict[str, str]:
    fill, line = theme.KIND_COLORS[node.kind]
    attrs = {"id": _safe_id(node.id), "class": f"{node.kind} {node.state}",
             **_SHAPES[node.kind], "fillcolor": fill, "color": line}
    attrs.update(_NODE_STATE[node.state])
    return attrs


def _edge_attrs(edge: DiagramEdge) -> dict[str, str]:
    attrs = {"id": _safe_id(edge.id), "class": f"{edge.kind} {edge.state}"}
    attrs.update(_EDGE_KIND.get(edge.kind, {}))
    attrs.update(_EDGE_STATE[edge.state])
    return attrs


def _html_label(lines: list[str]) -> str:
    return "<" + "<BR/>".join(lines or [" "]) + ">"


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_./-]", "_", text)
