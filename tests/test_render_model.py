"""The render model and the docs: walk order, stable ids, unknown kinds, expand, docs folder."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import MappingProxyType

import pytest

from gatetree import load_tree, read_facts
from gatetree.graph import outcomes_below
from gatetree.model import Branch, Fact, Gate, Outcome, TreeSpec
from gatetree.render import (
    RenderError,
    build_diagram,
    to_dot,
    to_mermaid,
    tree_doc,
    write_docs,
)
from gatetree.render.build import walk_order
from gatetree.render.inline import code, md_text
from gatetree.render.markdown import slugger
from gatetree.render.mermaid import mermaid_names
from gatetree.tree import DecisionTree

ROOT = Path(__file__).resolve().parents[1]
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"


# The five-gate tree's gates and outcomes in walk order, as its doc and diagram give them.
FIVE_GATE_ORDER = ["gate-0", "gate-0-degradation", "gate-1", "gate-1-system-change", "gate-2",
                   "gate-3", "gate-4", "gate-5", "deep-debug-paths", "gate-5-hosting",
                   "gate-5-knowledge-hosting"]
FIVE_GATE_OUTCOMES = ["build-evals", "no-degradation", "roll-back-change", "fix-retrieval",
                      "fix-prompt", "fine-tune-on-new-labels", "fine-tune", "rebuild-eval-set",
                      "product-conversation", "pin-model-version", "ml-specialist",
                      "deep-debug", "full-retrain", "provider-escalation",
                      "continued-pretraining", "knowledge-at-scale-hosted"]


@pytest.fixture(scope="module")
def tree():  # type: ignore[no-untyped-def]
    return load_tree("retrain-or-tune")


def test_nodes_come_in_walk_order(tree) -> None:  # type: ignore[no-untyped-def]
    diagram = build_diagram(tree)
    order = [n.id for n in diagram.nodes]
    gates = [n for n in order if not isinstance(tree.spec.nodes[n], Outcome)]
    assert gates == FIVE_GATE_ORDER
    position = {n: i for i, n in enumerate(order)}
    for edge in diagram.edges:
        assert position[edge.source] < position[edge.target]
    assert diagram.nodes[0].id == tree.spec.start


def test_walk_order_survives_cycles_and_unreachable_nodes() -> None:
    order = walk_order("a", ["z", "a", "b", "c"], [("a", "b"), ("b", "c"), ("c", "b")])
    assert order == ("a", "z", "b", "c")


def test_ids_come_from_the_tree(tree) -> None:  # type: ignore[no-untyped-def]
    diagram = build_diagram(tree)
    assert {n.id for n in diagram.nodes} == set(tree.spec.nodes)
    gate2 = [e for e in diagram.edges if e.source == "gate-2"]
    assert [(e.id, e.label, e.kind, e.target) for e in gate2] == [
        ("gate-2.0", "YES", "when", "fix-retrieval"),
        ("gate-2.1", "Partly", "when", "gate-3"),
        ("gate-2.2", "NO", "when", "gate-3"),
    ]
    assert [e.kind for e in diagram.edges if e.source == "gate-5"] == ["if", "if", "if", "if",
                                                                       "default"]


def test_outcomes_and_gates_look_different(tree) -> None:  # type: ignore[no-untyped-def]
    diagram = build_diagram(tree)
    dot = to_dot(diagram)
    assert ('"gate-0" [label=<<B>Gate 0: Do you have quality</B><BR/><B>metrics?</B>>'
            in dot)
    assert 'shape=box style="rounded,filled"' in dot
    assert "peripheries=2 shape=box style=filled" in dot
    mermaid = to_mermaid(diagram)
    assert '    n_gate_0("<b>Gate 0: Do you have quality</b><br><b>metrics?</b>")' in mermaid
    assert '    n_fine_tune(["<b>Fine-tune</b><br>' in mermaid


def test_placeholders_are_filled(tree) -> None:  # type: ignore[no-untyped-def]
    diagram = build_diagram(tree)
    assert diagram.node("gate-3").body[0].text.startswith("Add 3-5 explicit few-shot")
    placeholder = re.compile(r"\{[a-z_][a-z0-9_]*\}")
    assert not placeholder.search(to_dot(diagram))
    assert not placeholder.search(to_mermaid(diagram))
    assert not placeholder.search(tree_doc(tree))


def test_decision_params_fill_the_texts(tree) -> None:  # type: ignore[no-untyped-def]
    facts, _ = read_facts(RUNNING)
    decision = tree.decide(facts, params={"few_shot_examples": "7"})
    assert build_diagram(tree, decision).node("gate-3").body[0].text.startswith(
        "Add 7 explicit few-shot")


def test_expand_adds_detail(tree) -> None:  # type: ignore[no-untyped-def]
    plain = build_diagram(tree)
    expanded = build_diagram(tree, expand=True)
    assert [(x.text, x.style) for x in expanded.node("gate-0").body] == [
        ("answer: has_quality_metrics", "value"),
        ("derived from eval_set_size, min_eval_examples, has_scoring_method, has_baseline",
         "note"),
    ]
    assert plain.node("gate-0").body == ()
    edge = next(e for e in expanded.edges if e.id == "gate-5.1")
    assert [x.text for x in edge.body] == ["if drift_is_widespread"]
    fine_tune = expanded.node("fine-tune")
    assert len(fine_tune.body) == 1 + len(tree.spec.nodes["fine-tune"].next_steps)
    assert fine_tune.body[1].text.startswith("• Collect 50+ high-quality")


def test_decision_of_another_tree_is_refused(tree) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    facts, _ = read_facts(RUNNING)
    decision = tree.decide(facts)
    other = replace(decision, tree=replace(decision.tree, version="2.0.0"))
    with pytest.raises(RenderError, match=r"made with tree retrain-or-tune@2\.0\.0"):
        build_diagram(tree, other)


def test_mermaid_names_are_unique_and_keyword_safe() -> None:
    names = mermaid_names(["end", "a-b", "a_b", "class", "gate-0"])
    assert names["end"] == "n_end" and names["class"] == "n_class"
    assert names["gate-0"] == "n_gate_0"
    assert names["a-b"] == "hn_612d62" and names["a_b"] == "hn_615f62"
    assert len(set(names.values())) == 5


def test_markdown_helpers() -> None:
    assert md_text("a|b *c* <d> `e`\nf [g](h) # i") == \
        "a\\|b \\*c\\* \\<d\\> \\`e\\` f \\[g\\](h) \\# i"
    assert md_text("- not a list") == "\\- not a list"
    assert md_text("1. not a list") == "1\\. not a list"
    assert code("a`b") == "``a`b``" and code("`x") == "`` `x ``"
    slug = slugger()
    assert slug("Gate 0: Do you have quality metrics?") == "gate-0-do-you-have-quality-metrics"
    assert slug("Gate 0: Do you have quality metrics?") == "gate-0-do-you-have-quality-metrics-1"
    assert slug("Outcome: Fine-tune") == "outcome-fine-tune"


def test_tree_doc_reads_like_the_article(tree) -> None:  # type: ignore[no-untyped-def]
    doc = tree_doc(tree)
    headings = [line for line in doc.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## Flowchart", "## Facts", "## Params"]
    gates = [f"## {tree.spec.nodes[n].title}" for n in FIVE_GATE_ORDER]
    outcomes = [f"## Outcome: {tree.spec.nodes[n].title}" for n in FIVE_GATE_OUTCOMES]
    assert headings[3:] == [*gates, *outcomes, "## Notes from the policy owner"]
    assert "**What YES looks like:** A task-specific evaluation set: 20+ labeled examples" in doc
    assert ("### Partly\n\nTaken when `prompt_fixes` is `partly` → [Gate 4: What kind of drift "
            "are you seeing?](#gate-4-what-kind-of-drift-are-you-seeing)") in doc
    assert "| `min_eval_examples` | integer | `20` |" in doc
    assert "**Actions that stand (the walk goes on):**\n\n- Fix the retrieval pipeline" in doc


def test_every_link_in_the_doc_has_a_heading(tree) -> None:  # type: ignore[no-untyped-def]
    doc = tree_doc(tree)
    slug = slugger()
    anchors = {slug(h) for h in re.findall(r"^#+ (.*)$", doc, re.M)}
    links = set(re.findall(r"\]\(#([^)]+)\)", doc))
    assert links and links <= anchors


def test_write_docs(tmp_path: Path, tree) -> None:  # type: ignore[no-untyped-def]
    written = write_docs([tree], tmp_path / "docs")
    assert [p.name for p in written] == ["retrain-or-tune.md", "index.md"]
    assert (tmp_path / "docs" / "retrain-or-tune.md").read_text() == tree_doc(tree)
    index = (tmp_path / "docs" / "index.md").read_text()
    assert index.splitlines()[-1] == (
        "| [When should I retrain or tune?](<retrain-or-tune.md>) | `retrain-or-tune` | 1.1.1 "
        "| Diagnoses a deployed AI feature that was working and is now underperforming, and "
        "says what to do about it: build evals, roll back a system change, fix "
        "retrieval/context, fix the prompt, fine-tune (for data drift, or on the updated "
        "labels for concept drift), fully retrain, escalate to the model provider, continue "
        "pre-training or swap the model for knowledge at scale, or deep-debug along the "
        "escalation path that applies. |")


def test_write_docs_names_versions_apart(tmp_path: Path, tree) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    newer = replace(tree, spec=replace(tree.spec, version="9.0.0"))
    written = write_docs([newer, tree], tmp_path)
    assert [p.name for p in written] == [f"retrain-or-tune@{tree.version}.md",
                                         "retrain-or-tune@9.0.0.md", "index.md"]


def test_write_docs_reports_unwritable_folder(tmp_path: Path, tree) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(RenderError, match="cannot create"):
        write_docs([tree], blocker / "docs")


def test_importing_render_does_not_import_graphviz() -> None:
    import subprocess

    code_ = "import gatetree.render, sys; print('graphviz' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code_], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert done.stdout.strip() == "False"


def test_fact_gate_with_missing_fact_declaration_still_draws() -> None:
    spec = TreeSpec(id="t", version="1.0.0", title="T", start="g", params={},
                    facts={"f": Fact("f", "boolean", "Is it?")},
                    nodes={"g": Gate("g", "G", "", fact="f", branches=(
                        Branch("when", "o", value=True),), default=Branch("default", "o")),
                           "o": Outcome("o", "O", "Do.")})
    tree = DecisionTree(spec, MappingProxyType({}), MappingProxyType({}),
                        outcomes_below(spec), filled=spec)
    diagram = build_diagram(tree)
    assert [x.text for x in diagram.node("g").body] == ["Is it?"]
    assert [e.label for e in diagram.edges] == ["yes", "otherwise"]
    assert "Taken when `f` has any other value" in tree_doc(tree)


def test_every_format_table_knows_every_node_kind() -> None:
    from typing import get_args

    from gatetree.model import Node
    from gatetree.render import dot, mermaid, theme
    from gatetree.render.diagram import NodeKind

    kinds = set(get_args(NodeKind))
    assert kinds == {t.__dataclass_fields__["kind"].default for t in get_args(Node)}
    for table in (theme.KIND_COLORS, dot._SHAPES, mermaid._SHAPES):
        assert set(table) == kinds
