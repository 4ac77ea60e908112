"""`gatetree schema`: the installed JSON Schemas, so editors validate offline."""

from __future__ import annotations

import click

from ._resources import SCHEMA_FILES, schema_path
from .cli_help import WholeSummaryCommand

__all__ = ["schema"]


@click.command("schema", cls=WholeSummaryCommand)
@click.argument("kind", type=click.Choice(tuple(SCHEMA_FILES)))
@click.option("--path", "show_path", is_flag=True,
              help="Print where the schema file is installed instead of its text.")
def schema(kind: str, show_path: bool) -> None:
    """Print the JSON Schema of tree, trace or cases files, as installed with gatetree.

    Point the YAML language server at `--path` (or at a copy of the text) for completion
    and validation in an editor, with no network.
    """
    path = schema_path(kind)
    if show_path:
        click.echo(str(path))
    else:
        click.echo(path.read_text(encoding="utf-8"), nl=False)
