"""The "why not" section: the fewest changes to the facts that reach an outcome, in words."""

from __future__ import annotations

from gatetree.values import show_value
from gatetree.whynot import MAX_CHANGES, FactChange, WhyNot

from ._text import DEFAULT_WIDTH, wrap_lines
from .inline import md_text
from .wording import boundary_words

__all__ = ["whynot_lines", "whynot_markdown", "whynot_text"]


def whynot_lines(why: WhyNot) -> list[str]:
    """One sentence per smallest set of changes, or the one saying there is none."""
    head = f"{why.outcome} ({why.outcome_title})"
    if not why.changes:
        if why.exhausted:
            return [f"{head} is unreachable from here: no change to the facts leads there."]
        return [f"{head}: no set of up to {MAX_CHANGES} changed facts found that leads there."]
    return [f"{head} would be reached with: {'; '.join(_change(c) for c in option)}."
            for option in why.changes]


def whynot_text(why: WhyNot, *, width: int = DEFAULT_WIDTH) -> str:
    lines = [line for sentence in whynot_lines(why)
             for line in wrap_lines(sentence, width, indent="    ", first="  - ")]
    return "\nWhy not " + why.outcome + " (fewest facts changed):\n" + "\n".join(lines) + "\n"


def whynot_markdown(why: WhyNot) -> str:
    lines = [f"- {md_text(sentence)}" for sentence in whynot_lines(why)]
    return f"\n## Why not {md_text(why.outcome)}\n\n" + "\n".join(lines) + "\n"


def _change(change: FactChange) -> str:
    if change.boundary is not None:
        return boundary_words(change.boundary)
    was = "unknown" if change.was is None else show_value(change.was)
    return f"{change.fact} = {show_value(change.value)} (it was {was})"
