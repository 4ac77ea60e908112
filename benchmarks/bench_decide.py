"""How fast is a decision, compared with what it replaces? Prints medians and ratios.

Baselines are measured in the same run, so the ratios hold on a noisy shared machine:
- `hand-written`: the five-gate policy as plain Python if/else on the same facts (the
  fastest possible encoding, with no trace);
- `load`: reading, checking and compiling the tree, which happens once per process.
Run: python3 benchmarks/bench_decide.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gatetree import load_tree, read_facts
from gatetree.registry import resolve

ROOT = Path(__file__).resolve().parents[1]


def hand_written(f: dict[str, Any]) -> str:
    """The five gates for fully known facts, as code a team would otherwise write."""
    if not (f["eval_set_size"] >= 20 and f["has_scoring_method"] and f["has_baseline"]):
        return "build-evals"
    if f["decline"] == "sudden" and f["system_change_correlates"]:
        return "roll-back-change"
    gap = f["baseline_score"] - f["current_score"]
    if f["score_with_perfect_context"] - f["current_score"] >= 0.9 * gap:
        return "fix-retrieval"
    if f["score_with_few_shot"] - f["current_score"] >= 0.9 * gap:
        return "fix-prompt"
    if f["failure_pattern"] == "unclear":
        return "deep-debug"
    if f["drift_is_widespread"] or f["needs_knowledge_at_scale"]:
        return "full-retrain" if f["model_hosting"] == "own-weights" else "provider-escalation"
    return "fine-tune"


def median_seconds(func: Callable[[], object], number: int, repeat: int) -> float:
    return statistics.median(timeit.repeat(func, number=number, repeat=repeat)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    tree = load_tree("retrain-or-tune")
    facts, _ = read_facts(ROOT / "trees" / "examples" / "retrain-or-tune" /
                          "running-example.yaml")
    assert hand_written(facts) == tree.decide(facts).outcome.id  # type: ignore[union-attr]
    path = resolve("retrain-or-tune")

    rows = {
        "hand-written if/else": median_seconds(lambda: hand_written(facts), 20000, args.repeat),
        "decide (with trace)": median_seconds(lambda: tree.decide(facts), 500, args.repeat),
        "decide + to_dict": median_seconds(lambda: tree.decide(facts).to_dict(), 500,
                                           args.repeat),
        "decide, incomplete": median_seconds(lambda: tree.decide({}), 500, args.repeat),
        "load (parse+check+compile)": median_seconds(lambda: load_tree(path), 5, args.repeat),
    }
    base = rows["hand-written if/else"]
    decide = rows["decide (with trace)"]
    print(f"{'measurement':<28} {'median':>12} {'x hand-written':>15} {'x decide':>10}")
    for name, seconds in rows.items():
        print(f"{name:<28} {seconds * 1e6:>10.1f}us {seconds / base:>15.1f} "
              f"{seconds / decide:>10.2f}")
    print(f"\ndecisions per load: a load costs {rows['load (parse+check+compile)'] / decide:.0f} "
          "decisions; compile once, decide many times.")


if __name__ == "__main__":
    main()
