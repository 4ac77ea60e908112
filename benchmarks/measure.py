"""Timing in one process, candidates interleaved, so that ratios hold on a noisy machine.

Each round runs every candidate once (a batch of calls sized beforehand to last about
`batch_seconds`), in an order that rotates from round to round; a ratio between two
candidates is the median of their per-round ratios, so a slow spell of the machine that
hits one round cancels out instead of favouring whichever candidate ran then.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Candidate", "Settings", "Timings", "interleave"]


@dataclass(frozen=True, slots=True)
class Settings:
    """How long to measure: rounds per comparison and the length of one batch."""

    rounds: int
    batch_seconds: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """One thing to time: `run()` does `per_call` units of work (decisions, loads)."""

    name: str
    run: Callable[[], object]
    per_call: int = 1


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds per unit of work of each candidate, one value per round."""

    rounds: Mapping[str, tuple[float, ...]]

    def median(self, name: str) -> float:
        return statistics.median(self.rounds[name])

    def ratio(self, name: str, base: str) -> float:
        """The median over rounds of `name`'s time over `base`'s in the same round."""
        return statistics.median(a / b for a, b in
                                 zip(self.rounds[name], self.rounds[base], strict=True))


def _calls_per_batch(candidate: Candidate, batch_seconds: float) -> int:
    """How many calls make a batch of about `batch_seconds` (the first call warms up)."""
    candidate.run()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            candidate.run()
        took = time.perf_counter() - start
        if took >= batch_seconds / 4 or calls >= 1 << 20:
            return max(1, round(calls * batch_seconds / max(took, 1e-9)))
        calls *= 4


def interleave(candidates: Sequence[Candidate], settings: Settings) -> Timings:
    """Time every candidate in `settings.rounds` interleaved rounds."""
    sizes = [_calls_per_batch(c, settings.batch_seconds) for c in candidates]
    found: dict[str, list[float]] = {c.name: [] for c in candidates}
    count = len(candidates)
    for round_index in range(settings.rounds):
        for offset in range(count):
            i = (round_index + offset) % count
            candidate, calls = candidates[i], sizes[i]
            run = candidate.run
            start = time.perf_counter()
            for _ in range(calls):
                run()
            found[candidate.name].append(
                (time.perf_counter() - start) / (calls * candidate.per_call))
    return Timings({name: tuple(values) for name, values in found.items()})
