"""Test cases as data: facts and the decision a tree must reach, with outcome coverage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._resources import SCHEMA_FILES
from .decision import Decision
from .errors import (
    Diagnostic,
    DiagnosticsError,
    GatetreeError,
    InputError,
    Location,
    TreeError,
    TreeNotFound,
    did_you_mean,
)
from .files import confined
from .inputs import check_facts, check_params, read_facts
from .loader import load_tree
from .registry import find_builtin, looks_like_path
from .schema import schema_diagnostics
from .source import Document, read_document
from .tree import DecisionTree
from .values import quote_value

__all__ = ["CaseResult", "CasesReport", "case_diagnostics", "check_cases", "run_cases"]

CASES_SCHEMA = SCHEMA_FILES["cases"]


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One case: its decision, what did not match, and the located problems that kept it
    from running (an expected id the tree does not have, facts that do not fit)."""

    name: str
    source: str
    location: Location
    decision: Decision | None
    failures: tuple[str, ...]
    problems: tuple[Diagnostic, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures and not self.problems


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
    if "\0" in data["tree"]:
        raise InputError([_nul_tree(document)])
    tree = load_tree(_tree_path(data["tree"], base))
    results = tuple(_run(tree, case, i, document, base) for i, case in enumerate(data["cases"]))
    return CasesReport(document.path, tree, results)


def check_cases(document: Document, *, base: Path | None = None) -> list[Diagnostic]:
    """Every problem of a cases file, without running it: its schema, the tree it names
    loads, each expected outcome, node and missing fact exists in that tree, and each case's
    facts and params fit it. Paths in it are relative to `base` (default: its folder)."""
    problems = schema_diagnostics(document, CASES_SCHEMA)
    if problems:
        return problems
    data: Mapping[str, Any] = document.data
    folder = Path(document.path).parent if base is None else base
    reference, where = data["tree"], document.locate("/tree")
    if "\0" in reference:
        return [_nul_tree(document)]
    try:
        path = _tree_path(reference, folder)
        if not path.is_file():
            return [Diagnostic(where, f"tree file '{reference}' does not exist",
                               f"a path is read from the cases file's folder: {path}")]
        tree = load_tree(path)
    except TreeNotFound as exc:
        hint = did_you_mean(reference, exc.known) or f"built-in trees: {', '.join(exc.known)}"
        return [Diagnostic(where, f"no built-in tree '{reference}'", hint)]
    except TreeError:
        return [Diagnostic(where, f"tree '{reference}' does not load",
                           f"see its errors with: gatetree validate {path}")]
    for index, case in enumerate(data["cases"]):
        problems.extend(_case_problems(tree, case, index, document, folder)[0])
    return problems


def _nul_tree(document: Document) -> Diagnostic:
    """A NUL byte names no file on any system (Python's open refuses it)."""
    return Diagnostic(document.locate("/tree"), f"tree {quote_value(document.data['tree'])} "
                                                "holds a NUL byte, which no file name can")


def _tree_path(reference: str, base: Path) -> Path:
    """The tree a cases file names: a path from the file's folder, else a built-in."""
    return base / reference if looks_like_path(reference) else find_builtin(reference)


def _run(tree: DecisionTree, case: Mapping[str, Any], index: int, document: Document,
         base: Path) -> CaseResult:
    name, source = case["name"], case.get("source", "")
    location = document.locate(f"/cases/{index}")
    problems, facts, params = _case_problems(tree, case, index, document, base)
    if problems:
        return CaseResult(name, source, location, None, (), tuple(problems))
    try:
        decision = tree.decide(facts, params=params)
    except DiagnosticsError as exc:
        return CaseResult(name, source, location, None, (), exc.diagnostics)
    except GatetreeError as exc:
        return CaseResult(name, source, location, None, (str(exc),))
    return CaseResult(name, source, location, decision, tuple(_compare(case["expect"], decision)))


def _case_problems(
    tree: DecisionTree, case: Mapping[str, Any], index: int, document: Document, base: Path,
) -> tuple[list[Diagnostic], dict[str, Any], dict[str, Any]]:
    """What keeps a case from running, else its checked facts and params."""
    pointer = f"/cases/{index}"
    problems = _expectation_problems(tree, case, document, pointer)
    facts: dict[str, Any] = {}
    params: dict[str, Any] = {}
    if "facts_file" in case:
        # beside the cases file or its tree, or below: never read from anywhere else
        found = confined(case["facts_file"], (base, Path(tree.spec.path).parent))
        facts_path = base / case["facts_file"] if found is None else found
        if "\0" in case["facts_file"]:
            problems.append(Diagnostic(document.locate(f"{pointer}/facts_file"),
                                       f"facts file {quote_value(case['facts_file'])} "
                                       "holds a NUL byte, which no file name can"))
        elif found is None:
            problems.append(Diagnostic(document.locate(f"{pointer}/facts_file"),
                                       f"facts file {quote_value(case['facts_file'])} "
                                       "is not inside the cases file's folder or the tree's "
                                       "folder",
                                       "a case's facts file sits beside the cases file or its "
                                       "tree, or below them"))
        elif not facts_path.is_file():
            problems.append(Diagnostic(document.locate(f"{pointer}/facts_file"),
                                       f"facts file '{case['facts_file']}' does not exist",
                                       f"a path is read from the cases file's folder: "
                                       f"{facts_path}"))
        else:
            try:
                file_facts, facts_doc = read_facts(facts_path)
                facts.update(check_facts(tree.spec, file_facts, origin=facts_doc))
            except InputError as exc:
                problems.extend(exc.diagnostics)
    try:
        facts.update(check_facts(tree.spec, case.get("facts", {}), origin=document,
                                 pointer=f"{pointer}/facts"))
    except InputError as exc:
        problems.extend(exc.diagnostics)
    try:
        params = check_params(tree.spec, case.get("params", {}), origin=document,
                              pointer=f"{pointer}/params")
    except InputError as exc:
        problems.extend(exc.diagnostics)
    return problems, facts, params


def _expectation_problems(tree: DecisionTree, case: Mapping[str, Any], document: Document,
                          pointer: str) -> list[Diagnostic]:
    """An expected outcome, node or missing fact that the tree does not have can never match."""
    expect: Mapping[str, Any] = case["expect"]
    outcomes = [o.id for o in tree.outcomes]
    nodes, facts = list(tree.spec.nodes), list(tree.spec.facts)
    # (pointer under expect, the id, what it is, how the case expects it, the known ids)
    wanted: list[tuple[str, str, str, str, list[str]]] = []
    if "outcome" in expect:
        wanted.append(("outcome", expect["outcome"], "outcome", "", outcomes))
    for i, value in enumerate(expect.get("path", [])):
        wanted.append((f"path/{i}", value, "node", " on its path", nodes))
    if "missing" in expect:
        wanted.append(("missing", expect["missing"], "fact", " to be missing", facts))
    for i, value in enumerate(expect.get("reachable_outcomes", [])):
        wanted.append((f"reachable_outcomes/{i}", value, "outcome", " to be reachable",
                       outcomes))
    problems = []
    for where, value, what, how, known in wanted:
        if value in known:
            continue
        hint = did_you_mean(value, known) or f"its {what}s: {', '.join(known)}"
        problems.append(Diagnostic(
            document.locate(f"{pointer}/expect/{where}"),
            f"case '{case['name']}' expects {what} '{value}'{how}, which tree '{tree.id}' "
            "does not have", hint))
    return problems


def _compare(expect: Mapping[str, Any], decision: Decision) -> list[str]:
    actual: dict[str, Any] = {
        "status": decision.status,
        "outcome": decision.outcome.id if decision.outcome else None,
        "path": list(decision.path),
        "actions": [a.text for a in decision.actions],
        "missing": decision.missing.fact if decision.missing else None,
        "reachable_outcomes": list(decision.reachable_outcomes),
    }
    return [f"{key}: expected {quote_value(want)}, got {quote_value(actual[key])}"
            for key, want in expect.items() if actual[key] != want]


def case_diagnostics(report: CasesReport) -> list[Diagnostic]:
    """Failed cases as located diagnostics, for the command line."""
    found: list[Diagnostic] = []
    for result in report.results:
        found.extend(result.problems)
        found.extend(Diagnostic(result.location, f"case '{result.name}' failed: {failure}")
                     for failure in result.failures)
    return found
