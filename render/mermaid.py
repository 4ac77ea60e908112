"""The render model as Mermaid flowchart text.

Labels are always double-quoted and every ASCII character outside letters, digits, space
and `.,:!?'-/()+*_=` is written as a Mermaid entity (`#34;`), so no text can close a
label, start an edge, a comment or markup. Node names are made from tree ids. A decision
is drawn with classDef/class for nodes, arrow kinds for edges (`==>` taken, `-.->` not
taken) and linkStyle colours whose indexes are the edges' positions in the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from . import theme
from ._text import clean
from .diagram import Diagram, DiagramEdge, NodeKind
from .labels import Markup, caption_label, cluster_label, edge_label, node_label

__all__ = ["mermaid_names", "to_mermaid"]

_SAFE_ASCII = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:!?'-/()+*_="
)
_SHAPES: dict[NodeKind, tuple[str, str]] = {
    "gate": ('("', '")'), "outcome": ('(["', '"])'), "checklist": ('["', '"]'),
    "call": ('[["', '"]]')}
_ARROWS = {"plain": "-->", "taken": "==>", "faded": "-.->"}
_FADED = f"fill:{theme.FADED_FILL},stroke:{theme.FADED_LINE},color:{theme.FADED_TEXT}"
_STATE_CLASSES = (
    ("path", f"stroke:{theme.PATH},stroke-width:3px"),
    ("stuck", f"fill:{theme.STUCK_FILL},stroke:{theme.PATH},stroke-width:3px"),
    ("possible", f"stroke:{theme.PATH},stroke-width:2px,stroke-dasharray:5 3"),
    ("faded", _FADED),
    ("caption", f"fill:{theme.CAPTION_FILL},stroke:{theme.CAPTION_LINE},color:{theme.TEXT}"),
)
_LINK_STYLES = {"taken": f"stroke:{theme.PATH},stroke-width:3px,color:{theme.PATH_TEXT}",
                "faded": f"stroke:{theme.FADED_LINE},color:{theme.FADED_EDGE_TEXT}"}
_KINDS: tuple[NodeKind, ...] = ("gate", "outcome", "checklist", "call")
CAPTION_NODE = "caption"


def _escape(text: str) -> str:
    return "".join(c if c in _SAFE_ASCII or not c.isascii() else f"#{ord(c)};" for c in text)


_MARKUP = Markup(
    escape=_escape, bold=("<b>", "</b>"),
    styles={"text": ("", ""), "action": ("<i>", "</i>"), "value": ("<code>", "</code>"),
            "note": ("<small>", "</small>")},
    headline=("<b>", "</b>"), result=("<b>", "</b>"), caption_width=60, note_width=60,
)


def to_mermaid(diagram: Diagram) -> str:
    """Mermaid `flowchart TB` text; the title goes in the front matter, called trees in
    subgraphs."""
    names = mermaid_names(n.id for n in diagram.nodes)
    clusters = mermaid_names((c.id for c in diagram.clusters), prefix="c_")
    out = ["---", f"title: {_quoted(diagram.title)}", "---", "flowchart TB"]
    out.extend(_node_lines(diagram, "", names, clusters))
    if diagram.highlighted and len(diagram.caption) > 1:
        caption = caption_label(_MARKUP, diagram.caption, title=False)
        out.append(f'    {CAPTION_NODE}["{_box(caption)}"]')
    for edge in diagram.edges:
        arrow = _ARROWS[edge.state]
        label = _join(edge_label(_MARKUP, edge))
        middle = f'{arrow}|"{label}"|' if label else arrow
        out.append(f"    {names[edge.source]} {middle} {names[edge.target]}")
    out.extend(_classes(diagram, names, clusters))
    out.extend(_link_styles(diagram.edges))
    return "\n".join(out) + "\n"


def mermaid_names(ids: Iterable[str], *, prefix: str = "n_") -> dict[str, str]:
    """Mermaid names for tree ids: the prefix + the id with '-' as '_' and '/' as '__'.

    The prefix keeps clear of Mermaid keywords (`end`, `class`, ...); ids that would
    collide (`a-b` and `a_b`) are spelled in hex instead (prefix `h`), so names stay
    unique and depend only on the ids.
    """
    listed = list(ids)
    plain = {i: prefix + i.replace("-", "_").replace("/", "__") for i in listed}
    counts: dict[str, int] = {}
    for name in plain.values():
        counts[name] = counts.get(name, 0) + 1
    return {i: plain[i] if counts[plain[i]] == 1 and _is_word(i)
            else "h" + prefix + i.encode().hex() for i in listed}


def _node_lines(diagram: Diagram, cluster: str, names: Mapping[str, str],
                clusters: Mapping[str, str]) -> list[str]:
    """Node statements of one cluster ('' is the top level), then its subgraphs, nested."""
    nodes, inner_clusters = diagram.inside(cluster)
    out = []
    for node in nodes:
        start, end = _SHAPES[node.kind]
        out.append(f"    {names[node.id]}{start}{_box(node_label(_MARKUP, node))}{end}")
    for inner in inner_clusters:
        out.append(f'    subgraph {clusters[inner.id]}["{_box(cluster_label(_MARKUP, inner))}"]')
        out.extend(_node_lines(diagram, inner.id, names, clusters))
        out.append("    end")
    return out


def _kind_class(kind: NodeKind) -> tuple[str, str]:
    """A kind's classDef name and style; 'call' is a Mermaid keyword, so it is 'calls'."""
    fill, line = theme.KIND_COLORS[kind]
    frame = ",stroke-width:3px" if kind == "outcome" else ""
    style = f"fill:{fill},stroke:{line}{frame},color:{theme.TEXT}"
    return "calls" if kind == "call" else kind, style


def _classes(diagram: Diagram, names: Mapping[str, str],
             clusters: Mapping[str, str]) -> list[str]:
    class_defs = (*(_kind_class(kind) for kind in _KINDS), *_STATE_CLASSES)
    groups: dict[str, list[str]] = {name: [] for name, _ in class_defs}
    for node in diagram.nodes:
        groups[_kind_class(node.kind)[0]].append(names[node.id])
        if node.state != "plain":
            groups[node.state].append(names[node.id])
    for cluster in diagram.clusters:
        if cluster.state != "plain":
            groups[cluster.state].append(clusters[cluster.id])
    if diagram.highlighted and len(diagram.caption) > 1:
        groups["caption"].append(CAPTION_NODE)
    lines = [f"    classDef {name} {style}" for name, style in class_defs if groups[name]]
    lines.extend(f"    class {','.join(members)} {name}"
                 for name, members in groups.items() if members)
    return lines


def _link_styles(edges: tuple[DiagramEdge, ...]) -> list[str]:
    lines: list[str] = []
    for state, style in _LINK_STYLES.items():
        indexes = [str(i) for i, edge in enumerate(edges) if edge.state == state]
        if indexes:
            lines.append(f"    linkStyle {','.join(indexes)} {style}")
    return lines


def _join(lines: list[str]) -> str:
    return "<br>".join(lines)


def _box(lines: list[str]) -> str:
    """A node label; Mermaid rejects an empty one, so nothing becomes a no-break space."""
    return _join(lines) or "#160;"




def _quoted(text: str) -> str:
    """A YAML (and JSON) string for the front matter: ASCII punctuation as \\u escapes, so
    no backtick can close a Markdown fence and no '%%' can start a Mermaid directive."""
    return '"' + "".join(c if c in _SAFE_ASCII or not c.isascii() else f"\\u{ord(c):04x}"
                         for c in clean(text)) + '"'


def _is_word(node_id: str) -> bool:
    bare = node_id.replace("-", "").replace("_", "").replace("/", "")
    return bare.isalnum() and node_id.isascii()
