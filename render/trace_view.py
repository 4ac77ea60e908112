"""Text and Markdown views of a decision: numbered steps, values and where they came from."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from engine.decision import Decision, Evidence, Step

__all__ = ["because", "describe_evidence", "show_value", "trace_markdown", "trace_text"]

_WIDTH = 88
_SOURCES = {
    "given": "given",
    "derived": "derived",
    "default": "fact default",
    "param": "param, overridden",
    "param-default": "param default",
}


def show_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe_evidence(item: Evidence) -> str:
    """`name = value (where it came from)`, with a derivation's inputs inline."""
    head = f"{item.name} = {show_value(item.value)}"
    if item.source != "derived":
        return f"{head} ({_SOURCES[item.source]})"
    inputs = "; ".join(describe_evidence(i) for i in item.inputs)
    return f"{head} (derived from `{item.expression}` with {inputs})"


def trace_text(decision: Decision) -> str:
    """A terminal-friendly report: verdict first, then how it was reached."""
    return "\n".join(_text_lines(decision)) + "\n"


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_on_hyphens=False) or [indent.rstrip()]


def _text_lines(decision: Decision) -> Iterator[str]:
    tree = decision.tree
    yield f"{tree.title} ({tree.id} {tree.version})"
    yield ""
    if decision.outcome is not None:
        yield f"DECISION: {decision.outcome.title}"
        yield from _wrap(decision.outcome.action, "  ")
    elif decision.missing is not None:
        missing = decision.missing
        yield f"INCOMPLETE: fact '{missing.fact}' is needed at {missing.node}"
        yield from _wrap(missing.question, "  ")
        if missing.derivable_from:
            yield from _wrap(f"or give what it is derived from: "
                             f"{', '.join(missing.derivable_from)}", "  ")
        yield from _wrap(f"Still reachable: {', '.join(decision.reachable_outcomes)}", "  ")
    if decision.steps:
        yield ""
        yield "How it was decided:"
    for number, step in enumerate(decision.steps, 1):
        yield from _step_text(number, step)
    if decision.actions:
        yield ""
        yield "Actions collected on the way:"
        for action in decision.actions:
            yield from _wrap(action.text, "     ", f"  - [{action.node}] ")
    outcome = decision.outcome
    if outcome is not None:
        if outcome.why:
            yield ""
            yield "Why:"
            yield from _wrap(outcome.why, "  ")
        if outcome.next_steps:
            yield ""
            yield "Next steps:"
            for number, text in enumerate(outcome.next_steps, 1):
                yield from _wrap(text, "     ", f"  {number}. ")
    yield ""
    yield f"Tree {tree.id}@{tree.version} sha256:{tree.sha256[:12]}"


def _step_text(number: int, step: Step) -> Iterator[str]:
    yield from _wrap(step.title, "     ", f"{number:>2}. ")
    if step.question and step.question != step.title:
        yield from _wrap(f"Q: {step.question}", "       ", "     ")
    for item in step.evidence:
        yield from _wrap(describe_evidence(item), "       ", "     · ")
    yield from _wrap(f"→ {step.label}, because {because(step)}", "       ", "     ")
    for action in step.actions:
        yield from _wrap(f"+ action: {action}", "       ", "     ")


def because(step: Step) -> str:
    """Why a branch was taken, in words: the match, the condition, or what did not hold."""
    if step.chosen_by != "default":
        held = step.chosen_by
        return f"{held} (and not: {'; '.join(step.rejected)})" if step.rejected else held
    if step.rejected:
        return f"none of these held: {'; '.join(step.rejected)}"
    return "no branch matched, so the default"


def trace_markdown(decision: Decision) -> str:
    """The same report as Markdown, for tickets, pull requests and wikis."""
    return "\n".join(_markdown_lines(decision)) + "\n"


def _md(text: str) -> str:
    """Escape what would start Markdown markup inside running text."""
    for char in ("\\", "`", "*", "_", "[", "]", "<", ">", "|"):
        text = text.replace(char, "\\" + char)
    return text


def _markdown_lines(decision: Decision) -> Iterator[str]:
    tree = decision.tree
    if decision.outcome is not None:
        yield f"# Decision: {_md(decision.outcome.title)}"
        yield ""
        yield f"**{_md(decision.outcome.action)}**"
    elif decision.missing is not None:
        missing = decision.missing
        yield f"# Incomplete: `{missing.fact}` is needed"
        yield ""
        yield f"At `{missing.node}`: {_md(missing.question)}"
        if missing.derivable_from:
            yield ""
            yield f"It can also be derived from: {', '.join(f'`{n}`' for n in missing.derivable_from)}."
        yield ""
        yield f"Still reachable: {', '.join(f'`{o}`' for o in decision.reachable_outcomes)}"
    yield ""
    yield f"Tree: `{tree.id}` {tree.version} ({_md(tree.title)}), sha256 `{tree.sha256[:12]}`"
    if decision.steps:
        yield ""
        yield "## How it was decided"
        yield ""
    for number, step in enumerate(decision.steps, 1):
        yield f"{number}. **{_md(step.title)}**"
        if step.question and step.question != step.title:
            yield f"   {_md(step.question)}"
        for item in step.evidence:
            yield f"   - `{describe_evidence(item)}`" if "`" not in describe_evidence(item) \
                else f"   - {_md(describe_evidence(item))}"
        yield f"   - → **{_md(step.label)}**, because {_md(because(step))}"
        for action in step.actions:
            yield f"   - action: {_md(action)}"
    if decision.actions:
        yield ""
        yield "## Actions collected on the way"
        yield ""
        for action in decision.actions:
            yield f"- {_md(action.text)} (`{action.node}`)"
    outcome = decision.outcome
    if outcome is not None:
        if outcome.why:
            yield ""
            yield "## Why"
            yield ""
            yield _md(outcome.why)
        if outcome.next_steps:
            yield ""
            yield "## Next steps"
            yield ""
            for number, text in enumerate(outcome.next_steps, 1):
                yield f"{number}. {_md(text)}"
