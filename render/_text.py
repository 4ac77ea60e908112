"""Plain text made safe to lay out: one line, printable, and wrapped at a chosen width.

Every format escapes for its own syntax; this module only removes what no format can show
(control characters, line separators, characters XML forbids) and breaks long texts.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

__all__ = ["MAX_CHARS", "clean", "wrap"]

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
    """Lines of at most `width` characters, broken at spaces (long words are split)."""
    text = clean(text)
    if not text:
        return ()
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1].rstrip() + "…"
    return tuple(textwrap.wrap(text, width, break_on_hyphens=False)) or (text,)


def _noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE
