"""Text for a terminal: control characters in it are shown, never obeyed.

A tree's title may hold `ESC]0;...` (retitle the window), `ESC[2J` (clear the screen) or
`ESC[8m` (hide what follows); a report printing it raw hands the user's terminal to the
tree's author. Every text report goes through `for_terminal`, which shows each control
character as a visible picture (ESC as ␛); JSON escapes them itself, and
`escape_c1` adds the C1 controls, which JSON may leave raw.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["escape_c1", "for_terminal", "visible_char"]

# C0 controls but tab and newline, DEL, and the C1 controls (U+009B is a one-character CSI)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")


def visible_char(char: str) -> str:
    """A control character as its visible picture; any other character as it is."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
        return "\ufffd"
    return char


def for_terminal(text: str) -> str:
    """The text with every control character but tab and newline shown as a picture."""
    return _CONTROLS.sub(lambda m: visible_char(m.group()), text)


def escape_c1(json_text: str) -> str:
    """JSON text with DEL and the C1 controls written as `\\u00XX` (still the same JSON:
    they can only stand inside strings)."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
