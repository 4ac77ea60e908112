"""Text reports wrap to the terminal's width, between words, keeping hanging indents."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gatetree.cli import main
from gatetree.render._text import DEFAULT_WIDTH, MIN_WIDTH, terminal_width, wrap, wrap_lines


def test_wrap_lines_breaks_between_words_with_a_hanging_indent() -> None:
    text = "alpha beta gamma delta epsilon zeta eta theta"
    assert wrap_lines(text, 20, indent="    ", first="  - ") == [
        "  - alpha beta gamma",
        "    delta epsilon",
        "    zeta eta theta",
    ]


def test_wrap_lines_never_cuts_a_word_longer_than_the_line() -> None:
    word = "score_with_perfect_context_in_a_very_long_name"
    assert wrap_lines(f"given {word} here", 20, indent="  ") == [
        "  given", f"  {word}", "  here"]


def test_wrap_lines_keeps_the_texts_own_line_breaks_and_their_indents() -> None:
    assert wrap_lines("Steps:\n  - one two three four\n\nEnd", 16, indent="> ") == [
        "> Steps:", ">   - one two", ">   three four", ">", "> End"]


def test_a_diagram_label_still_cuts_a_word_that_would_widen_its_box() -> None:
    assert wrap("x" * 25, 10) == ("x" * 10, "x" * 10, "x" * 5)


def test_terminal_width_honours_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "123")
    assert terminal_width() == 123
    monkeypatch.setenv("COLUMNS", "10")
    assert terminal_width() == MIN_WIDTH


def test_terminal_width_without_a_terminal_is_the_default(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr("shutil.os.get_terminal_size", _no_terminal)
    assert terminal_width() == DEFAULT_WIDTH


def _no_terminal(fd: int = 1) -> object:
    raise OSError("not a terminal")


def _decide_text(columns: int) -> str:
    result = CliRunner().invoke(main, ["decide", "retrain-or-tune", "--example",
                                       "running-example"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("columns", [50, 72, 140])
def test_decide_text_fills_the_terminal_width_and_never_cuts_a_word(columns: int) -> None:
    text = _decide_text(columns)
    lines = text.splitlines()
    assert all(len(line) <= columns or " " not in line.strip() for line in lines)
    assert max(len(line) for line in lines) > columns - 12  # the width is used, not 88
    assert text.split() == _decide_text(400).split()  # the same words, none cut in two


def test_decide_text_keeps_hanging_indents_when_narrow() -> None:
    lines = _decide_text(50).splitlines()
    start = lines.index("Actions collected on the way:")
    assert lines[start + 1:start + 4] == [
        "  - Fix the retrieval pipeline for what it",
        "     explains, then continue with an adjusted",
        "     baseline. (gate-2)",
    ]


def test_test_report_wraps_its_coverage_line() -> None:
    result = CliRunner().invoke(main, ["test"], env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 40 or " " not in line.strip() for line in lines)
    assert any(line.startswith("  ") for line in lines)  # a wrapped line hangs under its head
    heads = [line for line in lines if not line.startswith(" ")]
    assert heads[-1].endswith(" passed, 0 failed")
    assert all(h.split(":")[0].endswith(".yaml") for h in heads[:-1])


@pytest.mark.parametrize(("title", "question", "once"), [
    ("Gate 0: Do you have quality metrics?", "Do you have quality metrics?", True),
    ("Gate 0: Do you have quality metrics?", "do you have  quality\nmetrics?", True),
    ("Gate 2: Is the right context getting to the model?", "Does quality recover?", False),
])
def test_a_title_that_says_the_question_repeats_it(title: str, question: str,
                                                    once: bool) -> None:
    from gatetree.render._text import repeats

    assert repeats(title, question) is once
