"""Checklists and calls on the picture: their boxes, their scores, and called trees expanded."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from gatetree import load_tree
from gatetree.render import build_diagram, to_dot, to_mermaid, tree_doc

SIGNS = """\
gatetree: 1
id: signs
version: 1.0.0
title: Refine or rebuild?
start: signs
facts:
  fragile: {type: boolean, question: "Are there fragile workarounds?"}
  slow: {type: boolean, question: "Is it slow?"}
  fits: {type: boolean, question: "Does the model fit the task?"}
nodes:
  signs:
    kind: checklist
    title: Signs
    question: Which of these describe your workflow?
    groups:
      rebuild: {title: Signs that a rebuild may be better}
      refine: {title: Signs that refining is enough}
    items:
      - {fact: fragile, group: rebuild, label: fragile workarounds}
      - {fact: slow, group: rebuild, weight: 2}
      - {fact: fits, group: refine}
    unanswered: "no"
    branches:
      - if: rebuild > refine
        label: Mostly rebuild signs
        next: rebuild
    default:
      label: Refine
      next: refine
  rebuild: {kind: outcome, title: Rebuild, action: Rebuild the workflow.}
  refine: {kind: outcome, title: Refine, action: Fine-tune it.}
"""

CALLER = """\
gatetree: 1
id: caller
version: 1.0.0
title: Caller
start: ask
facts:
  ready: {type: boolean, question: "Ready?"}
nodes:
  ask:
    kind: gate
    title: Ready?
    fact: ready
    branches:
      - {when: true, label: "YES", next: hand-over}
      - {when: false, label: "NO", next: wait}
  hand-over:
    kind: call
    title: Refine or rebuild
    tree: signs.yaml
    question: What do the signs say?
    branches:
      - {when: rebuild, next: big}
    default: {next: small}
  big: {kind: outcome, title: Big job, action: Plan a project.}
  small: {kind: outcome, title: Small job, action: Do it this week.}
  wait: {kind: outcome, title: Wait, action: Wait.}
"""

FACTS = {"ready": True, "fragile": True, "slow": False, "fits": False}


@pytest.fixture
def caller(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "signs.yaml").write_text(SIGNS)
    (tmp_path / "caller.yaml").write_text(CALLER)
    return load_tree(tmp_path / "caller.yaml")


def test_checklist_box_lists_its_groups(caller) -> None:  # type: ignore[no-untyped-def]
    signs = caller.callees["hand-over"]
    diagram = build_diagram(signs)
    node = diagram.node("signs")
    assert (node.kind, node.title) == ("checklist", "Signs")
    assert [x.text for x in node.body] == [
        "Which of these describe your workflow?",
        "rebuild: Signs that a rebuild may be better (2 items)",
        "refine: Signs that refining is enough (1 item)",
    ]
    expanded = build_diagram(signs, expand=True).node("signs")
    assert [x.text for x in expanded.body if x.style == "note"] == [
        "• fragile workarounds", "• slow (×2)", "• fits"]
    assert "shape=note" in to_dot(diagram)
    assert "    class n_signs checklist" in to_mermaid(diagram)


def test_checklist_step_shows_group_scores(caller) -> None:  # type: ignore[no-untyped-def]
    signs = caller.callees["hand-over"]
    decision = signs.decide({"fragile": True, "slow": False, "fits": False})
    taken = [e for e in build_diagram(signs, decision).edges if e.state == "taken"]
    assert [(e.id, [x.text for x in e.body]) for e in taken] == [
        ("signs.0", ["rebuild = 1 (1 of 2 yes, score 1 of 3)", "refine = 0 (0 of 1 yes)"])]


def test_call_box_names_the_called_tree(caller) -> None:  # type: ignore[no-untyped-def]
    diagram = build_diagram(caller)
    node = diagram.node("hand-over")
    assert node.kind == "call"
    assert [x.text for x in node.body] == ["What do the signs say?",
                                           "asks the tree: Refine or rebuild? (signs)"]
    assert [(e.id, e.label) for e in diagram.edges if e.source == "hand-over"] == [
        ("hand-over.0", "Rebuild"), ("hand-over.1", "otherwise")]
    assert diagram.clusters == ()
    assert "shape=component" in to_dot(diagram)
    mermaid = to_mermaid(diagram)
    assert '    n_hand_over[["<b>Refine or rebuild</b>' in mermaid
    assert "    class n_hand_over calls" in mermaid


def test_expand_draws_the_called_tree_in_a_cluster(caller) -> None:  # type: ignore[no-untyped-def]
    decision = caller.decide(FACTS)
    diagram = build_diagram(caller, decision, expand=True)
    assert [(c.id, c.title, c.state) for c in diagram.clusters] == [
        ("hand-over", "Refine or rebuild? (signs 1.0.0)", "path")]
    inside = {n.id: n.state for n in diagram.nodes if n.cluster == "hand-over"}
    assert inside == {"hand-over/signs": "path", "hand-over/rebuild": "path",
                      "hand-over/refine": "faded"}
    edges = {e.id: e.state for e in diagram.edges}
    assert edges["hand-over.call"] == "taken"
    assert edges["hand-over/signs.0"] == "taken" and edges["hand-over/signs.1"] == "faded"
    assert edges["hand-over.0"] == "taken"
    taken_call = next(e for e in diagram.edges if e.id == "hand-over.0")
    assert [x.text for x in taken_call.body] == ["signs: rebuild"]

    dot = to_dot(diagram)
    assert 'subgraph "cluster_hand-over" {' in dot
    mermaid = to_mermaid(diagram)
    block = re.search(r'^    subgraph c_hand_over\["[^"]+"\]\n(.*?)^    end$', mermaid,
                      re.M | re.S)
    assert block is not None
    assert re.findall(r"^    (\w+)", block.group(1), re.M) == [
        "n_hand_over__signs", "n_hand_over__rebuild", "n_hand_over__refine"]


def test_a_call_not_taken_is_faded_inside(caller) -> None:  # type: ignore[no-untyped-def]
    decision = caller.decide({"ready": False})
    diagram = build_diagram(caller, decision, expand=True)
    assert {n.state for n in diagram.nodes if n.cluster} == {"faded"}
    assert diagram.clusters[0].state == "faded"


@pytest.mark.dot
def test_expanded_calls_draw_without_warnings(caller) -> None:  # type: ignore[no-untyped-def]
    for diagram in (build_diagram(caller, expand=True),
                    build_diagram(caller, caller.decide(FACTS), expand=True)):
        done = subprocess.run(["dot", "-Tsvg"], input=to_dot(diagram).encode(),
                              capture_output=True, check=False)
        assert (done.returncode, done.stderr) == (0, b"")


def test_docs_of_checklists_and_calls(caller) -> None:  # type: ignore[no-untyped-def]
    doc = tree_doc(caller)
    assert "## Refine or rebuild\n\n**Question:** What do the signs say?" in doc
    signs_doc = tree_doc(caller.callees["hand-over"])
    assert "## Signs\n\n**Question:** Which of these describe your workflow?" in signs_doc


def test_write_docs_includes_called_trees(caller, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gatetree.render import write_docs

    written = write_docs([caller], tmp_path / "docs")
    assert [p.name for p in written] == ["caller.md", "signs.md", "index.md"]
    assert "[Refine or rebuild?](<signs.md>)" in written[0].read_text()
    assert "### Rebuild\n\nTaken when the called tree ends at `rebuild` (Rebuild)" in (
        written[0].read_text())
