"""Text and Markdown views of a decision: numbered steps, values and where they came from."""

from __future__ import annotations

from collections.abc import Iterator

from gatetree.decision import Decision, Evidence, Step

from ._text import DEFAULT_WIDTH, repeats, wrap_lines
from .markdown import code, md_text
from .wording import (
    MARKS,
    answered,
    because,
    called,
    counting,
    evidence,
    explain_checklist,
    group_items,
    tally,
)

__all__ = ["trace_markdown", "trace_text"]


def trace_text(decision: Decision, *, width: int = DEFAULT_WIDTH) -> str:
    """A terminal-friendly report: verdict first, then how it was reached, in lines of at
    most `width` columns (the CLI passes the terminal's), broken between words."""
    return "\n".join(_text_lines(decision, width)) + "\n"


def _wrap(width: int, text: str, indent: str, first: str | None = None) -> list[str]:
    return wrap_lines(text, width, indent=indent, first=first)


def _text_lines(decision: Decision, width: int) -> Iterator[str]:
    tree = decision.tree
    if decision.outcome is not None:
        yield from _wrap(width, f"DECISION: {decision.outcome.title}", "  ", "")
        yield from _wrap(width, decision.outcome.action, "  ")
        for sub in _subdecisions(decision):
            assert sub.outcome is not None
            yield from _wrap(width, f"{sub.tree.title} ({sub.tree.id}): {sub.outcome.title}. "
                             f"{sub.outcome.action}", "    ", "  ↳ ")
    elif decision.missing is not None:
        missing = decision.missing
        via = f", in the tree that {' > '.join(missing.via)} calls" if missing.via else ""
        yield from _wrap(width, f"INCOMPLETE: fact '{missing.fact}' is needed at "
                         f"{missing.node}{via}", "  ", "")
        yield from _wrap(width, missing.question, "  ")
        if missing.derivable_from:
            yield from _wrap(width, f"It can also be derived from: "
                             f"{', '.join(missing.derivable_from)}.", "  ")
        yield from _wrap(width, f"Still reachable: {', '.join(decision.reachable_outcomes)}",
                         "  ")
    yield ""
    yield from _wrap(width, f"Tree: {tree.id} {tree.version} ({tree.title}), sha256 "
                     f"{tree.sha256[:12]}", "  ", "")
    if decision.steps:
        yield ""
        yield "How it was decided:"
    for number, step in enumerate(decision.steps, 1):
        yield from _step_text(number, step, width)
    if decision.actions:
        yield ""
        yield "Actions collected on the way:"
        for action in decision.actions:
            yield from _wrap(width, f"{action.text} ({action.node})", "     ", "  - ")
    outcome = decision.outcome
    if outcome is not None:
        if outcome.why:
            yield ""
            yield "Why:"
            yield from _wrap(width, outcome.why, "  ")
        if outcome.next_steps:
            yield ""
            yield "Next steps:"
            for number, text in enumerate(outcome.next_steps, 1):
                yield from _wrap(width, text, "     ", f"  {number}. ")
        for sub in _subdecisions(decision):
            assert sub.outcome is not None
            if sub.outcome.next_steps:
                yield ""
                yield from _wrap(width, f"Next steps from {sub.tree.id} ({sub.outcome.title}):",
                                 "  ", "")
                for number, text in enumerate(sub.outcome.next_steps, 1):
                    yield from _wrap(width, text, "     ", f"  {number}. ")


def _subdecisions(decision: Decision) -> Iterator[Decision]:
    """The decided sub-decisions on the path, outermost first (a call's own calls after it)."""
    for step in decision.steps:
        if step.subdecision is not None and step.subdecision.outcome is not None:
            yield step.subdecision
            yield from _subdecisions(step.subdecision)


def _step_text(number: int, step: Step, width: int, pad: str = "") -> Iterator[str]:
    body, more = pad + "     ", pad + "       "
    yield from _wrap(width, step.title, body, f"{pad}{number:>2}. ")
    if step.question and not repeats(step.title, step.question):
        yield from _wrap(width, f"Q: {step.question}", more, body)
    if step.checklist is not None:
        yield from _checklist_text(step, body, width)
    for item in _plain_evidence(step):
        yield from _wrap(width, evidence(item), more, f"{body}· ")
    if step.subdecision is not None:
        yield from _subdecision_text(step.subdecision, body, width)
    yield from _wrap(width, f"→ {step.label}, because {because(step)}", more, body)
    for action in step.actions:
        yield from _wrap(width, f"+ action: {action}", more, body)


def _plain_evidence(step: Step) -> tuple[Evidence, ...]:
    """Evidence not shown elsewhere: a checklist's items are listed with their groups."""
    if step.checklist is None:
        return step.evidence
    items = {i.fact for i in step.checklist.items}
    return tuple(e for e in step.evidence if e.name not in items)


def _checklist_text(step: Step, pad: str, width: int) -> Iterator[str]:
    trace = step.checklist
    assert trace is not None
    for group in trace.groups:
        yield from _wrap(width, f"{group.title} ({group.group}): {tally(group)}",
                         pad + "  ", pad)
        for item in group_items(trace, group):
            yield from _wrap(width, f"{MARKS[item.answer]} {item.label} ({answered(item)})",
                             pad + "      ", pad + "  ")
    yield from _wrap(width, counting(trace), pad + "  ", pad)
    yield from _wrap(width, f"In short: {explain_checklist(step)}.", pad + "  ", pad)


def _subdecision_text(sub: Decision, pad: str, width: int) -> Iterator[str]:
    yield from _wrap(width, called(sub), pad + "  ", pad)
    for number, step in enumerate(sub.steps, 1):
        yield from _step_text(number, step, width, pad + "  ")


def trace_markdown(decision: Decision) -> str:
    """The same report as Markdown, for tickets, pull requests and wikis."""
    return "\n".join(_markdown_lines(decision)) + "\n"


def _markdown_lines(decision: Decision) -> Iterator[str]:
    tree = decision.tree
    if decision.outcome is not None:
        yield f"# Decision: {md_text(decision.outcome.title)}"
        yield ""
        yield f"**{md_text(decision.outcome.action)}**"
        for sub in _subdecisions(decision):
            assert sub.outcome is not None
            yield ""
            yield (f"↳ {md_text(sub.tree.title)} (`{sub.tree.id}`): "
                   f"**{md_text(sub.outcome.title)}.** {md_text(sub.outcome.action)}")
    elif decision.missing is not None:
        missing = decision.missing
        via = f", in the tree that `{' > '.join(missing.via)}` calls" if missing.via else ""
        yield f"# Incomplete: fact `{missing.fact}` is needed at `{missing.node}`{via}"
        yield ""
        yield md_text(missing.question)
        if missing.derivable_from:
            yield ""
            names = ", ".join(f"`{n}`" for n in missing.derivable_from)
            yield f"It can also be derived from: {names}."
        yield ""
        yield f"Still reachable: {', '.join(f'`{o}`' for o in decision.reachable_outcomes)}"
    yield ""
    yield f"Tree: `{tree.id}` {tree.version} ({md_text(tree.title)}), sha256 `{tree.sha256[:12]}`"
    if decision.steps:
        yield ""
        yield "## How it was decided"
        yield ""
    for number, step in enumerate(decision.steps, 1):
        yield from _step_markdown(number, step, "")
    if decision.actions:
        yield ""
        yield "## Actions collected on the way"
        yield ""
        for action in decision.actions:
            yield f"- {md_text(action.text)} (`{action.node}`)"
    outcome = decision.outcome
    if outcome is not None:
        if outcome.why:
            yield ""
            yield "## Why"
            yield ""
            yield md_text(outcome.why)
        if outcome.next_steps:
            yield ""
            yield "## Next steps"
            yield ""
            for number, text in enumerate(outcome.next_steps, 1):
                yield f"{number}. {md_text(text)}"
        for sub in _subdecisions(decision):
            assert sub.outcome is not None
            if sub.outcome.next_steps:
                yield ""
                yield f"## Next steps from `{sub.tree.id}` ({md_text(sub.outcome.title)})"
                yield ""
                for number, text in enumerate(sub.outcome.next_steps, 1):
                    yield f"{number}. {md_text(text)}"


def _step_markdown(number: int, step: Step, pad: str) -> Iterator[str]:
    yield f"{pad}{number}. **{md_text(step.title)}**"
    pad += "   "
    if step.question and not repeats(step.title, step.question):
        yield f"{pad}{md_text(step.question)}"
    if step.checklist is not None:
        trace = step.checklist
        for group in trace.groups:
            yield f"{pad}- {md_text(group.title)} (`{group.group}`): {tally(group)}"
            for answer in group_items(trace, group):
                label = md_text(answer.label)
                yield f"{pad}  - {MARKS[answer.answer]} {label} ({answered(answer)})"
        yield f"{pad}- {counting(trace)}"
        yield f"{pad}- In short: {md_text(explain_checklist(step))}."
    for item in _plain_evidence(step):
        yield f"{pad}- {code(evidence(item))}"
    if step.subdecision is not None:
        sub = step.subdecision
        yield f"{pad}- {md_text(called(sub))}"
        for sub_number, sub_step in enumerate(sub.steps, 1):
            yield from _step_markdown(sub_number, sub_step, pad + "  ")
    yield f"{pad}- → **{md_text(step.label)}**, because {md_text(because(step))}"
    for action in step.actions:
        yield f"{pad}- action: {md_text(action)}"
