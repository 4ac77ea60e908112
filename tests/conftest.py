"""Shared test options and fixtures."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import gatetree.checked
import gatetree.loader
from gatetree import Decision, DecisionTree, load_tree, read_facts

RUNNING_EXAMPLE = (Path(__file__).resolve().parents[1] / "trees" / "examples" /
                   "retrain-or-tune" / "running-example.yaml")


# The checked-tree cache of the command line writes here, never into the user's cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="gatetree-tests-")
os.environ.pop("GATETREE_NO_CACHE", None)


@pytest.fixture(autouse=True)
def _cache_off_after_each_test() -> Iterator[None]:
    """A test that runs a command turns the checked-tree cache on, as the command line
    does; the next test starts with it off again, as a library load does."""
    yield
    gatetree.checked._enabled = False


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden/ from the current output "
        "(review them in the diff before committing)",
    )


@pytest.fixture(autouse=True)
def _terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text reports wrap to the terminal's width; tests read them at 88 columns wherever
    they run (a test of another width sets COLUMNS itself)."""
    monkeypatch.setenv("COLUMNS", "88")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites golden files instead of comparing with them."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def tree() -> DecisionTree:
    """The built-in five-gate tree, compiled once for the session (it is immutable)."""
    return load_tree("retrain-or-tune")


@pytest.fixture(scope="session")
def decision(tree: DecisionTree) -> Decision:
    """The source's running example decided by the five-gate tree."""
    facts, _ = read_facts(RUNNING_EXAMPLE)
    return tree.decide(facts)


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The id of every spec compiled from now on."""
    seen: list[str] = []
    real = gatetree.loader.compile_spec

    def counting(spec, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(spec.id)
        return real(spec, **kwargs)

    monkeypatch.setattr(gatetree.loader, "compile_spec", counting)
    return seen


@pytest.fixture(scope="session")
def generated() -> ModuleType:
    """The load benchmark's tree generators (`chain_tree`, `line_tree`, `balanced_tree`):
    the tests check the trees it times."""
    return importlib.import_module("benchmarks.generated")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file gatetree reads from now on, resolved: for tests of where reads may go."""
    import gatetree.source

    seen: list[Path] = []
    real = gatetree.source.read_file

    def recording(path: str | Path, **kwargs: Any) -> bytes:
        seen.append(Path(path).resolve())
        return real(path, **kwargs)

    monkeypatch.setattr(gatetree.source, "read_file", recording)
    return seen
