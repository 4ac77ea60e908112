"""Read YAML or JSON safely and remember where every value and key stood.

Only plain data comes out: mappings, lists, strings, numbers, booleans and null. Any tag
that would build a Python object is an error, booleans follow YAML 1.2 (`true`/`false`
only, so `yes`/`no` stay strings where they are labels), and duplicate keys are errors
rather than silently overwritten.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .errors import Diagnostic, Location, TextSpan, TreeError
from .files import read_file
from .yaml_hints import yaml_hint

__all__ = [
    "Document",
    "Position",
    "escape_pointer",
    "parse_bytes",
    "parse_document",
    "read_document",
    "split_lines",
]

_MAX_NODES = 200_000  # alias expansion bomb guard; real trees have a few thousand values

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans."""


# YAML 1.2 core schema: PyYAML's 1.1 resolvers would read yes/no/on/off as booleans,
# 1:30 as a base-60 number, 012 as octal and 2024-05-01 as a date; here they stay strings.
_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
             "tag:yaml.org,2002:timestamp"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"),
)



def _finite_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    """A float that is a number: `.inf`, `.nan` and `1e400` (which overflows) are errors, so
    no file brings a value that compares false with everything or is not JSON."""
    value = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value} is not a finite number", node.start_mark)
    return value


_Loader.add_constructor("tag:yaml.org,2002:float", _finite_float)


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    col: int
    style: str | None = None  # YAML scalar style: None plain, "'" or '"' quoted, "|" or ">" block
    # Where the value ends (1-based line, 0-based column): bookkeeping for text spans.
    end_line: int = field(default=0, compare=False)
    end_col: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Document:
    """Plain data read from a file, with a map from JSON pointer to where it stood."""

    path: str
    text: str
    data: Any
    positions: Mapping[str, Position]
    key_positions: Mapping[str, Position]
    sha256: str

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        """The location of a pointer, falling back to its nearest located parent."""
        table = self.key_positions if key else self.positions
        probe = pointer
        while True:
            pos = table.get(probe) or self.positions.get(probe)
            if pos is not None:
                return Location(self.path, pos.line, pos.col, pointer)
            if not probe:
                return Location(self.path, 1, 1, pointer)
            # "a/b" -> "a" -> "": a pointer without a leading "/" still ends at the root
            probe = probe.rsplit("/", 1)[0] if "/" in probe else ""

    def locate_text(self, pointer: str) -> Location:
        """Where the text of a string value starts (inside quotes, or a block's first line)."""
        return _text_start(self, pointer)

    def text_span(self, pointer: str) -> TextSpan:
        """Where each source line of a string value begins, as offsets into its folded text."""
        start = _text_start(self, pointer)
        pos = self.positions.get(pointer)
        if pos is None or start.line is None:
            return TextSpan(start)
        source = self.text.splitlines()
        lines: list[tuple[int, Location]] = []
        offset = 0
        last = pos.end_line if pos.end_col > 0 else pos.end_line - 1
        for number in range(start.line, min(last, len(source)) + 1):
            raw = source[number - 1]
            col = (start.col or 1) if number == start.line else len(raw) - len(raw.lstrip()) + 1
            content = raw[col - 1:].strip()
            if not content:
                continue
            lines.append((offset, Location(self.path, number, col, pointer)))
            offset += len(content) + 1
        return TextSpan(start, tuple(lines))


def _text_start(document: Document, pointer: str) -> Location:
    loc = document.locate(pointer)
    pos = document.positions.get(pointer)
    if pos is None or loc.line is None:
        return loc
    if pos.style in ("'", '"'):
        return Location(loc.path, loc.line, (loc.col or 1) + 1, pointer)
    if pos.style in ("|", ">"):
        lines = document.text.splitlines()
        if loc.line < len(lines):
            body = lines[loc.line]
            return Location(loc.path, loc.line + 1, len(body) - len(body.lstrip()) + 1, pointer)
    return loc


def escape_pointer(token: str) -> str:
    """Escape one JSON pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def read_document(path: str | Path, *, display: str | None = None) -> Document:
    """Read a file; unreadable, non-UTF-8, too large or not regular files (a FIFO, a device,
    a folder: see `files.read_file`) are located errors, not tracebacks."""
    shown = display or str(path)
    return parse_bytes(read_file(path, shown=shown), path=shown)


def parse_bytes(raw: bytes, *, path: str) -> Document:
    """Parse bytes read from a file or a stream; bytes that are not UTF-8 are a located error."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8")) + 1  # characters, not bytes
        problem = Diagnostic(Location(path, line, col),
                             f"file is not UTF-8 text (byte {exc.start})")
        raise TreeError([problem]) from None
    return parse_document(text, path=path)


def parse_document(text: str, *, path: str) -> Document:
    """Parse YAML (JSON is YAML too) into plain data with positions."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        root = loader.get_single_node()
        builder = _Builder(path, loader)
        data = builder.build(root, "") if root is not None else None
    except yaml.MarkedYAMLError as exc:
        raise TreeError([_yaml_problem(exc, path, text)]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        message = f"invalid YAML: unacceptable character #x{exc.character:04x}: " \
                  "special characters are not allowed"
        raise TreeError([Diagnostic(Location(path, line, col), message)]) from None
    except yaml.YAMLError as exc:
        raise TreeError([Diagnostic(Location(path), f"invalid YAML: {exc}")]) from None
    except RecursionError:
        problem = Diagnostic(Location(path, 1, 1), "values are nested too deeply",
                             "flatten the document")
        raise TreeError([problem]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.diagnostics:
        raise TreeError(builder.diagnostics)
    return Document(
        path=path,
        text=text,
        data=data,
        positions=MappingProxyType(builder.positions),
        key_positions=MappingProxyType(builder.key_positions),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _yaml_problem(exc: yaml.MarkedYAMLError, path: str, text: str) -> Diagnostic:
    """PyYAML's whole sentence, at the construct that is open rather than at the end of file,
    with a hint for the common mistakes."""
    problem = exc.problem or "invalid YAML"
    # Where PyYAML gave up (the end of the file, the line after a key without ':') is not
    # where the mistake is: the construct it was reading is.
    gave_up = "end of stream" in problem or "could not find expected ':'" in problem
    mark = (exc.context_mark if gave_up and exc.context_mark else exc.problem_mark) or \
        exc.context_mark
    sentence = f"{exc.context}, {problem}" if exc.context else problem
    location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    return Diagnostic(location, f"invalid YAML: {sentence}", yaml_hint(exc, split_lines(text)))


_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def split_lines(text: str) -> tuple[str, ...]:
    """The lines of a text as YAML counts them (and so as the reader numbers them).

    YAML breaks lines at CR, LF, CRLF, NEL, LS and PS only (not at the form feed or the
    other separators `str.splitlines` knows); a leading byte-order mark is not text.
    """
    lines = _BREAKS.split(text.removeprefix("\ufeff"))
    if lines[-1] == "":  # the text ends with a line break: there is no line after it
        lines.pop()
    return tuple(lines)


def _line_col(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


class _Builder:
    def __init__(self, path: str, loader: _Loader) -> None:
        self.path = path
        self.loader = loader
        self.positions: dict[str, Position] = {}
        self.key_positions: dict[str, Position] = {}
        self.diagnostics: list[Diagnostic] = []
        self.count = 0
        self.open: set[int] = set()

    def _pos(self, node: yaml.Node) -> Position:
        style = getattr(node, "style", None)
        return Position(node.start_mark.line + 1, node.start_mark.column + 1, style,
                        node.end_mark.line + 1, node.end_mark.column)

    def _error(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        pos = self._pos(node)
        self.diagnostics.append(Diagnostic(Location(self.path, pos.line, pos.col), message, hint))

    def build(self, node: yaml.Node, pointer: str) -> Any:
        if id(node) in self.open:
            self._error(node, "an alias refers to a value that contains it",
                        "aliases may not be recursive")
            return None
        self.open.add(id(node))
        try:
            return self._build(node, pointer)
        finally:
            self.open.discard(id(node))

    def _build(self, node: yaml.Node, pointer: str) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            if self.count == _MAX_NODES + 1:
                self._error(node, f"document has more than {_MAX_NODES} values",
                            "aliases that expand this far are not supported")
            return None
        self.positions[pointer] = self._pos(node)
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                return self._bad_tag(node)
            return self._mapping(node, pointer)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                return self._bad_tag(node)
            return [self.build(item, f"{pointer}/{i}") for i, item in enumerate(node.value)]
        if node.tag not in _PLAIN_TAGS:
            return self._bad_tag(node)
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self._error(node, f"invalid value: {getattr(exc, 'problem', exc)}")
        except (ValueError, KeyError):
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._error(node, f"invalid value: {node.value!r} is not a valid {tag}")
        return None

    def _bad_tag(self, node: yaml.Node) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self._error(node, f"tag '{tag}' is not allowed: files hold plain data only",
                    "remove the tag")
        return None

    def _mapping(self, node: yaml.MappingNode, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._error(key_node, "merge keys ('<<') are not supported", "write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self._error(key_node, "mapping keys must be plain words")
                continue
            key = str(self.loader.construct_object(key_node))
            child = f"{pointer}/{escape_pointer(key)}"
            if key in result:
                first = self.key_positions[child]
                self._error(key_node, f"duplicate key '{key}'",
                            f"first defined at line {first.line}")
                continue
            self.key_positions[child] = self._pos(key_node)
            result[key] = self.build(value_node, child)
        return result
