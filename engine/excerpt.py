"""A located diagnostic shown like a compiler's: its line, then the source line and a caret.

The first line is exactly `str(diagnostic)` (tools parse it); the excerpt follows it, so
`file:line:col` still leads. The column counts characters, as the reader and the expression
checker give it; the caret is placed by display width, so tabs, wide (CJK) and combining
characters before it do not push it off its character.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator

from .errors import Diagnostic, TreeError
from .files import read_file
from .source import split_lines
from .terminal import visible_char

__all__ = ["Lines", "caret_lines", "diagnostic_lines", "file_lines", "show_all"]

TAB_STOP = 8

Lines = Callable[[str], tuple[str, ...] | None]  # a file's lines by path, or None


def caret_lines(line: str, col: int, *, number: int) -> tuple[str, str]:
    """The source line as shown, and a caret line under its 1-based character `col`.

    Both start with a gutter holding the line number, `   35 | `, like GCC and rustc.
    """
    shown: list[str] = []
    width = 0
    caret_at = None
    for index, char in enumerate(line):
        if index == col - 1:
            caret_at = width
        if char == "\t":
            step = TAB_STOP - width % TAB_STOP
            shown.append(" " * step)
            width += step
            continue
        visible = visible_char(char)
        shown.append(visible)
        width += _width(visible)
    if caret_at is None:  # at or past the end of the line
        caret_at = width + max(0, col - 1 - len(line))
    gutter = f"{number:>5} | "
    return (gutter + "".join(shown)).rstrip(), f"{'':>5} | {' ' * caret_at}^"


def diagnostic_lines(diagnostic: Diagnostic, lines: Lines) -> list[str]:
    """The diagnostic, with its source line and a caret when its file and line can be read."""
    head = [diagnostic.line]
    loc = diagnostic.location
    if loc.line is None:
        return head
    source = lines(loc.path)
    if source is None or not 1 <= loc.line <= len(source):
        return head
    return [*head, *caret_lines(source[loc.line - 1], loc.col or 1, number=loc.line)]


def file_lines() -> Lines:
    """A reader of files' lines for `diagnostic_lines`, reading each file once.

    A file that cannot be read gives None (the diagnostic then stands alone); bytes that
    are not UTF-8 show as U+FFFD.
    """
    cache: dict[str, tuple[str, ...] | None] = {}

    def read(path: str) -> tuple[str, ...] | None:
        if path not in cache:
            try:
                text = read_file(path).decode("utf-8", errors="replace")
            except TreeError:
                cache[path] = None
            else:
                cache[path] = split_lines(text)
        return cache[path]

    return read


def show_all(diagnostics: Iterable[Diagnostic], lines: Lines | None = None) -> Iterator[str]:
    """Every diagnostic with its excerpt, reading each file once."""
    read = lines or file_lines()
    for diagnostic in diagnostics:
        yield from diagnostic_lines(diagnostic, read)


def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
