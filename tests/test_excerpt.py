"""A located diagnostic is shown like a compiler's: the line as before, its source line, a caret."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatetree.errors import Diagnostic, Location
from gatetree.excerpt import caret_lines, diagnostic_lines, file_lines, show_all


@pytest.mark.parametrize(("line", "col", "shown", "caret"), [
    ("title: Count: enough", 13, "title: Count: enough", "            ^"),
    # A tab before the column is as wide as it is on a terminal (stops every 8).
    ("\tkind: gate", 2, "        kind: gate", "        ^"),
    ("a:\tb", 4, "a:      b", "        ^"),
    ("\ttitle", 1, "        title", "^"),
    # Wide characters take two columns, combining marks none.
    ("title: 決定木: x", 11, "title: 決定木: x", "             ^"),
    ("title: Cafe\u0301: x", 13, "title: Cafe\u0301: x", "           ^"),
    # A control character shows as its picture, one column wide.
    ("b: x\x07y", 5, "b: x\u2407y", "    ^"),
    # At or past the end of the line (a missing ':' noticed there).
    ("key", 4, "key", "   ^"),
    ("key", 6, "key", "     ^"),
])
def test_the_caret_stands_under_its_character(line: str, col: int, shown: str,
                                              caret: str) -> None:
    assert caret_lines(line, col, number=7) == (f"    7 | {shown}", f"      | {caret}")


def test_the_gutter_widens_for_long_files() -> None:
    assert caret_lines("x: 1", 1, number=123456) == ("123456 | x: 1", "      | ^")


def _lines(text: str) -> dict[str, tuple[str, ...]]:
    return {"doc.yaml": tuple(text.split("\n"))}


def test_the_first_line_is_the_diagnostic_unchanged() -> None:
    diagnostic = Diagnostic(Location("doc.yaml", 2, 4, "/b"), "something is wrong", "fix it")
    lines = diagnostic_lines(diagnostic, _lines("a: 1\nb: 2").get)
    assert lines == [
        "doc.yaml:2:4: error: something is wrong (fix it)",
        "    2 | b: 2",
        "      |    ^",
    ]


@pytest.mark.parametrize("location", [
    Location("--set decline=fast"),         # not a file: no line
    Location("doc.yaml"),                   # a whole file (cannot read it, say)
    Location("doc.yaml", 9, 1),             # past its last line
    Location("elsewhere.yaml", 1, 1),       # a file that cannot be read
])
def test_without_a_line_to_show_the_diagnostic_stands_alone(location: Location) -> None:
    diagnostic = Diagnostic(location, "something is wrong")
    assert diagnostic_lines(diagnostic, _lines("a: 1").get) == [str(diagnostic)]


def test_files_are_read_once_as_yaml_counts_lines(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    # A byte-order mark, CRLF and a lone CR break lines as YAML does; a form feed does not
    # (and bytes that are not UTF-8 show as U+FFFD).
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: \x0c2\rc: \xff3\n")
    read = file_lines()
    assert read(str(path)) == ("a: 1", "b: \x0c2", "c: \ufffd3")
    path.unlink()
    assert read(str(path)) == ("a: 1", "b: \x0c2", "c: \ufffd3")  # from the first read
    assert file_lines()(str(path)) is None


def test_show_all_follows_each_diagnostic_with_its_excerpt(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text("a: 1\nb: 2\n", encoding="utf-8")
    first = Diagnostic(Location(str(path), 1, 4), "one")
    second = Diagnostic(Location(str(path)), "two")
    assert list(show_all([first, second])) == [
        f"{path}:1:4: error: one",
        "    1 | a: 1",
        "      |    ^",
        f"{path}: error: two",
    ]
