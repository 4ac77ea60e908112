"""Built-in trees, and turning a TREE argument (path, id or id@version) into a file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ._resources import data_dir
from .errors import TreeError, TreeNotFound, UnknownName, did_you_mean
from .source import read_document

__all__ = [
    "BuiltinTree",
    "builtin_trees",
    "example_path",
    "examples_of",
    "find_builtin",
    "looks_like_path",
    "resolve",
]


@dataclass(frozen=True, slots=True)
class BuiltinTree:
    id: str
    version: str
    title: str
    path: Path

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


@cache
def builtin_trees() -> tuple[BuiltinTree, ...]:
    """The trees shipped with gatetree, by id then version."""
    found = []
    for path in sorted(data_dir("trees").glob("*.yaml")):
        try:
            data = read_document(path).data
        except TreeError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            found.append(BuiltinTree(data["id"], str(data.get("version", "0.0.0")),
                                     str(data.get("title", "")), path))
    return tuple(sorted(found, key=lambda t: (t.id, _version_key(t.version))))


def resolve(reference: str | Path) -> Path:
    """The file a TREE argument names: an existing path, a built-in id, or id@version."""
    if isinstance(reference, Path):
        return reference
    path = Path(reference)
    if looks_like_path(reference) or path.is_file():
        return path
    return find_builtin(reference)


def looks_like_path(reference: str) -> bool:
    """Whether a reference is written as a file (a tree suffix or a '/'), not as an id."""
    return Path(reference).suffix in (".yaml", ".yml", ".json") or "/" in reference


def find_builtin(reference: str) -> Path:
    """The file of a built-in tree by id (its newest version) or id@version.

    A built-in tree's newest version lives in `trees/<id>.yaml` (a test holds every
    built-in to that), so an id alone is found without reading the other trees.
    """
    tree_id, _, version = reference.partition("@")
    newest = data_dir("trees") / f"{tree_id}.yaml"
    if not version and "@" not in reference and newest.is_file():
        return newest
    candidates = [t for t in builtin_trees() if t.id == tree_id]
    if version:
        candidates = [t for t in candidates if t.version == version]
    if not candidates:
        raise TreeNotFound(reference, {t.ref if version else t.id for t in builtin_trees()})
    return candidates[-1].path


def _version_key(version: str) -> tuple[int, ...]:
    core = version.split("-", 1)[0]
    return tuple(int(part) if part.isdigit() else 0 for part in core.split("."))


def examples_of(tree_id: str) -> tuple[str, ...]:
    """Names of the facts files shipped for a built-in tree."""
    folder = data_dir("trees") / "examples" / tree_id
    return tuple(sorted(p.stem for p in folder.glob("*.yaml")))


def example_path(tree_id: str, name: str) -> Path:
    """A shipped facts file; an unknown name lists the ones there are."""
    known = examples_of(tree_id)
    if name not in known:
        hint = did_you_mean(name, known)
        listing = ", ".join(known) or "none"
        raise UnknownName(f"tree '{tree_id}' has no example '{name}'"
                            f"{f' ({hint})' if hint else ''}; examples: {listing}")
    return data_dir("trees") / "examples" / tree_id / f"{name}.yaml"
