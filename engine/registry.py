"""Where a tree named by id is: the tree path, then the built-in trees; and turning a TREE
argument (a path, `id` or `id@version`) into a file.

Every folder of trees, the shipped `trees/` included, has one layout: `<id>.yaml` holds one
version of tree `<id>` (for a tree kept in one file, its only one), and `<id>@<version>.yaml`
holds any other version. A tree is found by its file name, so an id resolves without reading
every tree; the id and version inside a file must be the ones its name gives. `id` resolves
to the newest release (semantic-version order; a pre-release such as `2.0.0-rc1` only when
there is no release, or when named), `id@version` to that version exactly.

The tree path is the folders given with `--trees DIR` (or `using_trees`), then those in the
`GATETREE_PATH` variable (separated like PATH), searched before the built-in trees: a team's
tree of the same id as a built-in one stands in for it, versions and all. One id in two
folders of the path is an error naming both files.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ._resources import data_dir
from .errors import Diagnostic, Location, TreeError, TreeNotFound, UnknownName, did_you_mean
from .source import Document, read_document

__all__ = [
    "TREE_PATH_VARIABLE",
    "BuiltinTree",
    "builtin_trees",
    "example_path",
    "examples_of",
    "find_tree",
    "known_trees",
    "looks_like_path",
    "name_problem",
    "resolve",
    "tree_path",
    "using_trees",
]

TREE_PATH_VARIABLE = "GATETREE_PATH"
_SUFFIX = ".yaml"

_GIVEN: ContextVar[tuple[Path, ...]] = ContextVar("gatetree_trees", default=())


@dataclass(frozen=True, slots=True)
class BuiltinTree:
    """A tree found by id: shipped with gatetree (`builtin`) or in a folder of the path."""

    id: str
    version: str
    title: str
    path: Path
    builtin: bool = True

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


@contextmanager
def using_trees(folders: Iterable[str | Path]) -> Iterator[None]:
    """Within the block, trees are also looked up by id in `folders`, before those of
    GATETREE_PATH and the built-in trees (what `gatetree --trees DIR` does)."""
    token = _GIVEN.set((*(Path(f) for f in folders), *_GIVEN.get()))
    try:
        yield
    finally:
        _GIVEN.reset(token)


def tree_path() -> tuple[Path, ...]:
    """The folders searched by id before the built-in trees, first first. A folder that
    does not exist is an error (a misspelt folder would otherwise hide its trees)."""
    variable = os.environ.get(TREE_PATH_VARIABLE, "")
    folders = (*_GIVEN.get(), *(Path(p) for p in variable.split(os.pathsep) if p))
    missing = [f for f in folders if not f.is_dir()]
    if missing:
        raise TreeError([Diagnostic(
            Location(TREE_PATH_VARIABLE if f not in _GIVEN.get() else f"--trees {f}"),
            f"tree folder '{f}' does not exist", "give folders of tree files",
            code="tree-folder-missing") for f in missing])
    return tuple(dict.fromkeys(folders))


def resolve(reference: str | Path) -> Path:
    """The file a TREE argument names: an existing path, an id, or id@version."""
    if isinstance(reference, Path):
        return reference
    path = Path(reference)
    if looks_like_path(reference) or path.is_file():
        return path
    return find_tree(reference)


def looks_like_path(reference: str) -> bool:
    """Whether a reference is written as a file (a tree suffix or a '/'), not as an id."""
    return Path(reference).suffix in (".yaml", ".yml", ".json") or "/" in reference


def find_tree(reference: str) -> Path:
    """The file of a tree by id (its newest version) or id@version: in the first folder
    of the path that has the id, else among the built-in trees."""
    tree_id, pinned, version = reference.partition("@")
    folder, builtin = _owner(tree_id)
    files = _files_of(folder, tree_id)
    if builtin and not pinned and len(files) == 1:  # shipped files are checked by a test
        return files[0]
    shelved = _checked([_read(path, builtin) for path in files])
    if pinned:
        shelved = [t for t in shelved if t.version == version]
    if not shelved:
        known = {t.ref if pinned else t.id for t in known_trees(all_versions=bool(pinned))}
        raise TreeNotFound(reference, known, on_path=bool(tree_path()))
    return _newest(_by_version(shelved))[0].path


def builtin_trees(*, all_versions: bool = False) -> tuple[BuiltinTree, ...]:
    """The trees shipped with gatetree, by id then version: the newest of each id, or with
    `all_versions` every one. A shipped file that does not read is a located error."""
    every = _builtin_versions()
    return every if all_versions else _newest(every)


def known_trees(*, all_versions: bool = False) -> tuple[BuiltinTree, ...]:
    """Every tree a TREE argument can name by id: the tree path's, then the built-in ones
    whose ids the path does not hold; by id then version."""
    found: dict[str, list[BuiltinTree]] = {}
    held: dict[str, Path] = {}  # id -> the folder of the path that holds it
    for folder in tree_path():
        trees = _folder_trees(folder, builtin=False)
        for tree_id in sorted({t.id for t in trees}):
            if tree_id in held:
                raise _clash(tree_id, _files_of(held[tree_id], tree_id)[0],
                             _files_of(folder, tree_id)[0])
            held[tree_id] = folder
            found[tree_id] = [t for t in trees if t.id == tree_id]
    for tree in _builtin_versions():
        if tree.id not in found or found[tree.id][0].builtin:
            found.setdefault(tree.id, []).append(tree)
    every = tuple(t for tree_id in sorted(found) for t in _by_version(found[tree_id]))
    return every if all_versions else _newest(every)


def name_problem(tree: BuiltinTree, document: Document) -> Diagnostic | None:
    """A tree file whose name says another id or version than the file itself."""
    stem = tree.path.name[: -len(_SUFFIX)]
    named_id, pinned, named_version = stem.partition("@")
    if named_id != tree.id:
        return Diagnostic(document.locate("/id"), f"file '{tree.path.name}' holds tree "
                                                  f"'{tree.id}', not '{named_id}'",
                          f"a tree is found by its file name: name it {tree.id}{_SUFFIX} or "
                          f"{tree.id}@{tree.version}{_SUFFIX}", code="tree-file-name")
    if pinned and named_version != tree.version:
        return Diagnostic(document.locate("/version"),
                          f"file '{tree.path.name}' holds version {tree.version} of "
                          f"'{tree.id}', not {named_version}",
                          f"name it {tree.id}@{tree.version}{_SUFFIX}", code="tree-file-name")
    return None


def _owner(tree_id: str) -> tuple[Path, bool]:
    """The folder that holds `tree_id`: the first on the path with a file of it (another
    folder with one too is a clash), else the built-in trees."""
    holders = [f for f in tree_path() if _files_of(f, tree_id)]
    if len(holders) > 1:
        raise _clash(tree_id, _files_of(holders[0], tree_id)[0],
                     _files_of(holders[1], tree_id)[0])
    return (holders[0], False) if holders else (data_dir("trees"), True)


def _files_of(folder: Path, tree_id: str) -> list[Path]:
    if not tree_id or "/" in tree_id or tree_id.startswith("."):
        return []
    single = folder / f"{tree_id}{_SUFFIX}"
    pinned = folder.glob(f"{glob.escape(tree_id)}@*{_SUFFIX}")
    return [*([single] if single.is_file() else []), *sorted(p for p in pinned if p.is_file())]


def _clash(tree_id: str, first: Path, second: Path) -> TreeError:
    document = read_document(second)
    return TreeError([Diagnostic(document.locate("/id") if isinstance(document.data, dict)
                                 and "id" in document.data else document.locate(""),
                                 f"tree '{tree_id}' is in two folders of the tree path: "
                                 f"{first} and {second}",
                                 "an id names one tree: rename one, or take one folder off "
                                 f"--trees / {TREE_PATH_VARIABLE}", code="tree-id-clash")])


@cache
def _builtin_versions() -> tuple[BuiltinTree, ...]:
    return _folder_trees(data_dir("trees"), builtin=True)


def _folder_trees(folder: Path, *, builtin: bool) -> tuple[BuiltinTree, ...]:
    """Every tree file of a folder (its `*.yaml`, not its subfolders), checked against its
    name; cases files on the path are passed over, anything else that is no tree is an
    error."""
    read: list[tuple[BuiltinTree, Document]] = []
    problems: list[Diagnostic] = []
    for path in sorted(folder.glob(f"*{_SUFFIX}")):
        try:
            document = read_document(path)
        except TreeError as exc:  # a file that cannot be read is reported, never passed over
            problems.extend(exc.diagnostics)
            continue
        data = document.data
        if isinstance(data, dict) and "gatetree-cases" in data and not builtin:
            continue
        if not (isinstance(data, dict) and isinstance(data.get("id"), str)):
            problems.append(_not_a_tree(document))
            continue
        read.append((_shelved(data, path, builtin), document))
    trees = [tree for tree, _ in read]
    problems.extend(p for p in (name_problem(*pair) for pair in read) if p is not None)
    seen: dict[tuple[str, str], Path] = {}
    for tree in trees:
        if (tree.id, tree.version) in seen:
            problems.append(Diagnostic(Location(str(tree.path)), f"version {tree.version} of "
                                       f"'{tree.id}' is in two files: "
                                       f"{seen[tree.id, tree.version]} and {tree.path}",
                                       "keep one file per version", code="tree-version-twice"))
        seen[tree.id, tree.version] = tree.path
    if problems:
        raise TreeError(problems)
    return tuple(_by_version(trees))


def _read(path: Path, builtin: bool) -> tuple[BuiltinTree, Document]:
    document = read_document(path)
    data = document.data
    if not (isinstance(data, dict) and isinstance(data.get("id"), str)):
        raise TreeError([_not_a_tree(document)])
    return _shelved(data, path, builtin), document


def _not_a_tree(document: Document) -> Diagnostic:
    return Diagnostic(document.locate(""), "not a tree file: a tree file is a mapping with "
                                           "an 'id'", f"a folder of trees holds <id>{_SUFFIX} "
                                           f"and <id>@<version>{_SUFFIX} files",
                      code="not-a-tree-file")


def _shelved(data: dict[str, object], path: Path, builtin: bool) -> BuiltinTree:
    return BuiltinTree(str(data["id"]), str(data.get("version", "0.0.0")),
                       str(data.get("title", "")), path, builtin)


def _checked(read: Sequence[tuple[BuiltinTree, Document]]) -> list[BuiltinTree]:
    """The trees read, when each file's name agrees with its id and version."""
    problems = [p for p in (name_problem(*pair) for pair in read) if p is not None]
    if problems:
        raise TreeError(problems)
    return [tree for tree, _ in read]


def _by_version(trees: Iterable[BuiltinTree]) -> list[BuiltinTree]:
    return sorted(trees, key=lambda t: (t.id, _version_key(t.version)))


def _newest(trees: Sequence[BuiltinTree]) -> tuple[BuiltinTree, ...]:
    """The newest version of each id, of trees sorted by id then version: its newest
    release, or its newest pre-release when it has no release."""
    newest: dict[str, BuiltinTree] = {}
    for tree in trees:
        held = newest.get(tree.id)
        if held is None or not _is_release(held.version) or _is_release(tree.version):
            newest[tree.id] = tree
    return tuple(newest.values())


def _is_release(version: str) -> bool:
    return "-" not in version


def _version_key(version: str) -> tuple[tuple[int, ...], int]:
    """Semantic-version order: by number, and a pre-release (`2.0.0-rc1`) before its
    release."""
    core, dash, _ = version.partition("-")
    numbers = tuple(int(part) if part.isdigit() else 0 for part in core.split("."))
    return numbers, 0 if dash else 1


def _examples_folder(tree_id: str) -> Path:
    return _owner(tree_id)[0] / "examples" / tree_id


def examples_of(tree_id: str) -> tuple[str, ...]:
    """Names of the facts files kept for a tree, in `examples/<id>/` of its folder."""
    return tuple(sorted(p.stem for p in _examples_folder(tree_id).glob("*.yaml")))


def example_path(tree_id: str, name: str) -> Path:
    """A shipped facts file; an unknown name lists the ones there are."""
    known = examples_of(tree_id)
    if name not in known:
        hint = did_you_mean(name, known)
        listing = ", ".join(known) or "none"
        raise UnknownName(f"tree '{tree_id}' has no example '{name}'"
                            f"{f' ({hint})' if hint else ''}; examples: {listing}")
    return _examples_folder(tree_id) / f"{name}.yaml"
