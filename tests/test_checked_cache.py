"""The command line's cache of checked trees: hits skip the checks, anything else reads anew."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import gatetree.checked
import gatetree.loader
from gatetree import TreeError, load_tree
from gatetree.cli_entry import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "valid"


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The cache on, in its own folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GATETREE_NO_CACHE", raising=False)
    gatetree.checked.enable()
    return tmp_path / "cache" / "gatetree" / "checked"


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The id of every spec the graph checks ran on from now on."""
    seen: list[str] = []
    real = gatetree.loader.check_spec

    def counting(spec):  # type: ignore[no-untyped-def]
        seen.append(spec.id)
        return real(spec)

    monkeypatch.setattr(gatetree.loader, "check_spec", counting)
    return seen


def _tree(tmp_path: Path) -> Path:
    path = tmp_path / "tree.yaml"
    path.write_text((FIXTURES / "evaluation.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/*.json"))


def test_a_second_load_of_an_unchanged_file_skips_the_checks(
        cache: Path, checks: list[str], tmp_path: Path) -> None:
    path = _tree(tmp_path)
    first = load_tree(path)
    assert checks == ["evaluation"] and len(_entries(cache)) == 1
    second = load_tree(path)
    assert checks == ["evaluation"]  # not checked again
    assert second.spec == first.spec and second.warnings == first.warnings
    facts = {"check": "both", "urgent": True, "count": 12}
    assert second.decide(facts).to_dict() == first.decide(facts).to_dict()


def test_an_edited_file_is_checked_again(cache: Path, checks: list[str],
                                         tmp_path: Path) -> None:
    path = _tree(tmp_path)
    load_tree(path)
    path.write_text(path.read_text().replace("title: Evaluation", "title: Edited"))
    assert load_tree(path).spec.title == "Edited"
    assert checks == ["evaluation", "evaluation"]
    path.write_text(path.read_text().replace("next: many", "next: nowhere", 1))
    with pytest.raises(TreeError, match="'nowhere', which does not exist"):
        load_tree(path)


def test_an_entry_of_another_version_or_code_is_not_trusted(
        cache: Path, checks: list[str], tmp_path: Path) -> None:
    path = _tree(tmp_path)
    load_tree(path)
    (entry,) = _entries(cache)
    for field, value in (("gatetree", "0.0.1"), ("code", "another")):
        stored = json.loads(entry.read_text())
        stored[field] = value
        entry.write_text(json.dumps(stored))
        load_tree(path)
        assert json.loads(entry.read_text())[field] != value  # written again
    assert checks == ["evaluation"] * 3


@pytest.mark.parametrize("corrupt", ["", "{", "[]", '{"gatetree": 1}', "null"])
def test_a_corrupt_entry_is_ignored_and_written_again(
        cache: Path, checks: list[str], tmp_path: Path, corrupt: str) -> None:
    path = _tree(tmp_path)
    load_tree(path)
    (entry,) = _entries(cache)
    good = entry.read_text()
    entry.write_text(corrupt)
    assert load_tree(path).spec.id == "evaluation"
    assert entry.read_text() == good
    assert checks == ["evaluation", "evaluation"]


def test_bad_positions_in_an_entry_are_corrupt(cache: Path, checks: list[str],
                                               tmp_path: Path) -> None:
    path = _tree(tmp_path)
    load_tree(path)
    (entry,) = _entries(cache)
    stored = json.loads(entry.read_text())
    stored["positions"]["/id"] = ["one", 1, None, 1, 1]
    entry.write_text(json.dumps(stored))
    load_tree(path)
    assert checks == ["evaluation", "evaluation"]


def test_a_tree_with_errors_is_never_kept(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(_tree(tmp_path).read_text().replace("next: many", "next: nowhere", 1))
    for _ in range(2):
        with pytest.raises(TreeError):
            load_tree(path)
    assert _entries(cache) == []


def test_the_cache_can_be_turned_off(cache: Path, checks: list[str], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATETREE_NO_CACHE", "1")
    path = _tree(tmp_path)
    load_tree(path)
    load_tree(path)
    assert checks == ["evaluation", "evaluation"] and not cache.exists()


def test_an_unwritable_cache_is_no_error(cache: Path, tmp_path: Path) -> None:
    cache.parent.parent.mkdir(parents=True)
    cache.parent.write_text("a file where the folder should be")
    assert load_tree(_tree(tmp_path)).spec.id == "evaluation"


def test_a_library_load_keeps_nothing_unless_asked(checks: list[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = _tree(tmp_path)
    load_tree(path)
    load_tree(path)
    assert checks == ["evaluation", "evaluation"] and not (tmp_path / "cache").exists()


def test_the_command_line_uses_it(checks: list[str], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    command = ["decide", "retrain-or-tune", "--example", "running-example", "--format", "json"]
    first, second = (CliRunner().invoke(main, command, prog_name="gatetree") for _ in range(2))
    assert first.exit_code == second.exit_code == 0, first.output
    assert first.output == second.output
    assert checks == ["retrain-or-tune"]
