"""The README is the front door: its commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    commands = re.findall(r"^python3 -m pip install -e .*pytest$", README, flags=re.M)
    assert commands == ['python3 -m pip install -e ".[test]" && python3 -m pytest']
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[0] in ci_lines


def test_readme_schema_lines_are_the_ones_the_builtin_files_use() -> None:
    """Paths that resolve in a checkout, not a made-up URL."""
    modelines = re.findall(r"^# yaml-language-server: \$schema=\S+$", README, flags=re.M)
    shipped = [(ROOT / "trees" / "retrain-or-tune.yaml"),
               (ROOT / "trees" / "cases" / "retrain-or-tune.yaml")]
    assert modelines == [p.read_text(encoding="utf-8").splitlines()[0] for p in shipped]


def test_readme_shows_the_offline_schema_and_shell_completion() -> None:
    assert "gatetree schema tree --path" in README
    assert 'eval "$(_GATETREE_COMPLETE=bash_source gatetree)"' in README
