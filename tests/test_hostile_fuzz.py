"""A bounded, seeded fuzz of tree texts, facts and command lines (issue 14 §4).

Each property holds for every example: no exception but gatetree's own, no example slower
than a few seconds, every JSON output parses as strict JSON (no NaN, no Infinity), and no
file is read outside the folders a tree may read from. The example budgets are fixed and
the examples derandomised, so a run takes the same inputs and about the same time.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import gatetree.source
from gatetree import GatetreeError, load_text
from gatetree.cli import main

HERE = Path(__file__).parent
HOSTILE = HERE / "fixtures" / "hostile"
BUILTIN = HERE.parent / "trees"
SECONDS = 5.0
FUZZ = settings(derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

CALLER = """\
gatetree: 1
id: caller
version: 1.0.0
title: Caller {strictness}
start: route
params:
  strictness: {type: integer, default: 2, help: How strict.}
facts:
  kind: {type: enum, values: [call, count, text], question: "Which kind?"}
  count: {type: integer, question: "How many?", default: 3}
  score: {type: number, question: "What score?"}
  note: {type: string, question: "A note?"}
  twice: {type: integer, question: "Twice?", derive: count * 2}
nodes:
  route:
    kind: gate
    title: Route
    fact: kind
    branches:
      - {when: call, next: hand}
      - {when: count, next: counted}
      - {when: text, next: noted}
  hand:
    kind: call
    title: Hand over
    tree: sub.yaml
    branches:
      - {when: fine, next: done}
      - {when: broken, next: stop}
  counted:
    kind: gate
    title: Counted
    question: Many?
    branches:
      - {if: "twice > score and round(score, 1) < count * 100", next: done}
    default: {next: stop}
  noted:
    kind: gate
    title: Noted
    question: Long?
    branches:
      - {if: "len(note) > strictness", next: done}
    default: {next: stop}
  done: {kind: outcome, title: Done, action: Go on.}
  stop: {kind: outcome, title: Stop, action: Stop here.}
"""

# Pieces an attacker or a clumsy hand puts into a tree text.
HOSTILE_PIECES = [
    "*a", "&a ", "!!python/object/apply:os.system [ls]", "!!binary aGk=", "1e400", ".nan",
    "-.inf", "0x" + "f" * 50, "9" * 60, "{", "}", "[", "]", ":", "- ", "\t", "\0", "\x1b[2J",
    "\u202e", "ｃｏｕｎｔ", "__import__('os')", "().__class__", "lambda: 1", "count ** 99",
    "../outside.yaml", "/etc/passwd", "../../../../etc/shadow", "sub\0.yaml", "~/x.yaml",
    "'", '"', "#", "\n  ", "\n", "<<: *a", "? ", "| ", "> ", "%YAML 1.1\n", "---\n", "...\n",
    "null", "~", "yes", "no", "true", "x" * 200, "é", "\ufeff",
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tree's folder, with the tree it calls; a file beside the folder that no call may
    read."""
    root = tmp_path_factory.mktemp("fuzz")
    inside = root / "trees"
    inside.mkdir()
    (inside / "sub.yaml").write_text((HOSTILE / "calls" / "below" / "sub.yaml").read_text())
    (inside / "caller.yaml").write_text(CALLER)
    (root / "outside.yaml").write_text((HOSTILE / "calls" / "below" / "sub.yaml").read_text())
    return inside


def allowed(path: Path, folder: Path) -> bool:
    return path.is_relative_to(folder.resolve()) or path.is_relative_to(BUILTIN.resolve()) \
        or path.is_relative_to(Path(gatetree.__file__).resolve().parent)


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"not JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    """A text with one or two values replaced, or pieces inserted or removed, at places
    drawn; most edits replace a value, so many damaged trees still parse."""
    for _ in range(draw(st.sampled_from([1, 1, 1, 2]))):
        lines = text.split("\n")
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        action = draw(st.sampled_from(["value", "value", "value", "insert", "delete"]))
        piece = draw(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=8)))
        if action == "value" and ": " in line:
            cut = line.rindex(": ") + 2
            closing = line[len(line.rstrip("}]")):] if line.rstrip().endswith(("}", "]")) \
                else ""
            lines[index] = line[:cut] + piece + closing
        elif action == "delete":
            del lines[index]
        else:
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + piece + line[at:]
        text = "\n".join(lines)
    return text


def facts_strategy() -> st.SearchStrategy[dict[str, Any]]:
    values = st.one_of(
        st.none(), st.booleans(), st.integers(), st.integers(-(10 ** 1200), 10 ** 1200),
        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
        st.sampled_from(["call", "count", "text", "x" * 100_000, "\x1b]0;owned\x07"]),
        st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3),
                                                             st.integers(), max_size=2),
    )
    names = st.sampled_from(["kind", "count", "score", "note", "twice", "ok", "strictness",
                             "nope", "__class__", ""])
    return st.dictionaries(names, values, max_size=6)


def decided(tree: Any, facts: dict[str, Any], params: dict[str, Any]) -> None:
    """Decide and serialise; only gatetree's own errors may stop it."""
    try:
        decision = tree.decide(facts, params=params)
    except GatetreeError:
        return
    strict_json(json.dumps(decision.to_dict(), allow_nan=False))


@settings(FUZZ, max_examples=200)
@given(data=st.data())
def test_damaged_tree_texts_load_or_fail_cleanly(folder: Path, reads: list[Path],
                                                  data: st.DataObject) -> None:
    text = data.draw(damaged(CALLER))
    start = time.monotonic()
    try:
        tree = load_text(text, origin=str(folder / "caller.yaml"))
    except GatetreeError:
        tree = None
    event("loaded" if tree is not None else "refused")
    if tree is not None:
        decided(tree, data.draw(facts_strategy()), {})
    assert time.monotonic() - start < SECONDS
    outside = [p for p in reads if not allowed(p, folder)]
    assert outside == []


@settings(FUZZ, max_examples=200)
@given(facts=facts_strategy(), params=st.dictionaries(
    st.sampled_from(["strictness", "nope"]),
    st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none()), max_size=2))
def test_any_facts_decide_or_fail_cleanly(folder: Path, facts: dict[str, Any],
                                          params: dict[str, Any]) -> None:
    tree = _caller(folder)
    start = time.monotonic()
    decided(tree, facts, params)
    assert time.monotonic() - start < SECONDS


_TREES: dict[Path, Any] = {}


def _caller(folder: Path) -> Any:
    if folder not in _TREES:
        _TREES[folder] = load_text(CALLER, origin=str(folder / "caller.yaml"))
    return _TREES[folder]


def cli_args(folder: Path) -> st.SearchStrategy[list[str]]:
    tree = st.one_of(st.sampled_from([str(folder / "caller.yaml"), "retrain-or-tune"]),
                     st.sampled_from(["nope", str(folder.parent / "outside.yaml"), "", "-",
                                      "\x1b[2J", str(folder)]))
    word = st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=10))
    assignment = st.builds(lambda n, v: f"{n}={v}",
                           st.sampled_from(["kind", "count", "score", "note", "strictness",
                                            "nope", ""]),
                           st.one_of(word, st.sampled_from(["call", "count", "text", "1e400",
                                                            "inf", "nan", "٥٠٠", "7_4"])))
    option = st.one_of(
        st.tuples(st.just("--set"), assignment), st.tuples(st.just("--param"), assignment),
        st.tuples(st.just("--format"), st.sampled_from(["json", "text", "markdown", "mermaid",
                                                         "nope"])),
        st.tuples(st.just("--facts"), st.sampled_from([str(folder / "sub.yaml"), "/dev/null",
                                                       str(folder.parent / "outside.yaml")])),
    )
    formats = st.tuples(st.just("--format"), st.sampled_from(["mermaid", "markdown", "dot",
                                                              "json", "text"]))
    command = st.sampled_from(["decide", "decide", "decide", "show", "validate", "render",
                               "test", "run", "list", "schema", "nope"])

    @st.composite
    def build(draw: st.DrawFn) -> list[str]:
        name = draw(command)
        if name in ("list", "schema"):
            return [name, *draw(st.lists(word, max_size=2))]
        args = [name, draw(tree)]
        pool = {"decide": option, "render": formats}.get(name)
        for chosen in draw(st.lists(pool, max_size=4)) if pool is not None else ():
            args.extend(chosen)
        if draw(st.integers(0, 9)) == 9:  # now and then a stray word
            args.insert(draw(st.integers(1, len(args))), draw(word))
        return args

    return build()


@settings(FUZZ, max_examples=200)
@given(data=st.data())
def test_command_lines_end_cleanly(folder: Path, data: st.DataObject) -> None:
    args = data.draw(cli_args(folder))
    start = time.monotonic()
    result = CliRunner().invoke(main, args, input="")
    assert time.monotonic() - start < SECONDS, args
    assert "Traceback" not in result.output, args
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        (args, result.exc_info)
    assert result.exit_code in (0, 1, 2, 3), args
    event(f"exit {result.exit_code}")
    if "json" in args and result.exit_code in (0, 3) and args[0] == "decide":
        strict_json(result.stdout)
