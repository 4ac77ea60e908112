"""Versions of a tree in one folder, the tree path (--trees, GATETREE_PATH) searched before
the built-in trees, and pinning the version a decision must be made with."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gatetree import TreeError, TreeNotFound, VersionMismatch, load_tree, registry
from gatetree.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _tree(tree_id: str, version: str, *, title: str = "Tiny", action: str = "Ship it.",
          call: str | None = None) -> str:
    start = "route" if call else "done"
    route = (f"  route:\n    kind: call\n    title: Ask\n    tree: {call}\n"
             f"    branches:\n      - {{when: done, next: done}}\n") if call else ""
    return (f"gatetree: 1\nid: {tree_id}\nversion: {version}\ntitle: {title}\n"
            f"start: {start}\nfacts: {{}}\nnodes:\n{route}"
            f"  done: {{kind: outcome, title: Done, action: {action}}}\n")


def _shelf(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    """Three versions of `pol`: 1.9.0 and 1.10.0 pinned by name, 2.0.0-rc1 pinned, and the
    current one, 1.10.1, in `pol.yaml`."""
    return _shelf(tmp_path / "policies", {
        "pol@1.9.0.yaml": _tree("pol", "1.9.0", action="Nine."),
        "pol@1.10.0.yaml": _tree("pol", "1.10.0", action="Ten."),
        "pol@2.0.0-rc1.yaml": _tree("pol", "2.0.0-rc1", action="Candidate."),
        "pol.yaml": _tree("pol", "2.0.0", action="Two."),
    })


@pytest.fixture(autouse=True)
def _no_path_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(registry.TREE_PATH_VARIABLE, raising=False)


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    return result


def test_an_id_resolves_to_its_newest_version_in_semantic_order(policies: Path) -> None:
    assert load_tree("pol", trees=[policies]).version == "2.0.0"
    assert load_tree("pol@1.10.0", trees=[policies]).version == "1.10.0"
    assert load_tree("pol@1.9.0", trees=[policies]).version == "1.9.0"
    (policies / "pol.yaml").unlink()  # newest is 1.10.0, not 1.9.0 (nor the release candidate)
    assert load_tree("pol", trees=[policies]).version == "1.10.0"


def test_a_version_the_folder_lacks_lists_the_versions_there_are(policies: Path) -> None:
    with pytest.raises(TreeNotFound) as info:
        load_tree("pol@1.2.0", trees=[policies])
    assert str(info.value) == (
        "no tree 'pol@1.2.0': it is not a file and not a tree on the tree path or built in "
        "(did you mean 'pol@1.9.0'?); trees: ai-workflow-triage@1.1.1, pol@1.10.0, pol@1.9.0, "
        "pol@2.0.0, pol@2.0.0-rc1, retrain-or-tune@1.1.1, tune-or-rebuild@1.1.0")


def test_the_cli_decides_with_the_version_named(policies: Path) -> None:
    newest = invoke("--trees", str(policies), "decide", "pol", "--no-what-if")
    assert newest.exit_code == 0 and "Two." in newest.stdout and "Tree: pol 2.0.0" in newest.stdout
    pinned = invoke("--trees", str(policies), "decide", "pol@1.9.0", "--no-what-if")
    assert pinned.exit_code == 0 and "Nine." in pinned.stdout


def test_list_shows_the_newest_and_list_all_every_version(policies: Path) -> None:
    newest = invoke("--trees", str(policies), "list")
    rows = [line.split()[:2] for line in newest.stdout.splitlines()]
    assert ["pol", "2.0.0"] in rows and ["pol", "1.9.0"] not in rows
    assert f"({policies / 'pol.yaml'})" in newest.stdout
    assert ["retrain-or-tune", "1.1.1"] in rows  # the built-in trees after the path's
    every = invoke("--trees", str(policies), "list", "--all")
    versions = [line.split()[1] for line in every.stdout.splitlines()
                if line.startswith("pol ")]
    assert versions == ["1.9.0", "1.10.0", "2.0.0-rc1", "2.0.0"]


def test_gatetree_path_adds_folders_like_trees(policies: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    other = _shelf(tmp_path / "other", {"other.yaml": _tree("other", "0.1.0")})
    monkeypatch.setenv(registry.TREE_PATH_VARIABLE, f"{policies}:{other}:")
    assert load_tree("pol").version == "2.0.0"
    assert load_tree("other").version == "0.1.0"
    result = invoke("decide", "other", "--no-what-if",
                    env={registry.TREE_PATH_VARIABLE: str(other)})
    assert result.exit_code == 0 and "Tree: other 0.1.0" in result.stdout


def test_a_missing_folder_on_the_path_is_an_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(registry.TREE_PATH_VARIABLE, str(tmp_path / "nope"))
    with pytest.raises(TreeError) as info:
        load_tree("retrain-or-tune")
    assert str(info.value) == (f"GATETREE_PATH: error: tree folder '{tmp_path / 'nope'}' does "
                               "not exist (give folders of tree files)")
    assert invoke("--trees", str(tmp_path / "nope"), "list").exit_code == 2  # click says it


def test_a_folder_on_the_path_stands_in_for_a_builtin_tree_of_its_id(tmp_path: Path) -> None:
    mine = _shelf(tmp_path / "mine", {"retrain-or-tune.yaml": _tree("retrain-or-tune", "9.0.0")})
    assert load_tree("retrain-or-tune", trees=[mine]).version == "9.0.0"
    with pytest.raises(TreeNotFound):  # its versions are the folder's, not the built-in ones
        load_tree("retrain-or-tune@1.1.1", trees=[mine])
    assert load_tree("retrain-or-tune").version == "1.1.1"  # outside the block, as shipped


def test_one_id_in_two_folders_is_an_error_naming_both_files(policies: Path,
                                                            tmp_path: Path) -> None:
    twin = _shelf(tmp_path / "twin", {"pol.yaml": _tree("pol", "3.0.0")})
    message = (f"{twin / 'pol.yaml'}:2:5: error: tree 'pol' is in two folders of the tree "
               f"path: {policies / 'pol.yaml'} and {twin / 'pol.yaml'}")
    with pytest.raises(TreeError) as info:
        load_tree("pol", trees=[policies, twin])
    assert str(info.value).startswith(message)
    for command in (["decide", "pol"], ["list"]):
        result = invoke("--trees", str(policies), "--trees", str(twin), *command)
        assert result.exit_code == 1
        assert result.stderr.startswith(message)


def test_a_file_named_for_another_id_or_version_is_a_located_error(tmp_path: Path) -> None:
    folder = _shelf(tmp_path / "misnamed", {"pol.yaml": _tree("pol", "1.0.0"),
                                            "pol@1.1.0.yaml": _tree("pol", "1.3.0"),
                                            "lop.yaml": _tree("pol", "2.0.0")})
    result = invoke("--trees", str(folder), "list", "--all")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0::3] == [
        f"{folder / 'lop.yaml'}:2:5: error: file 'lop.yaml' holds tree 'pol', not 'lop' (a tree "
        "is found by its file name: name it pol.yaml or pol@2.0.0.yaml) [tree-file-name]",
        f"{folder / 'pol@1.1.0.yaml'}:3:10: error: file 'pol@1.1.0.yaml' holds version 1.3.0 "
        "of 'pol', not 1.1.0 (name it pol@1.3.0.yaml) [tree-file-name]",
    ]
    with pytest.raises(TreeError, match=r"holds version 1\.3\.0"):
        load_tree("pol", trees=[folder])
    with pytest.raises(TreeError, match="holds tree 'pol', not 'lop'"):
        load_tree("lop", trees=[folder])


def test_a_call_names_a_tree_on_the_path_by_id(policies: Path, tmp_path: Path) -> None:
    caller = _shelf(tmp_path / "callers", {"caller.yaml": _tree("caller", "1.0.0",
                                                                call="pol@1.9.0")})
    tree = load_tree(caller / "caller.yaml", trees=[policies])
    assert tree.decide({}).outcome.id == "done"
    result = invoke("--trees", str(policies), "validate", str(caller / "caller.yaml"))
    assert result.exit_code == 0
    unfound = invoke("validate", str(caller / "caller.yaml"))
    assert unfound.exit_code == 1 and "'pol@1.9.0'" in unfound.stderr


def test_expect_version_refuses_another_version_naming_it(policies: Path) -> None:
    assert load_tree("pol", trees=[policies], expect_version="2.0.0").version == "2.0.0"
    with pytest.raises(VersionMismatch) as info:
        load_tree("pol", trees=[policies], expect_version="1.10.0")
    assert (info.value.found, info.value.expected) == ("2.0.0", "1.10.0")
    assert str(info.value) == (f"tree 'pol' is version 2.0.0 ({policies / 'pol.yaml'}), not "
                               "1.10.0 as asked for; name 'pol@1.10.0' to run that version, or "
                               "expect 2.0.0")
    refused = invoke("--trees", str(policies), "decide", "pol", "--expect-version", "1.10.0")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr == f"gatetree: error: {info.value}\n"
    kept = invoke("--trees", str(policies), "decide", "pol@1.10.0", "--expect-version",
                  "1.10.0", "--no-what-if")
    assert kept.exit_code == 0 and "Ten." in kept.stdout


def test_a_builtin_tree_that_does_not_read_is_a_located_error_not_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = _shelf(tmp_path / "trees", {"good.yaml": _tree("good", "1.0.0"),
                                          "bad.yaml": "gatetree: 1\nid: [unclosed\n"})
    monkeypatch.setattr(registry, "data_dir", lambda kind: shipped)
    registry._builtin_versions.cache_clear()
    try:
        with pytest.raises(TreeError) as info:
            registry.builtin_trees()
        assert [d.location.path for d in info.value.diagnostics] == [str(shipped / "bad.yaml")]
        assert info.value.diagnostics[0].location.line == 3
    finally:
        registry._builtin_versions.cache_clear()


def test_the_wheel_ships_every_file_of_the_layout() -> None:
    """`<id>.yaml` and `<id>@<version>.yaml` in trees/ are package data."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    line = re.search(r'^"gatetree\._data\.trees" = (\[.*\])$', pyproject, flags=re.M)
    assert line is not None
    globs = json.loads(line.group(1))
    for name in ("pol.yaml", "pol@1.2.0.yaml", "pol@2.0.0-rc1.yaml"):
        assert any(fnmatch.fnmatch(name, pattern) for pattern in globs), name


def test_completion_offers_the_ids_and_versions_on_the_path(policies: Path) -> None:
    from gatetree.completion import tree_references

    with registry.using_trees([policies]):
        ids = [item.value for item in tree_references(None, None, "po")]  # type: ignore[arg-type]
        refs = [item.value for item in tree_references(None, None, "pol@1")]  # type: ignore[arg-type]
    assert ids == ["pol"]
    assert refs == ["pol@1.9.0", "pol@1.10.0"]
