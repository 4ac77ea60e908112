"""`gatetree test`: failures where their case stands, branch coverage from passing cases only,
uncovered branches at their place in the tree, --min-coverage, JSON and JUnit XML."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from gatetree import DecisionTree, load_tree
from gatetree.cases import run_cases
from gatetree.cli_entry import main
from gatetree.coverage import Coverage

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "valid" / "mini.yaml"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _line_of(text: str, after: str, wanted: str) -> int:
    """The 1-based line of the first `wanted` line after the line `after`."""
    lines = text.splitlines()
    start = lines.index(after)
    return start + 1 + next(i for i, line in enumerate(lines[start:]) if line == wanted)


@pytest.fixture
def trees_copy(tmp_path: Path) -> Path:
    """The built-in trees with their cases and examples, the cases naming the copied tree."""
    copy = tmp_path / "trees"
    shutil.copytree(ROOT / "trees", copy)
    for cases in (copy / "cases").glob("*.yaml"):
        text = cases.read_text(encoding="utf-8")
        tree_id = cases.stem
        cases.write_text(text.replace(f"tree: {tree_id}\n", f"tree: ../{tree_id}.yaml\n"),
                         encoding="utf-8")
    return copy


def test_the_builtin_trees_are_fully_covered() -> None:
    result = invoke("test", "--min-coverage", "100")
    assert result.exit_code == 0, result.output
    assert "uncovered" not in result.stdout
    assert result.stderr == ""


def test_removing_the_cases_of_one_outcome_names_its_branch(trees_copy: Path) -> None:
    cases = trees_copy / "cases" / "retrain-or-tune.yaml"
    report = run_cases(cases)
    reaching = {r.name for r in report.results
                if r.decision is not None and r.decision.outcome is not None
                and r.decision.outcome.id == "fix-prompt"}
    assert reaching  # the built-in cases do reach it
    data = yaml.safe_load(cases.read_text(encoding="utf-8"))
    data["cases"] = [c for c in data["cases"] if c["name"] not in reaching]
    cases.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    tree = trees_copy / "retrain-or-tune.yaml"
    line = _line_of(tree.read_text(encoding="utf-8"), "  gate-3:", "      - when: fully")

    result = invoke("test", str(cases), "--min-coverage", "100")

    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    shown = f"{cases.parent}/../retrain-or-tune.yaml"
    assert f'uncovered branch {shown}:{line}:9: gate-3 exit 0 "YES" -> fix-prompt' in out
    assert "outcome not reached: fix-prompt" in out
    assert result.stderr == ("gatetree: error: branch coverage of retrain-or-tune is 96.7%, "
                             "below --min-coverage 100%\n")


def _write_cases(tmp_path: Path, cases: str) -> Path:
    """A cases file for the mini tree holding these cases (YAML list items)."""
    path = tmp_path / "mini.cases.yaml"
    path.write_text(f"gatetree-cases: 1\ntree: {MINI}\ncases:\n{cases}", encoding="utf-8")
    return path


def test_only_passing_cases_count(tmp_path: Path) -> None:
    cases = _write_cases(tmp_path, "  - name: reaches-many-but-fails\n"
                                   "    facts: {decline: sudden, count: 200}\n"
                                   "    expect: {outcome: many, actions: [nothing]}\n"
                                   "  - name: gradual\n"
                                   "    facts: {decline: gradual}\n"
                                   "    expect: {outcome: done}\n")
    report = run_cases(cases)
    coverage = report.coverage
    assert [r.passed for r in report.results] == [False, True]
    assert coverage.uncovered_outcomes == ("many",)
    assert [(b.node, b.exit) for b in coverage.uncovered_branches] == \
        [("gate-a", 0), ("gate-b", 0), ("gate-b", 1)]  # the default counts as a branch
    assert coverage.uncovered_nodes == ("gate-b", "many")
    assert coverage.branch_percent == 25.0


def _mini_cases(tmp_path: Path, expect: str) -> Path:
    return _write_cases(tmp_path, "  - name: sudden\n"
                                  "    facts: {decline: sudden, count: 200}\n"
                                  f"    expect: {expect}\n")


@pytest.mark.parametrize(("expect", "failure"), [
    ("{visits: [gate-b, done]}",
     "visits: expected a path through ['done'], got ['gate-a', 'gate-b', 'many']"),
    ("{not_visits: [gate-b]}",
     "not_visits: expected a path avoiding ['gate-b'], got ['gate-a', 'gate-b', 'many']"),
    ("{actions_include: [Sweep up]}",
     "actions_include: expected actions including ['Sweep up'], got []"),
    ("{outcome: done}", "outcome: expected 'done', got 'many'"),
])
def test_a_failure_says_expected_and_actual_at_the_case(tmp_path: Path, expect: str,
                                                         failure: str) -> None:
    cases = _mini_cases(tmp_path, expect)
    result = invoke("test", str(cases))
    assert result.exit_code == 1
    assert "FAIL mini: sudden" in result.stdout
    assert result.stderr.splitlines()[0] == \
        f"  {cases}:4:5: error: case 'sudden' failed: {failure} [case-failed]"
    assert result.stdout.splitlines()[-1] == "0 passed, 1 failed"


@pytest.mark.parametrize("expect", ["{visits: [gate-a, gate-b], not_visits: [done]}",
                                    "{outcome: many, visits: [many]}"])
def test_expectations_that_hold_pass(tmp_path: Path, expect: str) -> None:
    result = invoke("test", str(_mini_cases(tmp_path, expect)))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("expect", "col", "message"), [
    ("{visits: [gate-c]}", 23, "expects node 'gate-c' on its path, which tree 'mini' does "
                               "not have (did you mean 'gate-b'?)"),
    ("{not_visits: [mnay]}", 27, "expects node 'mnay' off its path, which tree 'mini' does "
                                 "not have (did you mean 'many'?)"),
])
def test_an_unknown_node_is_located_with_did_you_mean(tmp_path: Path, expect: str, col: int,
                                                      message: str) -> None:
    cases = _mini_cases(tmp_path, expect)
    for command in ("test", "validate"):
        result = invoke(command, str(cases))
        assert result.exit_code == 1
        assert f"{cases}:6:{col}: error: case 'sudden' {message}" in result.stderr


def test_json_report(tmp_path: Path) -> None:
    cases = _mini_cases(tmp_path, "{outcome: done}")
    result = invoke("test", str(cases), "--format", "json", "--min-coverage", "50")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["format"], data["passed"], data["failed"]) == ("gatetree-test/1", 0, 1)
    assert data["cases"] == [{"file": str(cases), "line": 4, "tree": "mini", "name": "sudden",
                              "passed": False, "outcome": "many",
                              "failures": ["outcome: expected 'done', got 'many'"]}]
    tree = data["trees"][0]
    assert (tree["id"], tree["branch_percent"], tree["branches"]) == \
        ("mini", 0.0, {"covered": 0, "total": 4})
    assert data["below_min_coverage"] == ["mini"]
    assert tree["uncovered_branches"][3] == {
        "node": "gate-b", "exit": 1, "kind": "default", "label": "otherwise", "next": "done",
        "node_kind": "gate", "condition": "", "location": f"{MINI}:38:7", "hits": 0}


def test_junit_xml(tmp_path: Path) -> None:
    cases = _write_cases(tmp_path, "  - name: right\n    facts: {decline: gradual}\n"
                                   "    expect: {outcome: done}\n"
                                   "  - name: wrong\n    facts: {decline: gradual}\n"
                                   "    expect: {outcome: many}\n")
    out = tmp_path / "junit.xml"
    result = invoke("test", str(cases), "--junit-xml", str(out))
    assert result.exit_code == 1
    root = ET.parse(out).getroot()
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "2", "1")
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == str(cases)
    right, wrong = suite.findall("testcase")
    assert (right.get("name"), right.get("line"), right.find("failure")) == ("right", "4", None)
    failure = wrong.find("failure")
    assert failure is not None and wrong.get("line") == "7"
    assert failure.get("message") == "outcome: expected 'many', got 'done'"


def test_junit_xml_holds_no_character_xml_cannot(tmp_path: Path) -> None:
    cases = _mini_cases(tmp_path, '{actions_include: ["\\e[2J"]}')
    out = tmp_path / "junit.xml"
    invoke("test", str(cases), "--junit-xml", str(out))
    failure = ET.parse(out).getroot().find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == \
        "actions_include: expected actions including ['\\x1b[2J'], got []"


def test_a_tree_argument_runs_its_cases(tmp_path: Path) -> None:
    tree = tmp_path / "mini.yaml"
    shutil.copy(MINI, tree)
    (tmp_path / "mini.cases.yaml").write_text(
        "gatetree-cases: 1\ntree: mini.yaml\ncases:\n"
        "  - name: gradual\n    facts: {decline: gradual}\n    expect: {outcome: done}\n")
    result = invoke("test", str(tree))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1 passed, 0 failed"
    builtin = invoke("test", "tune-or-rebuild")
    assert builtin.exit_code == 0
    assert "tune-or-rebuild 1.1.0 coverage: branches 3/3 (100%)" in \
        " ".join(builtin.stdout.split())
    folder = invoke("test", str(tmp_path))  # a folder: every cases file under it
    assert folder.stdout.splitlines()[-1] == "1 passed, 0 failed"


def test_a_tree_without_cases_is_an_error(tmp_path: Path) -> None:
    tree = tmp_path / "mini.yaml"
    shutil.copy(MINI, tree)
    result = invoke("test", str(tree))
    assert result.exit_code == 1
    assert result.stderr == (f"{tree}: error: no cases file for tree '{tree}' (looked for "
                             f"{tmp_path}/mini.cases.yaml and {tmp_path}/cases/mini.yaml) "
                             "[cases-file-missing]\n")


def _mini_coverage(tmp_path: Path) -> tuple[DecisionTree, Coverage]:
    cases = _mini_cases(tmp_path, "{outcome: many}")
    return load_tree(MINI), run_cases(cases).coverage


def test_the_coverage_diagram_marks_each_branch(tmp_path: Path) -> None:
    from gatetree.render.coverage_view import coverage_diagram

    tree, coverage = _mini_coverage(tmp_path)
    diagram = coverage_diagram(tree, coverage)
    assert [(e.id, e.state, e.body[-1].text) for e in diagram.edges] == [
        ("gate-a.0", "taken", "covered by 1 case"),
        ("gate-a.1", "faded", "not covered"),
        ("gate-b.0", "taken", "covered by 1 case"),
        ("gate-b.1", "faded", "not covered"),
    ]
    assert {n.id: n.state for n in diagram.nodes} == \
        {"gate-a": "path", "gate-b": "path", "many": "path", "done": "faded"}
    assert diagram.caption[-1].text == ("Branch coverage 2/4 (50%): covered branches drawn "
                                        "bold, the others faded and marked 'not covered'")


@pytest.mark.dot
def test_test_draws_the_coverage_diagram(tmp_path: Path) -> None:
    cases = _mini_cases(tmp_path, "{outcome: many}")
    svg = tmp_path / "coverage.svg"
    result = invoke("test", str(cases), "--diagram", str(svg))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {svg}\n"
    text = svg.read_text(encoding="utf-8")
    assert '<g id="gate&#45;a.1" class="edge when faded">' in text
    assert '<g id="gate&#45;a.0" class="edge when taken">' in text
    assert "not covered" in text


def test_a_diagram_suffix_is_checked_before_anything_runs(tmp_path: Path) -> None:
    result = invoke("test", "--diagram", str(tmp_path / "coverage.md"))
    assert result.exit_code == 2
    assert result.stderr == ("gatetree: error: unknown format '.md' (did you mean '.mmd'?); "
                             "formats: .svg, .png, .pdf, .dot, .mmd\n")
    assert not (tmp_path / "coverage.md").exists()


def test_several_trees_get_a_diagram_each(tmp_path: Path) -> None:
    result = invoke("test", "--diagram", str(tmp_path / "cov.mmd"))
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cov-ai-workflow-triage.mmd", "cov-retrain-or-tune.mmd", "cov-tune-or-rebuild.mmd"]
    assert "not covered</small>" not in (tmp_path / "cov-retrain-or-tune.mmd").read_text()


def test_coverage_is_compared_exactly_not_as_rounded(tmp_path: Path) -> None:
    from dataclasses import replace

    _, coverage = _mini_coverage(tmp_path)
    branches = coverage.branches
    many = replace(coverage, branches=branches[:1] * 9999 + branches[1:2])  # 9999 of 10000
    assert many.branch_percent == 99.9
    assert many.below(100) and not many.below(99.9)


def test_an_unwritable_junit_file_is_a_message(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "junit.xml"
    result = invoke("test", "tune-or-rebuild", "--junit-xml", str(target))
    assert result.exit_code == 1
    assert result.stderr == (f"gatetree: error: cannot write {target}: "
                             "No such file or directory\n")
