"""The README is the front door: its commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    commands = re.findall(r"^python3 -m pip install -e .*pytest$", README, flags=re.M)
    assert commands == ['python3 -m pip install -e ".[test]" && python3 -m pytest']
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[0] in ci_lines


def test_the_embedding_examples_run(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    section = README.split("## Embedding the engine", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    monkeypatch.chdir(ROOT)  # the examples name files as a checkout has them
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines()[:2] == [
        "need: context_fixes - Does quality recover when you run your failing examples with "
        "manually-crafted perfect context injected directly, bypassing your retrieval pipeline?",
        "still possible: ('fix-retrieval', 'fix-prompt', 'fine-tune', 'full-retrain', "
        "'provider-escalation', 'deep-debug')"]
