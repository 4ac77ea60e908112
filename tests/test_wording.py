"""One decision reads the same in every view: each value and where it came from is worded
alike in the text and Markdown traces, the DOT and Mermaid diagrams, and the trace read
back from its JSON; a what-if says its label with the params filled in."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from gatetree import Decision, counterfactuals, load_text, load_tree, read_facts, read_trace
from gatetree.decision import Evidence
from gatetree.render import build_diagram, to_dot, to_mermaid
from gatetree.render.trace_view import trace_markdown, trace_text
from gatetree.render.whatif_view import whatif_dict, whatif_markdown, whatif_text
from gatetree.render.wording import SOURCES
from gatetree.values import show_value

ROOT = Path(__file__).resolve().parents[1]
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"


def _plain(text: str) -> str:
    """A view's text without markup and line breaks, words one space apart."""
    text = re.sub(r"<BR/>|<br>", " ", text)
    text = re.sub(r"</?[A-Za-z][^<>]*>", "", text)
    text = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)
    return " ".join(html.unescape(text).replace("`", "").split())


def _views(tree, decision: Decision) -> dict[str, str]:  # type: ignore[no-untyped-def]
    back = read_trace(json.loads(json.dumps(decision.to_dict())))
    return {
        "text": trace_text(decision, width=60),
        "markdown": trace_markdown(decision),
        "dot": to_dot(build_diagram(tree, decision)),
        "mermaid": to_mermaid(build_diagram(tree, decision)),
        "json": trace_text(back, width=60),
    }


def _said(item: Evidence) -> str:
    """How every view opens a value: a derived one goes on to say what from, in the traces."""
    end = "" if item.source == "derived" else ")"
    return f"{item.name} = {show_value(item.value)} ({SOURCES[item.source]}{end}"


def _inputs(item: Evidence) -> list[Evidence]:
    return [n for i in item.inputs for n in (i, *_inputs(i))]


def _decisions():  # type: ignore[no-untyped-def]
    tree = load_tree("retrain-or-tune")
    facts, _ = read_facts(RUNNING)
    return [("running-example", tree, tree.decide(facts)),
            ("param-override", tree, tree.decide(facts, params={"min_eval_examples": 50}))]


@pytest.mark.parametrize(("name", "tree", "decision"), _decisions(),
                         ids=[n for n, _, _ in _decisions()])
def test_each_value_and_source_reads_the_same_in_every_format(name, tree, decision) -> None:  # type: ignore[no-untyped-def]
    views = {fmt: _plain(text) for fmt, text in _views(tree, decision).items()}
    read = [e for step in decision.steps for e in step.evidence]
    inputs = [i for e in read for i in _inputs(e)]  # the traces show what a value came from
    assert {e.source for e in read} == {"given", "derived", "default"}
    assert len(read) >= 10 and inputs
    for fmt, text in views.items():
        shown = read + inputs if fmt in ("text", "markdown", "json") else read
        missing = [_said(e) for e in shown if _said(e) not in text]
        assert missing == [], f"{name} as {fmt} does not say {missing}"
    overridden = "min_eval_examples = 50 (param, overridden)"
    assert (overridden in views["text"]) is (name == "param-override")
    assert ("param" in {e.source for e in inputs}) is (name == "param-override")


LIMIT = """\
gatetree: 1
id: limit
version: 1.0.0
title: Limit
start: g
params:
  limit: {type: integer, default: 5, help: The limit.}
facts:
  n: {type: integer, question: "How many?"}
nodes:
  g:
    kind: gate
    title: Enough?
    question: How many?
    branches:
      - {if: "n >= limit", label: "{limit} or more", next: a}
    default: {next: b, label: "under {limit}"}
  a: {kind: outcome, title: A, action: Stop.}
  b: {kind: outcome, title: B, action: Go on.}
"""


def test_a_what_if_says_its_label_with_the_params_in_effect() -> None:
    tree = load_text(LIMIT)
    for params, label in (({}, "under 5"), ({"limit": 6}, "under 6")):
        what_if = counterfactuals(tree, tree.decide({"n": 7}, params=params))
        [sentence] = [a["sentence"] for s in whatif_dict(what_if)["steps"]
                      for a in s["alternatives"]]
        assert sentence == (f'At g (Enough?), answer "{label}": had none of the conditions '
                            "held, the outcome would have been: B.")
        assert f'answer "{label}"' in _plain(whatif_text(what_if))
        assert f'answer "{label}"' in _plain(whatif_markdown(what_if))
