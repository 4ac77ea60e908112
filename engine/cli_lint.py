"""`gatetree lint`: coded warnings about trees that load (engine/lint.py has the rules)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from .cli_entry import main
from .cli_errors import EXIT_INVALID, EXIT_OK, echo_diagnostics
from .completion import tree_references
from .errors import Diagnostic, Location
from .lint import Linted, lint_file
from .marked import TREE_MARKER, marked_files
from .registry import find_tree, looks_like_path
from .terminal import for_terminal

__all__ = ["lint"]


@main.command()
@click.argument("paths", nargs=-1, required=True, shell_complete=tree_references)
@click.option("--strict", is_flag=True, help="Fail on any warning, not only on errors.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: one object with every finding, for programs.")
def lint(paths: Sequence[str], strict: bool, output: str) -> None:
    """Warn, with rule codes, about what trees that load do badly.

    Each PATH is a tree file, a built-in tree id or a folder (every tree under it, by its
    'gatetree: 1' marker). A tree that does not load is reported with its errors, as
    `validate` does, and fails. A tree may switch rules off with `lint: {disable: [CODE]}`.
    Exit 1 on any load error, or with --strict on any warning.
    """
    linted = [result for reference in paths for result in _lint(reference)]
    failed = any(r.errors or (strict and r.findings) for r in linted)
    if output == "json":
        click.echo(json.dumps(_as_json(linted, failed), indent=2, ensure_ascii=False))
    else:
        for result in linted:
            echo_diagnostics(result.errors)
            echo_diagnostics(f.diagnostic for f in result.findings)
            if not result.errors:
                count = len(result.findings)
                status = f"{count} warning{'s' * (count != 1)}" if count else "ok"
                click.echo(for_terminal(f"{result.path}: {status}"))
    click.get_current_context().exit(EXIT_INVALID if failed else EXIT_OK)


def _lint(reference: str) -> list[Linted]:
    path = Path(reference)
    if path.is_dir():
        trees = marked_files(path, [TREE_MARKER])
        if not trees:
            return [Linted(reference, errors=(Diagnostic(Location(reference), "no tree under "
                                                         "this folder", "trees start with "
                                                         "'gatetree: 1'", code="empty-folder"),))]
        return [lint_file(p) for p in trees]
    if path.is_file() or looks_like_path(reference):
        return [lint_file(path)]
    return [lint_file(find_tree(reference))]


def _as_json(linted: Sequence[Linted], failed: bool) -> dict[str, object]:
    return {
        "ok": not failed,
        "files": [{
            "path": r.path,
            "errors": [{"path": d.location.path, "line": d.location.line,
                        "col": d.location.col, "message": d.message, "hint": d.hint}
                       for d in r.errors],
            "warnings": [{"code": f.code, "rule": f.rule, "path": f.location.path,
                          "line": f.location.line, "col": f.location.col,
                          "message": f.message, "hint": f.hint} for f in r.findings],
        } for r in linted],
    }
