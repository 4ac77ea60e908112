"""Label layout for every diagram format: which texts a box, an arrow, a frame and the
caption show, how wide their lines are, and how each line's style is marked.

A format gives a `Markup` (its escaping and its tags for bold and each line style) and
joins the lines it gets back in its own syntax; the layout itself is written here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ._text import wrap
from .diagram import Cluster, DiagramEdge, DiagramNode, Line, LineStyle

__all__ = ["BODY_WIDTH", "CLUSTER_WIDTH", "EDGE_WIDTH", "TITLE_WIDTH", "VALUE_WIDTH", "Markup",
           "caption_label", "cluster_label", "edge_label", "node_label"]

TITLE_WIDTH = 34
BODY_WIDTH = 38
EDGE_WIDTH = 28
VALUE_WIDTH = 36
"""A value line is never narrower than this: `name = value (source)` should not break."""
CLUSTER_WIDTH = 60

Tag = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Markup:
    """How one format marks a label's lines up.

    `styles` opens and closes each line style; `headline` is the caption's first line (the
    tree's title) and `result` its value lines (the outcome); `action_mark` goes before an
    action in a box or on an arrow. The caption's lines are at most `caption_width`
    columns, its notes and actions `note_width`.
    """

    escape: Callable[[str], str]
    bold: Tag
    styles: Mapping[LineStyle, Tag]
    headline: Tag
    result: Tag
    caption_width: int
    note_width: int
    action_mark: str = ""

    def tagged(self, tag: Tag, text: str, width: int) -> list[str]:
        """`text` wrapped at `width`, each line escaped and put inside `tag`."""
        start, end = tag
        return [f"{start}{self.escape(t)}{end}" for t in wrap(text, width)]

    def styled(self, body: Iterable[Line], width: int, *, marks: bool = True) -> list[str]:
        """Body lines in their styles; a value line may be as wide as VALUE_WIDTH."""
        out: list[str] = []
        for line in body:
            mark = self.action_mark if marks and line.style == "action" else ""
            size = max(width, VALUE_WIDTH) if line.style == "value" else width
            out.extend(self.tagged(self.styles[line.style], mark + line.text, size))
        return out


def node_label(markup: Markup, node: DiagramNode) -> list[str]:
    """A box: its title in bold, then its body."""
    return [*markup.tagged(markup.bold, node.title, TITLE_WIDTH),
            *markup.styled(node.body, BODY_WIDTH)]


def edge_label(markup: Markup, edge: DiagramEdge) -> list[str]:
    """An arrow: its label in bold, then the values it used and its actions."""
    return [*markup.tagged(markup.bold, edge.label, EDGE_WIDTH),
            *markup.styled(edge.body, EDGE_WIDTH)]


def cluster_label(markup: Markup, cluster: Cluster) -> list[str]:
    """A called tree's frame: its title in bold."""
    return markup.tagged(markup.bold, cluster.title, CLUSTER_WIDTH)


def caption_label(markup: Markup, caption: Iterable[Line], *, title: bool = True) -> list[str]:
    """The headline: the title (unless `title` is false: the format shows it elsewhere),
    then the result as values and the rest in their styles."""
    lines: list[str] = []
    for index, line in enumerate(caption):
        if index == 0:
            lines.extend(markup.tagged(markup.headline, line.text, markup.caption_width)
                         if title else ())
        elif line.style == "value":
            lines.extend(markup.tagged(markup.result, line.text, markup.caption_width))
        else:
            lines.extend(markup.styled((line,), markup.note_width, marks=False))
    return lines
