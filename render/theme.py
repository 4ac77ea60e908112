"""The diagrams' palette: one colour per node kind and per state, for DOT and Mermaid alike.

Each format spells the colours in its own syntax (Graphviz attributes, Mermaid classDef);
the colours themselves are chosen here, once.
"""

from __future__ import annotations

from .diagram import NodeKind

__all__ = ["CAPTION_FILL", "CAPTION_LINE", "EDGE", "EDGE_TEXT", "FADED_EDGE_TEXT", "FADED_FILL",
           "FADED_LINE", "FADED_TEXT", "KIND_COLORS", "PATH", "PATH_TEXT", "STUCK_FILL", "TEXT"]

PATH, PATH_TEXT = "#C2410C", "#7C2D12"  # the decision's path: taken edges, nodes passed
TEXT, EDGE, EDGE_TEXT = "#1F1F1F", "#4A4A4A", "#262626"
STUCK_FILL = "#FFF4CE"  # the node an incomplete decision stopped at
FADED_FILL, FADED_LINE, FADED_TEXT, FADED_EDGE_TEXT = "#F7F7F7", "#C9C9C9", "#9E9E9E", "#A3A3A3"
CAPTION_FILL, CAPTION_LINE = "#FFFFFF", "#D0D0D0"

KIND_COLORS: dict[NodeKind, tuple[str, str]] = {  # fill, line
    "gate": ("#EAF1FB", "#2B5797"),
    "outcome": ("#E3F4E1", "#2E7D32"),
    "checklist": ("#FFF8E1", "#A16207"),
    "call": ("#F3E8FD", "#6B3FA0"),  # a called tree's frame takes its line colour
}
