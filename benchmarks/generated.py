"""Generated trees for the load benchmark and the tests that hold loading linear.

- `chain_tree`: gates in a line, each with a condition leading to its own outcome and a
  default leading to the next gate (every gate sits above all the outcomes after it, the
  shape that made a per-node search quadratic);
- `line_tree`: gates in a line, both exits to the next: the deepest tree of its size;
- `balanced_tree`: a binary tree of gates with a condition and a default, outcomes as leaves.
`stamp` becomes the first line, a comment, so each file written for a timed load is new.
"""

from __future__ import annotations

__all__ = ["balanced_tree", "chain_tree", "line_tree"]

_HEAD = """\
# {stamp}
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


def chain_tree(nodes: int, stamp: str = "") -> str:
    """A tree of `nodes` nodes (odd, at least 3): gates in a line, each with its own outcome."""
    gates = max(1, (nodes - 1) // 2)
    parts = [_HEAD.format(stamp=stamp)]
    for i in range(gates):
        after = f"g-{i + 1}" if i + 1 < gates else "end"
        parts.append(_gate(f"g-{i}", i, f"o-{i}", after))
        parts.append(_outcome(f"o-{i}"))
    parts.append(_outcome("end"))
    return "".join(parts)


def line_tree(gates: int, stamp: str = "") -> str:
    """`gates` gates in a line, both exits of each leading to the next, then one outcome:
    the deepest tree of its size."""
    parts = [_HEAD.format(stamp=stamp)]
    for i in range(gates):
        after = f"g-{i + 1}" if i + 1 < gates else "end"
        parts.append(_gate(f"g-{i}", i, after, after))
    parts.append(_outcome("end"))
    return "".join(parts)


def balanced_tree(nodes: int, stamp: str = "") -> str:
    """A binary tree of about `nodes` nodes: gates above, outcomes as leaves."""
    gates = max(1, (nodes - 1) // 2)
    parts = [_HEAD.format(stamp=stamp)]
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
