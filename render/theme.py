"""The diagrams' palette: one colour per node kind and per state, for DOT and Mermaid alike.

Each format spells the colours in its own syntax (Graphviz attributes, Mermaid classDef);
the colours themselves are chosen here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagram import NodeKind

__all__ = [
    "CAPTION_FILL",
    "CAPTION_LINE",
    "EDGE",
    "EDGE_TEXT",
    "FADED_EDGE_TEXT",
    "FADED_FILL",
    "FADED_LINE",
    "FADED_TEXT",
    "KIND_COLORS",
    "PATH",
    "PATH_TEXT",
    "STUCK_FILL",
    "TEXT",
    "KindColors",
]

PATH = "#C2410C"
"""The decision's path: taken edges, nodes passed, the node it stopped at."""
PATH_TEXT = "#7C2D12"
TEXT = "#1F1F1F"
EDGE = "#4A4A4A"
EDGE_TEXT = "#262626"
STUCK_FILL = "#FFF4CE"
FADED_FILL = "#F7F7F7"
FADED_LINE = "#C9C9C9"
FADED_TEXT = "#9E9E9E"
FADED_EDGE_TEXT = "#A3A3A3"
CAPTION_FILL = "#FFFFFF"
CAPTION_LINE = "#D0D0D0"


@dataclass(frozen=True, slots=True)
class KindColors:
    """A node kind's fill and its frame's colour."""

    fill: str
    line: str


KIND_COLORS: dict[NodeKind, KindColors] = {
    "gate": KindColors("#EAF1FB", "#2B5797"),
    "outcome": KindColors("#E3F4E1", "#2E7D32"),
    "checklist": KindColors("#FFF8E1", "#A16207"),
    "call": KindColors("#F3E8FD", "#6B3FA0"),  # a called tree's frame takes its line colour
}
