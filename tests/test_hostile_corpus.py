"""The hostile corpus: every class of bad input, fed to every command that reads a file.

Small inputs are the fixtures in tests/fixtures/hostile/ and tests/fixtures/invalid/;
large ones (bombs, deep nesting, huge numbers, binary junk) and special files (FIFOs,
folders, links) are made in a temporary folder, by class. Each input must end in exit 1
or 2 with a message located at its file (`file:line:col`, or the file alone when it is
not readable as text) or naming the option, without a traceback, within a time limit.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gatetree.cli import main

HERE = Path(__file__).parent
HOSTILE = HERE / "fixtures" / "hostile"
INVALID = HERE / "fixtures" / "invalid"
SECONDS = 10.0  # far above any clean refusal (milliseconds), far below a hang
TREE = ("gatetree: 1\nid: corpus\nversion: 1.0.0\ntitle: Corpus\nstart: ask\n"
        "facts:\n  n: {{type: integer, question: \"N?\"{default}}}\n"
        "nodes:\n  ask:\n    kind: gate\n    title: Ask\n    question: Big?\n"
        "    branches:\n      - {{if: \"{condition}\", next: done}}\n"
        "    default: {{next: done}}\n"
        "  done: {{kind: outcome, title: Done, action: Go.}}\n")


def tree(*, condition: str = "n > 1", default: str = "") -> str:
    return TREE.format(condition=condition, default=default)


# --- the classes of input, each made in a folder -------------------------------------------

def bombs(folder: Path) -> Iterator[tuple[str, bytes]]:
    laughs = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    laughs += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    yield "billion-laughs.yaml", ("gatetree: 1\n" + "\n".join(laughs) + "\n").encode()
    yield "alias-in-facts.yaml", tree().replace("facts:\n", "x: &x [" + "1, " * 1000 +
                                                "1]\nfacts:\n").replace(
        "nodes:", "  m: {type: integer, question: M?, values: [*x, *x, *x]}\nnodes:").encode()
    yield "many-keys.yaml", ("gatetree: 1\n" + "".join(f"k{i}: {i}\n"
                                                      for i in range(5000))).encode()
    yield "long-string.yaml", tree().replace("title: Corpus", "title: '" + "x" * 1_000_000
                                             + "'").replace("id: corpus", "id: 'bad id'"
                                                            ).encode()


def deep_nesting(folder: Path) -> Iterator[tuple[str, bytes]]:
    yield "deep-flow-lists.yaml", ("gatetree: 1\nnodes: " + "[" * 1500 + "]" * 1500
                                   + "\n").encode()
    yield "deep-flow-maps.yaml", ("gatetree: 1\nnodes: " + "{a: " * 1500 + "1"
                                  + "}" * 1500 + "\n").encode()
    yield "deep-block.yaml", ("gatetree: 1\nnodes:\n" + "".join(
        "  " * (i + 1) + f"k{i}:\n" for i in range(1500)) + "  " * 1501 + "x\n").encode()
    yield "deep-parentheses.yaml", tree(condition="(" * 500 + "n" + ")" * 500 + " > 1"
                                        ).encode()
    yield "deep-not.yaml", tree(condition="not " * 5000 + "n > 1").encode()
    yield "deep-json.json", ("[" * 1500 + "]" * 1500).encode()


def huge_numbers(folder: Path) -> Iterator[tuple[str, bytes]]:
    yield "huge-default.yaml", tree(default=", default: " + "9" * 100_000).encode()
    yield "float-overflow-default.yaml", tree(default=", default: 1e400").encode()
    yield "huge-literal.yaml", tree(condition="n > " + "9" * 20_000).encode()
    yield "huge-hex.yaml", tree(condition="n > 0x" + "f" * 5000).encode()
    yield "huge-exponent.yaml", tree(condition="n > 1e99999").encode()
    yield "huge-power.yaml", tree(condition="n ** 999999999 > 1").encode()
    yield "huge-version.yaml", tree().replace("version: 1.0.0", "version: " + "9" * 10_000
                                              ).encode()


def binary(folder: Path) -> Iterator[tuple[str, bytes]]:
    noise = random.Random(14)
    yield "random.yaml", bytes(noise.randrange(256) for _ in range(4096))
    yield "nul-bytes.yaml", tree().encode().replace(b"Corpus", b"Cor\0pus")
    yield "not-utf8.yaml", tree().encode().replace(b"Corpus", b"Corp\xff\xfeus")
    yield "utf16.yaml", tree().encode("utf-16")
    yield "empty.yaml", b""
    yield "comments-only.yaml", b"# nothing here\n"
    yield "control-characters.yaml", tree().encode().replace(b"Big?", b"\x1b[2J\x07\x08")
    yield "bidi.yaml", tree().replace("id: corpus", "id: \"corpus\u202e\"").encode()
    yield "tabs.yaml", tree().replace("  ", "\t").encode()
    yield "python-tag.yaml", b"gatetree: 1\nid: !!python/object/apply:os.system [echo hi]\n"
    yield "yaml-merge.yaml", tree().replace("facts:\n", "facts:\n  <<: {x: 1}\n").encode()


def broken_trees(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(INVALID.glob("*.yaml")):
        if not path.stem.startswith("warn-"):  # warnings only: the tree loads
            yield f"invalid-{path.name}", path.read_bytes()
    for name in ("many-problems.yaml", "not-finite-defaults.yaml", "trailing-newlines.yaml"):
        yield f"hostile-{name}", (HOSTILE / name).read_bytes()


def special_files(folder: Path) -> Iterator[tuple[str, bytes]]:
    (folder / "a-folder.yaml").mkdir()
    (folder / "dangling.yaml").symlink_to(folder / "nowhere.yaml")
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    yield from ()


CLASSES: dict[str, Callable[[Path], Iterator[tuple[str, bytes]]]] = {
    "bombs": bombs, "deep-nesting": deep_nesting, "huge-numbers": huge_numbers,
    "binary": binary, "broken-trees": broken_trees, "special-files": special_files,
}
SPECIAL = ("a-folder.yaml", "dangling.yaml", "loop.yaml")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every input, made once for the module, by class."""
    made: dict[str, list[Path]] = {}
    for name, make in CLASSES.items():
        folder = tmp_path_factory.mktemp(name)
        paths = []
        for file_name, content in make(folder):
            (folder / file_name).write_bytes(content)
            paths.append(folder / file_name)
        made[name] = paths + [folder / s for s in SPECIAL if (folder / s).is_symlink()
                              or (folder / s).exists()]
    return made


# --- what every refusal must look like -------------------------------------------------------

def refused(args: list[str], path: Path, *, input: str | None = None) -> Result:
    """Run a command that must refuse `path`, and check how it does."""
    start = time.monotonic()
    result = CliRunner().invoke(main, args, input=input)
    elapsed = time.monotonic() - start
    assert "Traceback" not in result.output, result.output[-2000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exc_info
    assert result.exit_code in (1, 2), (result.exit_code, result.output[-2000:])
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    assert located(result.output, path), result.output[-2000:]
    return result


def located(output: str, path: Path) -> bool:
    """A message at the file (with line:col where it has text), or naming an option."""
    at_file = re.compile(rf"(^|\s){re.escape(str(path))}(:\d+:\d+)?: error: \S", re.M)
    named_option = re.compile(r"^Error: .*'--?[a-z-]+'", re.M)
    return bool(at_file.search(output) or named_option.search(output))


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_validate_refuses_every_input_of_a_class(corpus: dict[str, list[Path]],
                                                  name: str) -> None:
    assert corpus[name], "every class holds inputs"
    for path in corpus[name]:
        refused(["validate", str(path)], path)


COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "validate": lambda p, out: ["validate", str(p)],
    "decide": lambda p, out: ["decide", str(p)],
    "decide --facts": lambda p, out: ["decide", "retrain-or-tune", "--facts", str(p)],
    "render": lambda p, out: ["render", str(p), "--format", "mermaid"],
    "render --decision": lambda p, out: ["render", "retrain-or-tune", "--decision", str(p)],
    "show": lambda p, out: ["show", str(p)],
    "run": lambda p, out: ["run", str(p)],
    "docs": lambda p, out: ["docs", str(out), str(p)],
    "test": lambda p, out: ["test", str(p)],
}


FACTS_AS_GIVEN = ("empty.yaml", "comments-only.yaml")  # no facts: a valid facts file
SAMPLE = 2  # inputs of each class per command: validate above takes them all


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_the_corpus(corpus: dict[str, list[Path]], command: str,
                                          tmp_path: Path) -> None:
    for paths in corpus.values():
        step = max(1, len(paths) // SAMPLE)
        for path in paths[::step]:
            if command == "decide --facts" and path.name in FACTS_AS_GIVEN:
                continue
            refused(COMMANDS[command](path, tmp_path / "docs"), path, input="")


@pytest.mark.parametrize(("args", "named"), [
    (["list", "--nope"], "--nope"), (["schema", "nope"], "'{tree|trace|cases|batch-row}'"),
    (["decide", "retrain-or-tune", "--format", "nope"], "'--format'"),
    (["render", "retrain-or-tune", "--format", "nope"], "'nope'"),  # the value, not --format
    (["test", "--nope"], "--nope"), (["decide", "retrain-or-tune", "--set", "x"], "x"),
])
def test_a_bad_option_names_the_option(args: list[str], named: str) -> None:
    """An unknown option is named bare: click 8.2 writes `--nope`, later releases `'--nope'`."""
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert re.search(r"^(Error: |gatetree: error: |--set ).*" + re.escape(named),
                     result.output, re.M), result.output


# --- FIFOs and devices: in a process of their own, so a regression cannot block the suite ----

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_a_fifo(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    args = COMMANDS[command](fifo, tmp_path / "docs")
    done = subprocess.run([sys.executable, "-m", "gatetree.cli", *args], capture_output=True,
                          text=True, timeout=30, check=False, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    assert located(done.stderr, fifo), done.stderr


# --- a damaged trace, read back by render --decision -------------------------------------

def test_a_trace_that_is_no_json_object_is_located(tmp_path: Path) -> None:
    for text in ("[]", "5", '"x"', "{", json.dumps({"path": 5}), "\0"):
        path = tmp_path / "trace.json"
        path.write_text(text)
        refused(["render", "retrain-or-tune", "--decision", str(path)], path)
