"""Write the golden decision traces: every case of every built-in tree, plus seeded random facts.

The traces pin what a decision records (`Decision.to_dict()`), so a change to the walk that
alters any trace shows in the diff. Each tree gets one gzipped JSON Lines file,
`traces/<tree>.jsonl.gz`; a line holds a name, the facts and params given, and the trace.

Run from the repository root, then review and commit the files:

    python -m tests.golden.make_traces
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gatetree import DecisionTree, builtin_trees, load_tree
from gatetree.cases import run_cases
from gatetree.model import Fact, Param

HERE = Path(__file__).resolve().parent
TRACES = HERE / "traces"
CASES = HERE.parents[1] / "trees" / "cases"
SEED = 8
RANDOM_PER_KIND = 200  # complete, partial and with params: 600 random fact sets per tree


def fact_value(fact: Fact, rng: random.Random, lean: float = 0.5) -> Any:
    """A value of a fact's type, drawn to land on both sides of the trees' thresholds;
    a boolean is true with probability `lean`."""
    if fact.type == "boolean":
        return rng.random() < lean
    if fact.type == "enum":
        return rng.choice(fact.values)
    if fact.type == "integer":
        return rng.choice((0, 12, 19, 20, 21, 50, 200, 500, 500, 500, rng.randint(0, 1000)))
    if fact.type == "number":
        return rng.choice((rng.randint(0, 100), round(rng.uniform(0, 100), 1)))
    return rng.choice(("", "text", "another text"))


def param_value(param: Param, rng: random.Random) -> Any:
    """An override near the default: thresholds move both ways."""
    default = param.default
    if param.type == "boolean":
        return not default
    if param.type == "integer":
        assert isinstance(default, int)
        return max(0, default + rng.randint(-3, 3))
    if param.type == "number":
        assert isinstance(default, (int, float))
        top = 1 if default <= 1 else 2 * default
        return round(rng.uniform(0, top), 2)
    if param.type == "enum":
        return default
    return rng.choice(("2-4", "5", "a few"))


def random_sets(tree: DecisionTree, rng: random.Random) -> Iterator[tuple[str, dict[str, Any],
                                                                          dict[str, Any]]]:
    """(name, facts, params): complete fact sets, partial ones, and either with overrides.

    A complete set gives every fact that is not derived, and a derived one now and then
    (an answer given directly overrides its derivation). Booleans lean one way per run of
    five facts as declared (a checklist's groups), so lopsided tallies come up too; a
    partial set gives each fact with a probability drawn per set.
    """
    facts = list(tree.spec.facts.values())
    params = list(tree.spec.params.values())

    def values(keep: float, derived: float) -> dict[str, Any]:
        leans = [rng.choice((0.1, 0.5, 0.9)) for _ in range(0, len(facts), 5)]
        return {f.name: fact_value(f, rng, leans[i // 5]) for i, f in enumerate(facts)
                if rng.random() < (keep if f.derive is None else derived)}

    def complete() -> dict[str, Any]:
        return values(1.0, 0.2)

    def partial() -> dict[str, Any]:
        keep = rng.choice((0.3, 0.6, 0.9))
        return values(keep, keep * 0.3)

    def overrides() -> dict[str, Any]:
        chosen = [p for p in params if rng.random() < 0.6] or params[:1]
        return {p.name: param_value(p, rng) for p in chosen}

    for i in range(RANDOM_PER_KIND):
        yield f"complete-{i}", complete(), {}
    for i in range(RANDOM_PER_KIND):
        yield f"partial-{i}", partial(), {}
    for i in range(RANDOM_PER_KIND):
        made = complete() if i % 2 == 0 else partial()
        yield f"params-{i}", made, overrides() if params else {}


def records(tree_id: str) -> Iterator[dict[str, Any]]:
    """Every golden record of one built-in tree: its cases, then the random sets."""
    report = run_cases(CASES / f"{tree_id}.yaml")
    for result in report.results:
        decision = result.decision
        assert decision is not None, f"case {result.name} of {tree_id} did not run"
        yield {"name": f"case:{result.name}", "facts": dict(decision.facts),
               "params": dict(decision.overrides), "trace": decision.to_dict()}
    tree = load_tree(tree_id)
    rng = random.Random(f"{SEED}:{tree_id}")
    for name, facts, params in random_sets(tree, rng):
        decision = tree.decide(facts, params=params)
        yield {"name": name, "facts": facts, "params": params, "trace": decision.to_dict()}


def trace_file(tree_id: str) -> Path:
    return TRACES / f"{tree_id}.jsonl.gz"


def write(tree_id: str) -> int:
    TRACES.mkdir(exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in records(tree_id)]
    # mtime=0: the same traces give the same bytes, so an unchanged file shows no diff.
    with trace_file(tree_id).open("wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(lines)


def main() -> None:
    for builtin in builtin_trees():
        count = write(builtin.id)
        print(f"{trace_file(builtin.id).relative_to(HERE.parents[1])}: {count} traces")


if __name__ == "__main__":
    main()
