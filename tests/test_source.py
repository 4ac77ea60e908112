"""The safe, positioned YAML reader: plain data only, YAML 1.2 scalars, every problem located."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gatetree import TreeError, source
from gatetree.excerpt import diagnostic_lines
from gatetree.source import Position, parse_document, read_document, split_lines

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="module", params=["libyaml", "python"])
def reader(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test here runs with both readers: libyaml (when PyYAML has it; a text it finds
    a problem in is read again the Python way) and the pure-Python reader alone."""
    fast = source._FastLoader
    if request.param == "libyaml" and fast is None:
        pytest.skip("PyYAML is built without libyaml here")
    if request.param == "python":
        source._FastLoader = None
    yield request.param
    source._FastLoader = fast


def problems(text: str) -> list[str]:
    """The printed diagnostics of reading `text` as the file `doc.yaml`; [] when it reads."""
    try:
        parse_document(text, path="doc.yaml")
    except TreeError as exc:
        return [str(d) for d in exc.diagnostics]
    except RecursionError:  # fail short: a thousand-frame traceback takes seconds to print
        pytest.fail("RecursionError instead of a diagnostic", pytrace=False)
    return []


# --- plain data and YAML 1.2 scalars ---------------------------------------------------------


def test_plain_data_comes_out() -> None:
    doc = parse_document('a: 1\nb: [x, 2.5, null]\nc: {d: "e"}\n', path="doc.yaml")
    assert doc.data == {"a": 1, "b": ["x", 2.5, None], "c": {"d": "e"}}


@pytest.mark.parametrize("word", ["yes", "no", "Yes", "NO", "on", "off", "y", "n"])
def test_yaml11_boolean_words_stay_strings(word: str) -> None:
    assert parse_document(f"label: {word}\n", path="doc.yaml").data == {"label": word}


@pytest.mark.parametrize(("word", "value"), [("true", True), ("True", True), ("TRUE", True),
                                             ("false", False), ("False", False)])
def test_yaml12_booleans_are_booleans(word: str, value: bool) -> None:
    assert parse_document(f"flag: {word}\n", path="doc.yaml").data == {"flag": value}


def test_boolean_words_are_strings_as_keys_and_in_lists() -> None:
    doc = parse_document("yes: [no, on]\n", path="doc.yaml")
    assert doc.data == {"yes": ["no", "on"]}


# YAML 1.1 leftovers the reader still applies to untagged scalars. YAML 1.2 (which the reader
# follows for booleans) has no timestamps and no base-60 numbers: these are strings.
def test_a_date_is_a_string_not_a_forbidden_tag() -> None:
    assert problems("title: 2024-05-01\n") == []
    assert parse_document("title: 2024-05-01\n", path="doc.yaml").data == {"title": "2024-05-01"}


def test_a_time_like_value_is_not_a_base_60_number() -> None:
    assert parse_document("label: 1:30\n", path="doc.yaml").data == {"label": "1:30"}


def test_sha256_is_of_the_text() -> None:
    text = "a: 1\n"
    assert parse_document(text, path="doc.yaml").sha256 == hashlib.sha256(b"a: 1\n").hexdigest()


def test_empty_document_is_null() -> None:
    assert parse_document("", path="doc.yaml").data is None
    assert parse_document("# only a comment\n", path="doc.yaml").data is None


def test_json_is_read_with_positions() -> None:
    doc = parse_document('{\n  "a": [1,\n        2]\n}\n', path="doc.json")
    assert doc.data == {"a": [1, 2]}
    assert doc.positions["/a/1"] == Position(3, 9, None)


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    doc = parse_document("\ufeffa: 1\r\nb: two\r\n", path="doc.yaml")
    assert doc.data == {"a": 1, "b": "two"}
    assert doc.positions["/b"].line == 2


# --- positions --------------------------------------------------------------------------------


def test_positions_of_values_and_keys() -> None:
    doc = parse_document("top:\n  list:\n    - x\n    - 'y'\n  a/b: 3\n", path="doc.yaml")
    assert doc.key_positions["/top/list"] == Position(2, 3, None)
    assert doc.positions["/top/list/1"] == Position(4, 7, "'")
    assert doc.positions["/top/a~1b"] == Position(5, 8, None)  # '/' escaped as ~1
    assert str(doc.locate("/top/list/0")) == "doc.yaml:3:7"
    assert str(doc.locate("/top/list", key=True)) == "doc.yaml:2:3"


def test_locate_falls_back_to_the_nearest_parent() -> None:
    doc = parse_document("a:\n  b: 1\n", path="doc.yaml")
    assert str(doc.locate("/a/missing/deeper")) == "doc.yaml:2:3"
    assert str(doc.locate("/nothing")) == "doc.yaml:1:1"


def test_locate_text_points_inside_quotes_and_at_a_block_body() -> None:
    doc = parse_document('q: "x > 1"\nb: >-\n    y > 2\n', path="doc.yaml")
    assert str(doc.locate_text("/q")) == "doc.yaml:1:5"
    assert str(doc.locate_text("/b")) == "doc.yaml:3:5"


# --- what is refused, and where ----------------------------------------------------------------


def test_duplicate_key_names_the_first_line() -> None:
    assert problems("a: 1\nb: 2\na: 3\n") == [
        "doc.yaml:3:1: error: duplicate key 'a' (first defined at line 1)",
    ]


def test_every_duplicate_is_reported() -> None:
    assert problems("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n") == [
        "doc.yaml:2:1: error: duplicate key 'a' (first defined at line 1)",
        "doc.yaml:5:3: error: duplicate key 'c' (first defined at line 4)",
    ]


@pytest.mark.parametrize(("text", "tag"), [
    ("a: !!python/object/apply:os.system ['true']\n", "!!python/object/apply:os.system"),
    ("a: !!python/name:os.system\n", "!!python/name:os.system"),
    ("a: !!python/object:collections.OrderedDict {}\n", "!!python/object:collections.OrderedDict"),
    ("a: !!binary aGVsbG8=\n", "!!binary"),
    ("a: !!set {x, y}\n", "!!set"),
    ("a: !!omap [x: 1]\n", "!!omap"),
    ("a: !custom value\n", "!custom"),
])
def test_tags_that_build_objects_are_refused(text: str, tag: str) -> None:
    assert problems(text) == [
        f"doc.yaml:1:4: error: tag '{tag}' is not allowed: files hold plain data only "
        "(remove the tag)",
    ]


def test_object_tags_execute_nothing(tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    text = f"a: !!python/object/apply:os.system ['touch {ran}']\n"
    with pytest.raises(TreeError):
        parse_document(text, path="doc.yaml")
    source = tmp_path / "tree.yaml"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(TreeError):
        read_document(source)
    assert not ran.exists()
    # The control: the same text under PyYAML's unsafe loader does run the command, so the
    # assertion above is about the reader and not about a payload that never worked.
    yaml.unsafe_load(text)
    assert ran.exists()


def test_merge_keys_are_refused() -> None:
    assert problems("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n") == [
        "doc.yaml:3:3: error: merge keys ('<<') are not supported (write the keys out)",
    ]


def test_keys_must_be_plain_words() -> None:
    assert problems("? [a, b]\n: 1\n") == ["doc.yaml:1:3: error: mapping keys must be plain words"]


def test_syntax_error_is_located() -> None:
    assert problems("a:\n  b: c: d\n") == [
        "doc.yaml:2:7: error: invalid YAML: mapping values are not allowed here "
        "(a plain value cannot contain ': '; quote it: b: \"c: d\")",
    ]


def test_tab_indentation_is_located() -> None:
    assert problems("a:\n\tb: 1\n") == [
        "doc.yaml:2:1: error: invalid YAML: while scanning for the next token, "
        "found character '\\t' that cannot start any token "
        "(indent with spaces: YAML does not allow tabs in indentation)",
    ]


# The hints beyond the fixtures' (tests/fixtures/invalid/yaml-*.yaml): in lists, flow lists,
# not in indentation; and the mistakes whose cause the text does not show get none.
@pytest.mark.parametrize(("text", "expected"), [
    ("a:\n  - b: c: d\n",
     "doc.yaml:2:9: error: invalid YAML: mapping values are not allowed here "
     "(a plain value cannot contain ': '; quote it: b: \"c: d\")"),
    ("a: x: y # why\n",
     "doc.yaml:1:5: error: invalid YAML: mapping values are not allowed here "
     "(a plain value cannot contain ': '; quote it: a: \"x: y\"; ' #' starts a comment: "
     "if what follows it is part of the value, quote it too)"),
    ("a: [x, b?, c]\n",
     "doc.yaml:1:9: error: invalid YAML: while parsing a flow sequence, expected ',' or ']', "
     "but got '?' (inside [...] a plain value cannot contain '?'; quote it: \"b?\")"),
    ("a: [x, b #c]\nd: 1\n",
     "doc.yaml:2:1: error: invalid YAML: while parsing a flow sequence, expected ',' or ']', "
     "but got '<scalar>' (' #' on line 1 starts a comment, which hides the rest of that "
     "line and the closing bracket; quote the value that holds '#')"),
    ("a:\t1\n",
     "doc.yaml:1:3: error: invalid YAML: while scanning for the next token, found character "
     "'\\t' that cannot start any token (replace the tab with spaces)"),
    ("a:\n  - b\n - c\n",
     "doc.yaml:3:2: error: invalid YAML: while parsing a block mapping, expected <block end>, "
     "but found '<block sequence start>' (this line is indented 1 space, which lines up with "
     "no key or item above it; indent it like the lines it belongs with)"),
    # A list item where a key should be, lined up with the keys: not an indentation slip.
    ("a: 1\n- b\n",
     "doc.yaml:2:1: error: invalid YAML: while parsing a block mapping, expected <block end>, "
     "but found '-'"),
    ("a: \"x\" y: z\n",
     "doc.yaml:1:8: error: invalid YAML: while parsing a block mapping, expected <block end>, "
     "but found '<scalar>'"),
    ("url:https://example.com\nb: 1\n",
     "doc.yaml:2:2: error: invalid YAML: mapping values are not allowed here "
     "(put a space after ':' on line 1: 'url: https://example.com')"),
])
def test_syntax_error_hints(text: str, expected: str) -> None:
    assert problems(text) == [expected]


# PyYAML's context ("while scanning ...", "expected a single document ...") is half of the
# sentence; without it "but found another document" does not say what is wrong.
def test_second_document_is_refused_with_the_whole_sentence() -> None:
    assert problems("a: 1\n---\nb: 2\n") == [
        "doc.yaml:2:1: error: invalid YAML: expected a single document in the stream, "
        "but found another document",
    ]


def test_unclosed_quote_points_at_its_opening() -> None:
    assert problems('a: "never closed\nb: 1\n') == [
        "doc.yaml:1:4: error: invalid YAML: while scanning a quoted scalar, "
        "found unexpected end of stream",
    ]


def test_control_character_is_a_located_error_not_a_traceback() -> None:
    assert problems("a: 1\nb: x\x07y\n") == [
        "doc.yaml:2:5: error: invalid YAML: unacceptable character #x0007: "
        "special characters are not allowed",
    ]


@pytest.mark.parametrize("text", ["a: !!int abc\n", "a: !!float abc\n", "a: !!bool maybe\n"])
def test_explicit_scalar_tag_with_a_bad_value_is_a_located_error(text: str) -> None:
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith("doc.yaml:1:4: error: invalid value")


# --- aliases and nesting: bounded, never a hang or a crash -----------------------------------


def _bomb(levels: int) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghijk"[:levels]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def test_small_aliases_are_expanded() -> None:
    doc = parse_document("a: &x [1, 2]\nb: *x\n", path="doc.yaml")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_alias_bomb_is_refused_quickly() -> None:
    started = time.perf_counter()
    found = problems(_bomb(10))  # 9**10 values if expanded
    assert time.perf_counter() - started < 5
    assert len(found) == 1
    assert found[0].endswith("error: document has more than 200000 values "
                             "(aliases that expand this far are not supported)")


def test_recursive_alias_is_a_located_error_not_a_traceback() -> None:
    found = problems("a: &x [1, *x]\n")
    assert len(found) == 1
    assert found[0].startswith("doc.yaml:1:")
    assert ": error: " in found[0]


def test_a_tag_that_does_not_fit_its_text_is_a_located_error() -> None:
    assert problems("a: !!int x\n!!int <<: 1\nb: !!int ''\n") == [
        "doc.yaml:1:4: error: invalid value: 'x' is not a valid !!int",
        "doc.yaml:2:1: error: invalid value: '<<' is not a valid !!int",
        "doc.yaml:3:4: error: invalid value: '' is not a valid !!int",
    ]


def test_nesting_deeper_than_a_hundred_levels_is_refused_where_it_starts() -> None:
    text = "a: " + "[" * 100 + "]" * 100 + "\n"  # the mapping and 100 lists: 101 levels
    assert problems(text) == ["doc.yaml:1:103: error: values are nested too deeply "
                              "(flatten the document)"]
    assert problems("a: " + "[" * 99 + "]" * 99 + "\n") == []


def test_deep_nesting_is_a_located_error_not_a_traceback() -> None:
    found = problems("a: " + "[" * 1000 + "]" * 1000 + "\n")
    assert len(found) == 1
    assert found[0].startswith("doc.yaml:1:")
    assert ": error: " in found[0]


# --- files -------------------------------------------------------------------------------------


def test_missing_file_is_an_error_without_a_line(tmp_path: Path) -> None:
    with pytest.raises(TreeError) as raised:
        read_document(tmp_path / "nope.yaml", display="nope.yaml")
    assert str(raised.value) == "nope.yaml: error: cannot read file: No such file or directory"


def test_non_utf8_file_is_located_at_the_bad_byte(tmp_path: Path) -> None:
    source = tmp_path / "latin1.yaml"
    source.write_bytes("a: 1\ntitle: Café\n".encode("latin-1"))
    with pytest.raises(TreeError) as raised:
        read_document(source, display="latin1.yaml")
    assert str(raised.value) == "latin1.yaml:2:11: error: file is not UTF-8 text (byte 15)"


def test_display_name_is_used_in_positions(tmp_path: Path) -> None:
    source = tmp_path / "t.yaml"
    source.write_text("a: [1, 2]\n", encoding="utf-8")
    doc = read_document(source, display="shown.yaml")
    assert doc.path == "shown.yaml"
    assert str(doc.locate("/a/1")) == "shown.yaml:1:8"


# --- whatever the text, data or located diagnostics (hints included), never an exception -------

_YAMLISH = st.lists(st.sampled_from([
    "a", "key", "x y", ":", ": ", "-", "- ", "?", "? ", "#", " #", "{", "}", "[", "]", ",",
    "'", '"', "\t", " ", "  ", "\n", "\n  ", "\n    ", "|", ">", "&a", "*a", "!", "%", "@",
    "1", "true", "null", "é", "決", "\r\n",
]), max_size=30).map("".join)


@settings(max_examples=400, deadline=None, database=None)
@given(_YAMLISH)
def test_any_text_reads_or_gives_located_diagnostics_with_excerpts(text: str) -> None:
    try:
        parse_document(text, path="doc.yaml")
    except TreeError as exc:
        lines = split_lines(text)
        for diagnostic in exc.diagnostics:
            assert diagnostic.location.path == "doc.yaml"
            shown = diagnostic_lines(diagnostic, {"doc.yaml": lines}.get)
            assert shown[0] == f"{diagnostic} [{diagnostic.code}]"
