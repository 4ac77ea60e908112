"""Reading a file given by a user: regular files only, and no more than a size limit.

A tree, facts, cases or trace path may name anything: a FIFO (opening it waits for a
writer forever), a character device (`/dev/zero` never ends), a folder. Each is refused
before a byte is read, and a regular file is read only up to `max_file_bytes()`, so no
input file can stop the process or fill its memory. The limit is 32 MiB unless the
environment variable `GATETREE_MAX_FILE_BYTES` says otherwise.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from .errors import Diagnostic, Location, TreeError
from .values import quote_value

__all__ = ["DEFAULT_MAX_FILE_BYTES", "MAX_FILE_BYTES_VARIABLE", "confined", "max_file_bytes",
           "read_file", "read_stream"]

DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_FILE_BYTES_VARIABLE = "GATETREE_MAX_FILE_BYTES"

# Opening a FIFO without a writer would wait; with O_NONBLOCK it returns, and is refused.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
    | getattr(os, "O_BINARY", 0)


def max_file_bytes() -> int:
    """The most bytes an input file may hold: `GATETREE_MAX_FILE_BYTES`, else 32 MiB."""
    raw = os.environ.get(MAX_FILE_BYTES_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MAX_FILE_BYTES
    if not (raw.isascii() and raw.isdigit()) or int(raw) == 0:
        raise TreeError([Diagnostic(Location(MAX_FILE_BYTES_VARIABLE),
                                    "must be a positive whole number of bytes, "
                                    f"got {quote_value(raw)}", code="bad-limit")])
    return int(raw)


def read_file(path: str | Path, *, shown: str | None = None) -> bytes:
    """The bytes of a regular file, at most `max_file_bytes()` of them.

    Anything else (a folder, a FIFO, a device, a path holding a NUL byte, an unreadable
    or too large file) is a TreeError at `shown` (default: the path), raised before a
    byte is read where it can be.
    """
    where = Location(shown or str(path))
    limit = max_file_bytes()
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except ValueError:  # a NUL byte in the path
        raise _error(where, "cannot read file: the path holds a NUL byte",
                     code="file-unreadable") from None
    except OSError as exc:
        raise _error(where, f"cannot read file: {exc.strerror}", code="file-unreadable") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _error(where, f"cannot read file: it is {_kind(mode)}, not a regular file",
                     code="file-not-regular")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as stream:
        return _bounded(stream, where, limit)


def read_stream(stream: BinaryIO, *, shown: str = "<stdin>") -> bytes:
    """The bytes of a stream (standard input), at most `max_file_bytes()` of them."""
    return _bounded(stream, Location(shown), max_file_bytes())


def confined(reference: str, folders: Sequence[Path]) -> Path | None:
    """The file a path written in a file names, read from the first of `folders`, when it
    lies inside one of them (or below); None when it does not.

    An absolute path, one that climbs out with `..`, a link that leads out and a NUL byte
    all give None, decided from the path alone: whether such a file exists is never
    looked at, so a message about it cannot tell.
    """
    if "\0" in reference:
        return None
    path = folders[0] / reference
    try:
        real = path.resolve()
        return path if any(real.is_relative_to(f.resolve()) for f in folders) else None
    except (OSError, RuntimeError, ValueError):  # a link loop, say
        return None


def _bounded(stream: BinaryIO, where: Location, limit: int) -> bytes:
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise _error(where, f"cannot read file: {exc.strerror}", code="file-unreadable") from None
    if len(data) > limit:
        raise _error(where, f"file is larger than {limit} bytes",
                     f"set {MAX_FILE_BYTES_VARIABLE} to read larger files", code="file-too-large")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _error(where: Location, message: str, hint: str | None = None, *, code: str) -> TreeError:
    return TreeError([Diagnostic(where, message, hint, code=code)])
