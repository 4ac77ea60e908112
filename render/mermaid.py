"""The render model as Mermaid flowchart text.

Labels are always double-quoted and every ASCII character outside letters, digits, space
and `.,:!?'-/()+*_=` is written as a Mermaid entity (`#34;`), so no text can close a
label, start an edge, a comment or markup. Node names are made from tree ids. A decision
is drawn with classDef/class for nodes, arrow kinds for edges (`==>` taken, `-.->` not
taken) and linkStyle colours whose indexes are the edges' positions in the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._text import clean, wrap
from .diagram import Diagram, DiagramEdge, DiagramNode, Line

__all__ = ["mermaid_names", "to_mermaid"]

TITLE_WIDTH = 34
BODY_WIDTH = 38
EDGE_WIDTH = 28
VALUE_WIDTH = 36

_SAFE_ASCII = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:!?'-/()+*_="
)
_SHAPES = {"gate": ('("', '")'), "outcome": ('(["', '"])'), "checklist": ('["', '"]'),
           "call": ('[["', '"]]')}
_OTHER_SHAPE = ('["', '"]')
# classDef names; 'call' is a Mermaid keyword, so a call's class is 'calls'.
_KIND_CLASS = {"gate": "gate", "outcome": "outcome", "checklist": "checklist", "call": "calls"}
_ARROWS = {"plain": "-->", "taken": "==>", "faded": "-.->"}
_CLASS_DEFS = (
    ("gate", "fill:#EAF1FB,stroke:#2B5797,color:#1F1F1F"),
    ("outcome", "fill:#E3F4E1,stroke:#2E7D32,stroke-width:3px,color:#1F1F1F"),
    ("checklist", "fill:#FFF8E1,stroke:#A16207,color:#1F1F1F"),
    ("calls", "fill:#F3E8FD,stroke:#6B3FA0,color:#1F1F1F"),
    ("other", "fill:#F4F4F4,stroke:#616161,stroke-dasharray:4 3,color:#1F1F1F"),
    ("path", "stroke:#C2410C,stroke-width:3px"),
    ("stuck", "fill:#FFF4CE,stroke:#C2410C,stroke-width:3px"),
    ("possible", "stroke:#C2410C,stroke-width:2px,stroke-dasharray:5 3"),
    ("faded", "fill:#F7F7F7,stroke:#C9C9C9,color:#9E9E9E"),
    ("caption", "fill:#FFFFFF,stroke:#D0D0D0,color:#1F1F1F"),
)
_LINK_STYLES = {"taken": "stroke:#C2410C,stroke-width:3px,color:#7C2D12",
                "faded": "stroke:#C9C9C9,color:#A3A3A3"}
_LINE_TAGS = {"text": ("", ""), "action": ("<i>", "</i>"), "value": ("<code>", "</code>"),
              "note": ("<small>", "</small>")}
CAPTION_NODE = "caption"


def to_mermaid(diagram: Diagram) -> str:
    """Mermaid `flowchart TB` text; the title goes in the front matter, called trees in
    subgraphs."""
    names = mermaid_names(n.id for n in diagram.nodes)
    clusters = mermaid_names((c.id for c in diagram.clusters), prefix="c_")
    out = ["---", f"title: {_quoted(diagram.title)}", "---", "flowchart TB"]
    out.extend(_node_lines(diagram, "", names, clusters))
    if diagram.highlighted and len(diagram.caption) > 1:
        out.append(f'    {CAPTION_NODE}["{_caption_label(diagram.caption[1:])}"]')
    for edge in diagram.edges:
        arrow = _ARROWS[edge.state]
        label = _edge_label(edge)
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
    out = []
    for node in diagram.nodes:
        if node.cluster == cluster:
            start, end = _SHAPES.get(node.kind, _OTHER_SHAPE)
            out.append(f"    {names[node.id]}{start}{_node_label(node)}{end}")
    for inner in diagram.clusters:
        if inner.parent == cluster:
            title = _box([f"<b>{_escape(t)}</b>" for t in wrap(inner.title, 60)])
            out.append(f'    subgraph {clusters[inner.id]}["{title}"]')
            out.extend(_node_lines(diagram, inner.id, names, clusters))
            out.append("    end")
    return out


def _node_label(node: DiagramNode) -> str:
    lines = [f"<b>{_escape(t)}</b>" for t in wrap(node.title, TITLE_WIDTH)]
    if node.kind not in _SHAPES:
        lines.insert(0, f"<small><i>{_escape(node.kind)}</i></small>")
    lines.extend(_styled(node.body, BODY_WIDTH))
    return _box(lines)


def _caption_label(caption: Iterable[Line]) -> str:
    lines: list[str] = []
    for line in caption:
        if line.style == "value":
            lines.extend(f"<b>{_escape(t)}</b>" for t in wrap(line.text, 60))
        else:
            lines.extend(_styled((line,), 60))
    return _box(lines)


def _edge_label(edge: DiagramEdge) -> str:
    lines = [f"<b>{_escape(t)}</b>" for t in wrap(edge.label, EDGE_WIDTH)]
    return _join(lines + _styled(edge.body, EDGE_WIDTH))


def _styled(body: Iterable[Line], width: int) -> list[str]:
    out: list[str] = []
    for line in body:
        start, end = _LINE_TAGS[line.style]
        size = max(width, VALUE_WIDTH) if line.style == "value" else width
        out.extend(f"{start}{_escape(t)}{end}" for t in wrap(line.text, size))
    return out


def _classes(diagram: Diagram, names: Mapping[str, str],
             clusters: Mapping[str, str]) -> list[str]:
    groups: dict[str, list[str]] = {name: [] for name, _ in _CLASS_DEFS}
    for node in diagram.nodes:
        groups[_KIND_CLASS.get(node.kind, "other")].append(names[node.id])
        if node.state != "plain":
            groups[node.state].append(names[node.id])
    for cluster in diagram.clusters:
        if cluster.state != "plain":
            groups[cluster.state].append(clusters[cluster.id])
    if diagram.highlighted and len(diagram.caption) > 1:
        groups["caption"].append(CAPTION_NODE)
    lines = [f"    classDef {name} {style}" for name, style in _CLASS_DEFS if groups[name]]
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


def _escape(text: str) -> str:
    return "".join(c if c in _SAFE_ASCII or not c.isascii() else f"#{ord(c)};" for c in text)


def _quoted(text: str) -> str:
    """A YAML (and JSON) string for the front matter: ASCII punctuation as \\u escapes, so
    no backtick can close a Markdown fence and no '%%' can start a Mermaid directive."""
    return '"' + "".join(c if c in _SAFE_ASCII or not c.isascii() else f"\\u{ord(c):04x}"
                         for c in clean(text)) + '"'


def _is_word(node_id: str) -> bool:
    bare = node_id.replace("-", "").replace("_", "").replace("/", "")
    return bare.isalnum() and node_id.isascii()
