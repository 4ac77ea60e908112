"""`gatetree lint`: each rule fires on its fixture, at the culprit's line, and not on clean.yaml.

Each fixture under tests/fixtures/lint/ says on its first line what it triggers; the
expected findings were written by reading it. clean.yaml holds a near miss of every rule
(a gate whose fact has help, an enum gate without looks_like, conditions that can hold,
a condition on a param, which is never judged) and lints clean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import invoke

from gatetree.lint import RULES, lint_file

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "tests" / "fixtures" / "lint"


def findings(name: str) -> list[str]:
    linted = lint_file(LINT / name)
    assert linted.errors == ()
    return [f"{f.location.line}:{f.location.col}: {f.code} {f.message} ({f.hint})"
            for f in linted.findings]


# fixture -> its findings, as line:col: CODE message (hint)
EXPECTED: dict[str, list[str]] = {
    "gt100-unknown-rule.yaml": [
        "8:13: GT100 lint.disable names 'GT1O1', which is not a rule (did you mean 'GT101'?)",
    ],
    "gt101-no-next-steps.yaml": [
        "87:3: GT101 outcome 'done' has no next_steps (say what to do first, as a list under "
        "next_steps:)",
    ],
    "gt102-no-why.yaml": [
        "81:3: GT102 outcome 'relax' has no why (say why this is the decision, under why:)",
    ],
    "gt103-no-help.yaml": [
        "30:3: GT103 gate 'size' nor its fact 'size' has no help (add help: saying how to "
        "answer, and what the answers mean)",
        "50:3: GT103 gate 'count' has no help (add help: saying how to answer, and what the "
        "answers mean)",
    ],
    "gt104-fact-never-asked.yaml": [
        "26:3: GT104 fact 'colour' is never asked on any path (branch on it, read it in a "
        "condition or derive, or remove it)",
        "29:3: GT104 fact 'weekend' is never asked on any path (branch on it, read it in a "
        "condition or derive, or remove it)",
        "65:13: GT108 'if: count > 9 and count < 2 and weekend' of 'count' can never hold (no "
        "value of count, weekend makes it true)",
    ],
    "gt105-param-never-used.yaml": [
        "8:3: GT105 param 'limit' is never used (read it in a condition, derive, quorum or "
        "{text}, or remove it)",
    ],
    "gt106-long-question.yaml": [
        "25:7: GT106 the question of fact 'count' is 258 characters long (over 200) (ask the "
        "question itself, and move the detail to help:)",
    ],
    "gt107-no-looks-like.yaml": [
        "48:9: GT107 the 'no' branch of yes/no gate 'urgency' has no looks_like (describe what "
        "this answer looks like in practice, so people can tell yes from no)",
    ],
    "gt108-enum-default.yaml": [
        "41:7: GT108 the default of 'size' is never taken (the branches before it cover every "
        "answer; remove the default)",
    ],
    "gt108-boolean.yaml": [
        "51:7: GT108 the default of 'urgency' is never taken (the branches before it cover "
        "every answer; remove the default)",
    ],
    "gt108-conditions.yaml": [
        "59:13: GT108 'if: count > 3 and count < 4' of 'count' can never hold (no value of "
        "count makes it true)",
        "75:13: GT108 'if: score > 10 and score > 60' of 'score' is never taken (the branches "
        "before it take every answer that makes it true)",
        "77:13: GT108 'if: size == 'small' and size != 'small'' of 'score' can never hold (no "
        "value of size makes it true)",
    ],
    "gt108-checklist.yaml": [
        "34:13: GT108 'if: a >= 3' of 'signs' can never hold (no tally of its items makes it "
        "true)",
    ],
    "gt109-same-action.yaml": [
        "84:5: GT109 outcome 'relax' has the same action as 'rush' "
        f"({LINT / 'gt109-same-action.yaml'}:75:3) (say what differs, or send both branches "
        "to one outcome)",
    ],
    "gt101-disabled.yaml": [],
    "clean.yaml": [],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings(name: str) -> None:
    assert findings(name) == EXPECTED[name]


def test_every_rule_has_a_fixture_that_triggers_it() -> None:
    fired = {line.split()[1] for lines in EXPECTED.values() for line in lines}
    assert fired == {rule.code for rule in RULES}


def test_every_fixture_is_tested() -> None:
    assert sorted(p.name for p in LINT.glob("*.yaml")) == sorted(EXPECTED)


def test_builtin_trees_lint_clean_under_strict() -> None:
    result = invoke("lint", "--strict", *sorted(str(p) for p in (ROOT / "trees").glob("*.yaml")))
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": ok\n") == 3


def test_strict_fails_on_a_warning_located() -> None:
    path = str(LINT / "gt101-no-next-steps.yaml")
    assert invoke("lint", path).exit_code == 0
    result = invoke("lint", "--strict", path)
    assert result.exit_code == 1
    assert f"{path}:87:3: warning: GT101 outcome 'done' has no next_steps" in result.stderr
    assert result.stdout == f"{path}: 1 warning\n"


def test_a_tree_that_does_not_load_fails_with_its_errors() -> None:
    path = str(ROOT / "tests" / "fixtures" / "invalid" / "graph-cycle.yaml")
    result = invoke("lint", path)
    assert result.exit_code == 1
    assert f"{path}:21:3: error: cycle: gate-a -> gate-b -> gate-a" in result.stderr


def test_json_lists_each_finding_with_code_rule_and_place() -> None:
    path = str(LINT / "gt102-no-why.yaml")
    result = invoke("lint", "--format", "json", "--strict", path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["files"] == [{"path": path, "errors": [], "warnings": [{
        "code": "GT102", "rule": "outcome-without-why", "path": path, "line": 81, "col": 3,
        "message": "outcome 'relax' has no why", "hint": "say why this is the decision, under why:",
    }]}]


def test_a_folder_lints_every_tree_under_it_and_a_builtin_id_resolves() -> None:
    result = invoke("lint", str(LINT))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(EXPECTED)
    assert invoke("lint", "--strict", "tune-or-rebuild").stdout.endswith(": ok\n")


def test_a_folder_without_trees_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("colour: blue\n", encoding="utf-8")
    result = invoke("lint", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path}: error: no tree under this folder (trees start "
                             "with 'gatetree: 1') [empty-folder]\n")
