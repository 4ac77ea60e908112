"""`gatetree fmt`: one layout for tree and cases files, with their comments kept.

Files are rewritten with ruamel.yaml's round-trip mode, the one well-kept Python YAML
library that keeps comments, anchors, quoting and block-scalar folds as written: keys in
the order the README's tree-format and test-cases sections document, mappings indented
by 2, list dashes by 2 under their key. A quoted value stays quoted (cites quote their
source); ruamel quotes a value that YAML would read as something else. Lines are never
re-wrapped. A comment stays with the key or item it stands above (or beside).

The engine never reads a file through ruamel: `engine/source.py` stays the reader. Each
rewrite is read back with it, and refused unless it holds the same data as the original.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Diagnostic, DiagnosticsError, Location
from .files import read_file
from .source import parse_bytes, parse_document

__all__ = ["CASES_ORDER", "TREE_ORDER", "Formatted", "format_file", "format_text"]

_REFERENCE = ("title", "url", "note")
_BRANCH = ("when", "if", "label", "looks_like", "note", "actions", "next", "cites")
_NODE = {
    "gate": ("kind", "title", "question", "help", "notes", "fact", "cites", "branches",
             "default"),
    "checklist": ("kind", "title", "question", "help", "notes", "groups", "items",
                  "unanswered", "quorum", "cites", "branches", "default"),
    "call": ("kind", "title", "question", "help", "notes", "tree", "cites", "branches",
             "default"),
    "outcome": ("kind", "title", "action", "why", "next_steps", "references", "notes",
                "cites"),
}
TREE_ORDER = ("gatetree", "id", "version", "title", "description", "notes", "source", "start",
              "lint", "params", "facts", "nodes")
CASES_ORDER = ("gatetree-cases", "tree", "cases")
_PARAM = ("type", "default", "title", "help")
_FACT = ("type", "values", "unit", "default", "question", "help", "derive")
_GROUP = ("title", "label", "help")
_ITEM = ("fact", "group", "weight", "label")
_CASE = ("name", "source", "facts_file", "facts", "params", "expect")
_EXPECT = ("status", "outcome", "path", "actions", "missing", "reachable_outcomes")


@dataclass(frozen=True, slots=True)
class Formatted:
    """A file's text as written and in the canonical layout (equal when nothing changes)."""

    path: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def format_file(path: str | Path) -> Formatted:
    """The canonical layout of a tree or cases file. Raises DiagnosticsError (located) for a
    file that does not read, is neither, or would not keep its data."""
    raw = read_file(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        parse_bytes(raw, path=str(path))  # raises the reader's located error
        raise
    return Formatted(str(path), text, format_text(text, path=str(path)))


def format_text(text: str, *, path: str = "<memory>") -> str:
    """`text` in the canonical layout; a tree (`gatetree:`) or cases file (`gatetree-cases:`)."""
    original = parse_document(text, path=path)  # the engine's reader: errors located as ever
    data = original.data
    if not isinstance(data, dict) or not ({"gatetree", "gatetree-cases"} & set(data)):
        raise DiagnosticsError([Diagnostic(Location(path, 1, 1), "not a tree or cases file",
                                           "fmt formats files starting 'gatetree: 1' or "
                                           "'gatetree-cases: 1'", code="not-tree-or-cases")])
    try:
        from ruamel.yaml import YAML
    except ImportError:
        raise DiagnosticsError([Diagnostic(Location(path), "formatting needs ruamel.yaml, "
                                           "which is not installed",
                                           "pip install 'gatetree[fmt]'",
                                           code="missing-extra")]) from None

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap a line
    yaml.indent(mapping=2, sequence=4, offset=2)
    root = yaml.load(text)
    _Comments(root).reorder(lambda: _order(root))
    out = io.StringIO()
    yaml.dump(root, out)
    result = out.getvalue()
    if parse_document(result, path=path).data != data:
        raise DiagnosticsError([Diagnostic(Location(path, 1, 1), "formatting would change "
                                           "what this file says; it was left as it is",
                                           "please report this with the file",
                                           code="fmt-changes-data")])
    return result


def _order(root: Any, *, reverse: bool = False) -> None:
    """Every mapping of a tree or cases file in its key order (`reverse`: backwards, which
    scrambles a file for a test)."""

    def _sort(mapping: Any, order: tuple[str, ...]) -> None:
        _sort_keys(mapping, order[::-1] if reverse else order)

    if "gatetree-cases" in root:
        _sort(root, CASES_ORDER)
        for case in _items(root.get("cases")):
            _sort(case, _CASE)
            _sort(case.get("expect"), _EXPECT)
        return
    _sort(root, TREE_ORDER)
    _sort(root.get("source"), _REFERENCE)
    for param in _values(root.get("params")):
        _sort(param, _PARAM)
    for fact in _values(root.get("facts")):
        _sort(fact, _FACT)
    for node in _values(root.get("nodes")):
        if not isinstance(node, dict):
            continue
        _sort(node, _NODE.get(str(node.get("kind")), ()))
        for branch in [*_items(node.get("branches")), node.get("default")]:
            _sort(branch, _BRANCH)
        for group in _values(node.get("groups")):
            _sort(group, _GROUP)
        for item in _items(node.get("items")):
            _sort(item, _ITEM)
        for reference in _items(node.get("references")):
            _sort(reference, _REFERENCE)


def _values(mapping: Any) -> list[Any]:
    return list(mapping.values()) if isinstance(mapping, Mapping) else []


def _items(sequence: Any) -> list[Any]:
    return list(sequence) if isinstance(sequence, list) else []


def _sort_keys(mapping: Any, order: tuple[str, ...]) -> None:
    """Known keys in `order`, then the others as they stood."""
    if not isinstance(mapping, dict):
        return
    commented: Any = mapping  # a ruamel CommentedMap, an ordered dict
    keys = list(commented)
    rank = {key: i for i, key in enumerate(order)}
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(order)), keys.index(k)))
    if wanted != keys:
        for key in wanted:
            commented.move_to_end(key)


class _Comments:
    """Moves comments with the entries they stand above while mappings are reordered.

    ruamel keeps a comment line in the token after the entry that comes before it in the
    file (a key's value, a list item, or, for the first entry of a nested block, the
    block itself). Before reordering, each comment line is taken off and tied to the entry
    it stands above; afterwards it is put back before that entry, wherever it now stands.
    A comment on the line of an entry stays with it; comments at the top of the file stay
    at the top, and those after the last entry at the end.
    """

    def __init__(self, root: Any) -> None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        self.root = root
        self.kinds = (CommentedMap, CommentedSeq)

    def reorder(self, change: Callable[[], None]) -> None:
        above: dict[tuple[int, Any], list[str]] = {}
        pending: list[str] = []
        for container, key in self._entries():
            if pending:
                above[(id(container), key)] = pending
            pending = self._take_after(container, key) + self._take_first(container, key)
        change()
        last: tuple[Any, Any] | None = None
        for container, key in self._entries():
            lines = above.get((id(container), key))
            if lines:  # ruamel writes an entry's slot 1 on the lines above it
                entry = container.ca.items.setdefault(key, [None, None, None, None])
                entry[1] = [_token(line) for line in lines]
            last = (container, key)
        if pending and last is not None:
            self._put_after(*last, pending)

    def _entries(self) -> Iterator[tuple[Any, Any]]:
        """Every (container, key or index) in file order; an aliased block once. Notes in
        `self.blocks` the entries whose value is written out as a block scalar there (its
        first use: the others are aliases, `*name`, written on the key's line)."""
        seen: set[int] = set()
        self.blocks: set[tuple[int, Any]] = set()

        def walk(node: Any) -> Iterator[tuple[Any, Any]]:
            if not isinstance(node, self.kinds) or id(node) in seen or node.fa.flow_style():
                return  # a flow collection ({...}, [...]) holds no comments: one entry
            seen.add(id(node))
            for key in (list(node) if isinstance(node, dict) else range(len(node))):
                value = node[key]
                if _block_scalar(value) and id(value) not in seen:
                    seen.add(id(value))
                    self.blocks.add((id(node), key))
                yield node, key
                yield from walk(value)

        return walk(self.root)

    @staticmethod
    def _slot(container: Any) -> int:
        return 2 if isinstance(container, dict) else 0

    def _take_after(self, container: Any, key: Any) -> list[str]:
        """The comment lines after an entry's own line, taken off its token."""
        entry = container.ca.items.get(key)
        slot = self._slot(container)
        if not entry or entry[slot] is None:
            return []
        token = entry[slot]
        if (id(container), key) in self.blocks:  # its text ends its line: all lines follow
            entry[slot] = None
            return token.value.splitlines(keepends=True)  # type: ignore[no-any-return]
        own, _, rest = token.value.partition("\n")
        if own.strip():
            token.value = own + "\n"
        else:
            entry[slot] = None
        return [f"{line}\n" for line in rest.split("\n")[:-1]]

    def _take_first(self, container: Any, key: Any) -> list[str]:
        """The comment lines above the first entry of the block under an entry, taken off."""
        value = container[key]
        if not isinstance(value, self.kinds) or not value.ca.comment:
            return []
        tokens = value.ca.comment[1] or []
        value.ca.comment[1] = []
        entry = container.ca.items.get(key)
        if entry and len(entry) > 3:
            entry[3] = None  # the same tokens, held by the parent too
        return [" " * token.start_mark.column + line for token in tokens
                for line in token.value.splitlines(keepends=True)]

    def _put_after(self, container: Any, key: Any, lines: list[str]) -> None:
        value = container[key]
        if isinstance(value, self.kinds) and len(value) and not value.fa.flow_style():
            last = len(value) - 1 if isinstance(value, list) else list(value)[-1]
            self._put_after(value, last, lines)  # after the block under it
            return
        slot = self._slot(container)
        entry = container.ca.items.setdefault(key, [None, None, None, None])
        text = "".join(lines)
        if entry[slot] is None:
            entry[slot] = _token(text if (id(container), key) in self.blocks else "\n" + text)
        else:
            entry[slot].value += text


def _block_scalar(value: Any) -> bool:
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    return isinstance(value, (FoldedScalarString, LiteralScalarString))


def _token(text: str) -> Any:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    return CommentToken(text, CommentMark(0), None)
