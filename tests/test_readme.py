"""The README is the front door: its commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gatetree import TreeError
from gatetree.cases import check_cases
from gatetree.loader import compile_document
from gatetree.source import Document, parse_document

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    commands = re.findall(r"^python3 -m pip install -e .*pytest$", README, flags=re.M)
    assert commands == ['python3 -m pip install -e ".[test]" && python3 -m pytest']
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[0] in ci_lines


# --- the README's YAML: every block reads; the complete ones validate cleanly ---------------

_FENCE = re.compile(r"^```yaml\n(.*?)^```$", flags=re.M | re.S)


def _yaml_blocks() -> list[tuple[int, str]]:
    """Each ```yaml block with the README line its text starts on."""
    return [(README.count("\n", 0, found.start(1)) + 1, found.group(1))
            for found in _FENCE.finditer(README)]


def _document(start: int, text: str) -> Document:
    # Blank lines in front, so every diagnostic points at its line of the README.
    return parse_document("\n" * (start - 1) + text, path="README.md")


def _kind(data: object) -> str:
    if isinstance(data, dict) and "gatetree" in data:
        return "tree"
    if isinstance(data, dict) and "gatetree-cases" in data:
        return "cases"
    return "fragment"


def test_the_readme_has_the_yaml_blocks_these_tests_read() -> None:
    kinds = [_kind(_document(start, text).data) for start, text in _yaml_blocks()]
    assert kinds == ["tree", "fragment", "fragment", "cases", "fragment"]


@pytest.mark.parametrize(("start", "text"), _yaml_blocks(),
                         ids=[f"line-{start}" for start, _ in _yaml_blocks()])
def test_every_readme_yaml_block_reads_and_the_complete_ones_validate(start: int,
                                                                      text: str) -> None:
    try:
        document = _document(start, text)
    except TreeError as exc:
        pytest.fail("\n".join(str(d) for d in exc.diagnostics), pytrace=False)
    kind = _kind(document.data)
    if kind == "tree":
        _, problems = compile_document(document)
        assert [str(p) for p in problems] == []
    elif kind == "cases":
        # Its paths are written for trees/cases/, where the built-in cases live.
        assert [str(p) for p in check_cases(document, base=ROOT / "trees" / "cases")] == []


def test_readme_schema_lines_are_the_ones_the_builtin_files_use() -> None:
    """Paths that resolve in a checkout, not a made-up URL."""
    modelines = re.findall(r"^# yaml-language-server: \$schema=\S+$", README, flags=re.M)
    shipped = [(ROOT / "trees" / "retrain-or-tune.yaml"),
               (ROOT / "trees" / "cases" / "retrain-or-tune.yaml")]
    assert modelines == [p.read_text(encoding="utf-8").splitlines()[0] for p in shipped]


def test_readme_shows_the_offline_schema_and_shell_completion() -> None:
    assert "gatetree schema tree --path" in README
    assert 'eval "$(_GATETREE_COMPLETE=bash_source gatetree)"' in README


def test_the_embedding_examples_run(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    section = README.split("## Embedding the engine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 3
    monkeypatch.chdir(ROOT)  # the examples name files as a checkout has them
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines()[:2] == [
        "need: context_fixes - Does quality recover when you run your failing examples with "
        "manually-crafted perfect context injected directly, bypassing your retrieval pipeline?",
        "still possible: ('fix-retrieval', 'fix-prompt', 'fine-tune', 'fine-tune-on-new-labels', "
        "'deep-debug')"]
