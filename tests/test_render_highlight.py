"""A decision drawn on its tree: exactly the path highlighted, in the model, DOT and Mermaid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gatetree.render import build_diagram, to_dot, to_mermaid
from gatetree.render.mermaid import mermaid_names

ROOT = Path(__file__).resolve().parents[1]
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"

PATH_NODES = {"gate-0", "gate-0-degradation", "gate-1", "gate-2", "gate-3", "gate-4", "gate-5",
              "fine-tune"}
# gate.exit-index, the index being the branch's place in the tree file (default last).
TAKEN_EDGES = {"gate-0.0", "gate-0-degradation.0", "gate-1.1", "gate-2.1", "gate-3.1", "gate-4.0",
               "gate-5.4"}


@pytest.fixture(scope="module")
def diagram(tree, decision):  # type: ignore[no-untyped-def]
    return build_diagram(tree, decision)


def test_model_marks_exactly_the_path(diagram) -> None:  # type: ignore[no-untyped-def]
    assert {n.id for n in diagram.nodes if n.state == "path"} == PATH_NODES
    assert {n.state for n in diagram.nodes if n.id not in PATH_NODES} == {"faded"}
    assert {e.id for e in diagram.edges if e.state == "taken"} == TAKEN_EDGES
    assert {e.state for e in diagram.edges if e.id not in TAKEN_EDGES} == {"faded"}


def test_taken_edges_carry_the_values_used_and_the_actions(diagram) -> None:  # type: ignore[no-untyped-def]
    edges = {e.id: e for e in diagram.edges}
    assert [(line.text, line.style) for line in edges["gate-2.1"].body] == [
        ("context_fixes = partly (derived)", "value"),
        ("Fix the retrieval pipeline for what it explains, then continue with an adjusted "
         "baseline.", "action"),
    ]
    assert [line.text for line in edges["gate-5.4"].body] == [
        "quality_still_unaccounted_for = false (fact default)",
        "drift_is_widespread = false (fact default)",
        "needs_knowledge_at_scale = false (fact default)", "failure_pattern = new-inputs (given)"]
    assert [line.text for line in edges["gate-1.1"].body] == ["decline = gradual (given)"]
    # a branch not taken keeps its action but shows no values
    assert [line.style for line in edges["gate-1-system-change.1"].body] == ["action"]


def test_caption_gives_the_outcome_and_the_actions_collected(diagram) -> None:  # type: ignore[no-untyped-def]
    assert [line.text for line in diagram.caption] == [
        "When should I retrain or tune?",
        "Outcome: Fine-tune",
        "Actions collected on the way:",
        "1. Fix the retrieval pipeline for what it explains, then continue with an adjusted "
        "baseline.",
        "2. Fix what prompts can (restructure the prompt, add few-shot examples, clarify the "
        "system message), then continue investigating the remaining gap.",
    ]


def test_highlight_does_not_depend_on_edge_order(tree, decision, diagram) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    shuffled = replace(diagram, edges=tuple(reversed(diagram.edges)))
    assert [e.id for e in shuffled.edges] != [e.id for e in diagram.edges]
    assert _dot_statements(to_dot(shuffled)) == _dot_statements(to_dot(diagram))
    again = build_diagram(tree, decision)
    assert [e.id for e in again.edges] == [e.id for e in diagram.edges]


def _dot_statements(dot: str) -> tuple[dict[str, str], dict[str, str]]:
    """node id -> class attribute, edge id -> class attribute, read back from DOT text."""
    nodes, edges = {}, {}
    for line in dot.splitlines():
        found = re.search(r'class="([^"]*)"', line)
        ident = re.search(r' id="([^"]*)"', line)
        if not found or not ident:
            continue
        (edges if " -> " in line else nodes)[ident.group(1)] = found.group(1)
    return nodes, edges


def test_dot_highlights_exactly_the_path(diagram) -> None:  # type: ignore[no-untyped-def]
    dot = to_dot(diagram)
    nodes, edges = _dot_statements(dot)
    assert {n for n, cls in nodes.items() if cls.endswith(" path")} == PATH_NODES
    assert {n for n, cls in nodes.items() if cls.endswith(" faded")} == set(nodes) - PATH_NODES
    assert {e for e, cls in edges.items() if cls.endswith(" taken")} == TAKEN_EDGES
    assert {e for e, cls in edges.items() if cls.endswith(" faded")} == set(edges) - TAKEN_EDGES
    assert len(edges) == len(diagram.edges)
    taken_lines = [line for line in dot.splitlines() if 'class="when taken"' in line
                   or 'class="default taken"' in line]
    assert all('penwidth=2.5' in line for line in taken_lines)


def test_mermaid_highlights_exactly_the_path(diagram) -> None:  # type: ignore[no-untyped-def]
    text = to_mermaid(diagram)
    names = mermaid_names(n.id for n in diagram.nodes)
    back = {v: k for k, v in names.items()}
    classes: dict[str, set[str]] = {}
    for match in re.finditer(r"^    class (\S+) (\w+)$", text, re.M):
        classes[match.group(2)] = {back.get(n, n) for n in match.group(1).split(",")}
    assert classes["path"] == PATH_NODES
    assert classes["faded"] == {n.id for n in diagram.nodes} - PATH_NODES
    assert classes["caption"] == {"caption"}

    edge_lines = re.findall(r"^    (\w+) (-->|==>|-\.->)(?:\|\"[^\"]*\"\|)? (\w+)$", text, re.M)
    assert len(edge_lines) == len(diagram.edges)
    for (source, arrow, target), edge in zip(edge_lines, diagram.edges, strict=True):
        assert (back[source], back[target]) == (edge.source, edge.target)
        assert arrow == ("==>" if edge.id in TAKEN_EDGES else "-.->")

    # linkStyle indexes are positions in the model's edge order, which is the text's order
    styles = {color: indexes for indexes, color
              in re.findall(r"^    linkStyle ([\d,]+) stroke:(#\w+)", text, re.M)}
    taken_indexes = {i for i, e in enumerate(diagram.edges) if e.id in TAKEN_EDGES}
    assert {int(i) for i in styles["#C2410C"].split(",")} == taken_indexes
    assert {int(i) for i in styles["#C9C9C9"].split(",")} == (
        set(range(len(diagram.edges))) - taken_indexes)


def test_plain_tree_has_no_highlight(tree) -> None:  # type: ignore[no-untyped-def]
    diagram = build_diagram(tree)
    assert {n.state for n in diagram.nodes} == {"plain"}
    assert {e.state for e in diagram.edges} == {"plain"}
    text = to_mermaid(diagram)
    assert "linkStyle" not in text and "==>" not in text and "-.->" not in text
    assert "penwidth" not in to_dot(diagram)


def test_incomplete_decision_marks_where_it_stopped(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"has_quality_metrics": True, "is_underperforming": True,
                            "decline": "gradual"})
    diagram = build_diagram(tree, decision)
    states = {n.id: n.state for n in diagram.nodes}
    assert states["gate-2"] == "stuck"
    assert {n for n, s in states.items() if s == "path"} == {"gate-0", "gate-0-degradation",
                                                             "gate-1"}
    assert {n for n, s in states.items() if s == "possible"} == set(
        decision.reachable_outcomes)
    stuck = diagram.node("gate-2")
    assert stuck.body[-1].text == ("Needs: context_fixes (or score_with_perfect_context, "
                                   "current_score, baseline_score to derive it)")  # as read
    assert diagram.caption[1].text == stuck.body[-1].text
    assert "class n_gate_2 stuck" in to_mermaid(diagram)
    assert 'class="gate stuck"' in to_dot(diagram)
