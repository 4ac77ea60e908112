"""The pre-commit hooks in .pre-commit-hooks.yaml, run on a scratch git repository.

pre-commit itself would build a virtualenv and install gatetree from a git revision, which
needs a package index and takes a minute; these tests run each hook the way pre-commit
does once that is done: the `entry` split into words, then `args`, then (with
`pass_filenames`) the staged files matching `files`, in the repository's root, with the
installed `gatetree` script on PATH.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gatetree.source import read_document

ROOT = Path(__file__).resolve().parent.parent
HOOKS = read_document(ROOT / ".pre-commit-hooks.yaml").data
SCRIPTS = Path(sys.executable).parent
LINT = ROOT / "tests" / "fixtures" / "lint"
FMT = ROOT / "tests" / "fixtures" / "fmt"

CASES = """\
gatetree-cases: 1
tree: ../tree.yaml
cases:
  - name: small-and-urgent
    facts: {size: small, urgent: true}
    expect: {status: decided, outcome: rush}
"""

pytestmark = pytest.mark.skipif(not (SCRIPTS / "gatetree").exists(),
                                reason="the gatetree script is not installed beside python")


def hook(hook_id: str) -> dict[str, object]:
    return next(h for h in HOOKS if h["id"] == hook_id)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with a tree, its cases and a YAML file that is neither."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "policies" / "cases").mkdir(parents=True)
    shutil.copy(LINT / "clean.yaml", tmp_path / "policies" / "tree.yaml")
    (tmp_path / "policies" / "cases" / "tree.yaml").write_text(CASES, encoding="utf-8")
    (tmp_path / "settings.yml").write_text("colour: blue\n", encoding="utf-8")
    subprocess.run([git, "-C", str(tmp_path), "add", "."], check=True)
    return tmp_path


def run_hook(hook_id: str, repo: Path) -> subprocess.CompletedProcess[str]:
    """The hook as pre-commit runs it on the repository's files."""
    spec = hook(hook_id)
    command = [*shlex.split(str(spec["entry"])), *[str(a) for a in spec.get("args", [])]]
    if spec.get("pass_filenames", True):
        listed = subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True,
                                text=True, check=True).stdout.split()
        command += [f for f in listed if re.search(str(spec.get("files", "")), f)]
    env = {**os.environ, "PATH": f"{SCRIPTS}{os.pathsep}{os.environ.get('PATH', '')}",
           "GATETREE_NO_CACHE": "1"}
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env,
                          check=False)


def test_the_four_hooks_are_offered() -> None:
    assert [h["id"] for h in HOOKS] == ["gatetree-validate", "gatetree-lint", "gatetree-fmt",
                                         "gatetree-test"]
    for spec in HOOKS:
        assert spec["language"] == "python"
        assert re.search(str(spec["files"]), "policies/tree.yaml")


@pytest.mark.parametrize("hook_id", [h["id"] for h in HOOKS])
def test_every_hook_passes_on_a_clean_repository(hook_id: str, repo: Path) -> None:
    result = run_hook(hook_id, repo)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_fails_on_a_broken_tree(repo: Path) -> None:
    shutil.copy(ROOT / "tests" / "fixtures" / "invalid" / "graph-cycle.yaml",
                repo / "policies" / "cycle.yaml")
    result = run_hook("gatetree-validate", repo)
    assert result.returncode == 1
    assert "policies/cycle.yaml:21:3: error: cycle: gate-a -> gate-b -> gate-a" in result.stderr


def test_lint_fails_on_an_outcome_without_next_steps(repo: Path) -> None:
    shutil.copy(LINT / "gt101-no-next-steps.yaml", repo / "policies" / "tree.yaml")
    result = run_hook("gatetree-lint", repo)
    assert result.returncode == 1
    assert ("policies/tree.yaml:87:3: warning: GT101 outcome 'done' has no next_steps"
            in result.stderr)


def test_fmt_rewrites_a_scrambled_tree(repo: Path) -> None:
    target = repo / "policies" / "scrambled.yaml"
    shutil.copy(FMT / "scrambled.yaml", target)
    result = run_hook("gatetree-fmt", repo)
    assert result.stdout == f"reformatted {Path('policies') / 'scrambled.yaml'}\n"
    assert target.read_text(encoding="utf-8") == (FMT / "canonical.yaml").read_text(
        encoding="utf-8")  # pre-commit fails a hook that changed files


def test_test_fails_on_a_wrong_expectation(repo: Path) -> None:
    cases = repo / "policies" / "cases" / "tree.yaml"
    cases.write_text(CASES.replace("outcome: rush", "outcome: relax"), encoding="utf-8")
    result = run_hook("gatetree-test", repo)
    assert result.returncode == 1
    assert "0 passed, 1 failed" in result.stdout
