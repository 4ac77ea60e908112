"""How does loading grow with tree size? Prints load medians and the growth per 10x.

Generated trees of about 10, 100, 1,000 and 10,000 nodes, two shapes:
- `chain`: gates in a line, each with a condition leading to its own outcome and a
  default leading to the next gate (the deepest shape: every gate sits above all the
  outcomes after it);
- `balanced`: a binary tree of gates with a condition and a default, outcomes as leaves.
Each tree is loaded as text (`load_text`: read, schema, model, checks, compile). Loading
linearly means 10x the nodes takes about 10x the time.
Run: python3 benchmarks/bench_load.py [--repeat N] [--sizes 10,100,1000,10000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from gatetree import load_text

_HEAD = """\
gatetree: 1
id: generated
version: 1.0.0
title: Generated
start: g-0
facts:
  x:
    type: number
    question: What is x?
nodes:
"""


def _gate(name: str, threshold: int, then: str, otherwise: str) -> str:
    return (f"  {name}:\n    kind: gate\n    title: Gate {name}\n"
            f"    question: Is x above {threshold}?\n    branches:\n"
            f"      - if: x > {threshold}\n        next: {then}\n"
            f"    default:\n      next: {otherwise}\n")


def _outcome(name: str) -> str:
    return f"  {name}:\n    kind: outcome\n    title: Outcome {name}\n    action: Do {name}.\n"


def chain_tree(nodes: int) -> str:
    """A tree of `nodes` nodes (odd, at least 3): gates in a line, each with its own outcome."""
    gates = max(1, (nodes - 1) // 2)
    parts = [_HEAD]
    for i in range(gates):
        after = f"g-{i + 1}" if i + 1 < gates else "end"
        parts.append(_gate(f"g-{i}", i, f"o-{i}", after))
        parts.append(_outcome(f"o-{i}"))
    parts.append(_outcome("end"))
    return "".join(parts)


def line_tree(gates: int) -> str:
    """`gates` gates in a line, both exits of each leading to the next, then one outcome:
    the deepest tree of its size."""
    parts = [_HEAD]
    for i in range(gates):
        after = f"g-{i + 1}" if i + 1 < gates else "end"
        parts.append(_gate(f"g-{i}", i, after, after))
    parts.append(_outcome("end"))
    return "".join(parts)


def balanced_tree(nodes: int) -> str:
    """A binary tree of about `nodes` nodes: gates above, outcomes as leaves."""
    gates = max(1, (nodes - 1) // 2)
    parts = [_HEAD]
    total = 2 * gates + 1
    for i in range(total):
        left, right = 2 * i + 1, 2 * i + 2
        if i < gates:
            parts.append(_gate(f"g-{i}", i, _name(left, gates), _name(right, gates)))
        else:
            parts.append(_outcome(f"o-{i}"))
    return "".join(parts)


def _name(index: int, gates: int) -> str:
    return f"g-{index}" if index < gates else f"o-{index}"


SHAPES: dict[str, Callable[[int], str]] = {"chain": chain_tree, "balanced": balanced_tree}


def median_load_seconds(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        load_text(text, origin="generated.yaml")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="11,101,1001,10001")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'shape':<9} {'nodes':>6} {'load (ms)':>10} {'x per 10x':>10}")
    for shape, make in SHAPES.items():
        previous = None
        for size in sizes:
            seconds = median_load_seconds(make(size), args.repeat if size < 5000 else 3)
            growth = f"{seconds / previous:.1f}" if previous else ""
            print(f"{shape:<9} {size:>6} {seconds * 1000:>10.1f} {growth:>10}")
            previous = seconds


if __name__ == "__main__":
    main()
