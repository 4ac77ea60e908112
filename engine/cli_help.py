"""click classes of the `gatetree` command: each command's summary in `--help` is whole,
and a library error leaves a command as click's own kind of error, with its exit code."""

from __future__ import annotations

import sys
from typing import Any

import click

__all__ = ["CommandGroup", "WholeSummaryCommand"]


class WholeSummaryCommand(click.Command):
    """A command whose summary in its group's listing is never cut short.

    click shortens each summary to the room left beside the command names and ends it with
    '...', which hides the end of the very sentence that says what the command does. The
    summary is the docstring's first sentence, shown whole and wrapped like any help text.
    """

    def get_short_help_str(self, limit: int = 45) -> str:
        return super().get_short_help_str(limit=sys.maxsize)


class CommandGroup(click.Group):
    """The `gatetree` group: the commands it defines show their summaries whole."""

    command_class = WholeSummaryCommand

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a GatetreeError it raises goes on as a GatetreeFailure, which
        click shows and exits with (or raises, under `standalone_mode=False`)."""
        from .errors import GatetreeError  # here: `--version` and `--help` never invoke

        try:
            return super().invoke(ctx)
        except GatetreeError as exc:
            from .cli_errors import failure

            raise failure(exc) from exc
