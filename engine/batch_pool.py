"""An ordered map over a process pool, with a bounded number of items in flight.

Decisions are pure Python, so threads give no speed-up: the work goes to processes. The
job (a picklable callable holding the tree) is sent once to each worker when it starts,
not with every chunk, and results come back in the order the items were given, so rows
are written in input order. At most `ahead` items are submitted and not yet consumed,
so memory stays bounded however long the input is.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

_JOB: Callable[[Any], Any] | None = None  # in a worker: the job its pool was started with


def _install(job: Callable[[Any], Any]) -> None:
    global _JOB
    _JOB = job
    # Ctrl-C reaches the whole process group: the parent stops the run and writes what is
    # done; a worker interrupted mid-chunk would only break the pool first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(item: Any) -> Any:
    assert _JOB is not None, "the pool's initializer sets the job"
    return _JOB(item)


def _start_method() -> str:
    """Fork where it is safe (a process with one thread: no lock can be held by a thread
    the child lacks), which starts at once and works from any `__main__`; else spawn."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def ordered_map(job: Callable[[T], R], items: Iterable[T], *, workers: int,
                ahead: int | None = None) -> Iterator[R]:
    """`job(item)` for every item, in item order; in this process when `workers` is 1,
    else in a pool of `workers` processes with at most `ahead` (default 3 per worker)
    items in flight.

    A worker that dies raises `concurrent.futures.process.BrokenProcessPool` here; when
    the caller stops early (an interrupt, a broken pipe), items not yet started are
    cancelled and the pool is shut down.
    """
    if workers == 1:
        yield from map(job, items)
        return
    limit = ahead or 3 * workers
    context = multiprocessing.get_context(_start_method())
    pending: deque[Future[R]] = deque()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_install,
                               initargs=(job,))
    try:
        for item in items:
            pending.append(pool.submit(_run, item))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
