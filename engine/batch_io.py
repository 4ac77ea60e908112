"""Records in and rows out for `gatetree batch`: JSON Lines and CSV, one chunk at a time.

The reading that must stay in order (splitting the input into numbered records) runs in
the parent; everything per record (parsing a JSON line, typing CSV cells, deciding,
writing the row's text) is a `BatchJob` run on a chunk, in the parent or in a worker, so
the parent only moves bytes. A chunk comes back as a `Block`: its rows' text and a tally,
never the rows themselves, so nothing per record outlives its chunk.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from .batch import BatchRow, Unreadable, decide_record
from .errors import Diagnostic, InputError, Location
from .inputs import text_to_value
from .model import Fact, Scalar
from .terminal import escape_c1

try:  # the `fast` extra: orjson reads a JSON line in a third of the time the stdlib takes
    from orjson import JSONDecodeError as _FastJSONError
    from orjson import loads as _fast_json
except ImportError:  # the standard library reads every line
    _fast_json = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from .tree import DecisionTree

__all__ = ["CSV_COLUMNS", "FORMATS", "BatchJob", "Block", "Format", "Tally", "csv_header",
           "csv_items", "csv_text", "format_of", "jsonl_items"]

Format = Literal["jsonl", "csv"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv")
_SUFFIXES: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
CSV_COLUMNS = ("line", "status", "outcome", "path", "actions", "missing", "error")
PATH_JOIN, ACTIONS_JOIN = " > ", " | "  # how CSV writes the lists
Tally = Counter[tuple[str, str | None]]  # (status, outcome id or None) -> rows


def format_of(path: str | None, given: str | None, *, option: str) -> Format:
    """The format `option` gives, else the one the path's suffix names; JSON Lines for
    standard input or output. An unknown suffix is an InputError naming the option."""
    if given is not None:
        return "csv" if given == "csv" else "jsonl"
    if path is None or path == "-":
        return "jsonl"
    found = _SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise InputError([Diagnostic(Location(path), "cannot tell the format from the "
                                     "name's suffix (.jsonl, .ndjson or .csv)",
                                     f"give {option} jsonl or csv", code="batch-format")])
    return found


def jsonl_items(stream: IO[bytes], *, after: int = 0) -> Iterator[tuple[int, bytes]]:
    """Each non-blank line of a JSON Lines stream with its line number, from `after` + 1."""
    for number, raw in enumerate(stream, start=1):
        if number > after and not raw.isspace():
            yield number, raw


def csv_text(stream: IO[bytes]) -> io.TextIOWrapper:
    """A CSV byte stream as text for `csv_items`: UTF-8 with or without a byte order mark;
    bytes that are not UTF-8 are kept as escapes, and their row is an error row."""
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")


def csv_items(text: IO[str], *, name: str,
              after: int = 0) -> tuple[tuple[str, ...], Iterator[tuple[int, list[str]]]]:
    """A CSV stream's header (the fact names) and its rows, each with the line it starts
    on, from line `after` + 1; blank lines are skipped. A header naming a column twice is
    an InputError."""
    reader = csv.reader(text, strict=False)
    header = tuple(cell.strip() for cell in next(reader, ()))
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    col = 1
    for cell in header:  # the column of each name again (exact for an unquoted header)
        if cell in seen:
            problems.append(Diagnostic(Location(name, 1, col), f"column '{cell}' appears "
                                       "more than once in the header", code="csv-header"))
        seen.add(cell)
        col += len(cell) + 1
    if problems:
        raise InputError(problems)

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if line > after and cells:
                yield line, cells

    return header, rows()


@dataclass(frozen=True, slots=True)
class Block:
    """A chunk's rows as output text, with what the summary counts.

    `errors` holds the first few error rows' (line, message), for the report on stderr.
    """

    text: str
    rows: int
    last_line: int
    tally: Tally
    errors: tuple[tuple[int, str], ...]


_ERRORS_KEPT = 20
_WRITTEN_KEPT = 4096
_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)  # made once: dumps makes one a call
_JSON_DECODER = json.JSONDecoder()
_JSON_DECODE = _JSON_DECODER.decode
_JSON_SCAN = _JSON_DECODER.scan_once  # type: ignore[attr-defined]  # made by its __init__
# orjson reads an integer past 64 bits as a float: a record with a float that large (or a
# list or object, which could hold one) is the standard library's to read
_INT64 = 2.0 ** 63
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # what surrogateescape made of a byte


@dataclass(frozen=True, slots=True)
class BatchJob:
    """Everything a process needs to turn a chunk of raw records into a Block.

    `header` is the CSV header (empty for JSON Lines); `params` are checked already.
    """

    tree: DecisionTree
    input_format: Format
    output_format: Format
    trace: bool = False
    params: Mapping[str, Scalar] | None = None
    header: tuple[str, ...] = ()
    # A row's JSON after its line number, by the row's fields: records that reach the same
    # result (most do) are written once. Bounded, as error messages and facts vary.
    _written: dict[tuple[Any, ...], str] = field(default_factory=dict, compare=False,
                                                 repr=False)

    def __call__(self, chunk: list[tuple[int, Any]]) -> Block:
        tree, trace, params = self.tree, self.trace, self.params
        read = self._json_record if self.input_format == "jsonl" else self._csv_record
        tally = Tally()
        errors: list[tuple[int, str]] = []
        out: list[str] = []
        write = self._jsonl_text if self.output_format == "jsonl" else self._csv_writer()
        for line, raw in chunk:
            row = decide_record(tree, line, read(raw), trace=trace, params=params)
            tally[row.status, row.outcome] += 1
            if row.error is not None and len(errors) < _ERRORS_KEPT:
                errors.append((line, row.error))
            out.append(write(row))
        return Block("".join(out), len(chunk), chunk[-1][0] if chunk else 0, tally,
                     tuple(errors))

    @staticmethod
    def _json_record(raw: bytes) -> object:
        if _fast_json is not None:
            try:  # an object of plain values it reads is the standard library's; anything
                data = _fast_json(raw)  # else is read again below, for its message
            except _FastJSONError:
                data = None
            if type(data) is dict:
                for value in data.values():
                    kind = value.__class__
                    if (kind is float and not -_INT64 < value < _INT64) or kind is list \
                            or kind is dict:
                        break
                else:
                    return data
        try:  # text first: json.loads would guess the encoding of every line
            text = raw.decode()
        except UnicodeDecodeError:
            return Unreadable("the line is not UTF-8 text")
        if text.startswith("\ufeff"):  # a byte order mark is no part of the record
            text = text[1:]
        try:  # an object alone on its line, scanned at once; anything else read by decode
            data, end = _JSON_SCAN(text, 0)
            if text[0] == "{" and (end == len(text) or text[end:].isspace()):
                return data
        except (StopIteration, ValueError, RecursionError, IndexError):
            pass
        try:
            data = _JSON_DECODE(text)
        except json.JSONDecodeError as exc:
            return Unreadable(f"not JSON: {exc.msg} (column {exc.colno})")
        except (ValueError, RecursionError) as exc:  # an integer of too many digits, nesting
            return Unreadable(f"not JSON that can be read: {exc or 'nested too deeply'}")
        if not isinstance(data, dict):
            return Unreadable("a record must be a JSON object of fact: value, not "
                              f"{_json_kind(data)}")
        return data

    def _csv_record(self, cells: list[str]) -> object:
        header = self.header
        if len(cells) != len(header):
            count = len(cells)
            return Unreadable(f"the row has {count} cell{'s' * (count != 1)} and the "
                              f"header {len(header)}")
        if any(_NOT_UTF8.search(cell) for cell in cells):
            return Unreadable("the row is not UTF-8 text")
        facts: Mapping[str, Fact] = self.tree.spec.facts
        record: dict[str, object] = {}
        for name, cell in zip(header, cells, strict=True):
            if cell and not cell.isspace():  # an empty cell is unknown
                decl = facts.get(name)
                record[name] = cell if decl is None else text_to_value(decl.type, cell)
        return record

    def _jsonl_text(self, row: BatchRow) -> str:
        if self.trace or row.error is not None:
            return escape_c1(_JSON.encode(row.to_dict(trace=self.trace))) + "\n"
        key = row[1:7]  # status, outcome, path, actions, missing, error
        rest = self._written.get(key)
        if rest is None:
            data = row.to_dict()
            del data["line"]  # the first member: the rest follows it
            rest = escape_c1(_JSON.encode(data))[1:]
            if len(self._written) >= _WRITTEN_KEPT:
                self._written.clear()
            self._written[key] = rest
        return f'{{"line": {row.line}, {rest}\n'

    def _csv_writer(self) -> Callable[[BatchRow], str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        trace = self.trace

        def write(row: BatchRow) -> str:
            cells = [str(row.line), row.status, row.outcome or "", PATH_JOIN.join(row.path),
                     ACTIONS_JOIN.join(row.actions),
                     "" if row.missing is None else row.missing.fact, row.error or ""]
            if trace:
                cells.append("" if row.trace is None else _JSON.encode(row.trace.to_dict()))
            writer.writerow(cells)
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return text

        return write


def csv_header(trace: bool) -> str:
    """The first line of CSV output."""
    return ",".join((*CSV_COLUMNS, "trace") if trace else CSV_COLUMNS) + "\n"


def _json_kind(data: object) -> str:
    if isinstance(data, list):
        return "an array"
    if isinstance(data, str):
        return "a string"
    if isinstance(data, bool):
        return "true or false"
    return "null" if data is None else "a number"
