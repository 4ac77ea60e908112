"""Hostile and broken input: a clean, located error every time; no traceback, no hang.

Small inputs live in tests/fixtures/hostile/; large ones (bombs, deep nesting, long call
chains) and special files (FIFOs) are made in a temporary folder by the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gatetree import InputError, TreeError, load_tree
from gatetree.cli import main
from gatetree.files import DEFAULT_MAX_FILE_BYTES, max_file_bytes, read_file
from gatetree.inputs import check_facts
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
    assert done.stderr == f"{fifo}: error: cannot read file: it is a FIFO, not a regular file\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_before_it_is_read() -> None:
    with pytest.raises(TreeError) as exc:
        load_tree("/dev/zero")
    assert messages(exc) == ["/dev/zero: error: cannot read file: it is a device, "
                             "not a regular file"]


def test_a_folder_is_refused_where_a_file_is_wanted(tmp_path: Path) -> None:
    folder = tmp_path / "cases.yaml"
    folder.mkdir()
    result = invoke("test", str(folder))
    assert result.exit_code == 1
    assert result.stderr == f"{folder}: error: cannot read file: it is a folder, " \
                            "not a regular file\n"


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
                             f"(set {LIMIT} to read larger files)\n")


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
