"""`gatetree fmt`: one layout, comments kept, idempotent, and never a change of data.

tests/fixtures/fmt/scrambled.yaml is a tree with its keys out of order and comments above,
beside and below them; canonical.yaml is that tree as fmt must write it, written by hand.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from test_cli import invoke

from gatetree import fmt
from gatetree.fmt import format_file, format_text
from gatetree.source import parse_document

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "fmt"
BUILTIN = sorted([*ROOT.glob("trees/*.yaml"), *ROOT.glob("trees/cases/*.yaml")])


def scrambled(text: str) -> str:
    """The file with every documented mapping's keys backwards (the format marker still
    first), comments moved along as fmt moves them."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=4, offset=2)
    root = yaml.load(text)

    def scramble() -> None:
        fmt._order(root, reverse=True)
        root.move_to_end("gatetree-cases" if "gatetree-cases" in root else "gatetree", last=False)

    fmt._Comments(root).reorder(scramble)
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def test_a_scrambled_tree_comes_back_in_order_with_its_comments() -> None:
    formatted = format_file(FIXTURES / "scrambled.yaml")
    assert formatted.changed
    assert formatted.after == (FIXTURES / "canonical.yaml").read_text(encoding="utf-8")


def test_the_canonical_form_is_left_as_it_is() -> None:
    assert not format_file(FIXTURES / "canonical.yaml").changed


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_scrambled_builtin_is_restored_exactly(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    mixed = scrambled(text)
    assert mixed != text
    assert parse_document(mixed, path="x").data == parse_document(text, path="x").data
    assert format_text(mixed, path=str(path)) == text


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: str(p.relative_to(ROOT)))
def test_builtins_are_formatted_and_formatting_is_idempotent(path: Path) -> None:
    formatted = format_file(path)
    assert not formatted.changed, f"run: gatetree fmt {path}"


def test_check_names_the_files_that_would_change_and_changes_nothing(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "scrambled.yaml", tmp_path / "tree.yaml")
    shutil.copy(FIXTURES / "canonical.yaml", tmp_path / "good.yaml")
    (tmp_path / "facts.yaml").write_text("ok: true\n", encoding="utf-8")  # not a tree: left
    before = (tmp_path / "tree.yaml").read_text(encoding="utf-8")
    result = invoke("fmt", "--check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {tmp_path / 'tree.yaml'}\n"
    assert result.stderr == "1 file would be reformatted, 1 unchanged\n"
    assert (tmp_path / "tree.yaml").read_text(encoding="utf-8") == before


def test_fmt_rewrites_in_place_and_then_check_passes(tmp_path: Path) -> None:
    target = tmp_path / "tree.yaml"
    shutil.copy(FIXTURES / "scrambled.yaml", target)
    result = invoke("fmt", str(target))
    assert result.exit_code == 0
    assert result.stdout == f"reformatted {target}\n"
    assert target.read_text(encoding="utf-8") == (FIXTURES / "canonical.yaml").read_text(
        encoding="utf-8")
    assert invoke("fmt", "--check", str(target)).exit_code == 0


def test_check_passes_on_the_builtin_trees_folder() -> None:
    result = invoke("fmt", "--check", str(ROOT / "trees"))
    assert result.exit_code == 0, result.output
    assert result.stderr == "0 files would be reformatted, 6 unchanged\n"


def test_bad_input_is_a_located_error_not_a_traceback(tmp_path: Path) -> None:
    broken = ROOT / "tests" / "fixtures" / "invalid" / "yaml-duplicate-key.yaml"
    facts = tmp_path / "facts.yaml"
    facts.write_text("ok: true\n", encoding="utf-8")
    result = invoke("fmt", "--check", str(broken), str(facts))
    assert result.exit_code == 1
    assert f"{broken}:33:5: error: duplicate key 'title' (first defined at line 32)" in (
        result.stderr)
    assert f"{facts}:1:1: error: not a tree or cases file" in result.stderr


def test_a_folder_without_trees_or_cases_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("colour: blue\n", encoding="utf-8")
    result = invoke("fmt", "--check", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path}: error: no tree or cases file under this folder "
                             "(trees start with 'gatetree: 1', cases files with "
                             "'gatetree-cases: 1') [empty-folder]\n"
                             "0 files would be reformatted, 0 unchanged\n")
