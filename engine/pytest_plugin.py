"""A pytest plugin: `*.cases.yaml` files that start `gatetree-cases: 1` are collected, one
test item per case, so a team's plain `pytest` run checks its policies with no Python test
code. A failing case reports what it expected and what the tree decided, at the case's line.

Installed with gatetree (entry point `pytest11`); `-p no:gatetree` turns it off. Nothing of
the engine is imported until such a file is found.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .cases import CaseResult, CasesReport

__all__ = ["CaseItem", "CasesFailed", "CasesFile", "is_cases_file", "pytest_collect_file"]

SUFFIX = ".cases.yaml"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> CasesFile | None:
    if not is_cases_file(file_path):
        return None
    return CasesFile.from_parent(parent, path=file_path)


def is_cases_file(path: Path) -> bool:
    """Whether pytest collects this file: its name and its first line of content."""
    if not path.name.endswith(SUFFIX) or not path.is_file():
        return False
    from .marked import first_content_line

    return first_content_line(path).replace(" ", "") == "gatetree-cases:1"


class CasesFailed(Exception):
    """A case that failed, with the lines that say how."""

    def __init__(self, where: str, lines: list[str]) -> None:
        super().__init__(where)
        self.where, self.lines = where, lines


class CasesFile(pytest.File):
    """One cases file: its cases are run together once, the first time an item asks."""

    _report: CasesReport | None = None

    def collect(self) -> Iterator[pytest.Item]:
        from .errors import DiagnosticsError
        from .source import read_document

        try:
            data = read_document(self.path).data
        except DiagnosticsError:
            data = None
        cases = data.get("cases") if isinstance(data, dict) else None
        names = [c.get("name") if isinstance(c, dict) else None
                 for c in (cases if isinstance(cases, list) else ())]
        if not names or not all(isinstance(n, str) for n in names):
            yield CaseItem.from_parent(self, name="<cases file>", index=-1)  # says why
            return
        for index, name in enumerate(names):
            yield CaseItem.from_parent(self, name=name, index=index)

    def report(self) -> CasesReport:
        if self._report is None:
            from .cases import run_cases

            self._report = run_cases(self.path)
        return self._report


class CaseItem(pytest.Item):
    """One case of a cases file."""

    def __init__(self, *, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index = index
        self._line: int | None = None

    def runtest(self) -> None:
        from .errors import GatetreeError

        assert isinstance(self.parent, CasesFile)
        try:
            report = self.parent.report()
        except GatetreeError as exc:  # the file is malformed, or its tree does not load
            raise CasesFailed(str(self.path), _file_problems(self.path, exc)) from None
        result = report.results[self.index]
        self._line = result.location.line
        if not result.passed:
            raise CasesFailed(str(result.location), _failure_lines(report, result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, CasesFailed):
            failed = excinfo.value
            return "\n".join([f"{failed.where}: case '{self.name}' failed", *failed.lines])
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = None if self._line is None else self._line - 1
        return self.path, line, f"case: {self.name}"


def _file_problems(path: Path, exc: Exception) -> list[str]:
    """Why a cases file does not run, located as `gatetree validate` says it."""
    from .cases import check_cases
    from .errors import DiagnosticsError
    from .source import read_document

    if isinstance(exc, DiagnosticsError):
        return [str(d) for d in exc.diagnostics]
    try:
        problems = check_cases(read_document(path))
    except DiagnosticsError as again:
        problems = list(again.diagnostics)
    return [str(d) for d in problems] or [f"error: {exc}"]


def _failure_lines(report: CasesReport, result: CaseResult) -> list[str]:
    """Expected vs actual, one line each, and the decision the tree reached."""
    from .suite_report import case_failures

    lines = [f"  {line}" for line in case_failures(result)]
    decision = result.decision
    if decision is not None:
        reached = (decision.outcome.id if decision.outcome else "incomplete, needing "
                   + (decision.missing.fact if decision.missing else "a fact"))
        lines.append(f"  tree {report.tree.id} {report.tree.spec.version} reached {reached} "
                     f"by {' -> '.join(decision.path)}")
    return lines
