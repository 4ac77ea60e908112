"""Plain-language hints for the YAML syntax errors people make most.

PyYAML says what its parser saw ("mapping values are not allowed here"); a new user needs
what to type instead. Each hint is judged from PyYAML's own problem and context and the
source lines around its marks, and names a fix only when the text shows that cause; any
other error keeps PyYAML's sentence alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import yaml

__all__ = ["missing_space", "yaml_hint"]

# `key:value` with no space after the colon (not `https://...`, where '/' follows it).
_NO_SPACE = re.compile(r"^(\s*(?:-\s+)*)([A-Za-z0-9_][A-Za-z0-9_.-]*):(?=[^\s:/])")
_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)*)([^\s#'\"{}\[\],][^:#]*?):\s+(\S.*)$")
_FLOW_INDICATORS = {"'?'": "?", "':'": ": ", "'{'": "{", "'['": "["}


def yaml_hint(exc: yaml.MarkedYAMLError, lines: Sequence[str]) -> str | None:
    """What to change for a common mistake behind `exc`, or None when the cause is unclear."""
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark, exc.context_mark
    if mark is None or not lines:
        return None
    row = min(mark.line, len(lines) - 1)
    line, col = lines[row], mark.column
    if "'\\t'" in problem:
        if not line[:col].strip():
            return "indent with spaces: YAML does not allow tabs in indentation"
        return "replace the tab with spaces"
    if problem == "mapping values are not allowed here":
        return _colon_in_value(line, col) or _continued(lines, row)
    if "could not find expected ':'" in problem and opened is not None:
        return _no_colon(lines[min(opened.line, len(lines) - 1)])
    if context.startswith("while parsing a flow") and problem.startswith("expected ','"):
        got = problem.rsplit("but got ", 1)[-1]
        if got in _FLOW_INDICATORS:
            return _flow_value(line, col, _FLOW_INDICATORS[got], context)
        start = opened.line if opened is not None else row
        return _hidden_by_comment(lines, start, row)
    if problem.startswith("expected <block end>") and not line[:col].strip():
        return _misaligned(lines, row)
    return None


def _misaligned(lines: Sequence[str], row: int) -> str | None:
    """A key or item indented between the levels above it."""
    indent = _indent(lines[row])
    above = {_indent(text) for text in lines[:row]
             if text.strip() and not text.lstrip().startswith("#")}
    if not above or indent in above:
        return None  # nothing to line up with, or it does: the cause is another one
    spaces = f"{indent} space{'s' * (indent != 1)}"
    return (f"this line is indented {spaces}, which lines up with no key or item above it; "
            "indent it like the lines it belongs with")


def missing_space(text: str) -> str | None:
    """`kind:gate` read as one string: the fix with the space put in, or None."""
    if ": " in text or "\n" in text or not _NO_SPACE.match(text):
        return None
    return f"put a space after ':': {_spaced(text.strip())}"


def _colon_in_value(line: str, col: int) -> str | None:
    """`title: Count: enough`: a second ': ' after the key's own."""
    found = _KEY_VALUE.match(line)
    if found is None or found.end(2) >= col:
        return None
    key, value = found.group(2), _without_comment(found.group(3))
    hint = f"a plain value cannot contain ': '; quote it: {key}: {_quoted(value)}"
    if value != found.group(3).rstrip():
        hint += "; ' #' starts a comment: if what follows it is part of the value, quote it too"
    return hint


def _continued(lines: Sequence[str], row: int) -> str | None:
    """A line read as more of the value above it: `gatetree:1` or an indented key."""
    above = _previous(lines, row)
    if above is None:
        return None
    number, text = above
    if _NO_SPACE.match(text) and ": " not in text:
        return f"put a space after ':' on line {number}: {_spaced(text.strip())}"
    found = _KEY_VALUE.match(text)
    line = lines[row]
    if found is not None and _indent(line) > _indent(text):
        return (f"this line is indented deeper than '{found.group(2)}:' on line {number}, "
                f"so it reads as more of that value; line it up with '{found.group(2)}:'")
    return None


def _no_colon(line: str) -> str:
    """A line in a block mapping that is not `key: value`."""
    return missing_space(line) or \
        f"each line of a mapping is 'key: value'; '{line.strip()}' has no ': '"


def _flow_value(line: str, col: int, char: str, context: str) -> str:
    """`{question: How many?}`: an indicator inside a plain value of a flow collection."""
    brackets = "{...}" if "mapping" in context else "[...]"
    rule = f"inside {brackets} a plain value cannot contain '{char.strip()}'"
    start, key = _value_start(line, col)
    end, depth = len(line), 0
    for index in range(col, len(line)):
        ch = line[index]
        if ch in "{[":
            depth += 1
        elif ch in "}]" and depth:
            depth -= 1
        elif ch in "}]," and not depth:
            end = index
            break
    value = _without_comment(line[start:end]).strip()
    if not value:
        return f"{rule}; quote the value"
    return f"{rule}; quote it: {f'{key}: ' if key else ''}{_quoted(value)}"


def _value_start(line: str, col: int) -> tuple[int, str]:
    """Where the plain value holding `col` starts, and its key when it has one."""
    colon = line.rfind(": ", 0, col)
    other = max(line.rfind(sep, 0, col) for sep in ",{[")
    if colon > other:
        key_start = max(line.rfind(sep, 0, colon) for sep in ",{[") + 1
        return colon + 2, line[key_start:colon].strip()
    return other + 1, ""


def _hidden_by_comment(lines: Sequence[str], first: int, last: int) -> str | None:
    """`{question: Is it #1}`: ' #' started a comment that ate the closing bracket."""
    for row in range(first, min(last, len(lines) - 1) + 1):
        if _comment_col(lines[row]) is not None:
            return (f"' #' on line {row + 1} starts a comment, which hides the rest of that "
                    "line and the closing bracket; quote the value that holds '#'")
    return None


def _comment_col(line: str) -> int | None:
    """Where a comment starts on a line (a '#' after a space, outside quotes), if it has one."""
    quote = ""
    for index, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"" and (index == 0 or line[index - 1] in " \t{[,:"):
            quote = ch
        elif ch == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return None


def _without_comment(text: str) -> str:
    cut = _comment_col(text)
    return (text if cut is None else text[:cut]).rstrip()


def _previous(lines: Sequence[str], row: int) -> tuple[int, str] | None:
    """The nearest line above `row` that holds more than a comment, with its number."""
    for index in range(row - 1, -1, -1):
        text = lines[index]
        if text.strip() and not text.lstrip().startswith("#"):
            return index + 1, text
    return None


def _spaced(text: str) -> str:
    found = _NO_SPACE.match(text)
    assert found is not None
    return f"'{text[:found.end()]} {text[found.end():]}'"


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
