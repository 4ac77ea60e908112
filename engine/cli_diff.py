"""`gatetree diff OLD NEW`: what a change to a policy changes, for a terminal or a pull
request: the semantic diff by id, then the cases whose decisions moved.

Exit codes: 0 no case decides differently, 4 some case's decision (status, outcome, path or
actions) changed, so CI can ask for an approval; 1 a tree or cases file that does not load,
2 usage. A version number that does not move as the change requires is a warning.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from .cli_entry import main
from .cli_errors import EXIT_OK
from .completion import tree_references
from .decision import Decision
from .diff import CaseChange, TreeDiff, diff_trees
from .loader import load_tree
from .suite import tree_cases
from .terminal import escape_c1, for_terminal

__all__ = ["EXIT_DECISIONS_CHANGED", "diff", "diff_markdown", "diff_text"]

EXIT_DECISIONS_CHANGED = 4


@main.command()
@click.argument("old", shell_complete=tree_references)
@click.argument("new", shell_complete=tree_references)
@click.option("--cases", "cases", multiple=True, type=click.Path(dir_okay=False),
              metavar="FILE", help="Replay these cases files (repeatable; default: both "
                                   "trees' own cases files).")
@click.option("--format", "output", type=click.Choice(("text", "json", "markdown")),
              default="text", show_default=True,
              help="For a terminal (text), a program (json) or a pull request (markdown).")
def diff(old: str, new: str, cases: Sequence[str], output: str) -> None:
    """Compare two versions of a tree and replay cases through both.

    OLD and NEW are tree files, built-in ids or id@version. Exit 0 when no case decides
    differently, 4 when some case's decision changed.
    """
    before, after = load_tree(old), load_tree(new)
    files = [Path(c) for c in cases] or [
        f for tree in (before, after)
        for f in tree_cases(Path(tree.spec.path), tree.spec.path)[0]]
    result = diff_trees(before, after, files)
    if output == "json":
        click.echo(escape_c1(json.dumps(result.to_dict(), indent=2, ensure_ascii=False,
                                        allow_nan=False)))
    else:
        shown = diff_markdown(result) if output == "markdown" else diff_text(result)
        click.echo(for_terminal(shown), nl=False)
    if result.warning:
        click.echo(for_terminal(f"gatetree: warning: {result.warning}"), err=True)
    click.get_current_context().exit(EXIT_DECISIONS_CHANGED if result.decisions_changed
                                     else EXIT_OK)


def _heading(result: TreeDiff) -> str:
    old, new = result.old, result.new
    return f"{old.id} {old.version} ({old.path}) -> {new.id} {new.version} ({new.path})"


def _decision(decision: Decision | None, problem: str) -> str:
    if decision is None:
        return f"does not run: {problem}"
    path = " -> ".join(decision.path)
    if decision.outcome is not None:
        return f"{decision.outcome.id} by {path}"
    needs = decision.missing.fact if decision.missing else "a fact"
    return f"incomplete, needs {needs}, by {path}"


def _actions(change: CaseChange) -> tuple[list[str], list[str]] | None:
    """Both decisions' actions, when only those tell them apart or they differ too."""
    old = [a.text for a in change.old.actions] if change.old else []
    new = [a.text for a in change.new.actions] if change.new else []
    return None if old == new else (old, new)


def _replay_line(result: TreeDiff) -> str:
    if not result.replayed:
        return "No cases to replay (give --cases FILE)."
    moved = len(result.cases)
    if not moved:
        return f"No decision changed ({result.replayed} cases replayed)."
    return f"{moved} of {result.replayed} cases decide differently:"


def diff_text(result: TreeDiff) -> str:
    """The diff for a terminal."""
    lines = [_heading(result), ""]
    count = len(result.changes)
    lines.append(f"{count} change{'s' * (count != 1)}" + (":" if count else "."))
    lines += [f"  {c.location}: {c.what}: {c.describe()}" for c in result.changes]
    lines += ["", _replay_line(result)]
    for change in result.cases:
        lines.append(f"  {change.location}: {change.name}")
        lines.append(f"    old: {_decision(change.old, change.old_problem)}")
        lines.append(f"    new: {_decision(change.new, change.new_problem)}")
        actions = _actions(change)
        if actions:
            lines.append(f"    old actions: {actions[0]}")
            lines.append(f"    new actions: {actions[1]}")
    if result.warning:
        lines += ["", f"Warning: {result.warning}"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def diff_markdown(result: TreeDiff) -> str:
    """The diff as Markdown, for a pull-request comment."""
    old, new = result.old, result.new
    lines = [f"## Policy diff: {_cell(old.id)} {old.version} → {_cell(new.id)} {new.version}",
             ""]
    if result.warning:
        lines += [f"> **Warning:** {_cell(result.warning)}", ""]
    lines += [f"**{_replay_line(result).rstrip(':')}**", "", "### Changes", ""]
    if result.changes:
        lines += ["| change | what | element | old | new | where |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {c.kind} | {c.what} | {_cell(c.element)}"
                  f"{' (' + c.field + ')' if c.field else ''} | {_cell(c.old or '')} | "
                  f"{_cell(c.new or '')} | `{c.location}` |" for c in result.changes]
    else:
        lines.append("None: the trees say the same.")
    if result.cases:
        lines += ["", "### Decisions that changed", "", "| case | old | new |", "|---|---|---|"]
        for change in result.cases:
            cells = [_decision(change.old, change.old_problem),
                     _decision(change.new, change.new_problem)]
            actions = _actions(change)
            if actions:
                cells = [f"{c}; actions: {a}" for c, a in zip(cells, actions, strict=True)]
            lines.append(f"| `{_cell(change.name)}` (`{change.location}`) | "
                         f"{_cell(cells[0])} | {_cell(cells[1])} |")
    return "\n".join(lines) + "\n"
