"""`gatetree test`: run cases files, report each failure where its case stands, and the
coverage of each tree (nodes, branches, outcomes, checklist conditions) by the cases that
passed, with every uncovered branch at its place in the tree file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from .cli_entry import main
from .cli_errors import EXIT_INVALID, EXIT_OK, echo_diagnostics
from .completion import tree_references
from .coverage import Coverage
from .suite import SuiteReport, cases_files, run_suite
from .terminal import escape_c1, for_terminal

__all__ = ["test_cases"]


@main.command("test")
@click.argument("paths", nargs=-1, metavar="[PATH | TREE]...", shell_complete=tree_references)
@click.option("--verbose", "-v", is_flag=True, help="List every case, not only failures.")
@click.option("--min-coverage", type=click.FloatRange(0, 100), metavar="PCT",
              help="Fail when a tree's branch coverage is below PCT percent.")
@click.option("--format", "output", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="Report for people (text) or programs (json).")
@click.option("--junit-xml", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also write the results as JUnit XML, for CI systems.")
@click.option("--diagram", type=click.Path(dir_okay=False), metavar="FILE",
              help="Also draw each tree with its covered and uncovered branches (.svg, .png, "
                   ".pdf, .dot, .mmd); several trees: FILE's name then -TREE-ID.")
def test_cases(paths: Sequence[str], verbose: bool, min_coverage: float | None, output: str,
               junit_xml: str | None, diagram: str | None) -> None:
    """Run case files (default: the built-in trees' cases) and report branch coverage.

    Each PATH is a cases file, a folder (every cases file under it) or a tree file (its
    NAME.cases.yaml beside it, or cases/NAME.yaml); a TREE id runs that built-in tree's
    cases. Coverage counts only the cases that pass.
    """
    if diagram:
        from gatetree.render.coverage_view import coverage_format

        coverage_format(diagram)  # an unknown suffix is a usage error before anything runs
    suite = run_suite(cases_files(paths))
    below = suite.below(min_coverage) if min_coverage is not None else ()
    if output == "json":
        from .suite_report import suite_dict

        data = suite_dict(suite, min_coverage=min_coverage)
        click.echo(escape_c1(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)))
    else:
        _text_report(suite, verbose=verbose)
    if junit_xml:
        from .suite_report import junit_xml as to_junit

        try:
            Path(junit_xml).write_text(to_junit(suite), encoding="utf-8")
        except OSError as exc:
            click.echo(for_terminal(f"gatetree: error: cannot write {junit_xml}: "
                                    f"{exc.strerror or exc}"), err=True)
            click.get_current_context().exit(EXIT_INVALID)
        click.echo(f"wrote {junit_xml}", err=True)
    if diagram:
        _draw(suite, Path(diagram))
    for tree in below:
        click.echo(for_terminal(f"gatetree: error: branch coverage of {tree.tree_id} is "
                                f"{tree.branch_percent:g}%, below --min-coverage "
                                f"{min_coverage:g}%"), err=True)
    click.get_current_context().exit(EXIT_INVALID if suite.failed or below else EXIT_OK)


def _draw(suite: SuiteReport, path: Path) -> None:
    """One diagram per tree: FILE itself for one tree, FILE-TREE-ID.SUFFIX for several."""
    from gatetree.render.coverage_view import write_coverage_diagram

    trees = {str(Path(r.tree.spec.path).resolve()): r.tree for r in suite.reports}
    several = len(suite.coverage) > 1
    for coverage in suite.coverage:
        tree = trees[str(Path(coverage.path).resolve())]
        target = path.with_name(f"{path.stem}-{tree.id}{path.suffix}") if several else path
        write_coverage_diagram(tree, coverage, target)
        click.echo(f"wrote {target}", err=True)


def _text_report(suite: SuiteReport, *, verbose: bool) -> None:
    from gatetree.render._text import terminal_width, wrap_lines

    from .cases import case_diagnostics

    width = terminal_width()

    def say(text: str, indent: str = "  ") -> None:
        for line in wrap_lines(text, width, indent=indent, first=""):
            click.echo(for_terminal(line))

    for report in suite.reports:
        for result in report.results:
            if verbose or not result.passed:
                say(f"{'PASS' if result.passed else 'FAIL'} {report.tree.id}: {result.name}",
                    "     ")
        echo_diagnostics(case_diagnostics(report), indent="  ")  # a caret needs its line whole
    for tree in suite.coverage:
        say(_coverage_line(tree))
        for branch in tree.uncovered_branches:
            say(f"  uncovered branch {branch.location}: {branch.describe()}", "    ")
        for outcome in tree.uncovered_outcomes:
            say(f"  outcome not reached: {outcome}", "    ")
        for condition in tree.checklist_conditions if verbose else ():
            fired = condition.condition or "the default"
            say(f"  {condition.node}: {fired} decided {condition.hits} "
                f"case{'s' * (condition.hits != 1)}", "    ")
    click.echo(f"{suite.passed} passed, {suite.failed} failed")


def _coverage_line(tree: Coverage) -> str:
    counts = tree.counts()
    parts = [f"branches {'/'.join(map(str, counts['branches']))} ({tree.branch_percent:g}%)",
             f"nodes {'/'.join(map(str, counts['nodes']))}",
             f"outcomes {'/'.join(map(str, counts['outcomes']))}"]
    if counts["conditions"][1]:
        parts.append(f"checklist conditions {'/'.join(map(str, counts['conditions']))}")
    return f"{tree.path}: {tree.tree_id} {tree.version} coverage: {', '.join(parts)}"
