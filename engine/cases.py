"""Test cases as data: facts and the decision a tree must reach, with outcome coverage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._resources import SCHEMA_FILES
from .decision import Decision
from .errors import Diagnostic, DiagnosticsError, GatetreeError, InputError, Location
from .inputs import check_facts, check_params, read_facts
from .loader import load_tree
from .schema import schema_diagnostics
from .source import Document, read_document
from .tree import DecisionTree

__all__ = ["CaseResult", "CasesReport", "run_cases"]

CASES_SCHEMA = SCHEMA_FILES["cases"]


@dataclass(frozen=True, slots=True)
class CaseResult:
    name: str
    source: str
    location: Location
    decision: Decision | None
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True, slots=True)
class CasesReport:
    """The results of one cases file, and which outcomes its cases reach."""

    path: str
    tree: DecisionTree
    results: tuple[CaseResult, ...]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def covered_outcomes(self) -> tuple[str, ...]:
        reached = {r.decision.outcome.id for r in self.results
                   if r.decision is not None and r.decision.outcome is not None}
        return tuple(o.id for o in self.tree.outcomes if o.id in reached)

    @property
    def uncovered_outcomes(self) -> tuple[str, ...]:
        covered = set(self.covered_outcomes)
        return tuple(o.id for o in self.tree.outcomes if o.id not in covered)


def run_cases(path: str | Path) -> CasesReport:
    """Run every case of a cases file. Raises DiagnosticsError for a malformed file."""
    document = read_document(path)
    problems = schema_diagnostics(document, CASES_SCHEMA)
    if problems:
        raise InputError(problems)
    data: Mapping[str, Any] = document.data
    base = Path(path).parent
    reference = data["tree"]
    local = base / reference
    tree = load_tree(local if local.suffix in (".yaml", ".yml") else reference)
    results = tuple(_run(tree, case, i, document, base) for i, case in enumerate(data["cases"]))
    return CasesReport(document.path, tree, results)


def _run(tree: DecisionTree, case: Mapping[str, Any], index: int, document: Document,
         base: Path) -> CaseResult:
    pointer = f"/cases/{index}"
    location = document.locate(pointer)
    try:
        facts: dict[str, Any] = {}
        if "facts_file" in case:
            file_facts, facts_doc = read_facts(base / case["facts_file"])
            facts.update(check_facts(tree.spec, file_facts, origin=facts_doc))
        facts.update(check_facts(tree.spec, case.get("facts", {}), origin=document,
                                 pointer=f"{pointer}/facts"))
        params = check_params(tree.spec, case.get("params", {}), origin=document,
                              pointer=f"{pointer}/params")
        decision = tree.decide(facts, params=params)
    except DiagnosticsError as exc:
        return CaseResult(case["name"], case.get("source", ""), location, None,
                          tuple(str(d) for d in exc.diagnostics))
    except GatetreeError as exc:
        return CaseResult(case["name"], case.get("source", ""), location, None, (str(exc),))
    return CaseResult(case["name"], case.get("source", ""), location, decision,
                      tuple(_compare(case["expect"], decision)))


def _compare(expect: Mapping[str, Any], decision: Decision) -> list[str]:
    actual: dict[str, Any] = {
        "status": decision.status,
        "outcome": decision.outcome.id if decision.outcome else None,
        "path": list(decision.path),
        "actions": [a.text for a in decision.actions],
        "missing": decision.missing.fact if decision.missing else None,
        "reachable_outcomes": list(decision.reachable_outcomes),
    }
    return [f"{key}: expected {want!r}, got {actual[key]!r}"
            for key, want in expect.items() if actual[key] != want]


def case_diagnostics(report: CasesReport) -> list[Diagnostic]:
    """Failed cases as located diagnostics, for the command line."""
    return [Diagnostic(r.location, f"case '{r.name}' failed: {failure}")
            for r in report.results for failure in r.failures]
