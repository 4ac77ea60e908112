"""Deciding many records at once: one typed row per record, in input order, errors as values.

A monitoring job decides for every feature each hour, an audit replays a day's log through
a new policy: one bad record must not stop the others. `decide_many` gives a `BatchRow`
for every record, an error row (with the message `decide` raises) for a record that does
not fit the tree, and spreads the work over processes in ordered chunks when asked.
`gatetree batch` and `gatetree.frame` are built on the same rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .batch_pool import ordered_map
from .decision import Decision, Missing, Verdict
from .errors import DiagnosticsError, GatetreeError
from .inputs import check_params
from .model import Scalar

if TYPE_CHECKING:
    from .tree import DecisionTree

__all__ = ["CHUNK_SIZE", "BatchRow", "RowStatus", "Unreadable", "decide_many",
           "decide_record", "error_text", "worker_count"]

RowStatus = Literal["decided", "incomplete", "error"]
CHUNK_SIZE = 500  # records per chunk sent to a worker: big enough to pay for the hand-over


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A record that could not be read as facts (not JSON, not an object, a broken CSV
    row): it becomes an error row saying `message`."""

    message: str


class BatchRow(NamedTuple):
    """The result for one record: decided with an outcome, incomplete naming the fact it
    needs, or an error saying what is wrong with the record.

    `line` is the record's line in its input (its 1-based position for `decide_many`),
    `actions` the texts of the actions collected, `trace` the full Decision when asked for.
    A named tuple: one is made per record, and a frozen dataclass takes several times as
    long to make.
    """

    line: int
    status: RowStatus
    outcome: str | None = None
    path: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    missing: Missing | None = None
    error: str | None = None
    trace: Decision | None = None

    def to_dict(self, *, trace: bool = False) -> dict[str, Any]:
        """The row as JSON data (schemas/batch-row.v1.schema.json); with `trace`, a
        `trace` member too (null for an error row)."""
        data: dict[str, Any] = {
            "line": self.line,
            "status": self.status,
            "outcome": self.outcome,
            "path": list(self.path),
            "actions": list(self.actions),
            "missing": None if self.missing is None else self.missing.to_dict(),
            "error": self.error,
        }
        if trace:
            data["trace"] = None if self.trace is None else self.trace.to_dict()
        return data


def error_text(error: GatetreeError) -> str:
    """What `decide` says about a record, without the place (the row has its line):
    each problem with its hint, joined by "; "."""
    if isinstance(error, DiagnosticsError):
        return "; ".join(d.message + (f" ({d.hint})" if d.hint else "")
                         for d in error.diagnostics)
    return str(error)


def decide_record(tree: DecisionTree, line: int, record: object, *, trace: bool = False,
                  params: Mapping[str, Scalar] | None = None) -> BatchRow:
    """One record's row; never raises for a bad record. `params` are checked already."""
    if type(record) is not dict and not isinstance(record, Mapping):
        if isinstance(record, Unreadable):
            return BatchRow(line, "error", error=record.message)
        return BatchRow(line, "error", error="a record must be a mapping of fact: value, "
                                             f"not {type(record).__name__}")
    try:
        result: Decision | Verdict = tree.decide(record, params=params, trace=trace)
    except GatetreeError as exc:
        return BatchRow(line, "error", error=error_text(exc))
    outcome, actions = result.outcome, result.actions
    return BatchRow(line, result.status, None if outcome is None else outcome.id, result.path,
                    tuple([a.text for a in actions]) if actions else (), result.missing, None,
                    result if isinstance(result, Decision) else None)


@dataclass(frozen=True, slots=True)
class DecideChunk:
    """The work a process does for `decide_many`: the rows of a chunk of numbered records."""

    tree: DecisionTree
    trace: bool
    params: Mapping[str, Scalar]

    def __call__(self, chunk: list[tuple[int, object]]) -> list[BatchRow]:
        return [decide_record(self.tree, line, record, trace=self.trace, params=self.params)
                for line, record in chunk]


def worker_count(workers: int) -> int:
    """`workers` processes, 0 meaning one per CPU; a negative count is a ValueError."""
    if workers < 0:
        raise ValueError(f"workers must be 0 (one per CPU) or more, not {workers}")
    return workers or os.cpu_count() or 1


def chunks(items: Iterable[Any], size: int = CHUNK_SIZE) -> Iterator[list[Any]]:
    """`items` in lists of `size` (the last one shorter), read lazily."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def decide_many(tree: DecisionTree, records: Iterable[object], *, workers: int = 1,
                trace: bool = False, params: Mapping[str, Any] | None = None,
                ) -> Iterator[BatchRow]:
    """A row for every record, in order, read and decided lazily.

    A record that is not a mapping, or whose facts do not fit the tree, gives an error
    row; nothing is raised for it. Bad `params` raise InputError at once, as they would
    fail every record. With `workers` > 1 (0: one per CPU) the records are decided in a
    pool of processes, CHUNK_SIZE at a time, with a few chunks in flight; the rows still
    come in input order. `trace=True` puts each Decision in its row's `trace`.
    """
    checked = check_params(tree.spec, params) if params else {}
    count = worker_count(workers)
    job = DecideChunk(tree, trace, checked)
    numbered = enumerate(records, start=1)
    if count == 1:
        return (decide_record(tree, line, record, trace=trace, params=checked)
                for line, record in numbered)
    return chain.from_iterable(ordered_map(job, chunks(numbered), workers=count))
