"""`gatetree batch`: records per second for 1, 2 and N workers, JSON Lines and CSV, with and
without `--trace`, against `decide(trace=False)` in one process on the same records.

The batch runs are whole commands (reading, parsing, deciding, writing a file, the summary)
run in this process through click, so a worker pool's start is counted as well; only the
command's own start-up (imports) is not, which `cli` measures. Each round runs every
candidate once, in a rotating order, and a ratio is the median of the per-round ratios.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from gatetree import load_tree
from gatetree.cli_entry import main

from .measure import Settings
from .report import Table, ratio
from .section import Outcome, Target
from .workloads import outcome_mix

__all__ = ["batch"]

TREE = "retrain-or-tune"
RECORDS = {True: 2_000, False: 40_000}  # quick run, full run
MAX_ROUNDS = 5  # a round runs every configuration over every record: seconds, not ms


def _write_inputs(folder: Path, records: Sequence[Mapping[str, Any]]) -> dict[str, Path]:
    names = sorted({name for record in records for name in record})
    jsonl, table = folder / "records.jsonl", folder / "records.csv"
    with jsonl.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    with table.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        for record in records:
            writer.writerow([_cell(record.get(name)) for name in names])
    return {"jsonl": jsonl, "csv": table}


def _cell(value: object) -> str:
    if value is None:
        return ""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _command(args: list[str]) -> Callable[[], object]:
    def run() -> object:
        with contextlib.redirect_stderr(io.StringIO()):  # the summary: not for the table
            return main(["batch", *args], prog_name="gatetree", standalone_mode=False)

    return run


def batch(settings: Settings, *, quick: bool) -> Outcome:
    """Rates and ratios of each configuration; the issue's two batch targets."""
    tree = load_tree(TREE)
    mix = outcome_mix(TREE, tuple(o.id for o in tree.outcomes))
    count = RECORDS[quick]
    records = [mix[i % len(mix)] for i in range(count)]
    cpus = os.cpu_count() or 1
    workers = [1, 2] + ([cpus] if cpus > 2 else [])
    with tempfile.TemporaryDirectory(prefix="gatetree-batch-bench-") as folder:
        inputs = _write_inputs(Path(folder), records)
        output = str(Path(folder) / "rows")

        def decide_all() -> None:
            for record in records:
                tree.decide(record, trace=False)

        candidates: dict[str, Callable[[], object]] = {
            "decide(trace=False), in process": decide_all}
        for fmt in ("jsonl", "csv"):
            for trace in (False, True):
                for n in workers:
                    label = f"batch {fmt}{' --trace' if trace else ''}, {n} worker" + \
                        "s" * (n != 1)
                    candidates[label] = _command(
                        [TREE, str(inputs[fmt]), "-o", f"{output}.{fmt}", "--workers", str(n),
                         *(["--trace"] if trace else [])])
        for run in candidates.values():
            run()  # warm up: the tree's checked cache, the file cache
        rounds = min(settings.rounds, MAX_ROUNDS)
        found: dict[str, list[float]] = {name: [] for name in candidates}
        names = list(candidates)
        for round_index in range(rounds):
            for offset in range(len(names)):
                name = names[(round_index + offset) % len(names)]
                start = time.perf_counter()
                candidates[name]()
                found[name].append((time.perf_counter() - start) / count)
    base = names[0]

    def rate(name: str) -> float:
        return 1 / statistics.median(found[name])

    def per_round(name: str, other: str) -> float:  # how many times faster than `other`
        return statistics.median(b / a for a, b in zip(found[name], found[other], strict=True))

    rows = []
    for name in names:
        one = name.replace(name.rsplit(", ", 1)[1], "1 worker") if name != base else None
        rows.append((name, f"{rate(name):,.0f}", ratio(per_round(name, base)),
                     ratio(per_round(name, one)) if one and one != name else ""))
    notes = (f"{count:,} records of {TREE} (a mix reaching every outcome), {rounds} "
             "interleaved rounds; each batch run is a whole command writing a file, "
             "the pool's start included",
             f"this machine has {cpus} CPUs" + ("; N workers = 2 here, so no N row"
                                                if cpus <= 2 else f"; N = {cpus}"))
    table = Table(f"Batch decisions: {TREE}", ("candidate", "records/s", "x decide rate",
                                                "x 1 worker"), tuple(rows), notes)
    targets = (
        Target("batch: 1 worker >= 0.5x the in-process decide(trace=False) rate (JSONL)",
               per_round("batch jsonl, 1 worker", base), 0.5, at_least=True),
        Target("batch: 2 workers >= 1.6x 1 worker (JSONL; on an idle machine)",
               per_round("batch jsonl, 2 workers", "batch jsonl, 1 worker"), 1.6,
               at_least=True),
    )
    return Outcome((table,), targets)
