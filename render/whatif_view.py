"""The "would change the outcome" section: counterfactuals in text and Markdown."""

from __future__ import annotations

from collections.abc import Iterator

from gatetree.counterfactual import Alternative, Boundary, Counterfactuals
from gatetree.values import show_value

from ._text import DEFAULT_WIDTH, wrap_lines
from .markdown import md_text

__all__ = ["boundary_words", "by_how_much", "changing", "whatif_markdown", "whatif_text"]


def changing(what_if: Counterfactuals) -> Iterator[Alternative]:
    """The alternatives that lead somewhere else than the decision did."""
    for step in what_if.steps:
        for alternative in step.alternatives:
            if not alternative.same_outcome:
                yield alternative


def whatif_text(what_if: Counterfactuals, *, width: int = DEFAULT_WIDTH) -> str:
    """A short section for the terminal, in lines of at most `width` columns; empty when
    no other answer changes anything."""
    lines = [line for a in changing(what_if)
             for line in wrap_lines(_said(a), width, indent="    ", first="  - ")]
    if not lines:
        return ""
    return "\nWould change the outcome:\n" + "\n".join(lines) + "\n"


def whatif_markdown(what_if: Counterfactuals) -> str:
    lines = [f"- {md_text(_said(a))}" for a in changing(what_if)]
    if not lines:
        return ""
    return "\n## Would change the outcome\n\n" + "\n".join(lines) + "\n"


def by_how_much(alternative: Alternative) -> str:
    """The numbers that would have flipped the step by themselves, in words: "By how much,
    all else unchanged: score_with_few_shot above 89.8 (it was 83)."; empty without any."""
    if not alternative.boundaries:
        return ""
    return ("By how much, all else unchanged: "
            + "; ".join(boundary_words(b) for b in alternative.boundaries) + ".")


_RELATIONS = {("up", True): "{} or more", ("up", False): "above {}",
              ("down", True): "{} or less", ("down", False): "below {}"}


def boundary_words(boundary: Boundary) -> str:
    """One boundary in words: "score_with_few_shot above 89.8 (79 + 0.9 x (91 - 79); it
    was 83)", the arithmetic when the boundary was solved exactly."""
    relation = _RELATIONS[(boundary.direction, boundary.inclusive)]
    formula = f"{boundary.formula}; " if boundary.formula else ""
    return (f"{boundary.fact} {relation.format(show_value(boundary.value))} "
            f"({formula}it was {show_value(boundary.was)})")


def _said(alternative: Alternative) -> str:
    words = by_how_much(alternative)
    return f"{alternative.sentence} {words}" if words else alternative.sentence
