"""Tree files checked before, kept on disk, so a command on an unchanged file skips the
reading and the checks: `gatetree decide` on the same tree starts in a fraction of the time.

An entry is a tree file's plain data and positions, stored (as JSON) only after the whole
file loaded without an error, keyed by the sha256 of its bytes, and trusted only by the
same gatetree: its version and a stamp of the installed code are part of the key and
of the entry. A missing, unreadable or corrupt entry is ignored, and written again after
the file is loaded and checked anew; writes are atomic (a new file renamed into place),
and a cache that cannot be written is no error. Compiling still happens on every load:
expressions, calls and warnings come out as from a fresh load.

The `gatetree` command turns it on (`enable`); apps that embed gatetree get it only if
they ask. It lives in `$XDG_CACHE_HOME/gatetree` (else `~/.cache/gatetree`);
`GATETREE_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._version import __version__
from .files import read_file
from .source import Document, Position, parse_bytes, read_document

__all__ = ["cache_dir", "enable", "read_tree_file", "remember"]

_enabled = False


def enable() -> None:
    """Keep checked trees on disk from now on, in this process (the command line does)."""
    global _enabled
    _enabled = True


def cache_dir() -> Path | None:
    """Where checked trees are kept; None when the cache is off."""
    if not _enabled or os.environ.get("GATETREE_NO_CACHE", "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gatetree" / "checked"


def read_tree_file(path: Path) -> tuple[Document, bool]:
    """A tree file's document, and whether it was checked before (read from the cache).

    Raises TreeError as `read_document` does for a file that cannot be read or parsed.
    """
    directory = cache_dir()
    if directory is None:
        return read_document(path), False
    raw = read_file(path)  # a regular file within the size limit, or a located error
    sha256 = hashlib.sha256(raw).hexdigest()
    known = _lookup(_entry_path(directory, sha256), sha256, raw, str(path))
    if known is not None:
        return known, True
    return parse_bytes(raw, path=str(path)), False


def remember(document: Document) -> None:
    """Keep a document whose tree loaded without an error; never raises."""
    directory = cache_dir()
    if directory is None:
        return
    entry = {"gatetree": __version__, "code": _code_stamp(), "sha256": document.sha256,
             "data": document.data, "positions": _plain(document.positions),
             "key_positions": _plain(document.key_positions)}
    target = _entry_path(directory, document.sha256)
    temporary: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entry, out, ensure_ascii=False, allow_nan=False)
        os.replace(temporary, target)
    except (OSError, ValueError, TypeError):
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _entry_path(directory: Path, sha256: str) -> Path:
    return directory / f"{__version__}-{_code_stamp()[:16]}" / f"{sha256}.json"


def _lookup(entry_path: Path, sha256: str, raw: bytes, path: str) -> Document | None:
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        if (entry["gatetree"], entry["code"], entry["sha256"]) != (
                __version__, _code_stamp(), sha256):
            return None
        return Document(path=path, text=raw.decode("utf-8"), data=entry["data"],
                        positions=_positions(entry["positions"]),
                        key_positions=_positions(entry["key_positions"]), sha256=sha256)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no entry, or a corrupt one: read the file, and write it again


def _plain(positions: Any) -> dict[str, list[Any]]:
    return {pointer: [p.line, p.col, p.style, p.end_line, p.end_col]
            for pointer, p in positions.items()}


def _positions(stored: dict[str, list[Any]]) -> MappingProxyType[str, Position]:
    table = {}
    for pointer, (line, col, style, end_line, end_col) in stored.items():
        if not all(isinstance(n, int) for n in (line, col, end_line, end_col)) or \
                style not in (None, "'", '"', "|", ">") or not isinstance(pointer, str):
            raise ValueError("not a position")
        table[pointer] = Position(line, col, style, end_line, end_col)
    return MappingProxyType(table)


@cache
def _code_stamp() -> str:
    """The installed gatetree code and schemas, by name, size and time: an edited checkout
    (same version, other checks) never reads an entry an older code wrote."""
    package = Path(__file__).resolve().parent
    from ._resources import data_dir

    files = sorted([*package.glob("*.py"), *data_dir("schemas").glob("*.json")])
    stamp = hashlib.sha256()
    for file in files:
        info = file.stat()
        stamp.update(f"{file.name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return stamp.hexdigest()
