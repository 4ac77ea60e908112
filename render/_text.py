"""Plain text made safe to lay out: one line, printable, and wrapped at a chosen width.

Every format escapes for its own syntax; this module only removes what no format can show
(control characters, line separators, characters XML forbids) and breaks long texts. The
text reports and the diagram labels break lines with the same helper, `wrap_lines`.
"""

from __future__ import annotations

import re
import shutil
import textwrap
import unicodedata

__all__ = [
    "DEFAULT_WIDTH", "MAX_CHARS", "clean", "repeats", "terminal_width", "wrap", "wrap_lines",
]

DEFAULT_WIDTH = 88
"""Columns of a text report when no width is asked for and no terminal tells one."""

MIN_WIDTH = 40
"""Narrowest report laid out: below it a hanging indent leaves too little room for words."""

_SPACES = re.compile(r"\s+")
_DROP = frozenset({"Cc", "Cs", "Zl", "Zp"})


def clean(text: str) -> str:
    """The text on one line: newlines and other control characters become spaces.

    Characters XML 1.0 forbids (surrogates, U+FFFE, U+FFFF and other noncharacters)
    become U+FFFD, so that SVG output and Graphviz's HTML labels always parse.
    """
    out = []
    for char in text:
        if unicodedata.category(char) in _DROP:
            out.append("\ufffd" if unicodedata.category(char) == "Cs" else " ")
        elif _noncharacter(char):
            out.append("\ufffd")
        else:
            out.append(char)
    return _SPACES.sub(" ", "".join(out)).strip()


MAX_CHARS = 600
"""Longest text a picture shows; the rest is cut with '…' (the Markdown doc has it all)."""


def wrap(text: str, width: int) -> tuple[str, ...]:
    """A diagram label's lines: at most `width` characters, broken at spaces, and a word
    longer than a line split, so that no box grows wider than the others for a URL."""
    text = clean(text)
    if not text:
        return ()
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1].rstrip() + "…"
    return tuple(wrap_lines(text, width, split_long_words=True)) or (text,)


def wrap_lines(text: str, width: int, *, indent: str = "", first: str | None = None,
               split_long_words: bool = False) -> list[str]:
    """`text` broken at spaces into lines of at most `width` columns, never inside a word.

    The first line starts with `first` (default `indent`), the others with `indent`: a
    hanging indent. A line break in `text` is kept: each line is wrapped on its own, and
    the continuation of an indented line is indented like it.
    A word longer than a line stands on a line of its own, unless `split_long_words` asks
    for it to be cut (diagram boxes).
    Never empty: a blank text gives the indent alone, without trailing spaces.
    """
    lines: list[str] = []
    lead = indent if first is None else first
    for line in text.splitlines() or [""]:
        body = line.lstrip()
        own = line[: len(line) - len(body)]  # an indented line's continuation hangs under it
        lines.extend(textwrap.wrap(
            body, width, initial_indent=lead + own, subsequent_indent=indent + own,
            break_on_hyphens=False, break_long_words=split_long_words,
        ) or [(lead + own).rstrip()])
        lead = indent
    return lines


def terminal_width() -> int:
    """The columns a text report may fill: `COLUMNS` when set, else the terminal's width,
    else DEFAULT_WIDTH (output to a pipe or a file); never fewer than MIN_WIDTH."""
    return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def repeats(title: str, question: str) -> bool:
    """Whether a title already says the question ("Gate 0: Do you have quality metrics?"
    and "Do you have quality metrics?"), so a view shows the sentence once, as the title.
    Case and spacing do not count."""
    return _words(question) in _words(title)


def _words(text: str) -> str:
    return " ".join(clean(text).lower().split())


def _noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE
