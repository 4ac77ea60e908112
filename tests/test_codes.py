"""Every diagnostic carries a rule code (`unreachable-node`), for tests and tools to select
problems by, shown after the message on the command line and kept in the JSON data."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatetree import Diagnostic, Location
from gatetree.cli import main
from gatetree.validate import check_reference

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CODE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def _diagnostic_calls(path: Path) -> list[tuple[int, ast.Call]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "Diagnostic"]


def test_every_diagnostic_the_package_makes_names_its_rule() -> None:
    """Read from the source, so a path no fixture reaches is held too: each `Diagnostic(...)`
    passes `code=`, a kebab-case rule id where it is written out."""
    missing, malformed = [], []
    for path in sorted([*(ROOT / "engine").glob("*.py"), *(ROOT / "render").glob("*.py")]):
        for line, call in _diagnostic_calls(path):
            code = next((k.value for k in call.keywords if k.arg == "code"), None)
            if code is None:
                missing.append(f"{path.name}:{line}")
            elif isinstance(code, ast.Constant) and not CODE.fullmatch(str(code.value)):
                malformed.append(f"{path.name}:{line}: {code.value!r}")
    assert missing == []
    assert malformed == []


def _fixture_problems() -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for folder in ("invalid", "calls", "hostile", "cases", "checklist"):
        for checked in check_reference(str(FIXTURES / folder)):
            problems.extend(checked.problems)
    return problems


def test_every_diagnostic_of_the_bad_fixtures_has_a_code() -> None:
    problems = _fixture_problems()
    assert len(problems) > 100
    assert [str(d) for d in problems if not CODE.fullmatch(d.code)] == []
    codes = {d.code for d in problems}
    assert {"unreachable-node", "graph-cycle", "unknown-target", "schema-required",
            "unknown-key", "expression-type", "yaml-syntax", "unused-declaration"} <= codes


def test_the_command_line_shows_the_code_after_the_message() -> None:
    path = FIXTURES / "invalid" / "graph-unreachable.yaml"
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:47:3: error: node 'orphan' cannot be reached from start 'gate-a' (point a "
        "branch at it, or remove it) [unreachable-node]")


def test_the_json_data_of_a_diagnostic_holds_its_code() -> None:
    diagnostic = Diagnostic(Location("t.yaml", 3, 5, "/nodes/x"), "node 'x' cannot be reached",
                            "point a branch at it", code="unreachable-node")
    assert diagnostic.to_dict() == {
        "path": "t.yaml", "line": 3, "col": 5, "pointer": "/nodes/x", "severity": "error",
        "code": "unreachable-node", "message": "node 'x' cannot be reached",
        "hint": "point a branch at it"}
    assert diagnostic.line == ("t.yaml:3:5: error: node 'x' cannot be reached (point a branch "
                               "at it) [unreachable-node]")
    assert str(diagnostic) == diagnostic.line.removesuffix(" [unreachable-node]")


@pytest.mark.parametrize("code", ["Unreachable", "unreachable_node", "-x", "x-", ""])
def test_a_code_that_is_not_kebab_case_is_caught(code: str) -> None:
    assert CODE.fullmatch(code) is None
