"""The pytest plugin: a fresh folder with a tree and a `*.cases.yaml` is tested by plain
`pytest`, one item per case; a wrong expectation fails with expected vs actual at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gatetree.pytest_plugin import is_cases_file

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "valid" / "mini.yaml"

CASES = """\
# yaml-language-server: $schema=cases.v1.schema.json
gatetree-cases: 1
tree: mini.yaml
cases:
  - name: gradual-is-done
    facts: {decline: gradual}
    expect: {outcome: done}
  - name: many-examples
    facts: {decline: sudden, count: 200}
    expect: {outcome: many, visits: [gate-b]}
"""


@pytest.fixture
def folder(pytester: pytest.Pytester) -> pytest.Pytester:
    shutil.copy(MINI, pytester.path / "mini.yaml")
    return pytester


def test_a_fresh_folder_runs_its_cases(folder: pytest.Pytester) -> None:
    (folder.path / "policy.cases.yaml").write_text(CASES, encoding="utf-8")
    result = folder.runpytest("-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["policy.cases.yaml::gradual-is-done PASSED*",
                                 "policy.cases.yaml::many-examples PASSED*"])


def test_a_wrong_expectation_fails_at_its_line(folder: pytest.Pytester) -> None:
    wrong = CASES.replace("expect: {outcome: done}", "expect: {outcome: many}")
    (folder.path / "policy.cases.yaml").write_text(wrong, encoding="utf-8")
    result = folder.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    cases = folder.path / "policy.cases.yaml"
    result.stdout.fnmatch_lines([
        "*_ case: gradual-is-done _*",
        f"{cases}:5:5: case 'gradual-is-done' failed",
        "  outcome: expected 'many', got 'done'",
        "  tree mini 1.0.0 reached done by gate-a -> done",
    ])


def test_a_broken_cases_file_is_one_failing_item(folder: pytest.Pytester) -> None:
    (folder.path / "policy.cases.yaml").write_text(
        "gatetree-cases: 1\ntree: mini.yaml\ncases: []\n", encoding="utf-8")
    result = folder.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"{folder.path / 'policy.cases.yaml'}:3:8: error: *"])


def test_other_yaml_files_are_left_alone(folder: pytest.Pytester) -> None:
    (folder.path / "notes.cases.yaml").write_text("title: not a cases file\n", encoding="utf-8")
    (folder.path / "policy.yaml").write_text(CASES, encoding="utf-8")  # not *.cases.yaml
    result = folder.runpytest()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_the_projects_own_run_collects_no_cases_file() -> None:
    """testpaths is tests/; nothing under it or trees/ is a file the plugin would collect,
    so the built-in cases run once, through `gatetree test`, never twice."""
    found = [p for folder in ("tests", "trees") for p in (ROOT / folder).rglob("*.yaml")
             if is_cases_file(p)]
    assert found == []


def test_an_unknown_tree_id_fails_with_a_message(folder: pytest.Pytester) -> None:
    (folder.path / "policy.cases.yaml").write_text(
        CASES.replace("tree: mini.yaml", "tree: no-such-tree"), encoding="utf-8")
    result = folder.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [f"{folder.path / 'policy.cases.yaml'}:3:7: error: no built-in tree 'no-such-tree'*"])
    assert "Traceback" not in result.stdout.str()
