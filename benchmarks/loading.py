"""Load time of generated trees, chains and balanced binary trees, by size.

Each load reads a YAML file written beforehand (a new file, with a new first line, for
every load, so no cache of any kind can answer it) with `load_tree`: reading, schema and
graph checks and compiling. A size whose first load takes longer than the budget is
reported from that one load, and larger sizes of its kind are skipped, as is a size whose
load would exceed the budget by the time of the size below it (at least 10x that).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from gatetree import load_tree

from .generated import balanced_tree, chain_tree
from .measure import Settings
from .report import NA, Table, duration, ratio
from .section import Outcome, Target

__all__ = ["loading"]

@dataclass(frozen=True, slots=True)
class _Shape:
    name: str
    nodes: Callable[[int], int]  # the node count generated for a nominal size
    text: Callable[[int, str], str]


SHAPES = (
    _Shape("chain", lambda size: size - 1, chain_tree),
    _Shape("balanced", lambda size: size - 1, balanced_tree),
)


class _Files:
    """Fresh tree files in a temporary folder, written before they are timed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.serial: Iterator[int] = count()

    def write(self, shape: _Shape, nodes: int) -> Path:
        number = next(self.serial)
        path = self.folder / f"{shape.name}-{nodes}-{number}.yaml"
        path.write_text(shape.text(nodes, f"load {number}"), encoding="utf-8")
        return path


def _time_loads(files: _Files, shape: _Shape, nodes: int, loads: int) -> float:
    """Seconds per load, over `loads` files written first."""
    paths = [files.write(shape, nodes) for _ in range(loads)]
    start = time.perf_counter()
    for path in paths:
        load_tree(path)
    return (time.perf_counter() - start) / loads


def loading(settings: Settings, *, sizes: tuple[int, ...], budget: float) -> Outcome:
    """Load times of each shape at each size, and the growth per 10x more nodes."""
    rows: list[tuple[str, ...]] = []
    notes = [f"one load = load_tree of a fresh file; rounds: {max(1, settings.rounds // 3)}; "
             f"a size whose load would take over {budget:g} s (--load-budget) is skipped, "
             "one that did is reported from that load"]
    targets = []
    with tempfile.TemporaryDirectory() as folder:
        files = _Files(Path(folder))
        for shape in SHAPES:
            measured, skipped, over = _measure_shape(files, shape, sizes, settings, budget)
            notes += [f"{shape.name}, {shape.nodes(s):,} nodes: one load, which took over the "
                      "budget" for s in over]
            previous: tuple[float, ...] | None = None
            growths: list[tuple[str, float]] = []
            for size in sizes:
                nodes = shape.nodes(size)
                label = f"{shape.name}, {nodes:,} nodes"
                if size in skipped:
                    rows.append((label, "skipped", NA, NA))
                    notes.append(f"skipped {label}: {skipped[size]}")
                    previous = None
                    continue
                times = measured[size]
                growth = NA
                if previous is not None:
                    factor = statistics.median(
                        b / a for a, b in zip(previous, times, strict=False))
                    growth = ratio(factor)
                    growths.append((f"{shape.name}: {shape.nodes(size // 10):,} -> {nodes:,} nodes",
                                    factor))
                per_node = statistics.median(times) / nodes
                rows.append((label, duration(statistics.median(times)), growth,
                             duration(per_node)))
                previous = times
            if growths:
                step, factor = growths[-1]
                targets.append(Target(f"load: 10x more nodes <= 12x the time ({step})",
                                      factor, 12))
            else:
                targets.append(Target(f"load: 10x more nodes <= 12x the time ({shape.name})",
                                      None, 12))
    table = Table("Load time (load_tree of generated YAML)",
                  ("tree", "per load", "x previous size", "per node"), tuple(rows),
                  tuple(notes))
    return Outcome((table,), tuple(targets))


def _measure_shape(files: _Files, shape: _Shape, sizes: tuple[int, ...], settings: Settings,
                   budget: float) -> tuple[dict[int, tuple[float, ...]], dict[int, str],
                                           list[int]]:
    """Per-round seconds per load of each size measured, the sizes skipped (with why), and
    the sizes measured once because that load went over the budget. The first round goes
    from small to large and stops at the budget; the others interleave the sizes it
    reached."""
    _time_loads(files, shape, shape.nodes(sizes[0]), 1)  # imports and caches, untimed
    first: dict[int, float] = {}
    skipped: dict[int, str] = {}
    for size in sizes:
        if skipped or (first and max(first.values()) > budget):
            skipped[size] = "a smaller size was over the budget"
            continue
        if first:
            previous = max(first)
            predicted = first[previous] * max(10.0, size / previous)
            if predicted > budget:
                skipped[size] = (f"a load would take about {duration(predicted)} by the "
                                 f"{shape.nodes(previous):,}-node time, over the budget")
                continue
        first[size] = _time_loads(files, shape, shape.nodes(size), 1)
    timed = [s for s in first if first[s] <= budget]
    over = [s for s in first if first[s] > budget]
    rounds: dict[int, list[float]] = {s: [first[s]] for s in first}
    # Small trees load in milliseconds: several loads make one sample.
    loads = {s: max(1, round(settings.batch_seconds / max(first[s], 1e-6))) for s in timed}
    for round_index in range(1, max(1, settings.rounds // 3)):
        for offset in range(len(timed)):
            size = timed[(round_index + offset) % len(timed)]
            rounds[size].append(_time_loads(files, shape, shape.nodes(size), loads[size]))
    return {s: tuple(v) for s, v in rounds.items()}, skipped, over
