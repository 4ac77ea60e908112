"""The render model as Graphviz DOT text, built with the `graphviz` package.

Every text goes into an HTML-like label after escaping `& < > " ' ]` and the backslash
(Graphviz expands `\\N`, `\\G`... even inside HTML labels), so no label can end a string,
open markup or rename a node. Running `dot` is `render.output`'s job, not this module's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from ._text import wrap
from .diagram import Diagram, DiagramEdge, DiagramNode, Line
from .errors import RenderError

__all__ = ["to_dot"]

FONT = "Helvetica,Arial,sans-serif"
TITLE_WIDTH = 34
BODY_WIDTH = 38
EDGE_WIDTH = 28
VALUE_WIDTH = 36

PATH = "#C2410C"
_KIND_STYLE: dict[str, dict[str, str]] = {
    "gate": {"shape": "box", "style": "rounded,filled", "fillcolor": "#EAF1FB",
             "color": "#2B5797"},
    "outcome": {"shape": "box", "style": "filled", "peripheries": "2",
                "fillcolor": "#E3F4E1", "color": "#2E7D32"},
    "checklist": {"shape": "note", "style": "filled", "fillcolor": "#FFF8E1",
                  "color": "#A16207"},
    "call": {"shape": "component", "style": "filled", "fillcolor": "#F3E8FD",
             "color": "#6B3FA0"},
}
_OTHER_KIND = {"shape": "box", "style": "dashed,filled", "fillcolor": "#F4F4F4",
               "color": "#616161"}
_NODE_STATE: dict[str, dict[str, str]] = {
    "plain": {},
    "path": {"color": PATH, "penwidth": "2.5"},
    "stuck": {"color": PATH, "penwidth": "2.5", "fillcolor": "#FFF4CE"},
    "possible": {"color": PATH, "penwidth": "1.5"},
    "faded": {"color": "#C9C9C9", "fillcolor": "#F7F7F7", "fontcolor": "#9E9E9E"},
}
_EDGE_STATE: dict[str, dict[str, str]] = {
    "plain": {"color": "#4A4A4A", "fontcolor": "#262626"},
    "taken": {"color": PATH, "fontcolor": "#7C2D12", "penwidth": "2.5"},
    "faded": {"color": "#C9C9C9", "fontcolor": "#A3A3A3", "style": "dashed"},
}
_EDGE_KIND: dict[str, dict[str, str]] = {"call": {"style": "dashed", "arrowhead": "vee"}}
_CLUSTER_STATE: dict[str, dict[str, str]] = {
    "plain": {"color": "#6B3FA0"},
    "path": {"color": PATH, "penwidth": "2"},
    "faded": {"color": "#C9C9C9", "fontcolor": "#9E9E9E"},
}
_LINE_STYLE = {"text": ("", ""), "action": ("<I>", "</I>"),
               "value": ('<FONT FACE="monospace">', "</FONT>"),
               "note": ('<FONT POINT-SIZE="10">', "</FONT>")}


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
                    "label": _html_label(_caption_lines(diagram.caption))},
        node_attr={"fontname": FONT, "fontsize": "12", "margin": "0.16,0.08"},
        edge_attr={"fontname": FONT, "fontsize": "10", "arrowsize": "0.8"},
    )
    _add_nodes(graph, diagram, "")
    for edge in diagram.edges:
        graph.edge(edge.source, edge.target, label=_html_label(_edge_lines(edge)),
                   **_edge_attrs(edge))
    source: str = graph.source
    return source


def _add_nodes(graph: Any, diagram: Diagram, cluster: str) -> None:
    """The nodes of one cluster ('' is the top level), then its clusters, nested."""
    for node in diagram.nodes:
        if node.cluster == cluster:
            graph.node(node.id, label=_html_label(_node_lines(node)), **_node_attrs(node))
    for inner in diagram.clusters:
        if inner.parent == cluster:
            title = _html_label([f"<B>{_escape(t)}</B>" for t in wrap(inner.title, 60)])
            with graph.subgraph(name=f"cluster_{inner.id}") as sub:
                sub.attr(label=title, id=_safe_id(f"cluster_{inner.id}"),
                         style="rounded,dashed", fontsize="11", labeljust="l", labelloc="b",
                         **_CLUSTER_STATE.get(inner.state, {}))
                _add_nodes(sub, diagram, inner.id)


def _node_attrs(node: DiagramNode) -> dict[str, str]:
    attrs = {"id": _safe_id(node.id), "class": f"{_safe_id(node.kind)} {node.state}"}
    attrs.update(_KIND_STYLE.get(node.kind, _OTHER_KIND))
    attrs.update(_NODE_STATE[node.state])
    return attrs


def _edge_attrs(edge: DiagramEdge) -> dict[str, str]:
    attrs = {"id": _safe_id(edge.id), "class": f"{_safe_id(edge.kind)} {edge.state}"}
    attrs.update(_EDGE_KIND.get(edge.kind, {}))
    attrs.update(_EDGE_STATE[edge.state])
    return attrs


def _node_lines(node: DiagramNode) -> list[str]:
    lines = [f"<B>{_escape(t)}</B>" for t in wrap(node.title, TITLE_WIDTH)]
    if node.kind not in _KIND_STYLE:
        lines.insert(0, f'<FONT POINT-SIZE="9"><I>{_escape(node.kind)}</I></FONT>')
    lines.extend(_styled(node.body, BODY_WIDTH))
    return lines


def _edge_lines(edge: DiagramEdge) -> list[str]:
    return [f"<B>{_escape(t)}</B>" for t in wrap(edge.label, EDGE_WIDTH)] + _styled(
        edge.body, EDGE_WIDTH)


def _caption_lines(caption: Iterable[Line]) -> list[str]:
    lines: list[str] = []
    for index, line in enumerate(caption):
        if index == 0:
            lines.extend(f'<FONT POINT-SIZE="18"><B>{_escape(t)}</B></FONT>'
                         for t in wrap(line.text, 70))
        elif line.style == "value":
            lines.extend(f'<FONT POINT-SIZE="14"><B>{_escape(t)}</B></FONT>'
                         for t in wrap(line.text, 70))
        else:
            lines.extend(_styled((line,), 100, arrows=False))
    return lines


def _styled(body: Iterable[Line], width: int, *, arrows: bool = True) -> list[str]:
    out: list[str] = []
    for line in body:
        start, end = _LINE_STYLE[line.style]
        prefix = "↳ " if arrows and line.style == "action" else ""
        size = max(width, VALUE_WIDTH) if line.style == "value" else width
        out.extend(f"{start}{_escape(t)}{end}" for t in wrap(prefix + line.text, size))
    return out


def _html_label(lines: list[str]) -> str:
    return "<" + "<BR/>".join(lines or [" "]) + ">"


def _escape(text: str) -> str:
    """Text for an HTML-like label; Graphviz 2.43 also trips over a ']' before a tag."""
    return html.escape(text, quote=True).replace("\\", "\\\\").replace("]", "&#93;")


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_./-]", "_", text)
