"""Whole-output golden files for DOT, Mermaid and Markdown.

Regenerate after an intended change, then review the diff of tests/golden/ before
committing:

    python -m pytest tests/test_render_golden.py --update-golden

Every tree in trees/*.yaml gets <stem>.dot, <stem>.mmd and <stem>.md; the running example's
decision gets retrain-or-tune.running-example.dot and .mmd (the path highlighted).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gatetree import load_tree, read_facts
from gatetree.render import build_diagram, to_dot, to_mermaid, tree_doc

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
TREES = sorted((ROOT / "trees").glob("*.yaml"))
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"


def check_golden(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden file {path.relative_to(ROOT)}; create it with "
                    "`python -m pytest tests/test_render_golden.py --update-golden` "
                    "and review it")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (f"{name} differs from its golden file; if the change is "
                                "intended, run `python -m pytest tests/test_render_golden.py "
                                "--update-golden` and review the diff")


def test_there_are_trees_to_draw() -> None:
    assert TREES, "trees/*.yaml holds no tree"


@pytest.mark.parametrize("path", TREES, ids=[p.stem for p in TREES])
def test_tree_dot(path: Path, update_golden: bool) -> None:
    check_golden(f"{path.stem}.dot", to_dot(build_diagram(load_tree(path))), update_golden)


@pytest.mark.parametrize("path", TREES, ids=[p.stem for p in TREES])
def test_tree_mermaid(path: Path, update_golden: bool) -> None:
    check_golden(f"{path.stem}.mmd", to_mermaid(build_diagram(load_tree(path))),
                 update_golden)


@pytest.mark.parametrize("path", TREES, ids=[p.stem for p in TREES])
def test_tree_markdown(path: Path, update_golden: bool) -> None:
    check_golden(f"{path.stem}.md", tree_doc(load_tree(path)), update_golden)


@pytest.fixture(scope="module")
def running_diagram():  # type: ignore[no-untyped-def]
    tree = load_tree("retrain-or-tune")
    facts, _ = read_facts(RUNNING)
    return build_diagram(tree, tree.decide(facts))


def test_running_example_dot(running_diagram, update_golden: bool) -> None:  # type: ignore[no-untyped-def]
    check_golden("retrain-or-tune.running-example.dot", to_dot(running_diagram), update_golden)


def test_running_example_mermaid(running_diagram, update_golden: bool) -> None:  # type: ignore[no-untyped-def]
    check_golden("retrain-or-tune.running-example.mmd", to_mermaid(running_diagram),
                 update_golden)
