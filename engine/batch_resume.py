"""Where an interrupted `gatetree batch` output stops, so `--resume` carries on from there.

Rows are written in input order, whole lines at a time, so the last complete row names
the last record done. A kill in the middle of a write can still leave part of a line at
the end: it is cut off (the record is decided again), never read as a row. The rows kept
are tallied too, so a resumed run's summary and exit code count the whole output.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .batch_io import Format, Tally, csv_header
from .errors import Diagnostic, InputError, Location

__all__ = ["Done", "scan_output"]

_STATUSES = frozenset({"decided", "incomplete", "error"})


@dataclass(frozen=True, slots=True)
class Done:
    """What an output holds already: its rows up to `size` bytes, the last ending at input
    line `last_line` (0 for none), and their tally (no header means `size` 0)."""

    size: int = 0
    rows: int = 0
    last_line: int = 0
    tally: Tally = field(default_factory=Tally)


def scan_output(path: Path, output_format: Format, *, trace: bool) -> Done:
    """The rows a former run left in `path` (none when it does not exist or is empty).

    Raises InputError when the file is not such an output: a line that is no row, or (for
    CSV) another header.
    """
    try:
        data = path.open("rb")
    except FileNotFoundError:
        return Done()
    except OSError as exc:
        raise InputError([Diagnostic(Location(str(path)), "cannot read the output to "
                                     f"resume: {exc.strerror or exc}",
                                     code="file-unreadable")]) from None
    with data:
        records = _records(data, quoted=output_format == "csv")
        header = csv_header(trace).encode() if output_format == "csv" else None
        size, rows, last, tally = 0, 0, 0, Tally()
        for number, end, raw in records:
            if header is not None and number == 1:
                if raw != header:
                    raise _not_output(path, number, "its header is not "
                                      f"{header.decode().strip()}")
                size = end
                continue
            line, status, outcome = _row(raw, output_format, path, number)
            if line <= last:
                raise _not_output(path, number, f"its rows are not in input order (line "
                                  f"{line} after line {last})")
            size, rows, last = end, rows + 1, line
            tally[status, outcome] += 1
    return Done(size, rows, last, tally)


def _records(stream: io.BufferedReader, *, quoted: bool) -> Iterator[tuple[int, int, bytes]]:
    """Each complete record (a line, or for CSV the lines a quoted cell spans) with the
    number of the line it starts on and the offset where it ends; a torn tail is left out."""
    offset, number, start = 0, 0, 0
    parts: list[bytes] = []
    for raw in stream:
        number += 1
        offset += len(raw)
        if not raw.endswith(b"\n"):
            return  # torn: the write that held it did not finish
        if not parts:
            start = number
        parts.append(raw)
        record = b"".join(parts)
        if quoted and record.count(b'"') % 2:
            continue  # inside a quoted cell
        parts = []
        yield start, offset, record


def _row(raw: bytes, output_format: Format, path: Path,
         number: int) -> tuple[int, str, str | None]:
    try:
        if output_format == "csv":
            cells = next(csv.reader(io.StringIO(raw.decode())))
            line, status, outcome = int(cells[0]), cells[1], cells[2] or None
        else:
            data = json.loads(raw)
            line, status, outcome = data["line"], data["status"], data["outcome"]
    except (ValueError, LookupError, TypeError, StopIteration):
        raise _not_output(path, number, "it is not a row of `gatetree batch`") from None
    if not isinstance(line, int) or status not in _STATUSES:
        raise _not_output(path, number, "it is not a row of `gatetree batch`")
    return line, status, outcome


def _not_output(path: Path, number: int, what: str) -> InputError:
    return InputError([Diagnostic(Location(str(path), number), f"cannot resume into this "
                                  f"file: {what}", "give another OUTPUT, or leave out "
                                  "--resume to write it anew", code="resume-mismatch")])
