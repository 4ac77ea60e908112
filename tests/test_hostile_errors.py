"""Errors that read right: types checked at load, bad values quoted briefly, texts shown as
written, and every problem of a file reported in one run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gatetree import InputError, TreeError, load_text, load_tree
from gatetree.cli import main
from gatetree.values import QUOTED_CHARACTERS, quote_value

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
GROWTH = FIXTURES / "growth.yaml"


def load_errors(path: Path) -> list[str]:
    with pytest.raises(TreeError) as exc:
        load_tree(path)
    return [str(d) for d in exc.value.diagnostics]


# --- function arguments are typed at load ----------------------------------------------------

@pytest.mark.parametrize(("declaration", "message"), [
    ("digits: {type: number, default: 2.5,", "59:24: error: round() digits must be a whole "
                                             "number"),
    ("digits: {type: string, default: two,", "59:15: error: round() takes a number and "
                                             "optional digits"),
])
def test_round_digits_of_the_wrong_type_is_a_load_error(tmp_path: Path, declaration: str,
                                                        message: str) -> None:
    path = tmp_path / "growth.yaml"
    path.write_text(GROWTH.read_text().replace("digits: {type: integer, default: 2,",
                                               declaration))
    assert load_errors(path) == [f"{path}:{message}"]


# --- a bad value is quoted briefly ---------------------------------------------------------

@pytest.mark.parametrize(("value", "shown"), [
    ("short", "'short'"),
    ("a\n", "'a\\n'"),
    ("x" * 10_000_000, "'" + "x" * (QUOTED_CHARACTERS - 1) + "…' (10000000 characters)"),
    ("y" * (QUOTED_CHARACTERS - 2), "'" + "y" * (QUOTED_CHARACTERS - 2) + "'"),
    ("y" * (QUOTED_CHARACTERS - 1), "'" + "y" * (QUOTED_CHARACTERS - 1) + "…' "
                                    f"({QUOTED_CHARACTERS - 1} characters)"),
    (10 ** 200, "1" + "0" * (QUOTED_CHARACTERS - 1) + "…(201 digits)"),
    (-(10 ** 200), "-1" + "0" * (QUOTED_CHARACTERS - 2) + "…(201 digits)"),
    (10 ** 5000, "an integer of about 5001 digits"),
    (10 ** 79, "1" + "0" * 79),
    (True, "true"),
    (1.5, "1.5"),
], ids=lambda value: type(value).__name__)
def test_quote_value_shortens_with_an_ellipsis_and_the_length(value: object,
                                                              shown: str) -> None:
    assert quote_value(value) == shown


def test_a_ten_megabyte_fact_gives_a_short_message() -> None:
    tree = load_tree(GROWTH)
    with pytest.raises(InputError) as exc:
        tree.decide({"check": "square", "n": "9" * 10_000_000})
    assert [str(d) for d in exc.value.diagnostics] == [
        "facts: error: fact 'n' must be a whole number; got '" + "9" * (QUOTED_CHARACTERS - 1)
        + "…' (10000000 characters)"]


def test_a_ten_megabyte_id_gives_a_short_message() -> None:
    text = GROWTH.read_text().replace("id: growth", "id: '" + "X" * 10_000_000 + "'")
    with pytest.raises(TreeError) as exc:
        load_text(text, origin="big.yaml")
    assert [str(d) for d in exc.value.diagnostics] == [
        "big.yaml:3:5: error: '" + "X" * (QUOTED_CHARACTERS - 1) + "…' (10000000 characters) "
        "is not a valid value for /id (use lower-case letters, digits, '-' and '_')"]


def test_a_long_bad_command_line_value_is_quoted_briefly() -> None:
    result = CliRunner().invoke(main, ["decide", str(GROWTH), "--set", "n=" + "z" * 5000])
    assert result.exit_code == 1
    assert result.stderr == (f"--set n={'z' * 5000}: error: fact 'n' must be a whole number; "
                             f"got '{'z' * (QUOTED_CHARACTERS - 1)}…' (5000 characters) "
                             "[value-does-not-fit]\n")


@pytest.mark.parametrize("command", [["decide", "GROWTH"], ["batch", "GROWTH", "-"],
                                     ["show", "GROWTH"]])
def test_a_long_assignment_without_equals_is_quoted_briefly(command: list[str]) -> None:
    """The shared --param check (every command with --param uses it) shortens the text."""
    args = [str(GROWTH) if a == "GROWTH" else a for a in command]
    result = CliRunner().invoke(main, [*args, "--param", "p" * 5000], input="")
    assert result.exit_code == 2
    assert f"expected NAME=VALUE, got '{'p' * (QUOTED_CHARACTERS - 1)}…' (5000 characters)" \
        in result.stderr
    assert "p" * QUOTED_CHARACTERS not in result.stderr


# --- Markdown shows the tree's text as written ---------------------------------------------

def test_markdown_keeps_character_references_as_written() -> None:
    result = CliRunner().invoke(main, ["render", str(FIXTURES / "entities.yaml"),
                                       "--format", "markdown"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == r"# a \&lt; b, R&D & co, \&\#60; and \&amp;"
    assert lines[-1] == r"**Action:** Write \&nbsp; or & alone."


# --- one schema error does not hide the rest -------------------------------------------------

def test_a_schema_error_does_not_hide_graph_and_expression_errors() -> None:
    path = FIXTURES / "many-problems.yaml"
    assert load_errors(path) == [f"{path}:{line}" for line in [
        "10:15: error: /facts/bad/type must be one of: boolean, enum, integer, number, string; "
        "got 'colour'",
        "11:55: error: arithmetic needs numbers, got integer and string",
        "20:9: error: gate 'g1' has two branches for 'false'; the second is never taken",
        "26:15: error: '<', '<=', '>', '>=' compare numbers, got integer and string",
        "28:21: error: branch of 'g2' goes to 'nowhere', which does not exist",
        "29:3: error: gate 'g3' branches on integer fact 'n' without a default (add default: "
        "for the values no branch names)",
        "38:5: error: unknown key 'colour' in /nodes/g5 (allowed keys: branches, cites, "
        "default, fact, help, kind, notes, question, title)",
    ]]


def test_a_schema_error_outside_any_entry_stops_there(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    text = (FIXTURES / "many-problems.yaml").read_text().replace("start: g1\n", "")
    path.write_text(text)
    assert [line.split(": error: ")[1] for line in load_errors(path)] == [
        "missing required key 'start' in the top level",
        "/facts/bad/type must be one of: boolean, enum, integer, number, string; got 'colour'",
        "unknown key 'colour' in /nodes/g5 (allowed keys: branches, cites, default, fact, "
        "help, kind, notes, question, title)",
    ]


def test_a_clean_part_beside_a_schema_error_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    text = GROWTH.read_text().replace("  big: {kind: outcome,", "  big: {kind: outcome, "
                                                                "colour: red,")
    path.write_text(text)
    assert load_errors(path) == [
        f"{path}:61:24: error: unknown key 'colour' in /nodes/big (allowed keys: action, "
        "cites, kind, next_steps, notes, references, title, why)"]
