"""`python -m benchmarks` runs from a checkout: a quick run of one small section prints the
machine, the section's table with every row, and the targets it measured."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generated import balanced_tree, chain_tree
from gatetree import load_tree

ROOT = Path(__file__).resolve().parents[1]


def test_quick_run_of_one_section_prints_its_table() -> None:
    run = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only",
                          "tune-or-rebuild"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=False)
    assert (run.returncode, run.stderr) == (0, "")
    lines = run.stdout.splitlines()
    assert lines[0] == "# gatetree benchmarks (--quick)"
    assert [line.split(":")[0] for line in lines[2:6]] == [
        "machine", "python", "packages", "settings"]
    start = lines.index("## Per decision: tune-or-rebuild")
    body = lines[start + 2:lines.index("", start + 2)]
    rows = [line for line in body if not line.startswith(("-", "* "))]
    labels = [re.split(r"\s{2,}", row.strip())[0] for row in rows]
    candidates = ["hand-written if/elif", "decide (trace recorded)", "decide(trace=False)",
                  "decide(...).to_dict()", "decide(params={refine_max_structural: 1})"]
    assert labels == [
        "workload / candidate",
        "answered checklist (broken-workflow, 13 signs)", *candidates,
        "empty checklist (incomplete)", *candidates,
        "mix reaching every outcome (3 decisions)", *candidates,
    ]
    targets = lines[lines.index("## Targets (from the issues)") + 4:-2]
    assert [re.split(r"\s{2,}", t)[0] for t in targets] == [
        "tune-or-rebuild: decide <= 15x hand-written (answered)",
        "tune-or-rebuild: decide <= 15x hand-written (empty)",
        "tune-or-rebuild: param override <= 1.3x a plain decide (answered)",
    ]
    assert lines[-1].startswith("took ")


@pytest.mark.parametrize(("text", "nodes", "outcomes"), [
    (chain_tree(9), 9, 5),
    (balanced_tree(9), 9, 5),
])
def test_generated_trees_load_with_the_node_count_they_are_timed_at(
        tmp_path: Path, text: str, nodes: int, outcomes: int) -> None:
    path = tmp_path / "tree.yaml"
    path.write_text(text, encoding="utf-8")
    tree = load_tree(path)
    assert (len(tree.spec.nodes), len(tree.outcomes)) == (nodes, outcomes)
    assert tree.decide({"x": 0.5}).decided
