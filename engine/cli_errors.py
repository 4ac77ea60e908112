"""Library errors on click's own error path: one exception that carries the exit code and
prints the located lines, so a command raises and never exits the process itself.

A standalone `gatetree` shows it and exits with its code, as click does for any
`ClickException`; an app that runs the group with `standalone_mode=False` gets it raised,
with `exit_code` and `diagnostics` to read (and `show()` to print them its own way).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import click

from .errors import Diagnostic, DiagnosticsError, EvaluationError, GatetreeError, UnknownName

__all__ = ["EXIT_INCOMPLETE", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "GatetreeFailure",
           "GatetreeUsageFailure", "echo_diagnostics", "failure"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3


def failure(error: GatetreeError) -> GatetreeFailure:
    """The click exception for a library error: a usage failure (exit 2) for a name that
    names nothing, else a failure (exit 1)."""
    if isinstance(error, UnknownName):
        return GatetreeUsageFailure(error)
    return GatetreeFailure(error)


class GatetreeFailure(click.ClickException):
    """A library error as click shows it, exit 1: located problems print as compiler lines
    with their source line and a caret, an error with no place as one `gatetree: error:`
    line."""

    exit_code = EXIT_INVALID

    def __init__(self, error: GatetreeError) -> None:
        super().__init__(str(error))
        self.error = error
        self.diagnostics: tuple[Diagnostic, ...] = located(error)

    def show(self, file: IO[Any] | None = None) -> None:
        if self.diagnostics:
            echo_diagnostics(self.diagnostics, file=file)
        else:
            from .terminal import for_terminal

            click.echo(for_terminal(f"gatetree: error: {self.message}"), err=file is None,
                       file=file)


class GatetreeUsageFailure(GatetreeFailure):
    """A name given on the command line that names nothing (a tree, an example): exit 2."""

    exit_code = EXIT_USAGE


def located(error: GatetreeError) -> tuple[Diagnostic, ...]:
    """The located problems an error holds; none for an error with no place (a bad name)."""
    if isinstance(error, DiagnosticsError):
        return error.diagnostics
    if isinstance(error, EvaluationError):
        return (error.diagnostic,)
    return ()


def echo_diagnostics(diagnostics: Iterable[Diagnostic], *,
                     indent: str = "", file: IO[Any] | None = None) -> None:
    """Each diagnostic on its line, then its source line and a caret, like a compiler."""
    from .excerpt import show_all
    from .terminal import for_terminal

    for line in show_all(tuple(diagnostics)):
        click.echo(for_terminal(f"{indent}{line}"), err=file is None, file=file)
