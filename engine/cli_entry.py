"""The `gatetree` console script: the group, its options and its list of commands, with
nothing of the engine or the renderer imported.

`gatetree --version` and `gatetree --help` start as fast as click itself: the group lists
each command's name and summary from the table below, and `gatetree.cli`, which defines
the commands on this same group, is imported only when a command runs (or completes).
A test holds the table equal to the commands' own summaries.
"""

from __future__ import annotations

import importlib

import click

from ._version import __version__
from .cli_help import CommandGroup

__all__ = ["COMMANDS", "HOMES", "main"]

COMMANDS: dict[str, str] = {  # name -> summary, as `gatetree --help` lists them
    "batch": "Decide for every record of a JSON Lines or CSV file, one row each, in input "
             "order.",
    "decide": "Decide from facts.",
    "diff": "Compare two versions of a tree and replay cases through both.",
    "docs": "Write Markdown flowchart docs for trees (default: every built-in) with an index.",
    "fmt": "Lay out tree and cases files in one canonical form, keeping their comments.",
    "lint": "Warn, with rule codes, about what trees that load do badly.",
    "guide": "Write an interactive guide to a tree: one HTML page that works offline.",
    "list": "List the trees found by id, on the tree path and built in.",
    "render": "Draw a tree as a diagram or a Markdown flowchart doc, optionally with a "
              "decision.",
    "run": "Decide interactively: ask only the questions on the path.",
    "schema": "Print the JSON Schema of tree, trace or cases files, as installed with "
              "gatetree.",
    "show": "Show a tree's facts, params and nodes.",
    "test": "Run case files (default: the built-in trees' cases) and report branch "
            "coverage.",
    "validate": "Check trees, cases files and example facts files; print every problem as "
                "file:line:col.",
}

# name -> the module that defines it on this group, for commands not in `gatetree.cli`:
# a command with a module of its own is added here and in COMMANDS, and nowhere else.
HOMES: dict[str, str] = {
    "test": ".cli_test",
    "diff": ".cli_diff",
    "fmt": ".cli_fmt",
    "lint": ".cli_lint",
    "guide": ".cli_guide",
    "batch": ".cli_batch",
}


def home_of(name: str) -> str:
    """The module, relative to this package, whose import defines command `name`."""
    return HOMES.get(name, ".cli")


class LazyGroup(CommandGroup):
    """A group whose commands are defined by `gatetree.cli`, imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(home_of(cmd_name), __package__)  # defines it on this group
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing click writes, from the table: no command is imported for it."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gatetree")
@click.option("--trees", "tree_folders", multiple=True, metavar="DIR",
              type=click.Path(file_okay=False, exists=True),
              help="Also find trees by id in DIR (<id>.yaml, <id>@<version>.yaml), before "
                   "GATETREE_PATH's folders and the built-in trees (repeatable).")
@click.pass_context
def main(ctx: click.Context, tree_folders: tuple[str, ...]) -> None:
    """Declarative decision trees: validate them, decide from facts, explain and draw."""
    from .checked import enable  # on running a command only: --version reads no tree

    enable()  # a command on a tree checked before skips its checks (see checked.py)
    if tree_folders:
        from .registry import using_trees

        ctx.with_resource(using_trees(tree_folders))  # until the command ends
