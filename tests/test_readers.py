"""libyaml and the pure-Python reader give the same data, positions and problems.

The reader uses libyaml for speed where PyYAML has it; a text libyaml would read otherwise
(tabs, empty values, `?` in flow values, ...) goes to the Python reader, which alone words
the problems. These tests read many texts both ways and compare everything.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatetree import TreeError, source
from gatetree.source import parse_document

ROOT = Path(__file__).resolve().parents[1]
YAML_FILES = sorted(p for pattern in ("trees/**/*.yaml", "tests/fixtures/**/*.yaml")
                    for p in ROOT.glob(pattern))

pytestmark = pytest.mark.skipif(source._FastLoader is None,
                                reason="PyYAML is built without libyaml here")

# Pieces of YAML where the two readers are known to part ways, and plain ones around them.
PIECES = ["a", "b", "1", " ", "  ", "\n", "\n  ", "\n- ", ": ", ":", "?", "? ", ",", "[", "]",
          "{", "}", "#", " #c", "'", '"', "|", ">", "|-\n", ">+\n", "|2\n", "-", "- ", "&x ",
          "*x", "!", "!!str ", "!!int ", "!!null ", "%YAML 1.1\n", "---", "...", "\r\n", "x: ",
          "\n  k: ", "true", "0x1", "1.5", "~", "null", "\t", "\u2028", "\x85", "\ufeff", "\x07",
          "<<: ", "é", "💥", "\\"]


def read(text: str, *, fast: bool) -> Any:
    """Everything a reader gives for a text: data and every position (ends included), or
    the printed problems."""
    saved = source._FastLoader
    source._FastLoader = saved if fast else None
    try:
        document = parse_document(text, path="doc.yaml")
    except TreeError as exc:
        return [str(d) for d in exc.diagnostics]
    finally:
        source._FastLoader = saved
    return (repr(document.data),
            {k: (p.line, p.col, p.style, p.end_line, p.end_col)
             for table in (document.positions, document.key_positions) for k, p in table.items()})


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_tree_and_fixture_reads_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert read(text, fast=True) == read(text, fast=False)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
def test_tricky_texts_read_the_same(text: str) -> None:
    assert read(text, fast=True) == read(text, fast=False)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_edited_trees_read_the_same(data: st.DataObject) -> None:
    text = (ROOT / "tests" / "fixtures" / "valid" / "evaluation.yaml").read_text()
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 8))
    piece = data.draw(st.sampled_from(PIECES))
    edited = text[:at] + piece + text[at + cut:]
    assert read(edited, fast=True) == read(edited, fast=False)


def test_libyaml_reads_a_clean_tree_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> None:
        raise AssertionError("the pure-Python reader was used")

    monkeypatch.setattr(source, "_Loader", refused)
    text = (ROOT / "trees" / "retrain-or-tune.yaml").read_text()
    assert parse_document(text, path="t.yaml").data["id"] == "retrain-or-tune"


@pytest.mark.parametrize("text", ["a:\tb\n", "a: b\ufeff\n", "a:\n", "a: [b?]\n", "a: |#\n  x\n",
                                  "a: {b?: c}\n"])
def test_texts_libyaml_reads_otherwise_go_to_the_python_reader(
        monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    used = []
    real = source._Loader

    def python(stream: str) -> Any:
        used.append(stream)
        return real(stream)

    monkeypatch.setattr(source, "_Loader", python)
    with contextlib.suppress(TreeError):
        parse_document(text, path="doc.yaml")
    assert used == [text]
