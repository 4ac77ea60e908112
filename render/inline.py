"""Markdown inline text: plain text, and code spans, that show exactly the text given.

Kept apart from the flowchart doc so the trace and what-if reports, which write Markdown
too, need none of the doc's diagram machinery.
"""

from __future__ import annotations

import re

from ._text import clean

__all__ = ["code", "md_text"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~]|&(?=#?\w+;))")  # & only where it starts `&lt;`
_LINE_START = re.compile(r"^(\d*)([+\-=.)])(?=\s|$)")


def md_text(text: str) -> str:
    """Plain text as Markdown that shows exactly that text, on one line."""
    escaped = _SPECIAL.sub(r"\\\1", clean(text))
    return _LINE_START.sub(r"\1\\\2", escaped)


def code(text: str) -> str:
    """An inline code span that holds any text, backticks included."""
    text = clean(text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"
