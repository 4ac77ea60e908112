"""Hostile texts through every format: the syntax and the structure always survive.

Titles, questions, labels, actions and values full of quotes, `< > &`, `|`, `]`, `-->`,
braces, backslashes (Graphviz's `\\N`), `%%`, backticks, unicode, newlines and control
characters must never add, drop or rename a node or an edge, nor inject markup.
"""

from __future__ import annotations

import json
import re
import subprocess
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatetree.graph import outcomes_below
from gatetree.model import Branch, Fact, Gate, Outcome, Param, Reference, TreeSpec
from gatetree.record import walk
from gatetree.render import build_diagram, to_dot, to_mermaid, tree_doc
from gatetree.render._text import clean
from gatetree.render.mermaid import CAPTION_NODE, mermaid_names
from gatetree.tree import DecisionTree

FRAGMENTS = ['"', "'", "<", ">", "&", "&amp;", "|", "]", "[", "-->", "==>", "{", "}", "{x}",
             "\\", "\\N", "\\G", "\\", "\n", "\r\n", "\t", "#", "#quot;", ";", "`", "```",
             "%%", "<b>", "</i>", "<br>", "(", ")", "((", "end", "click", "é", "—", "→",
             "日本", "\u2028", "\x00", "\x1b", "\ud800", "\ufffe", " ", "word", "- ", "1. "]
HOSTILE = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map("".join),
    st.text(max_size=30),
)
# Node ids keep to the schema's pattern but include DOT and Mermaid keywords.
IDS = st.lists(st.sampled_from(["node", "edge", "graph", "digraph", "subgraph", "strict",
                                "end", "class", "classdef", "style", "linkstyle", "click",
                                "o", "x", "a-b", "a_b", "0", "9-lives", "gate--x", "out-"]),
               min_size=5, max_size=5, unique=True)


@st.composite
def hostile_trees(draw: st.DrawFn) -> tuple[DecisionTree, dict[str, str]]:
    """A two-gate tree with hostile texts everywhere, and facts that walk it to an outcome."""
    g1, g2, o1, o2, o3 = draw(IDS)
    text = lambda: draw(HOSTILE)  # noqa: E731
    value = draw(st.text(min_size=1, max_size=12))
    facts = {"f": Fact("f", "string", text(), help=text()),
             "g": Fact("g", "enum", text(), values=("yes", "no"))}
    gate1 = Gate(g1, text(), text(), fact="f", help=text(), notes=text(), branches=(
        Branch("when", g2, value=value, label=text(), looks_like=text(), note=text(),
               actions=(text(), text())),
        Branch("when", o1, value=value + "!", label=text()),
    ), default=Branch("default", o3, label=text(), actions=(text(),)))
    gate2 = Gate(g2, text(), text(), fact="g", branches=(
        Branch("when", o2, value="yes", label=text(), looks_like=text()),
        Branch("when", o3, value="no", actions=(text(),)),
    ))
    outcomes = [Outcome(o, text(), text(), why=text(), next_steps=(text(), text()),
                        references=(Reference(text(), "https://example.org/<x>", text()),))
                for o in (o1, o2, o3)]
    nodes = {n.id: n for n in (gate1, gate2, *outcomes)}
    spec = TreeSpec(id=g1, version="1.0.0", title=text(), start=g1,
                    params={"p": Param("p", "string", text(), text())}, facts=facts,
                    nodes=nodes, description=text(), notes=text(),
                    source=Reference(text(), "", text()))
    tree = DecisionTree(spec, {}, {}, outcomes_below(spec), filled=spec)
    answer = draw(st.sampled_from([value, value + "!", "other"]))
    return tree, {"f": answer, "g": draw(st.sampled_from(["yes", "no"]))}


def _decision(tree: DecisionTree, facts: dict[str, str]):  # type: ignore[no-untyped-def]
    return walk(tree._plan, facts, {})


def _plain(label: str) -> str:
    """A Mermaid label back to its characters: tags dropped, entities decoded, no spaces."""
    text = re.sub(r"<[^>]*>", "", label)
    text = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)
    return "".join(text.replace("\xa0", " ").split())


# Labels are never empty: Mermaid rejects `[""]` and `|""|`.
_NODE_LINE = re.compile(r'^    (\w+)(\(\[|\(|\[\[|\[)"([^"\n]+)"(\]\)|\)|\]\]|\])$')
_EDGE_LINE = re.compile(r'^    (\w+) (-->|==>|-\.->)(?:\|"([^"\n]+)"\|)? (\w+)$')
_OTHER_LINE = re.compile(r"^(---|title: .*|flowchart TB|    (classDef|class|linkStyle) \S.*)$")


def check_mermaid(diagram) -> None:  # type: ignore[no-untyped-def]
    text = to_mermaid(diagram)
    names = mermaid_names(n.id for n in diagram.nodes)
    assert len(set(names.values())) == len(names)
    nodes, edges = [], []
    for line in text.splitlines():
        if match := _NODE_LINE.match(line):
            nodes.append(match.groups())
        elif match := _EDGE_LINE.match(line):
            edges.append(match.groups())
        else:
            assert _OTHER_LINE.match(line), f"unexpected line: {line!r}"
    caption = 1 if diagram.highlighted and len(diagram.caption) > 1 else 0
    assert len(nodes) == len(diagram.nodes) + caption
    assert [n[0] for n in nodes[: len(diagram.nodes)]] == [names[n.id] for n in diagram.nodes]
    for (name, _, label, _), node in zip(nodes, diagram.nodes, strict=False):
        expected = node.title + "".join(line.text for line in node.body)
        assert _plain(label).endswith("".join(expected.split())), name
    assert [(e[0], e[3]) for e in edges] == [(names[e.source], names[e.target])
                                             for e in diagram.edges]
    for (_, _, label, _), edge in zip(edges, diagram.edges, strict=True):
        expected = edge.label + "".join(line.text for line in edge.body)
        assert _plain(label or "") == "".join(expected.split())
    if caption:
        assert nodes[-1][0] == CAPTION_NODE
    title = json.loads(text.splitlines()[1].removeprefix("title: "))
    assert title == clean(diagram.title)


def check_markdown(tree: DecisionTree) -> None:
    doc = tree_doc(tree)
    headings = re.findall(r"^## (.*)$", doc, re.M)
    gates = [n for n in tree.spec.nodes.values() if isinstance(n, Gate)]
    notes = 1 if tree.spec.notes.strip() else 0
    assert len(headings) == 3 + len(tree.spec.nodes) + notes  # flowchart, facts, params
    assert len(re.findall(r"^### ", doc, re.M)) == sum(len(g.exits) for g in gates)
    rows = [line for line in doc.splitlines() if line.startswith("| `")]
    assert len(rows) == len(tree.spec.facts) + len(tree.spec.params)
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 5, row
    fence = re.search(r"^```mermaid\n(.*?)^```$", doc, re.M | re.S)
    assert fence is not None and "`" not in fence.group(1)
    assert fence.group(1) == to_mermaid(build_diagram(tree))
    fences = [line for line in doc.splitlines() if line.lstrip(" ").startswith(("```", "~~~"))]
    assert fences == ["```mermaid", "```"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_trees())
def test_mermaid_and_markdown_keep_their_structure(case) -> None:  # type: ignore[no-untyped-def]
    tree, facts = case
    check_mermaid(build_diagram(tree))
    check_mermaid(build_diagram(tree, expand=True))
    check_mermaid(build_diagram(tree, _decision(tree, facts)))
    check_markdown(tree)


def _dot_structure(dot_text: str) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(["dot", "-Tjson"], input=dot_text.encode("utf-8"),
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode() == ""
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def check_dot(diagram) -> None:  # type: ignore[no-untyped-def]
    dot_text = to_dot(diagram)
    drawn = _dot_structure(dot_text)
    objects = drawn.get("objects", [])
    assert [o["name"] for o in objects] == [n.id for n in diagram.nodes]
    names = {o["_gvid"]: o["name"] for o in objects}
    assert sorted((e["id"], names[e["tail"]], names[e["head"]])
                  for e in drawn.get("edges", [])) == sorted(
        (e.id, e.source, e.target) for e in diagram.edges)
    assert [o["id"] for o in objects] == [n.id for n in diagram.nodes]


@pytest.mark.dot
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_trees())
def test_dot_parses_and_keeps_its_structure(case) -> None:  # type: ignore[no-untyped-def]
    tree, facts = case
    check_dot(build_diagram(tree))
    check_dot(build_diagram(tree, _decision(tree, facts), expand=True))


@pytest.mark.dot
def test_graphviz_escapes_do_not_expand() -> None:
    spec = TreeSpec(id="t", version="1.0.0", title="\\G", start="a", params={}, facts={
        "f": Fact("f", "boolean", "q")}, nodes={
        "a": Gate("a", "\\N \\G \\L \\\\ &amp; <b>x</b>", "", fact="f", branches=(
            Branch("when", "b", value=True, label='\\E "]\\'),
            Branch("when", "b", value=False, label="-->"))),
        "b": Outcome("b", "]]>", "<![CDATA[ x ]]>")})
    tree = DecisionTree(spec, MappingProxyType({}), MappingProxyType({}), outcomes_below(spec),
                        filled=spec)
    done = subprocess.run(["dot", "-Tsvg"], input=to_dot(build_diagram(tree)).encode(),
                          capture_output=True, check=True)
    svg = done.stdout.decode()
    assert done.stderr == b""
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "\\N \\G \\L \\\\ &amp;amp; &lt;b&gt;x&lt;/b&gt;" in texts
    assert "\\E &quot;]\\" in texts
    assert "&#45;&#45;&gt;" in texts
