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

from ._gc import collection_paused
from .errors import Diagnostic, Location, TextSpan, TreeError
from .files import read_file
from .values import quote_value
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
_MAX_DEPTH = 100  # nesting depth; real trees nest a few levels

_STR = "tag:yaml.org,2002:str"
_INVALID = object()  # a scalar whose tag does not fit its text
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

# YAML 1.2 core schema: PyYAML's 1.1 resolvers would read yes/no/on/off as booleans,
# 1:30 as a base-60 number, 012 as octal and 2024-05-01 as a date; here they stay strings.
_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
             "tag:yaml.org,2002:timestamp"}
_YAML12 = (
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
     list("tTfF")),
    ("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
     list("-+.0123456789")),
)


def _finite_float(loader: Any, node: yaml.ScalarNode) -> float:
    """A float that is a number: `.inf`, `.nan` and `1e400` (which overflows) are errors, so
    no file brings a value that compares false with everything or is not JSON."""
    value: float = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value} is not a finite number", node.start_mark)
    return value


def _yaml12(loader: type[Any]) -> type[Any]:
    """A SafeLoader class made to resolve plain scalars as the YAML 1.2 core schema does."""
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for tag, regexp, first in _YAML12:
        loader.add_implicit_resolver(tag, regexp, first)
    loader.resolve = _remembered_resolve
    loader.add_constructor("tag:yaml.org,2002:float", _finite_float)
    return loader


def _remembered_resolve(self: Any, kind: Any, value: Any, implicit: Any) -> Any:
    """The tag of a node, worked out once per loader for each scalar text: keys and words
    such as `kind` and `gate` come back thousands of times in a big tree."""
    if kind is not yaml.ScalarNode:
        return yaml.resolver.Resolver.resolve(self, kind, value, implicit)  # type: ignore[no-untyped-call]
    memo = self.__dict__.setdefault("_tags", {})
    key = (value, implicit)
    tag = memo.get(key)
    if tag is None:
        tag = memo[key] = yaml.resolver.Resolver.resolve(  # type: ignore[no-untyped-call]
            self, kind, value, implicit)
    return tag


@_yaml12
class _Loader(yaml.SafeLoader):
    """The pure-Python reader: the one whose words and places every YAML error is told in."""


_FastLoader: type[Any] | None = None
if hasattr(yaml, "CSafeLoader"):  # PyYAML built with libyaml

    @_yaml12
    class _CLoader(yaml.CSafeLoader):
        """libyaml's reader with the same resolvers: several times faster on big trees."""

    _FastLoader = _CLoader


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
    # The text split as `str.splitlines` does, once: text spans of every string read it.
    lines: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.text.splitlines()))

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
        source = self.lines
        lines: list[tuple[int, Location]] = []
        offset = 0
        last = pos.end_line if pos.end_col > 0 else pos.end_line - 1
        # a block keeps what stands past its indentation (a more-indented line, its extra
        # spaces); a flow scalar's lines are folded without their leading spaces
        block = pos.style in ("|", ">")
        for number in range(start.line, min(last, len(source)) + 1):
            raw = source[number - 1]
            col = (start.col or 1) if number == start.line or block \
                else len(raw) - len(raw.lstrip()) + 1
            content = raw[col - 1:] if block else raw[col - 1:].strip()
            if not content.strip():
                offset += pos.style == "|"  # a literal block keeps its empty lines
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
        lines = document.lines
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
                             f"file is not UTF-8 text (byte {exc.start})", code="not-utf8")
        raise TreeError([problem]) from None
    return parse_document(text, path=path)


def parse_document(text: str, *, path: str) -> Document:
    """Parse YAML (JSON is YAML too) into plain data with positions.

    libyaml reads when PyYAML has it. A text libyaml would read otherwise than the
    pure-Python reader, or finds a syntax error in, is read again by the Python reader, so
    the data, the positions and the words and places of every problem are the same with
    either (the readers word their errors differently).
    """
    with collection_paused():
        return _parse(text, path)


def _parse(text: str, path: str) -> Document:
    if _FastLoader is not None and not _libyaml_differs(text):
        try:
            read = _compose(text, path, _FastLoader)
        except (yaml.YAMLError, RecursionError):
            read = None
        if read is not None:
            return _document(text, path, *read)
    try:
        read = _compose(text, path, _Loader)
    except yaml.MarkedYAMLError as exc:
        raise TreeError([_yaml_problem(exc, path, text)]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        message = f"invalid YAML: unacceptable character #x{exc.character:04x}: " \
                  "special characters are not allowed"
        raise TreeError([Diagnostic(Location(path, line, col), message,
                                    code="yaml-syntax")]) from None
    except yaml.YAMLError as exc:
        raise TreeError([Diagnostic(Location(path), f"invalid YAML: {exc}",
                                    code="yaml-syntax")]) from None
    except RecursionError:
        raise TreeError([_too_deep(Location(path, 1, 1))]) from None
    assert read is not None  # the Python reader is never in doubt
    return _document(text, path, *read)


def _compose(text: str, path: str, loader_class: type[Any]) -> tuple[_Builder, Any] | None:
    """Read a text with one of the readers: the builder that holds the positions and the
    problems of the values, and the plain data; None when libyaml read something the
    Python reader reads otherwise. Raises what the reader raises."""
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is not None and loader_class is _FastLoader and _doubtful(root, text):
            return None
        builder = _Builder(path, loader)
        aliased = root is not None and "*" in text  # without an alias, nothing expands
        past = _value_past(root, _MAX_NODES) if aliased else None
        if past is not None:  # refused before building: an alias bomb costs its text only
            builder.error(past, f"document has more than {_MAX_NODES} values",
                          "aliases that expand this far are not supported", code="yaml-too-large")
            return builder, None
        return builder, (builder.build(root, "") if root is not None else None)
    finally:
        loader.dispose()


def _value_past(root: yaml.Node, limit: int) -> yaml.Node | None:
    """The value after the first `limit` values (in document order, aliases expanded), or
    None when the document holds no more. Each node is counted once, aliases unexpanded."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # sizes in post-order; a node inside itself (a recursive alias) counts 1
        node, done = stack.pop()
        if done:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in _values(node))
        elif id(node) not in sizes:
            sizes[id(node)] = 1
            stack.append((node, True))
            stack.extend((c, False) for c in _values(node) if id(c) not in sizes)
    if sizes[id(root)] <= limit:
        return None
    node, wanted = root, limit + 1  # the wanted-th value of node's subtree, node first
    while wanted > 1:
        wanted -= 1
        for child in _values(node):
            if wanted <= sizes[id(child)]:
                node = child
                break
            wanted -= sizes[id(child)]
    return node


def _values(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [value for _, value in node.value]
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _libyaml_differs(text: str) -> bool:
    """Whether a text holds what libyaml reads otherwise than the pure-Python reader: a tab
    (libyaml takes some where the Python reader refuses them), or a byte-order mark after
    the start (libyaml skips it)."""
    return "\t" in text or "\ufeff" in text[1:]


def _doubtful(root: yaml.Node, text: str) -> bool:
    """Whether libyaml's nodes hold what the Python reader reads otherwise: an empty value
    (placed elsewhere, and a bare `!` read as ""), a `?` or `:` in a plain value inside
    [...] or {...}, or a block scalar header with something glued to it.

    Each node is seen once (twice if an alias also puts it inside [...] or {...}):
    aliases are not expanded, so this costs the size of the text, not of its expansion.
    """
    seen: set[tuple[int, bool]] | None = set() if "*" in text else None  # aliases only
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    lines: list[str] | None = None
    while stack:
        node, flow = stack.pop()
        if seen is not None:
            if (id(node), flow) in seen:
                continue
            seen.add((id(node), flow))
        if node.__class__ is yaml.ScalarNode:
            if node.style in ("|", ">"):
                lines = lines or _BREAKS.split(text)
                line = lines[node.start_mark.line][node.start_mark.column:]
                header = line[min(i for i in (line.find("|"), line.find(">"), len(line))
                                  if i >= 0):]
                if header[1:].lstrip("+-0123456789")[:1] not in ("", " "):
                    return True
            elif not node.style and (not node.value
                                     or (flow and not _FLOW_DOUBT.isdisjoint(node.value))):
                return True
            continue
        inner = flow or bool(getattr(node, "flow_style", False))
        children = (node.value if isinstance(node, yaml.SequenceNode)
                    else [child for pair in node.value for child in pair])
        stack.extend((child, inner) for child in reversed(children))
    return False


def _document(text: str, path: str, builder: _Builder, data: Any) -> Document:
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


def _too_deep(location: Location) -> Diagnostic:
    return Diagnostic(location, "values are nested too deeply", "flatten the document",
                      code="yaml-too-deep")


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
    return Diagnostic(location, f"invalid YAML: {sentence}", yaml_hint(exc, split_lines(text)),
                      code="yaml-syntax")


_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_FLOW_DOUBT = frozenset("?:")  # in a plain value within [...] or {...}: libyaml reads on


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
    """Plain data and positions from the composed nodes, and the problems of the values."""

    def __init__(self, path: str, loader: Any) -> None:
        self.path = path
        self.loader = loader
        self.positions: dict[str, Position] = {}
        self.key_positions: dict[str, Position] = {}
        self.diagnostics: list[Diagnostic] = []
        self.open: set[int] = set()  # the values being built: the path down to this one
        self.too_deep = False

    def _pos(self, node: yaml.Node) -> Position:
        start = node.start_mark
        if not isinstance(node, yaml.ScalarNode):  # the readers end collections apart
            return Position(start.line + 1, start.column + 1)
        end = node.end_mark
        return Position(start.line + 1, start.column + 1, node.style or None,  # libyaml: ""
                        end.line + 1, end.column)

    def error(self, node: yaml.Node, message: str, hint: str | None = None, *,
              code: str) -> None:
        pos = self._pos(node)
        self.diagnostics.append(Diagnostic(Location(self.path, pos.line, pos.col), message, hint,
                                           code=code))

    def build(self, node: yaml.Node, pointer: str) -> Any:
        if id(node) in self.open:
            self.error(node, "an alias refers to a value that contains it",
                        "aliases may not be recursive", code="yaml-recursive-alias")
            return None
        if len(self.open) >= _MAX_DEPTH:  # the same limit whichever reader composed it
            if not self.too_deep:
                pos = self._pos(node)
                self.diagnostics.append(_too_deep(Location(self.path, pos.line, pos.col)))
                self.too_deep = True
            return None
        self.open.add(id(node))
        try:
            return self._build(node, pointer)
        finally:
            self.open.discard(id(node))

    def _build(self, node: yaml.Node, pointer: str) -> Any:
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
        value = self._scalar(node)
        return None if value is _INVALID else value

    def _scalar(self, node: yaml.Node) -> Any:
        """A plain scalar's value, or _INVALID with the problem noted."""
        if node.tag == _STR:  # most values: the text itself, as the constructor gives it
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.error(node, f"invalid value: {getattr(exc, 'problem', exc)}",
                       code="yaml-invalid-value")
        except (ValueError, KeyError, IndexError):  # IndexError: `!!int ""`
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.error(node, f"invalid value: {quote_value(node.value)} is not a valid {tag}",
                       code="yaml-invalid-value")
        return _INVALID

    def _bad_tag(self, node: yaml.Node) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.error(node, f"tag '{tag}' is not allowed: files hold plain data only",
                    "remove the tag", code="yaml-tag")
        return None

    def _mapping(self, node: yaml.MappingNode, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.error(key_node, "merge keys ('<<') are not supported", "write the keys out",
                           code="yaml-merge-key")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self.error(key_node, "mapping keys must be plain words", code="yaml-key-not-plain")
                continue
            value = self._scalar(key_node)
            if value is _INVALID:
                continue
            key = str(value)
            child = f"{pointer}/{escape_pointer(key)}"
            if key in result:
                first = self.key_positions[child]
                self.error(key_node, f"duplicate key '{key}'",
                            f"first defined at line {first.line}", code="duplicate-key")
                continue
            self.key_positions[child] = self._pos(key_node)
            result[key] = self.build(value_node, child)
        return result
