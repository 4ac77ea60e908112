"""`gatetree decide --why-not OUTCOME`: the why-not section of a decision's report.

Kept out of cli.py so the decide command only gains an option and a call.
"""

from __future__ import annotations

from typing import Any

import click

from .decision import Decision
from .errors import did_you_mean
from .tree import DecisionTree
from .values import quote_value

__all__ = ["why_not_report"]


def why_not_report(tree: DecisionTree, decision: Decision, outcome: str, output: str) -> Any:
    """The fewest changes that reach `outcome`: a dict for JSON, else text or Markdown.

    An id that is not one of the tree's outcomes is a usage error naming the near one."""
    from .whynot import why_not

    outcomes = [o.id for o in tree.outcomes]
    if outcome not in outcomes:
        hint = did_you_mean(outcome, outcomes) or f"outcomes: {', '.join(outcomes)}"
        raise click.BadParameter(f"{quote_value(outcome)} is not an outcome of {tree.ref.id} "
                                 f"({hint})",
                                 param_hint="'--why-not'")
    why = why_not(tree, decision, outcome)
    if output == "json":
        return why.to_dict()
    from gatetree.render._text import terminal_width
    from gatetree.render.whynot_view import whynot_markdown, whynot_text

    if output == "markdown":
        return whynot_markdown(why)
    return whynot_text(why, width=terminal_width())
