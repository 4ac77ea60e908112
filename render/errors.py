"""Errors of drawing: all GatetreeErrors, each saying what to do instead."""

from __future__ import annotations

from collections.abc import Iterable

from gatetree.errors import GatetreeError, UnknownName, did_you_mean

__all__ = ["GraphvizNotFound", "RenderError", "UnknownFormat"]


class RenderError(GatetreeError):
    """A picture or document that cannot be made."""


class UnknownFormat(RenderError, UnknownName):
    """A format name that is not one of ours (a usage error); the message lists ours."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(known)
        hint = did_you_mean(name, self.known)
        super().__init__(f"unknown format '{name}'{f' ({hint})' if hint else ''}; "
                         f"formats: {', '.join(self.known)}")


class GraphvizNotFound(RenderError):
    """The `dot` program is missing: SVG, PNG and PDF need it; DOT and Mermaid text do not."""

    def __init__(self, executable: str, fmt: str) -> None:
        self.executable = executable
        super().__init__(
            f"cannot make {fmt.upper()}: Graphviz's '{executable}' program was not found. "
            "Install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; Fedora: sudo dnf "
            "install graphviz; macOS: brew install graphviz; Windows: winget install "
            "graphviz; or see https://graphviz.org/download/) and make sure 'dot' is on "
            "PATH, or ask for --format dot or --format mermaid, which need no Graphviz"
        )
