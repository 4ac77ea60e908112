"""The "would change the outcome" section: what-ifs in text, Markdown and JSON, each
alternative worded by `render.wording`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gatetree.counterfactual import Alternative, Counterfactuals

from ._text import DEFAULT_WIDTH, wrap_lines
from .inline import md_text
from .wording import by_how_much, whatif_sentence

__all__ = ["changing", "whatif_dict", "whatif_markdown", "whatif_text"]


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


def whatif_dict(what_if: Counterfactuals) -> dict[str, Any]:
    """The what-ifs as JSON data (`Counterfactuals.to_dict`), each alternative with its
    `sentence` for people, as the trace schema has it."""
    data = what_if.to_dict()
    for step, shown in zip(what_if.steps, data["steps"], strict=True):
        for alternative, entry in zip(step.alternatives, shown["alternatives"], strict=True):
            entry["sentence"] = whatif_sentence(alternative)
    return data


def _said(alternative: Alternative) -> str:
    """The what-if's sentence, then by how much its numbers would have had to move."""
    words = by_how_much(alternative)
    sentence = whatif_sentence(alternative)
    return f"{sentence} {words}" if words else sentence
