"""`gatetree guide`: write a tree's interactive guide, one self-contained HTML page.

The command checks the tree and the params, then hands over to `gatetree.render.guide`,
which builds the page; this module only reads options and writes the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from .cli import _gather, _param_option
from .cli_entry import main
from .completion import tree_references
from .inputs import split_assignment
from .loader import load_tree

__all__ = ["guide"]


@main.command()
@click.argument("tree", shell_complete=tree_references)
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), required=True,
              help="The HTML file to write.")
@_param_option
def guide(tree: str, output: str, param_assignments: Sequence[str]) -> None:
    """Write an interactive guide to a tree: one HTML page that works offline."""
    from gatetree.render.errors import RenderError
    from gatetree.render.guide import guide_html

    loaded = load_tree(tree)
    _gather(loaded, None, None, (), param_assignments)  # every problem at once, located
    texts = {}
    for text in param_assignments:
        parts = split_assignment(text)
        assert parts is not None  # the option's callback refused any other form
        texts[parts[0]] = parts[1]
    page = guide_html(loaded, reference=tree, params=texts)
    target = Path(output)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from None
    click.echo(str(target))
