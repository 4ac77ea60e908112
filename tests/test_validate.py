"""`gatetree validate` on folders, cases files and example facts files; `gatetree test` alike.

Each cases fixture under tests/fixtures/cases/ says its defects on its first line; the
expected diagnostics were written by reading it (line:col is where the culprit stands).
tests/fixtures/folder/ holds one file of each kind a folder may hold.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_cli import invoke

from gatetree.validate import check_reference

ROOT = Path(__file__).resolve().parent.parent
CASES = "tests/fixtures/cases"
FOLDER = ROOT / "tests" / "fixtures" / "folder"


def _shown(path: str) -> str:
    return path.removeprefix(f"{ROOT}{os.sep}")


def diagnostics(relpath: str) -> list[str]:
    """validate's diagnostics of one file, as printed, with paths relative to the root."""
    return [_shown(str(d)) for checked in check_reference(str(ROOT / relpath))
            for d in checked.problems]


_HERE = f"{ROOT}/{CASES}"

# fixture name -> the diagnostics after "path:"
EXPECTED: dict[str, list[str]] = {
    "expectations": [
        "10:23: error: case 'misspelt-outcome' expects outcome 'mnay', which tree 'mini' does "
        "not have (did you mean 'many'?)",
        "13:23: error: case 'unknown-outcome' expects outcome 'finished', which tree 'mini' "
        "does not have (its outcomes: many, done)",
        "16:29: error: case 'misspelt-node-on-path' expects node 'dnoe' on its path, which "
        "tree 'mini' does not have (did you mean 'done'?)",
        "19:43: error: case 'misspelt-missing-fact' expects fact 'cuont' to be missing, which "
        "tree 'mini' does not have (did you mean 'count'?)",
        "19:77: error: case 'misspelt-missing-fact' expects outcome 'doen' to be reachable, "
        "which tree 'mini' does not have (did you mean 'done'?)",
    ],
    # The facts file's problem is located in the facts file (it sorts first, by path).
    "inputs": [
        f"!{CASES}/facts/wrong-type.yaml:3:8: error: fact 'count' must be a whole "
        "number; got 'many'",
        "6:22: error: fact 'decline' must be one of: sudden, gradual; got 'fast'",
        "6:28: error: unknown fact 'cuont' (did you mean 'count'?)",
        "10:25: error: param 'threshold' must be a whole number; got 'ten'",
        "16:17: error: facts file 'no-such-facts.yaml' does not exist (a path is read from "
        f"the cases file's folder: {_HERE}/no-such-facts.yaml)",
    ],
    "unknown-tree": [
        "3:7: error: no built-in tree 'retrain-or-tun' (did you mean 'retrain-or-tune'?)",
    ],
    "missing-tree-file": [
        "3:7: error: tree file 'no-such-tree.yaml' does not exist (a path is read from the "
        f"cases file's folder: {_HERE}/no-such-tree.yaml)",
    ],
    "broken-tree": [
        "3:7: error: tree '../invalid/graph-cycle.yaml' does not load (see its errors with: "
        f"gatetree validate {_HERE}/../invalid/graph-cycle.yaml)",
    ],
    "schema": [
        "5:5: error: missing required key 'expect' in /cases/0",
        "6:5: error: unknown key 'expected' in /cases/0 (did you mean 'expect'?)",
    ],
}


def _expected(name: str) -> list[str]:
    path = f"{CASES}/{name}.yaml"
    return [line[1:] if line.startswith("!") else f"{path}:{line}" for line in EXPECTED[name]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cases_fixture(name: str) -> None:
    assert diagnostics(f"{CASES}/{name}.yaml") == _expected(name)


def test_every_cases_fixture_has_expected_diagnostics() -> None:
    assert {p.stem for p in (ROOT / CASES).glob("*.yaml")} == set(EXPECTED)


# --- the command line --------------------------------------------------------------------


def test_validate_a_cases_file_checks_it_as_cases_not_as_a_tree() -> None:
    path = str(ROOT / "trees" / "cases" / "retrain-or-tune.yaml")
    result = invoke("validate", path)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == f"{path}: ok (cases for retrain-or-tune)\n"


def test_test_reports_an_unknown_outcome_as_validate_does(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # the checkout's path, however long, on one line
    path = str(ROOT / CASES / "expectations.yaml")
    tree = str(ROOT / CASES / "../valid/mini.yaml")  # as the cases file names it
    tested, validated = invoke("test", path), invoke("validate", path)
    assert tested.exit_code == validated.exit_code == 1
    assert [line.removeprefix("  ") for line in tested.stderr.splitlines()] == \
        validated.stderr.splitlines()
    assert tested.stdout.splitlines() == [
        "FAIL mini: misspelt-outcome",
        "FAIL mini: unknown-outcome",
        "FAIL mini: misspelt-node-on-path",
        "FAIL mini: misspelt-missing-fact",
        f"{tree}: mini 1.0.0 coverage: branches 2/4 (50%), nodes 3/4, outcomes 1/2",
        f'  uncovered branch {tree}:28:9: gate-a exit 1 "gradual" -> done',
        f'  uncovered branch {tree}:38:7: gate-b exit 1 "otherwise" -> done',
        "  outcome not reached: done",
        "1 passed, 4 failed",
    ]
    assert tested.stderr.splitlines()[:3] == [
        f"  {path}:10:23: error: case 'misspelt-outcome' expects outcome 'mnay', which tree "
        "'mini' does not have (did you mean 'many'?) [case-unknown-name]",
        "     10 |     expect: {outcome: mnay}",
        "        |                       ^",
    ]


def test_validate_a_folder_checks_every_tree_cases_and_facts_file_under_it() -> None:
    result = invoke("validate", str(FOLDER))
    assert result.exit_code == 1
    at = f"{FOLDER}{os.sep}"
    assert result.stdout.splitlines() == [
        f"{at}mini.yaml: ok",
        f"{at}notes.yaml: skipped (no 'gatetree: 1' or 'gatetree-cases: 1', and not an "
        "example facts file)",
        f"{at}examples/mini/good.yaml: ok (facts for mini)",
    ]
    # The hidden folder's file is never read: it would be a syntax error.
    assert result.stderr.splitlines() == [
        f"{at}unmarked.yaml:2:1: error: missing format marker 'gatetree' "
        "(add 'gatetree: 1' as the first line) [format-marker-missing]",
        "    2 | id: unmarked",
        "      | ^",
        f"{at}cases/mini.yaml:10:23: error: case 'misspelt' expects outcome 'mnay', which tree "
        "'mini' does not have (did you mean 'many'?) [case-unknown-name]",
        "   10 |     expect: {outcome: mnay}",
        "      |                       ^",
        f"{at}examples/mini/bad.yaml:3:8: error: fact 'count' must be a whole number; "
        "got 'lots' [value-does-not-fit]",
        "    3 | count: lots",
        "      |        ^",
        f"{at}nested/deeper/broken.yml:6:8: error: start node 'strat' does not exist "
        "(did you mean 'start'?) [unknown-start]",
        "    6 | start: strat",
        "      |        ^",
        f"{at}nested/deeper/examples/broken/any.yaml: error: cannot check these facts: tree "
        f"'broken' does not load (see its errors with: gatetree validate "
        f"{at}nested/deeper/broken.yml) [facts-tree-broken]",
    ]


def test_validate_the_built_in_folder() -> None:
    folder = ROOT / "trees"
    result = invoke("validate", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    at = f"{folder}{os.sep}"
    assert result.stdout.splitlines() == [
        f"{at}ai-workflow-triage.yaml: ok",
        f"{at}retrain-or-tune.yaml: ok",
        f"{at}tune-or-rebuild.yaml: ok",
        f"{at}cases/ai-workflow-triage.yaml: ok (cases for ai-workflow-triage)",
        f"{at}cases/retrain-or-tune.yaml: ok (cases for retrain-or-tune)",
        f"{at}cases/tune-or-rebuild.yaml: ok (cases for tune-or-rebuild)",
        f"{at}examples/ai-workflow-triage/broken-workflow.yaml: ok (facts for ai-workflow-triage)",
        f"{at}examples/ai-workflow-triage/degrading-classifier.yaml: ok "
        "(facts for ai-workflow-triage)",
        f"{at}examples/retrain-or-tune/running-example.yaml: ok (facts for retrain-or-tune)",
        f"{at}examples/tune-or-rebuild/almost-working.yaml: ok (facts for tune-or-rebuild)",
        f"{at}examples/tune-or-rebuild/broken-workflow.yaml: ok (facts for tune-or-rebuild)",
        f"{at}examples/tune-or-rebuild/refinable-workflow.yaml: ok (facts for tune-or-rebuild)",
    ]


NO_TREES = ROOT / "tests" / "fixtures" / "no-trees"


def test_validate_a_folder_with_nothing_to_check_is_an_error() -> None:
    result = invoke("validate", str(NO_TREES))
    assert result.exit_code == 1
    assert result.stdout == (f"{NO_TREES / 'settings.yml'}: skipped (no 'gatetree: 1' or "
                             "'gatetree-cases: 1', and not an example facts file)\n")
    assert result.stderr == (f"{NO_TREES}: error: no tree, cases or facts file under this "
                             "folder (trees start with 'gatetree: 1', cases files with "
                             "'gatetree-cases: 1') [empty-folder]\n")


def test_a_file_named_on_its_own_is_a_tree_unless_it_says_otherwise() -> None:
    path = NO_TREES / "settings.yml"
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:2:1: error: missing format marker 'gatetree' (add 'gatetree: 1' as the "
        "first line) [format-marker-missing]",
        "    2 | colour: blue",
        "      | ^",
    ]


def test_validate_shows_the_source_line_and_a_caret_under_a_syntax_error() -> None:
    path = str(ROOT / "tests" / "fixtures" / "invalid" / "yaml-syntax-error.yaml")
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:32:17: error: invalid YAML: mapping values are not allowed here "
        "(a plain value cannot contain ': '; quote it: title: \"Count: enough\") [yaml-syntax]",
        "   32 |     title: Count: enough",
        "      |                 ^",
    ]


def test_validate_help_says_what_a_folder_holds() -> None:
    result = invoke("validate", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "In a folder, every *.yaml and *.yml file is checked, recursively" in text
    assert "(examples/TREE-ID/NAME.yaml beside TREE-ID.yaml, checked against that tree)" in text
    assert "any other YAML file is skipped with a note" in text


def test_warnings_pass_unless_strict() -> None:
    path = str(ROOT / "tests" / "fixtures" / "invalid" / "warn-unused-param.yaml")
    warning = [
        f"{path}:12:3: warning: param 'limit' is declared but never used "
        "(remove it, or use it in a gate) [unused-declaration]",
        "   12 |   limit:",
        "      |   ^",
    ]
    lenient, strict = invoke("validate", path), invoke("validate", "--strict", path)
    assert (lenient.exit_code, lenient.stdout) == (0, f"{path}: ok (1 warning)\n")
    assert (strict.exit_code, strict.stdout) == (1, "")
    assert lenient.stderr.splitlines() == strict.stderr.splitlines() == warning
