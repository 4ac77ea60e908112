"""Text to compiled tree, in separate steps: read, format marker, schema, model, checks,
called trees, compile.

A tree comes from a reference (`load_tree`: a file path, a built-in id or `id@version`),
from text (`load_text`: YAML or JSON held in memory) or from data (`load_data`: a dict);
one function per kind of input, so a string is never guessed to be a name or a document.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ._gc import collection_paused
from ._resources import SCHEMA_FILES
from .build import build_spec
from .cache import TreeCache
from .calls import (
    MAX_CALL_DEPTH,
    check_call,
    cycle_error,
    depth_error,
    locate_callee,
    share_declarations,
)
from .checked import read_tree_file, remember
from .checks import check_spec
from .compile import compile_spec
from .errors import Diagnostic, Location, TreeError, VersionMismatch
from .model import Call, TreeSpec
from .registry import resolve, using_trees
from .salvage import salvage, still_meaningful
from .schema import schema_diagnostics
from .source import Document, parse_document
from .text import find_placeholders, placeholder_problems
from .tree import DecisionTree

__all__ = ["TREE_FORMATS", "check", "load_data", "load_text", "load_tree"]

TREE_FORMATS = (1,)
TREE_SCHEMA = SCHEMA_FILES["tree"]


def load_tree(reference: str | Path, *, cache: TreeCache | None = None,
              trees: Sequence[str | Path] = (), expect_version: str | None = None,
              ) -> DecisionTree:
    """A compiled tree from a file path, an id (its newest version) or `id@version`.

    An id is looked up in the folders `trees`, then those of GATETREE_PATH, then among the
    built-in trees (see `registry`); so are the trees it calls. With a `cache`, a file whose
    text (and whose called trees' texts) did not change since the cache compiled it is not
    compiled again. With `expect_version`, a tree of another version is refused
    (VersionMismatch), so an app runs the policy it was written for. Raises TreeNotFound
    for an unknown reference and TreeError with every problem found.
    """
    with collection_paused(), using_trees(trees):
        tree = _tree(_LoadSession(cache=cache).file(resolve(reference)))
    if expect_version is not None and tree.version != expect_version:
        raise VersionMismatch(tree.id, tree.version, expect_version, tree.spec.path)
    return tree


def load_text(text: str, *, origin: str = "<memory>") -> DecisionTree:
    """A compiled tree from YAML or JSON text, such as a tree kept in a database.

    `origin` names the text in messages and in `tree.spec.path`; a call to a tree file
    is looked up beside it (`origin`'s folder, else the working directory), a call to a
    built-in tree by its id. Raises TreeError with every problem found.
    """
    with collection_paused():
        return _tree(_LoadSession().document(parse_document(text, path=origin)))


def load_data(data: Mapping[str, Any], *, origin: str = "<memory>") -> DecisionTree:
    """A compiled tree from a tree document's data, e.g. parsed JSON.

    The data is read as its JSON text (`json.dumps(data, indent=2)`): messages point at
    lines of that text, and `tree.spec.sha256` is its hash. Otherwise as `load_text`.
    """
    try:
        text = json.dumps(dict(data), indent=2, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TreeError([Diagnostic(Location(origin), f"a tree must be JSON data: {exc}",
                                    code="tree-not-json")]
                        ) from None
    return load_text(text, origin=origin)


def check(reference: str | Path) -> list[Diagnostic]:
    """Every error and warning of a tree (a path, a built-in id or `id@version`), sorted by
    place; empty when clean.

    Errors in the trees it calls are included (with their own files); their warnings are not.
    Raises TreeNotFound for an unknown reference.
    """
    with collection_paused():
        _, problems = _LoadSession().file(resolve(reference))
    return sorted(problems, key=lambda d: d.sort_key)


def compile_document(document: Document) -> tuple[DecisionTree | None, list[Diagnostic]]:
    """Run every check on a parsed document; a tree only when no error was found.

    Calls to other trees are resolved relative to the document's path.
    """
    with collection_paused():
        return _LoadSession().document(document)


def _unpickle(text: str, origin: str, callees: Mapping[str, DecisionTree]) -> DecisionTree:
    """A pickled tree, compiled again from its text; its called trees come with it.

    A process keeps the last trees it unpickled, so a worker sent the same tree with every
    task compiles it once (the called trees are themselves unpickled first, so a tree's
    key holds their identity).
    """
    key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), origin,
           tuple((call, id(tree)) for call, tree in sorted(callees.items())))
    with _UNPICKLED_LOCK:
        known = _UNPICKLED.get(key)
    if known is not None:
        return known
    tree = _tree(_LoadSession(given=callees).document(parse_document(text, path=origin)))
    with _UNPICKLED_LOCK:
        while len(_UNPICKLED) >= _UNPICKLED_KEPT:
            del _UNPICKLED[next(iter(_UNPICKLED))]
        _UNPICKLED[key] = tree
    return tree


_UNPICKLED: dict[tuple[str, str, tuple[tuple[str, int], ...]], DecisionTree] = {}
_UNPICKLED_KEPT = 32
_UNPICKLED_LOCK = threading.Lock()


def _tree(loaded: tuple[DecisionTree | None, list[Diagnostic]]) -> DecisionTree:
    tree, problems = loaded
    if tree is None:
        raise TreeError(problems)
    return tree


_Files = tuple[tuple[Path, str], ...]  # the files a tree was made from, with their sha256


class _LoadSession:
    """One load: each file compiled once, and the chain of calls under way, for cycles.

    `given` are compiled trees to use for call nodes, by node id, instead of locating
    their files (a pickled tree brings its called trees along). With a `cache`, every file
    the load reads goes through it, called trees included.
    """

    def __init__(self, *, cache: TreeCache | None = None,
                 given: Mapping[str, DecisionTree] | None = None) -> None:
        self._done: dict[Path, tuple[DecisionTree | None, list[Diagnostic]]] = {}
        self._chain: list[tuple[Path, str]] = []
        self._cache = cache
        self._given = given or {}
        self._files: dict[Path, _Files] = {}  # the files a loaded file's tree was made from
        self._calls: dict[Path, list[Path]] = {}  # the files a loaded file calls

    def file(self, path: Path) -> tuple[DecisionTree | None, list[Diagnostic]]:
        try:
            key = path.resolve()
        except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte: reading says
            key = path
        if key in self._done:
            return self._done[key]
        cached = self._cache.lookup(key) if self._cache is not None else None
        if cached is not None:
            tree, self._files[key] = cached
            self._done[key] = tree, list(tree.warnings)
            return self._done[key]
        try:
            document, checked = read_tree_file(path)
        except TreeError as exc:
            self._done[key] = None, list(exc.diagnostics)
            return self._done[key]
        loaded = self._done[key] = self.document(document, checked=checked)
        if loaded[0] is not None and not checked:
            remember(document)
        files = {key: document.sha256}
        for called in self._calls.get(key, ()):
            files.update(self._files.get(called, ()))
        self._files[key] = tuple(files.items())
        if loaded[0] is not None and self._cache is not None:
            self._cache.store(key, loaded[0], self._files[key])
        return loaded

    def document(self, document: Document, *, checked: bool = False
                 ) -> tuple[DecisionTree | None, list[Diagnostic]]:
        """Every check, and the tree when none found an error. A `checked` document (from
        the cache of trees loaded before without an error) skips the format, schema and
        graph checks, which only find errors; compiling and its warnings always run."""
        if not checked:
            marker = _format_problems(document)
            if marker:
                return None, marker
            schema_problems = schema_diagnostics(document, TREE_SCHEMA)
            if schema_problems:
                return None, [*schema_problems, *self._salvaged(document, schema_problems)]
        spec = build_spec(document)
        problems = [] if checked else check_spec(spec)
        self._chain.append((Path(document.path).resolve(), spec.id))
        try:
            callees = self._callees(spec, Path(document.path).parent, problems)
        finally:
            self._chain.pop()
        shared, share_problems = share_declarations(spec, callees)
        problems.extend(share_problems)
        placeholders = find_placeholders(document)
        problems.extend(placeholder_problems(placeholders, spec.params))
        ok = not any(p.severity == "error" for p in problems)
        tree, expression_problems = compile_spec(
            spec, graph_ok=ok, callees=callees, cited=frozenset(p.name for p in placeholders),
            shared=shared, checked=checked)
        return tree, list(dict.fromkeys([*problems, *expression_problems]))

    def _salvaged(self, document: Document, schema_problems: list[Diagnostic]
                  ) -> list[Diagnostic]:
        """The errors in the parts of a document the schema accepted (see `salvage`)."""
        found = salvage(document, schema_problems)
        if found is None or schema_diagnostics(found[0], TREE_SCHEMA):
            return []
        _, problems = self.document(found[0])
        return [p for p in problems if still_meaningful(p, found[1])]

    def _callees(self, spec: TreeSpec, base: Path,
                 problems: list[Diagnostic]) -> dict[str, DecisionTree]:
        """The compiled tree of every call; problems found on the way go to `problems`."""
        callees: dict[str, DecisionTree] = {}
        for node in spec.nodes.values():
            if not isinstance(node, Call):
                continue
            if node.id in self._given:
                problems.extend(check_call(node, self._given[node.id]))
                callees[node.id] = self._given[node.id]
                continue
            found = locate_callee(node, base)
            if isinstance(found, Diagnostic):
                problems.append(found)
                continue
            chain = [p for p, _ in self._chain]
            if found.resolve() in chain:
                start = chain.index(found.resolve())
                ids = [i for _, i in self._chain[start:]]
                problems.append(cycle_error(node, (*ids, ids[0])))
                continue
            if len(self._chain) >= MAX_CALL_DEPTH:
                problems.append(depth_error(node, tuple(i for _, i in self._chain)))
                continue
            self._calls.setdefault(self._chain[-1][0], []).append(found.resolve())
            callee, callee_problems = self.file(found)
            problems.extend(p for p in callee_problems if p.severity == "error")
            if callee is None:
                problems.append(Diagnostic(node.tree_loc, f"call '{node.id}' names tree "
                                                          f"'{node.tree}', which has errors",
                                           f"see {found}", code="call-tree-broken"))
                continue
            problems.extend(check_call(node, callee))
            callees[node.id] = callee
        return callees


def _format_problems(document: Document) -> list[Diagnostic]:
    data = document.data
    versions = ", ".join(str(v) for v in TREE_FORMATS)
    if not isinstance(data, dict):
        return [Diagnostic(document.locate(""), "a tree file must be a mapping",
                           f"start it with 'gatetree: {TREE_FORMATS[-1]}'",
                           code="tree-not-mapping")]
    if "gatetree" not in data:
        return [Diagnostic(document.locate(""), "missing format marker 'gatetree'",
                           f"add 'gatetree: {TREE_FORMATS[-1]}' as the first line",
                           code="format-marker-missing")]
    marker = data["gatetree"]
    if isinstance(marker, bool) or marker not in TREE_FORMATS:
        return [Diagnostic(document.locate("/gatetree"),
                           f"tree format {marker!r} is not supported",
                           f"this release reads format {versions}", code="format-unsupported")]
    return []
