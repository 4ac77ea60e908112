"""Hostile and broken input: a clean, located error every time; no traceback, no hang.

Small inputs live in tests/fixtures/hostile/; large ones (bombs, deep nesting, long call
chains) and special files (FIFOs) are made in a temporary folder by the test.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gatetree import EvaluationError, InputError, Location, TreeError, load_tree
from gatetree.cli import _report as cli_report
from gatetree.cli import main
from gatetree.expr import compile_expression
from gatetree.files import DEFAULT_MAX_FILE_BYTES, max_file_bytes, read_file
from gatetree.inputs import check_facts, text_to_value
from gatetree.model import Fact
from gatetree.source import parse_document

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
LIMIT = "GATETREE_MAX_FILE_BYTES"


def invoke(*args: str, input: str | bytes | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def gatetree(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, for inputs that could block it."""
    done = subprocess.run([sys.executable, "-m", "gatetree.cli", *args], capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert "Traceback" not in done.stderr
    return done


def messages(exc: pytest.ExceptionInfo[Exception]) -> list[str]:
    assert isinstance(exc.value, (TreeError, InputError))
    return [str(d) for d in exc.value.diagnostics]


# --- files that are not files, or too large ----------------------------------------------

@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "tree.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", [
    ("validate", "{path}"),
    ("decide", "retrain-or-tune", "--facts", "{path}"),
    ("test", "{path}"),
    ("render", "retrain-or-tune", "--decision", "{path}"),
])
def test_a_fifo_is_refused_without_blocking(fifo: Path, command: tuple[str, ...]) -> None:
    done = gatetree(*(part.format(path=fifo) for part in command))
    assert done.returncode == 1
    assert done.stderr == (f"{fifo}: error: cannot read file: it is a FIFO, not a regular "
                           "file [file-not-regular]\n")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_before_it_is_read() -> None:
    with pytest.raises(TreeError) as exc:
        load_tree("/dev/zero")
    assert messages(exc) == ["/dev/zero: error: cannot read file: it is a device, "
                             "not a regular file"]


def test_a_folder_without_cases_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "cases.yaml"
    folder.mkdir()
    result = invoke("show", str(folder))
    assert result.exit_code == 1
    assert result.stderr == f"{folder}: error: cannot read file: it is a folder, " \
                            "not a regular file [file-not-regular]\n"
    empty = invoke("test", str(folder))  # test reads every cases file under a folder
    assert empty.exit_code == 1
    assert empty.stderr == f"{folder}: error: no cases file under this folder (a cases " \
                           "file starts with 'gatetree-cases: 1') [empty-folder]\n"


def test_a_file_over_the_limit_is_refused(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("gatetree: 1\n" + "# padding\n" * 20)
    monkeypatch.setenv(LIMIT, "100")
    with pytest.raises(TreeError) as exc:
        read_file(path)
    assert messages(exc) == [f"{path}: error: file is larger than 100 bytes "
                             f"(set {LIMIT} to read larger files)"]
    monkeypatch.setenv(LIMIT, str(path.stat().st_size))
    assert read_file(path) == path.read_bytes()


def test_the_limit_defaults_to_32_mib_and_refuses_nonsense(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LIMIT, raising=False)
    assert max_file_bytes() == DEFAULT_MAX_FILE_BYTES == 32 * 1024 * 1024
    for bad in ("lots", "-1", "0", "1e6", "٥٠٠"):
        monkeypatch.setenv(LIMIT, bad)
        with pytest.raises(TreeError) as exc:
            max_file_bytes()
        assert messages(exc) == [f"{LIMIT}: error: must be a positive whole number of "
                                 f"bytes, got {bad!r}"]


def test_standard_input_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIMIT, "100000")  # the tree itself is smaller
    result = invoke("decide", "retrain-or-tune", "--facts", "-", input=b"\0" * 200_000)
    assert result.exit_code == 1
    assert result.stderr == ("<stdin>: error: file is larger than 100000 bytes "
                             f"(set {LIMIT} to read larger files) [file-too-large]\n")


# --- pointers ----------------------------------------------------------------------------

@pytest.mark.parametrize("pointer", ["zz/q", "zz", "a/b/c", "/zz/q"])
def test_locate_ends_for_any_pointer(pointer: str) -> None:
    document = parse_document("a: 1\n", path="x")
    location = document.locate(pointer)
    assert (location.path, location.line, location.col, location.pointer) == \
        ("x", 1, 1, pointer)


def test_check_facts_with_a_relative_pointer_ends(tmp_path: Path) -> None:
    tree = load_tree("retrain-or-tune")
    document = parse_document("zz: {nope: 1}\n", path="f.yaml")
    with pytest.raises(InputError) as exc:
        check_facts(tree.spec, {"nope": 1}, origin=document, pointer="zz")
    assert [d.location.pointer for d in exc.value.diagnostics] == ["zz/nope"]


# --- expressions: bounded at load ----------------------------------------------------------

WHERE = Location("expr", 3, 5)
FACTS = {"count": Fact("count", "integer", "How many?"),
         "score": Fact("score", "number", "What score?"),
         "urgent": Fact("urgent", "boolean", "Urgent?")}


@pytest.mark.parametrize(("text", "message"), [
    ("not " * 100_000 + "urgent",
     "expr:3:5: error: expression is longer than 10000 characters "
     "(split it into derived facts)"),
    ("-" * 100_000 + "count > 0",
     "expr:3:5: error: expression is longer than 10000 characters "
     "(split it into derived facts)"),
    ("not " * 150 + "urgent",
     "expr:3:5: error: expression is nested more than 100 levels deep "
     "(split it into derived facts)"),
    ("-" * 2000 + "count > 0",
     "expr:3:5: error: expression is nested more than 100 levels deep "
     "(split it into derived facts)"),
    (" + ".join(["count"] * 150) + " > 0",
     "expr:3:5: error: expression is nested more than 100 levels deep "
     "(split it into derived facts)"),
    ("count > 0x" + "f" * 4800,
     "expr:3:13: error: the literal is an integer of more than 1000 digits"),
    ("count > " + "9" * 1001,
     "expr:3:13: error: the literal is an integer of more than 1000 digits"),
    ("count > " + "9" * 5000,
     "expr:3:5: error: the literal is an integer of more than 1000 digits"),
    ("score > 1e400", "expr:3:13: error: the literal is not a finite number"),
    ("urgent and score > -1e999", "expr:3:25: error: the literal is not a finite number"),
    ("ｃｏｕｎｔ > 1",
     "expr:3:5: error: name 'ｃｏｕｎｔ' is not written in ASCII "
     "(names are ASCII letters, digits and '_')"),
    ("urgent and ｃount > 2",
     "expr:3:16: error: name 'ｃount' is not written in ASCII "
     "(names are ASCII letters, digits and '_')"),
    ("round(score, 1.5) > 0", "expr:3:18: error: round() digits must be a whole number"),
])
def test_an_expression_beyond_the_limits_is_a_located_load_error(text: str,
                                                                 message: str) -> None:
    compiled, problems = compile_expression(text, location=WHERE, facts=FACTS, params={})
    assert compiled is None
    assert [str(p) for p in problems] == [message]


def test_non_ascii_text_in_a_string_literal_is_fine() -> None:
    compiled, problems = compile_expression("'é' != 'x' and count > 1", location=WHERE,
                                            facts=FACTS, params={})
    assert problems == []
    assert compiled is not None and compiled.evaluate({"count": 2}) is True


def test_a_100_000_term_chain_in_a_tree_file_is_located(tmp_path: Path) -> None:
    text = (FIXTURES / "growth.yaml").read_text(encoding="utf-8")
    path = tmp_path / "chain.yaml"
    path.write_text(text.replace("derive: n * n", "derive: '" + "- " * 100_000 + "n'"),
                    encoding="utf-8")
    with pytest.raises(TreeError) as exc:
        load_tree(path)
    assert messages(exc) == [f"{path}:17:56: error: expression is longer than 10000 "
                             "characters (split it into derived facts)"]


# --- expressions: bounded at evaluation ----------------------------------------------------

GROWTH = FIXTURES / "growth.yaml"


@pytest.mark.parametrize(("facts", "params", "message"), [
    ({"check": "square", "n": 10 ** 100}, {},
     "20:60: error: cannot evaluate 'n8 * n8': the result is an integer of more than "
     "1000 digits"),
    ({"check": "double", "text": "x" * 300_000}, {},
     "22:60: error: cannot evaluate 't2 + t2': the result is a string of more than "
     "1000000 characters"),
    ({"check": "overflow", "x": 1e200}, {},
     "52:14: error: cannot evaluate 'x * x > 1': the result is not a finite number"),
    ({"check": "round", "n": 5}, {"digits": -10 ** 9},
     "59:15: error: cannot evaluate 'round(n, digits) > 0': round() digits must be between "
     "-1000 and 1000, got -1000000000"),
])
def test_a_value_beyond_the_limits_is_a_located_evaluation_error(
        facts: dict[str, Any], params: dict[str, Any], message: str) -> None:
    tree = load_tree(GROWTH)
    with pytest.raises(EvaluationError) as exc:
        tree.decide(facts, params=params)
    assert str(exc.value) == f"{GROWTH}:{message}"


def test_values_within_the_limits_evaluate() -> None:
    tree = load_tree(GROWTH)
    assert tree.decide({"check": "square", "n": 3}).outcome.id == "big"  # 3**16
    assert tree.decide({"check": "double", "text": "ab"}).outcome.id == "big"
    assert tree.decide({"check": "round", "n": 5}, params={"digits": -1000}).outcome.id \
        == "small"


# --- calls -----------------------------------------------------------------------------------

def call_chain(folder: Path, length: int) -> list[Path]:
    """Trees t0 .. t<length-1>, each calling the next; the last asks one question."""
    last = ("  ask:\n    kind: gate\n    title: Ask\n    fact: ok\n    branches:\n"
            "      - {when: true, next: fine}\n      - {when: false, next: broken}\n")
    paths = []
    for i in range(length):
        call = (f"  ask:\n    kind: call\n    title: Hand over\n    tree: t{i + 1}.yaml\n"
                "    branches:\n      - {when: fine, next: fine}\n"
                "      - {when: broken, next: broken}\n")
        facts = '{ok: {type: boolean, question: "OK?"}}' if i == length - 1 else "{}"
        path = folder / f"t{i}.yaml"
        path.write_text(f"gatetree: 1\nid: t{i}\nversion: 1.0.0\ntitle: T{i}\nstart: ask\n"
                        f"facts: {facts}\nnodes:\n{last if i == length - 1 else call}"
                        "  fine: {kind: outcome, title: Fine, action: Go.}\n"
                        "  broken: {kind: outcome, title: Broken, action: Stop.}\n")
        paths.append(path)
    return paths


def test_a_chain_of_400_calls_stops_at_the_depth_limit(tmp_path: Path) -> None:
    paths = call_chain(tmp_path, 400)
    with pytest.raises(TreeError) as exc:
        load_tree(paths[0])
    deep = [m for m in messages(exc) if "which has errors" not in m]
    assert deep == [f"{paths[31]}:11:11: error: call 'ask' nests trees more than 32 deep: "
                    "t0 -> t1 -> ... -> t30 -> t31 -> t32.yaml "
                    "(a chain of calls holds at most 32 trees)"]
    assert len(messages(exc)) == 32  # and one line for each caller on the way


def test_a_chain_of_32_calls_decides(tmp_path: Path) -> None:
    paths = call_chain(tmp_path, 32)
    decision = load_tree(paths[0]).decide({"ok": True})
    assert decision.outcome is not None and decision.outcome.id == "fine"
    assert len(json.dumps(decision.to_dict(), allow_nan=False)) > 0


# --- numbers that are not finite, and numbers written in other scripts -----------------------

FINITE = str(FIXTURES / "finite.yaml")


def hostile(name: str) -> str:
    return str(FIXTURES / name)


@pytest.mark.parametrize(("args", "lines"), [
    (("decide", FINITE, "--set", "x=inf"), ["--set x=inf: error: fact 'x' must be a number; "
                                            "got 'inf' [value-does-not-fit]"]),
    (("decide", FINITE, "--set", "x=1e400"), ["--set x=1e400: error: fact 'x' must be a "
                                              "finite number; got inf [value-does-not-fit]"]),
    (("decide", FINITE, "--set", "x=-Infinity"), ["--set x=-Infinity: error: fact 'x' must "
                                                  "be a number; got '-Infinity' "
                                                  "[value-does-not-fit]"]),
    (("decide", FINITE, "--set", "x=NaN"), ["--set x=NaN: error: fact 'x' must be a number; "
                                            "got 'NaN' [value-does-not-fit]"]),
    (("decide", FINITE, "--set", "x=1", "--param", "scale=1e400"),
     ["--param scale=1e400: error: param 'scale' must be a finite number; got inf "
      "[value-does-not-fit]"]),
    (("decide", FINITE, "--set", "x=٥٠٠"), ["--set x=٥٠٠: error: fact 'x' must be a number; "
                                            "got '٥٠٠' [value-does-not-fit]"]),
    (("decide", FINITE, "--set", "x=1", "--set", "n=7_4"),
     ["--set n=7_4: error: fact 'n' must be a whole number; got '7_4' [value-does-not-fit]"]),
    (("decide", FINITE, "--set", "x=1", "--set", "n=１２"),
     ["--set n=１２: error: fact 'n' must be a whole number; got '１２' [value-does-not-fit]"]),
    (("decide", FINITE, "--facts", hostile("inf-facts.yaml")),
     [f"{hostile('inf-facts.yaml')}:1:4: error: invalid value: .inf is not a finite number "
      "[yaml-invalid-value]"]),
    (("decide", FINITE, "--facts", hostile("nan-facts.yaml")),
     [f"{hostile('nan-facts.yaml')}:2:8: error: invalid value: .nan is not a finite number "
      "[yaml-invalid-value]"]),
    (("decide", FINITE, "--facts", hostile("overflow-facts.json")),
     [f"{hostile('overflow-facts.json')}:1:7: error: invalid value: 1e400 is not a finite "
      "number [yaml-invalid-value]",
      f"{hostile('overflow-facts.json')}:1:19: error: invalid value: -1e999 is not a finite "
      "number [yaml-invalid-value]"]),
    (("validate", hostile("not-finite-defaults.yaml")),
     [f"{hostile('not-finite-defaults.yaml')}:8:34: error: invalid value: 1e400 is not a "
      "finite number [yaml-invalid-value]",
      f"{hostile('not-finite-defaults.yaml')}:11:60: error: invalid value: -.inf is not a "
      "finite number [yaml-invalid-value]"]),
    (("validate", hostile("trailing-newlines.yaml")),
     [f"{hostile('trailing-newlines.yaml')}:3:5: error: 'finite\\n' is not a valid value for "
      "/id (use lower-case letters, digits, '-' and '_') [schema-pattern]",
      f"{hostile('trailing-newlines.yaml')}:4:10: error: '1.0.0\\n' is not a valid value for "
      "/version (use a semantic version such as 1.0.0) [schema-pattern]",
      f"{hostile('trailing-newlines.yaml')}:6:8: error: 'done\\n' is not a valid value for "
      "/start (use lower-case letters, digits, '-' and '_') [schema-pattern]",
      f"{hostile('trailing-newlines.yaml')}:9:3: error: invalid name 'done\\n' in /nodes "
      "(node ids use lower-case letters, digits, '-' and '_') [invalid-name]"]),
])
def test_a_bad_number_or_id_is_refused_where_it_enters(args: tuple[str, ...],
                                                       lines: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == lines


@pytest.mark.parametrize(("raw", "number", "integer"), [
    ("500", 500, 500), ("-5", -5, -5), ("+5", 5, 5), (" 7 ", 7, 7), ("0.5", 0.5, "0.5"),
    (".5", 0.5, ".5"), ("5.", 5.0, "5."), ("1e3", 1000, "1e3"), ("1.5E-3", 0.0015, "1.5E-3"),
    ("٥٠٠", "٥٠٠", "٥٠٠"), ("7_4", "7_4", "7_4"), ("１２", "１２", "１２"), ("inf", "inf", "inf"),
    ("nan", "nan", "nan"), ("Infinity", "Infinity", "Infinity"), ("0x10", "0x10", "0x10"),
    ("1.2.3", "1.2.3", "1.2.3"), ("1e", "1e", "1e"), ("-", "-", "-"),
])
def test_text_reads_as_a_number_only_in_plain_ascii(raw: str, number: object,
                                                    integer: object) -> None:
    assert text_to_value("number", raw) == number
    assert text_to_value("integer", raw) == integer


def test_python_facts_refuse_inf_and_read_nan_as_unknown() -> None:
    tree = load_tree(FINITE)
    with pytest.raises(InputError) as exc:
        tree.decide({"x": math.inf})
    assert messages(exc) == ["facts: error: fact 'x' must be a finite number; got inf"]
    with pytest.raises(InputError) as exc:
        tree.decide({"x": 1, "n": 10 ** 1000})
    assert messages(exc) == ["facts: error: fact 'n' must be a whole number of at most 1000 "
                             "digits; got one of more"]
    decision = tree.decide({"x": math.nan})
    assert decision.missing is not None and decision.missing.fact == "x"


def test_json_output_can_never_hold_infinity(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = load_tree(FINITE)
    decision = tree.decide({"x": 1})
    monkeypatch.setattr(type(decision), "to_dict", lambda self: {"x": math.inf})
    with pytest.raises(ValueError, match="not JSON compliant"):
        cli_report(tree, decision, "json", what_if=False)


# --- paths that lead out of their folder ----------------------------------------------------

ESCAPE = FIXTURES / "calls" / "escape.yaml"
OUTSIDE_CALL = "which is not inside the calling tree's folder (a call names a built-in tree, " \
               "or a file in the calling tree's folder or below it)"
OUTSIDE_FACTS = "is not inside the cases file's folder or the tree's folder (a case's facts " \
                "file sits beside the cases file or its tree, or below them)"


def test_a_call_out_of_the_folder_is_refused_unread(reads: list[Path]) -> None:
    with pytest.raises(TreeError) as exc:
        load_tree(ESCAPE)
    assert messages(exc) == [
        f"{ESCAPE}:21:37: error: call 'up' names file '../../../../../../../../etc/passwd', "
        f"{OUTSIDE_CALL}",
        f"{ESCAPE}:22:41: error: call 'root' names file '/etc/shadow', {OUTSIDE_CALL}",
        f"{ESCAPE}:23:47: error: call 'sibling' names file '../../calls/sub.yaml', "
        f"{OUTSIDE_CALL}",
        f"{ESCAPE}:24:47: error: call 'missing' names file '../no-such-tree.yaml', "
        f"{OUTSIDE_CALL}",
    ]
    assert reads == [ESCAPE.resolve(), (ESCAPE.parent / "below" / "sub.yaml").resolve()]


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "trees"
    folder.mkdir()
    (tmp_path / "outside.yaml").write_text((FIXTURES / "calls/below/sub.yaml").read_text())
    (folder / "sub.yaml").symlink_to(tmp_path / "outside.yaml")
    caller = folder / "caller.yaml"
    caller.write_text(ESCAPE.read_text().replace("below/sub.yaml", "sub.yaml"))
    with pytest.raises(TreeError) as exc:
        load_tree(caller)
    assert f"{caller}:25:43: error: call 'below' names file 'sub.yaml', {OUTSIDE_CALL}" in \
        messages(exc)


def test_a_facts_file_out_of_the_folders_is_refused_unread(reads: list[Path]) -> None:
    cases = FIXTURES / "escape-cases.yaml"
    result = invoke("test", str(cases))
    assert result.exit_code == 1
    assert [line.strip() for line in result.stderr.splitlines() if ": error: " in line] == [
        f"{cases}:6:17: error: facts file '/etc/passwd' {OUTSIDE_FACTS} "
        "[cases-facts-outside-folder]",
        f"{cases}:9:17: error: facts file '../../../../../../../../etc/shadow' {OUTSIDE_FACTS} "
        "[cases-facts-outside-folder]",
        f"{cases}:12:17: error: facts file '../no-such-facts.yaml' {OUTSIDE_FACTS} "
        "[cases-facts-outside-folder]",
    ]
    assert all(path.is_relative_to(FIXTURES.resolve()) for path in reads), reads


@pytest.mark.parametrize(("name", "line"), [
    ("nul-tree-cases.yaml", "3:7: error: tree 'calls/below/sub\\x00.yaml' holds a NUL byte, "
                            "which no file name can [cases-nul-byte]"),
    ("nul-facts-cases.yaml", "6:17: error: facts file 'ok\\x00.yaml' holds a NUL byte, which "
                             "no file name can [cases-nul-byte]"),
])
@pytest.mark.parametrize("command", ["test", "validate"])
def test_a_nul_byte_in_a_cases_path_is_a_located_error(name: str, line: str,
                                                       command: str) -> None:
    result = invoke(command, hostile(name))
    assert result.exit_code == 1
    assert [text.strip() for text in result.output.splitlines() if ": error: " in text] == \
        [f"{hostile(name)}:{line}"]


def test_a_nul_byte_in_a_tree_path_is_an_error() -> None:
    with pytest.raises(TreeError) as exc:
        load_tree("tree\0.yaml")
    assert messages(exc) == ["tree\0.yaml: error: cannot read file: the path holds a NUL byte"]


# --- saved traces that are damaged --------------------------------------------------------

RUNNING = (Path(__file__).resolve().parents[1] / "trees" / "examples" / "retrain-or-tune"
           / "running-example.yaml")


def _set(*keys: str | int, value: object) -> Any:
    def damage(data: Any) -> None:
        for key in keys[:-1]:
            data = data[key]
        data[keys[-1]] = value
    return damage


@pytest.mark.parametrize(("damage", "line"), [
    (_set("path", value=5), "error: /path must be a list, got number 5 [schema-type]"),
    (_set("path", 0, value=5), "error: /path/0 must be a string, got number 5 [schema-type]"),
    (_set("steps", 0, "node", value=7), "error: /steps/0/node must be a string, got number 7 "
                                        "[schema-type]"),
    (_set("steps", value={}), "error: /steps must be a list, got a mapping [schema-type]"),
    (_set("tree", "id", value=5), "error: /tree/id must be a string, got number 5 [schema-type]"),
    (_set("path", value=["nope"]), "gatetree: error: the decision passes nodes the tree "
                                   "retrain-or-tune@1.1.1 does not have: nope"),
    (_set("steps", 0, "exit", value=99), "gatetree: error: the decision takes exits the tree "
                                         "retrain-or-tune@1.1.1 does not have: gate-0 (exit 99)"),
])
def test_render_refuses_a_damaged_trace(tmp_path: Path, damage: Any, line: str) -> None:
    made = invoke("decide", "retrain-or-tune", "--facts", str(RUNNING), "--format", "json",
                  "--no-what-if")
    data = json.loads(made.stdout)
    damage(data)
    path = tmp_path / "trace.json"
    path.write_text(json.dumps(data, indent=1))
    result = invoke("render", "retrain-or-tune", "--decision", str(path), "--format", "mermaid")
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.endswith(line), first
    assert first.startswith(("gatetree: error:", f"{path}:"))


# --- terminal escape sequences in tree texts -------------------------------------------------

CODES = hostile("escape-codes.yaml")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("args", [
    ("show", CODES),
    ("decide", CODES, "--set", "ok=true"),
    ("decide", CODES),
    ("decide", CODES, "--set", "ok=true", "--format", "markdown"),
    ("decide", CODES, "--set", "ok=true", "--format", "json"),
    ("render", CODES, "--format", "mermaid"),
    ("render", CODES, "--format", "markdown"),
    ("render", CODES, "--format", "dot"),
    ("validate", CODES),
    ("test", hostile("escape-codes-cases.yaml")),
])
def test_no_control_character_reaches_the_terminal(args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert result.exit_code in (0, 1, 3)
    assert CONTROL.findall(result.output) == []


def test_text_reports_show_the_escape_sequences() -> None:
    shown = invoke("show", CODES).stdout.splitlines()[0]
    assert shown == "Retitle ␛]0;owned␇ clear ␛[2J hide ␛[8m csi \ufffd2J (escape-codes 1.0.0)"


def test_json_keeps_the_texts_whole_and_escaped() -> None:
    result = invoke("decide", CODES, "--set", "ok=true", "--format", "json")
    assert "\\u001b]0;owned\\u0007" in result.stdout and "\\u009b2J" in result.stdout
    title = json.loads(result.stdout)["tree"]["title"]
    assert title == "Retitle \x1b]0;owned\x07 clear \x1b[2J hide \x1b[8m csi \x9b2J"


# --- the whole corpus ------------------------------------------------------------------------

CORPUS = sorted(p for p in FIXTURES.rglob("*") if p.is_file())


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_validate_takes_every_hostile_file_cleanly(path: Path) -> None:
    result = invoke("validate", str(path))
    assert result.exit_code in (0, 1)
    assert CONTROL.findall(result.output) == []
    for line in result.stderr.splitlines():
        if ": error: " in line and not line.startswith(" "):
            assert line.startswith(f"{path}:"), line
