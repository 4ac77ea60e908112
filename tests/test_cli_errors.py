"""The CLI on click's error path: exit codes through click, located lines first, and the
group usable from an app with `standalone_mode=False`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from gatetree.cli import main
from gatetree.cli_errors import GatetreeFailure
from gatetree.errors import TreeError, TreeNotFound

ROOT = Path(__file__).resolve().parents[1]
EVALUATION = "tests/fixtures/valid/evaluation.yaml"
UNREACHABLE = str(ROOT / "tests/fixtures/invalid/graph-unreachable.yaml")


def test_an_evaluation_error_starts_with_its_location_and_shows_the_line() -> None:
    result = CliRunner().invoke(main, ["decide", EVALUATION, "--set", "check=ratio",
                                       "--set", "total=5", "--set", "count=0"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{EVALUATION}:61:13: error: cannot evaluate 'total / count > threshold': "
        "division by zero [evaluation-failed]",
        "   61 |       - if: total / count > threshold",
        "      |             ^",
    ]


def test_embedded_decide_returns_the_exit_code_instead_of_exiting(
        capsys: pytest.CaptureFixture[str]) -> None:
    decided = main.main(["decide", "retrain-or-tune", "--example", "running-example",
                         "--no-what-if"], standalone_mode=False)
    assert decided == 0
    assert "fine-tune" in capsys.readouterr().out
    incomplete = main.main(["decide", "retrain-or-tune", "--format", "json"],
                           standalone_mode=False)
    assert incomplete == 3
    assert '"status": "incomplete"' in capsys.readouterr().out


def test_embedded_validate_returns_1_for_a_broken_tree(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["validate", UNREACHABLE], standalone_mode=False) == 1
    assert f"{UNREACHABLE}:" in capsys.readouterr().err


def test_embedded_errors_are_raised_with_their_code_and_diagnostics() -> None:
    with pytest.raises(GatetreeFailure) as broken:
        main.main(["show", UNREACHABLE], standalone_mode=False)
    assert broken.value.exit_code == 1
    assert isinstance(broken.value.error, TreeError)
    assert broken.value.diagnostics == broken.value.error.diagnostics
    assert [d.location.line for d in broken.value.diagnostics] == [47]
    with pytest.raises(GatetreeFailure) as unknown:
        main.main(["show", "no-such-tree"], standalone_mode=False)
    assert unknown.value.exit_code == 2
    assert isinstance(unknown.value.error, TreeNotFound)
    assert unknown.value.diagnostics == ()


def test_an_error_without_a_place_is_one_gatetree_error_line() -> None:
    result = CliRunner().invoke(main, ["show", "no-such-tree"])
    assert result.exit_code == 2
    assert result.stderr.startswith("gatetree: error: no tree 'no-such-tree': it is not a file")
    assert len(result.stderr.splitlines()) == 1


def test_no_module_of_the_package_exits_the_process_itself() -> None:
    """Exit codes leave commands through click (an exception or `ctx.exit`), so an app that
    embeds the group keeps running."""
    calls = []
    for path in sorted((ROOT / "engine").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "exit" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "sys"):
                calls.append(f"{path.name}:{node.lineno}")
    assert calls == []
