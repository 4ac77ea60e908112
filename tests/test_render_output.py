"""Running Graphviz: every DOT we emit draws without a warning; a missing `dot` fails loudly."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from gatetree import GatetreeError, UnknownName, load_tree, read_facts
from gatetree.render import (
    FORMATS,
    GraphvizNotFound,
    RenderError,
    UnknownFormat,
    build_diagram,
    render_bytes,
    render_image,
    render_text,
    to_dot,
    write_diagram,
)
from gatetree.render.formats import check_format, format_for_path

ROOT = Path(__file__).resolve().parents[1]
TREES = sorted((ROOT / "trees").glob("*.yaml"))
RUNNING = ROOT / "trees" / "examples" / "retrain-or-tune" / "running-example.yaml"


def _running():  # type: ignore[no-untyped-def]
    tree = load_tree("retrain-or-tune")
    facts, _ = read_facts(RUNNING)
    return tree, tree.decide(facts)


def _dot_svg(dot_text: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["dot", "-Tsvg"], input=dot_text.encode(), capture_output=True,
                          check=False)


def _emitted() -> list[tuple[str, str]]:
    tree, decision = _running()
    incomplete = tree.decide({"has_quality_metrics": True, "decline": "sudden"})
    out = [(p.stem, to_dot(build_diagram(load_tree(p)))) for p in TREES]
    out += [(f"{p.stem}-expanded", to_dot(build_diagram(load_tree(p), expand=True)))
            for p in TREES]
    out.append(("running-example", to_dot(build_diagram(tree, decision))))
    out.append(("incomplete", to_dot(build_diagram(tree, incomplete))))
    return out


@pytest.mark.dot
@pytest.mark.parametrize(("name", "dot_text"), _emitted(), ids=[n for n, _ in _emitted()])
def test_every_dot_we_emit_draws_without_warnings(name: str, dot_text: str) -> None:
    done = _dot_svg(dot_text)
    assert done.returncode == 0
    assert done.stderr.decode() == ""
    assert done.stdout.startswith(b"<?xml")


@pytest.mark.dot
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_write_diagram_writes_images(tmp_path: Path, fmt: str) -> None:
    tree, decision = _running()
    path = write_diagram(tree, decision, tmp_path / f"out.{fmt}")
    magic = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF"}[fmt]
    assert path.read_bytes().startswith(magic)


@pytest.mark.dot
def test_svg_keeps_the_stable_ids(tmp_path: Path) -> None:
    tree, decision = _running()
    svg = ElementTree.fromstring(render_bytes(to_dot(build_diagram(tree, decision)), "svg"))
    classes = {g.get("id"): g.get("class") for g in svg.iter("{http://www.w3.org/2000/svg}g")}
    assert classes["gate-2.1"] == "edge when taken"
    assert classes["gate-2.2"] == "edge when faded"
    assert classes["fine-tune"] == "node outcome path"
    assert classes["retrain-or-tune"] == "graph"


@pytest.mark.dot
def test_dot_failure_is_reported_with_graphviz_message() -> None:
    with pytest.raises(RenderError, match=r"failed to draw the SVG: .*syntax error"):
        render_bytes("digraph { a -> }", "svg")


def test_missing_dot_fails_with_install_hint(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    dot_text = to_dot(build_diagram(load_tree("retrain-or-tune")))
    assert dot_text.startswith('digraph "retrain-or-tune" {')  # DOT text needs no Graphviz
    with pytest.raises(GraphvizNotFound) as info:
        write_diagram(load_tree("retrain-or-tune"), None, tmp_path / "out.png")
    message = str(info.value)
    assert message.startswith("cannot make PNG: Graphviz's 'dot' program was not found. "
                              "Install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz")
    assert "--format dot or --format mermaid" in message
    assert not (tmp_path / "out.png").exists()
    assert isinstance(info.value, GatetreeError)


def test_unknown_format_lists_the_formats() -> None:
    with pytest.raises(UnknownFormat) as info:
        check_format("svgz")
    assert str(info.value) == ("unknown format 'svgz' (did you mean 'svg'?); formats: "
                               "dot, svg, png, pdf, mermaid, markdown")
    assert isinstance(info.value, UnknownName) and isinstance(info.value, RenderError)
    with pytest.raises(UnknownFormat, match=r"formats: svg, png, pdf$"):
        render_bytes("digraph {}", "mermaid")
    assert FORMATS == ("dot", "svg", "png", "pdf", "mermaid", "markdown")


def test_format_for_path() -> None:
    assert [format_for_path(p) for p in ("a.svg", "b.PNG", "c.pdf", "d.dot", "e.gv",
                                         "f.mmd", "g.md")] == [
        "svg", "png", "pdf", "dot", "dot", "mermaid", "markdown"]
    with pytest.raises(UnknownFormat) as info:
        format_for_path("x.jpg")
    assert str(info.value) == ("unknown format '.jpg' (did you mean '.png'?); formats: .dot, "
                               ".gv, .svg, .png, .pdf, .mmd, .mermaid, .md")


def test_render_text_formats() -> None:
    tree, decision = _running()
    assert render_text(tree, "dot", decision=decision) == to_dot(build_diagram(tree, decision))
    assert render_text(tree, "mermaid").startswith("---\ntitle: ")
    assert render_text(tree, "markdown").startswith("# When should I retrain or tune?\n")
    with pytest.raises(UnknownFormat, match=r"formats: dot, mermaid, markdown$"):
        render_text(tree, "svg")
    with pytest.raises(UnknownFormat, match=r"formats: svg, png, pdf$"):
        render_image(tree, "dot")
    with_decision = render_text(tree, "markdown", decision=decision)
    assert "## The path on the tree" in with_decision
    assert "    n_gate_0 ==>|" in with_decision


def test_write_diagram_picks_the_format_from_the_suffix(tmp_path: Path) -> None:
    tree, decision = _running()
    mmd = write_diagram(tree, decision, tmp_path / "d.mmd")
    assert mmd.read_text().startswith("---\ntitle: ")
    dot = write_diagram(tree, None, tmp_path / "d.dot")
    assert dot.read_text() == to_dot(build_diagram(tree))
    with pytest.raises(RenderError, match="cannot write"):
        write_diagram(tree, None, tmp_path / "missing" / "d.dot")


@pytest.mark.dot
def test_write_diagram_svg(tmp_path: Path) -> None:
    tree, decision = _running()
    assert write_diagram(tree, decision, tmp_path / "d.svg").read_bytes().startswith(b"<?xml")
    assert render_image(tree, "png", decision=decision).startswith(b"\x89PNG")


def test_dot_binary_is_where_ci_expects_it() -> None:
    if os.environ.get("CI"):
        assert shutil.which("dot"), "CI must install Graphviz: the dot-marked tests need it"
    elif shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed here; the dot-marked tests need it")


def test_missing_graphviz_package_is_a_render_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(RenderError, match=r"needs the Python package 'graphviz'.*pip install"):
        to_dot(build_diagram(load_tree("retrain-or-tune")))
