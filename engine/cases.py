"""Test cases as data: facts and the decision a tree must reach, with their coverage.

An expectation names what it checks: the status, the outcome, the exact path or nodes it
must (`visits`) or must not (`not_visits`) pass, the exact actions or some that must be
among them (`actions_include`), and for an incomplete decision the fact it needs next
(`missing`) and the outcomes still reachable. An id the tree does not have is a located
error with a "did you mean", before anything runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._resources import SCHEMA_FILES
from .coverage import Coverage, coverage_of
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
from .registry import find_tree, looks_like_path
from .schema import schema_diagnostics
from .source import Document, read_document
from .tree import DecisionTree
from .values import quote_value

__all__ = ["CaseResult", "CasesReport", "case_diagnostics", "check_cases", "replay_cases",
           "run_cases"]

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
    def coverage(self) -> Coverage:
        """Nodes, branches and outcomes reached by the passing cases only."""
        return coverage_of(self.tree, (r.decision for r in self.results
                                       if r.passed and r.decision is not None))

    @property
    def covered_outcomes(self) -> tuple[str, ...]:
        return tuple(o for o, hits in self.coverage.outcomes if hits)

    @property
    def uncovered_outcomes(self) -> tuple[str, ...]:
        return self.coverage.uncovered_outcomes


def run_cases(path: str | Path) -> CasesReport:
    """Run every case of a cases file. Raises DiagnosticsError for a malformed file."""
    document, data = _read_cases(path)
    base = Path(path).parent
    if "\0" in data["tree"]:
        raise InputError([_nul_tree(document)])
    tree = load_tree(_tree_path(data["tree"], base))
    results = tuple(_run(tree, case, i, document, base) for i, case in enumerate(data["cases"]))
    return CasesReport(document.path, tree, results)


def replay_cases(path: str | Path, tree: DecisionTree) -> CasesReport:
    """Decide every case of a cases file with `tree`, whatever tree the file names, and
    without its expectations: what that tree decides from each case's facts and params.
    A case whose facts or params do not fit the tree has its problems and no decision."""
    document, data = _read_cases(path)
    base = Path(path).parent
    try:  # facts files stay where the file's own tree is, wherever `tree` was read from
        home = _tree_path(data["tree"], base).parent
    except (TreeNotFound, ValueError):
        home = Path(tree.spec.path).parent
    results = tuple(_run(tree, case, i, document, base, expect=False, home=home)
                    for i, case in enumerate(data["cases"]))
    return CasesReport(document.path, tree, results)


def _read_cases(path: str | Path) -> tuple[Document, Mapping[str, Any]]:
    document = read_document(path)
    problems = schema_diagnostics(document, CASES_SCHEMA)
    if problems:
        raise InputError(problems)
    return document, document.data


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
                               f"a path is read from the cases file's folder: {path}",
                               code="cases-tree-missing")]
        tree = load_tree(path)
    except TreeNotFound as exc:
        hint = did_you_mean(reference, exc.known) or f"built-in trees: {', '.join(exc.known)}"
        return [Diagnostic(where, f"no built-in tree '{reference}'", hint,
                           code="cases-unknown-tree")]
    except TreeError:
        return [Diagnostic(where, f"tree '{reference}' does not load",
                           f"see its errors with: gatetree validate {path}",
                           code="cases-tree-broken")]
    for index, case in enumerate(data["cases"]):
        problems.extend(_case_problems(tree, case, index, document, folder)[0])
    return problems


def _nul_tree(document: Document) -> Diagnostic:
    """A NUL byte names no file on any system (Python's open refuses it)."""
    return Diagnostic(document.locate("/tree"), f"tree {quote_value(document.data['tree'])} "
                                                "holds a NUL byte, which no file name can",
                      code="cases-nul-byte")


def _tree_path(reference: str, base: Path) -> Path:
    """The tree a cases file names: a path from the file's folder, else a built-in."""
    return base / reference if looks_like_path(reference) else find_tree(reference)


def _run(tree: DecisionTree, case: Mapping[str, Any], index: int, document: Document,
         base: Path, *, expect: bool = True, home: Path | None = None) -> CaseResult:
    name, source = case["name"], case.get("source", "")
    location = document.locate(f"/cases/{index}")
    problems, facts, params = _case_problems(tree, case, index, document, base, expect=expect,
                                             home=home)
    if problems:
        return CaseResult(name, source, location, None, (), tuple(problems))
    try:
        decision = tree.decide(facts, params=params)
    except DiagnosticsError as exc:
        return CaseResult(name, source, location, None, (), exc.diagnostics)
    except GatetreeError as exc:
        return CaseResult(name, source, location, None, (str(exc),))
    failures = _compare(case["expect"], decision) if expect else []
    return CaseResult(name, source, location, decision, tuple(failures))


def _case_problems(
    tree: DecisionTree, case: Mapping[str, Any], index: int, document: Document, base: Path,
    *, expect: bool = True, home: Path | None = None,
) -> tuple[list[Diagnostic], dict[str, Any], dict[str, Any]]:
    """What keeps a case from running, else its checked facts and params (its expectations
    are checked too unless `expect` is false). Facts files are read from the cases file's
    folder or `home` (default: the tree's folder), or below."""
    pointer = f"/cases/{index}"
    problems = _expectation_problems(tree, case, document, pointer) if expect else []
    facts: dict[str, Any] = {}
    params: dict[str, Any] = {}
    if "facts_file" in case:
        # beside the cases file or its tree, or below: never read from anywhere else
        home = Path(tree.spec.path).parent if home is None else home
        found = confined(case["facts_file"], (base, home))
        facts_path = base / case["facts_file"] if found is None else found
        if "\0" in case["facts_file"]:
            problems.append(Diagnostic(document.locate(f"{pointer}/facts_file"),
                                       f"facts file {quote_value(case['facts_file'])} "
                                       "holds a NUL byte, which no file name can",
                                       code="cases-nul-byte"))
        elif found is None:
            problems.append(Diagnostic(document.locate(f"{pointer}/facts_file"),
                                       f"facts file {quote_value(case['facts_file'])} "
                                       "is not inside the cases file's folder or the tree's "
                                       "folder",
                                       "a case's facts file sits beside the cases file or its "
                                       "tree, or below them", code="cases-facts-outside-folder"))
        elif not facts_path.is_file():
            problems.append(Diagnostic(document.locate(f"{pointer}/facts_file"),
                                       f"facts file '{case['facts_file']}' does not exist",
                                       f"a path is read from the cases file's folder: "
                                       f"{facts_path}", code="cases-facts-missing"))
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
    for key, how in (("path", " on its path"), ("visits", " on its path"),
                     ("not_visits", " off its path")):
        for i, value in enumerate(expect.get(key, [])):
            wanted.append((f"{key}/{i}", value, "node", how, nodes))
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
            "does not have", hint, code="case-unknown-name"))
    return problems


def _compare(expect: Mapping[str, Any], decision: Decision) -> list[str]:
    """Each expectation the decision does not meet, as `key: expected ..., got ...`, in the
    order the case writes them."""
    path = list(decision.path)
    texts = [a.text for a in decision.actions]
    actual: dict[str, Any] = {
        "status": decision.status,
        "outcome": decision.outcome.id if decision.outcome else None,
        "path": path,
        "actions": texts,
        "missing": decision.missing.fact if decision.missing else None,
        "reachable_outcomes": list(decision.reachable_outcomes),
    }
    # key -> (what is left unmet, how the expectation reads, what it was held against)
    partial = {
        "visits": ([n for n in expect.get("visits", []) if n not in path],
                   "a path through", path),
        "not_visits": ([n for n in expect.get("not_visits", []) if n in path],
                       "a path avoiding", path),
        "actions_include": ([t for t in expect.get("actions_include", []) if t not in texts],
                            "actions including", texts),
    }
    failures = []
    for key, want in expect.items():
        if key in partial:
            unmet, reads, got = partial[key]
            if unmet:
                failures.append(f"{key}: expected {reads} {quote_value(unmet)}, "
                                f"got {quote_value(got)}")
        elif actual[key] != want:
            failures.append(f"{key}: expected {quote_value(want)}, got {quote_value(actual[key])}")
    return failures


def case_diagnostics(report: CasesReport) -> list[Diagnostic]:
    """Failed cases as located diagnostics, for the command line."""
    found: list[Diagnostic] = []
    for result in report.results:
        found.extend(result.problems)
        found.extend(Diagnostic(result.location, f"case '{result.name}' failed: {failure}",
                                code="case-failed")
                     for failure in result.failures)
    return found
