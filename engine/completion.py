"""Shell completion for `gatetree`: tree ids (the tree path's and the built-in ones), a
tree's examples, its facts for --set.

Enable it with `eval "$(_GATETREE_COMPLETE=bash_source gatetree)"` (zsh_source, fish_source
for those shells). A completion cannot report an error, so a tree on the command line that
does not load simply offers no examples or facts; `gatetree show TREE` says why.
"""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem

from .errors import GatetreeError
from .loader import load_tree
from .registry import builtin_trees, examples_of, known_trees, looks_like_path
from .text import fill
from .tree import DecisionTree

__all__ = ["example_names", "fact_assignments", "tree_references"]


def tree_references(ctx: click.Context, param: click.Parameter,
                    incomplete: str) -> list[CompletionItem]:
    """Tree ids, of every version once an '@' is typed (id@version); a path, or no match,
    completes files."""
    if not looks_like_path(incomplete) and not incomplete.startswith((".", "~")):
        pinned = "@" in incomplete
        try:
            trees = known_trees(all_versions=pinned)
        except GatetreeError:  # a broken tree path: `gatetree list` says why
            trees = builtin_trees(all_versions=pinned)
        found = {(t.ref if pinned else t.id): t.title for t in trees}
        matches = [CompletionItem(ref, help=title) for ref, title in found.items()
                   if ref.startswith(incomplete)]
        if matches:
            return matches
    return [CompletionItem(incomplete, type="file")]


def example_names(ctx: click.Context, param: click.Parameter,
                  incomplete: str) -> list[CompletionItem]:
    """The example facts shipped for the tree already on the command line."""
    tree = _tree_on_line(ctx)
    if tree is None:
        return []
    try:
        names = examples_of(tree.id)
    except GatetreeError:  # a broken tree path: `gatetree list` says why
        return []
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


def fact_assignments(ctx: click.Context, param: click.Parameter,
                     incomplete: str) -> list[CompletionItem]:
    """`FACT=` for the facts of the tree on the command line; after '=', an enum's or a
    boolean's values (in shells that keep `FACT=VALUE` one word)."""
    tree = _tree_on_line(ctx)
    if tree is None:
        return []
    facts = tree.spec.facts
    name, equals, typed = incomplete.partition("=")
    if not equals:
        params = tree.effective_params({})
        return [CompletionItem(f"{fact.name}=", help=fill(fact.question, params))
                for fact in facts.values() if fact.name.startswith(name)]
    fact = facts.get(name)
    if fact is None:
        return []
    values = tuple(fact.values) if fact.type == "enum" else ()
    if fact.type == "boolean":
        values = ("true", "false")
    return [CompletionItem(f"{name}={value}") for value in values if value.startswith(typed)]


def _tree_on_line(ctx: click.Context) -> DecisionTree | None:
    """The tree named by the command's TREE argument so far, if it loads.

    While an option's value is being completed, click stops parsing at that option (its
    value is missing), so a TREE typed before it is still among the unparsed `ctx.args`;
    TREE is the only argument of the commands that take facts.
    """
    reference = ctx.params.get("tree") or (ctx.args[0] if ctx.args else None)
    if not isinstance(reference, str):
        return None
    try:
        return load_tree(reference)
    except (GatetreeError, OSError):
        return None
