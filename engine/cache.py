"""Compiled trees kept by file and content, for apps that load a tree on every request.

`load_tree(reference, cache=cache)` compiles a file once and again only when its text, or
the text of a tree it calls, has changed: a lookup reads and hashes those files, which
costs far less than compiling them, and an edited file is picked up on the next load.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from .errors import TreeError
from .files import read_file
from .tree import DecisionTree

__all__ = ["TreeCache", "file_sha256"]


class TreeCache:
    """Compiled trees by resolved file path, each with the sha256 of every file it was made
    from (its own and its called trees').

    One entry per file: a changed file's new tree replaces the old one. Safe to share
    between threads; two threads that both miss may both compile, and either tree is kept.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[DecisionTree, tuple[tuple[Path, str], ...]]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def lookup(self, path: Path) -> tuple[DecisionTree, tuple[tuple[Path, str], ...]] | None:
        """The tree compiled from a resolved path and the files it was made from, while none
        of those files has changed; None otherwise."""
        with self._lock:
            entry = self._entries.get(path)
        if entry is None or any(file_sha256(f) != sha for f, sha in entry[1]):
            return None
        return entry

    def store(self, path: Path, tree: DecisionTree,
              files: tuple[tuple[Path, str], ...]) -> None:
        """Keep the tree compiled from a resolved path, made from `files` (path, sha256)."""
        with self._lock:
            self._entries[path] = tree, files


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes (a tree's `spec.sha256` for UTF-8 text); "" when it
    cannot be read, which matches no tree, so the loader reads it again and says why."""
    try:
        return hashlib.sha256(read_file(path)).hexdigest()
    except TreeError:
        return ""
