"""`gatetree fmt`: rewrite tree and cases files in one layout (engine/fmt.py says which)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from .cli_entry import main
from .cli_errors import EXIT_INVALID, EXIT_OK, echo_diagnostics
from .errors import Diagnostic, DiagnosticsError, Location
from .fmt import Formatted, format_file
from .marked import CASES_MARKER, TREE_MARKER, marked_files
from .terminal import for_terminal

__all__ = ["fmt"]


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--check", is_flag=True,
              help="Change nothing; exit 1 naming each file that would change.")
def fmt(paths: Sequence[str], check: bool) -> None:
    """Lay out tree and cases files in one canonical form, keeping their comments.

    Each PATH is a tree or cases file, or a folder: every file under it that starts
    'gatetree: 1' or 'gatetree-cases: 1' (other YAML files are left alone). Keys take the
    order the README documents, indentation is 2 spaces, quotes and comments stay. Exit 1
    on a file that cannot be read, or with --check on a file that would change.
    """
    files, problems = _files(paths)
    echo_diagnostics(problems)
    failed = bool(problems)
    changed = unchanged = 0
    for path in files:
        try:
            formatted = format_file(path)
        except DiagnosticsError as exc:
            echo_diagnostics(exc.diagnostics)
            failed = True
            continue
        if not formatted.changed:
            unchanged += 1
            continue
        changed += 1
        if check:
            failed = True
            click.echo(for_terminal(f"would reformat {formatted.path}"))
        elif _write(formatted):
            click.echo(for_terminal(f"reformatted {formatted.path}"))
        else:
            failed = True
    done = "would be reformatted" if check else "reformatted"
    click.echo(for_terminal(f"{changed} file{'s' * (changed != 1)} {done}, {unchanged} "
                            "unchanged"), err=True)
    click.get_current_context().exit(EXIT_INVALID if failed else EXIT_OK)


def _files(paths: Sequence[str]) -> tuple[list[Path], list[Diagnostic]]:
    """The files the paths name, and a problem for each folder that holds none."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for name in paths:
        path = Path(name)
        if not path.is_dir():
            found.append(path)
            continue
        marked = marked_files(path, [TREE_MARKER, CASES_MARKER])
        found.extend(marked)
        if not marked:
            problems.append(Diagnostic(Location(name), "no tree or cases file under this "
                                       "folder", "trees start with 'gatetree: 1', cases files "
                                       "with 'gatetree-cases: 1'", code="empty-folder"))
    return list(dict.fromkeys(found)), problems


def _write(formatted: Formatted) -> bool:
    try:
        with open(formatted.path, "w", encoding="utf-8", newline="") as file:
            file.write(formatted.after)
    except OSError as exc:
        echo_diagnostics([Diagnostic(Location(formatted.path),
                                      f"cannot write the formatted file: {exc.strerror}",
                                      code="file-unwritable")])
        return False
    return True
