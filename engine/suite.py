"""A test run over many cases files: which files a `gatetree test` argument names, their
reports, and the coverage of each tree by all the cases that test it.

An argument is a cases file (`gatetree-cases: 1`), a folder (every cases file under it), a
tree file (its cases: `<stem>.cases.yaml` beside it, or `cases/<stem>.yaml`), or a built-in
tree id (its shipped cases). Coverage is per tree: two cases files testing one tree add up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._resources import data_dir
from .cases import CaseResult, CasesReport, run_cases
from .coverage import Coverage, merge
from .errors import Diagnostic, InputError, Location
from .marked import CASES_MARKER, marked_files
from .registry import find_tree, looks_like_path
from .source import read_document

__all__ = ["CASES_SUFFIX", "SuiteReport", "builtin_case_files", "cases_files",
           "run_suite", "tree_cases"]

CASES_SUFFIX = ".cases.yaml"
_YAML = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class SuiteReport:
    """Every cases file's report, and the coverage of each tree they test."""

    reports: tuple[CasesReport, ...]
    coverage: tuple[Coverage, ...]

    @property
    def results(self) -> tuple[tuple[CasesReport, CaseResult], ...]:
        return tuple((r, c) for r in self.reports for c in r.results)

    @property
    def passed(self) -> int:
        return sum(c.passed for _, c in self.results)

    @property
    def failed(self) -> int:
        return sum(not c.passed for _, c in self.results)

    def below(self, percent: float) -> tuple[Coverage, ...]:
        """The trees whose branch coverage is under `percent`."""
        return tuple(c for c in self.coverage if c.below(percent))


def run_suite(files: Iterable[Path]) -> SuiteReport:
    """Run these cases files; coverage per tree file, in the order trees are first met."""
    reports = tuple(run_cases(path) for path in files)
    by_tree: dict[str, list[Coverage]] = {}
    for report in reports:
        by_tree.setdefault(str(Path(report.tree.spec.path).resolve()), []).append(
            report.coverage)
    return SuiteReport(reports, tuple(merge(parts) for parts in by_tree.values()))


def builtin_case_files() -> list[Path]:
    """The cases shipped with the built-in trees."""
    return sorted((data_dir("trees") / "cases").glob("*.yaml"))


def cases_files(references: Sequence[str]) -> list[Path]:
    """The cases files the arguments name (none: the built-ins'), each once, in order.

    Raises InputError naming every argument that names no cases file, TreeError for a
    file that cannot be read, TreeNotFound for an unknown tree id.
    """
    if not references:
        return builtin_case_files()
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for reference in references:
        files, problem = _files_of(reference)
        found.extend(f for f in files if f not in found)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise InputError(problems)
    return found


def _files_of(reference: str) -> tuple[list[Path], Diagnostic | None]:
    path = Path(reference)
    if path.is_dir():
        files = marked_files(path, [CASES_MARKER])
        return files, None if files else Diagnostic(
            Location(reference), "no cases file under this folder",
            "a cases file starts with 'gatetree-cases: 1'", code="empty-folder")
    if path.exists() or looks_like_path(reference):
        data = read_document(path).data  # an unreadable file is its own located error
        if isinstance(data, dict) and "gatetree" in data and "gatetree-cases" not in data:
            return tree_cases(path, reference)
        return [path], None
    return tree_cases(find_tree(reference), reference)


def tree_cases(tree: Path, reference: str) -> tuple[list[Path], Diagnostic | None]:
    """A tree's cases: `<stem>.cases.yaml` beside it, or `cases/<stem>.yaml`; when it has
    none, the problem, located at `reference`."""
    stem = tree.name.rsplit(".", 1)[0]
    candidates = [tree.parent / f"{stem}{CASES_SUFFIX}",
                  *(tree.parent / "cases" / f"{stem}{suffix}" for suffix in _YAML)]
    files = [c for c in candidates if c.is_file()]
    if files:
        return files, None
    return [], Diagnostic(Location(reference), f"no cases file for tree '{reference}'",
                          f"looked for {' and '.join(str(c) for c in candidates[:2])}",
                          code="cases-file-missing")
