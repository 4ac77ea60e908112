"""Command-line start-up: whole `gatetree` processes against a bare `import click` one.

A CLI answers in one process, so its start-up (imports, reading the tree) is what a user
waits for. The bare process is the floor any click program stands on.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

from .measure import Settings
from .report import Table, duration, ratio
from .section import Outcome, Target

__all__ = ["startup"]


def _gatetree() -> list[str]:
    """The installed `gatetree` script next to this interpreter, else the one on PATH."""
    beside = shutil.which("gatetree", path=str(Path(sys.executable).parent))
    found = beside or shutil.which("gatetree")
    if found is None:
        raise RuntimeError("no gatetree command: install the package (pip install -e .)")
    return [found]


def _run_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def startup(settings: Settings) -> Outcome:
    """Median wall time of each command, interleaved, and its ratio to the bare process."""
    gatetree = _gatetree()
    commands = {
        "python -c 'import click' (bare)": [sys.executable, "-c", "import click"],
        "gatetree --version": [*gatetree, "--version"],
        "gatetree --help": [*gatetree, "--help"],
        "gatetree decide retrain-or-tune --example running-example":
            [*gatetree, "decide", "retrain-or-tune", "--example", "running-example"],
    }
    names = list(commands)
    for command in commands.values():
        _run_once(command)  # warm the file cache, and fail early on an error
    found: dict[str, list[float]] = {name: [] for name in names}
    for round_index in range(settings.rounds):
        for offset in range(len(names)):
            name = names[(round_index + offset) % len(names)]
            found[name].append(_run_once(commands[name]))
    bare = names[0]

    def to_bare(name: str) -> float:
        return median([a / b for a, b in zip(found[name], found[bare], strict=True)])

    rows = tuple((name, duration(median(found[name])), ratio(to_bare(name)))
                 for name in names)
    table = Table("CLI start-up (whole processes)", ("command", "median", "x bare"), rows,
                  (f"{settings.rounds} interleaved rounds; output discarded",))
    targets = (
        Target("CLI: gatetree --version <= 1.5x a bare click process",
               to_bare("gatetree --version"), 1.5),
        Target("CLI: gatetree --help <= 1.5x a bare click process",
               to_bare("gatetree --help"), 1.5),
    )
    return Outcome((table,), targets)
