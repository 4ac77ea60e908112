"""python -m benchmarks [--quick] [--only SECTION ...]: tables of medians and ratios."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence

from . import batch, decisions, loading, machine, startup
from .measure import Settings
from .report import render
from .section import Outcome, Target, targets_table

FULL = Settings(rounds=15, batch_seconds=0.05)
QUICK = Settings(rounds=3, batch_seconds=0.005)
SIZES = (10, 100, 1_000, 10_000)


def _sections(args: argparse.Namespace) -> dict[str, Callable[[Settings], Outcome]]:
    sizes = SIZES[:3] if args.quick else SIZES
    return {
        "retrain-or-tune": decisions.retrain_or_tune,
        "tune-or-rebuild": decisions.tune_or_rebuild,
        "ai-workflow-triage": decisions.ai_workflow_triage,
        "load": lambda s: loading.loading(s, sizes=sizes, budget=args.load_budget),
        "cli": startup.startup,
        "batch": lambda s: batch.batch(s, quick=args.quick),
    }


SECTION_NAMES = ("retrain-or-tune", "tune-or-rebuild", "ai-workflow-triage", "load", "cli",
                 "batch")


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="How fast gatetree decides, loads and starts, against hand-written "
                    "code, zen-engine and a bare click process. Prints tables; asserts "
                    "nothing.")
    parser.add_argument("--quick", action="store_true",
                        help="a fast smoke run: 3 rounds of short batches, loads up to "
                             "1,000 nodes")
    parser.add_argument("--only", action="append", choices=SECTION_NAMES, metavar="NAME",
                        help=f"run only this section (repeatable): {', '.join(SECTION_NAMES)}")
    parser.add_argument("--load-budget", type=float, default=20.0, metavar="SECONDS",
                        help="skip load sizes above one whose first load takes longer "
                             "(default: 20)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    settings = QUICK if args.quick else FULL
    sections = _sections(args)
    chosen = args.only or list(SECTION_NAMES)
    started = time.perf_counter()
    print("# gatetree benchmarks" + (" (--quick)" if args.quick else ""))
    print()
    for line in machine.describe():
        print(line)
    print(f"settings: {settings.rounds} rounds, batches of ~{settings.batch_seconds * 1e3:.0f} "
          "ms, gc on")
    print()
    targets: list[Target] = []
    for name in SECTION_NAMES:
        if name not in chosen:
            continue
        outcome = sections[name](settings)
        for table in outcome.tables:
            print(render(table), flush=True)
        targets.extend(outcome.targets)
    if targets:
        print(render(targets_table(targets)))
    print(f"took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
