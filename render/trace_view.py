"""Text and Markdown views of a decision: numbered steps, values and where they came from."""

from __future__ import annotations

from collections.abc import Iterator

from gatetree.checklist import ANSWERED
from gatetree.conditions import ConditionPart, condition_parts
from gatetree.decision import ChecklistTrace, Decision, Evidence, GroupScore, ItemAnswer, Step
from gatetree.model import Scalar
from gatetree.text import show_value

from ._text import DEFAULT_WIDTH, repeats, wrap_lines
from .markdown import code, md_text

__all__ = [
    "because",
    "describe_evidence",
    "explain_checklist",
    "trace_markdown",
    "trace_text",
]

_SOURCES = {
    "given": "given",
    "derived": "derived",
    "default": "fact default",
    "param": "param, overridden",
    "param-default": "param default",
}


def describe_evidence(item: Evidence) -> str:
    """`name = value (where it came from)`, with a derivation's inputs inline."""
    head = f"{item.name} = {show_value(item.value)}"
    if item.source != "derived":
        return f"{head} ({_SOURCES[item.source]})"
    inputs = "; ".join(describe_evidence(i) for i in item.inputs)
    settled = f", settled by `{item.settled_by}` while other inputs are unknown" \
        if item.settled_by is not None else ""
    return f"{head} (derived from `{item.expression}` with {inputs}{settled})"


def trace_text(decision: Decision, *, width: int = DEFAULT_WIDTH) -> str:
    """A terminal-friendly report: verdict first, then how it was reached, in lines of at
    most `width` columns (the CLI passes the terminal's), broken between words."""
    return "\n".join(_text_lines(decision, width)) + "\n"


def _wrap(width: int, text: str, indent: str, first: str | None = None) -> list[str]:
    return wrap_lines(text, width, indent=indent, first=first)


def _text_lines(decision: Decision, width: int) -> Iterator[str]:
    tree = decision.tree
    yield from _wrap(width, f"{tree.title} ({tree.id} {tree.version})", "  ", "")
    yield ""
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
            yield from _wrap(width, f"or give what it is derived from: "
                             f"{', '.join(missing.derivable_from)}", "  ")
        yield from _wrap(width, f"Still reachable: {', '.join(decision.reachable_outcomes)}",
                         "  ")
    if decision.steps:
        yield ""
        yield "How it was decided:"
    for number, step in enumerate(decision.steps, 1):
        yield from _step_text(number, step, width)
    if decision.actions:
        yield ""
        yield "Actions collected on the way:"
        for action in decision.actions:
            yield from _wrap(width, action.text, "     ", f"  - [{action.node}] ")
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
    yield ""
    yield from _wrap(width, f"Tree {tree.id}@{tree.version} sha256:{tree.sha256[:12]}", "  ", "")


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
        yield from _wrap(width, describe_evidence(item), more, f"{body}· ")
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


_MARKS = {True: "[x]", False: "[ ]", None: "[?]"}


def _checklist_text(step: Step, pad: str, width: int) -> Iterator[str]:
    trace = step.checklist
    assert trace is not None
    for group in trace.groups:
        yield from _wrap(width, f"{group.title} ({group.group}): {_tally(group)}",
                         pad + "  ", pad)
        for item in _items(trace, group):
            yield from _wrap(width, f"{_MARKS[item.answer]} {item.label} ({_answered(item)})",
                             pad + "      ", pad + "  ")
    yield from _wrap(width, _counting(trace), pad + "  ", pad)
    yield from _wrap(width, f"In short: {explain_checklist(step)}.", pad + "  ", pad)


def _subdecision_text(sub: Decision, pad: str, width: int) -> Iterator[str]:
    yield from _wrap(width, _called(sub), pad + "  ", pad)
    for number, step in enumerate(sub.steps, 1):
        yield from _step_text(number, step, width, pad + "  ")


def _called(sub: Decision) -> str:
    verdict = sub.outcome.title if sub.outcome is not None else "incomplete"
    return f"Called {sub.tree.id} {sub.tree.version} ({sub.tree.title}) → {verdict}"


def _items(trace: ChecklistTrace, group: GroupScore) -> Iterator[ItemAnswer]:
    return (i for i in trace.items if i.group == group.group)


def _tally(group: GroupScore) -> str:
    score = f", score {show_value(group.score)} of {show_value(group.weight)}" \
        if (group.score, group.weight) != (group.yes, group.items) else ""
    return f"{group.yes} of {group.items} yes{score}"


def _answered(item: ItemAnswer) -> str:
    if item.answer is None or item.source is None:
        return "not answered"
    return f"{'yes' if item.answer else 'no'}, {_SOURCES[item.source]}"


def _counting(trace: ChecklistTrace) -> str:
    total = len(trace.items)
    head = f"{trace.answered} of {total} items answered"
    open_items = total - trace.answered
    if trace.decided_early:
        rest = "the open item" if open_items == 1 else f"the {open_items} open items"
        return f"{head}; no answer to {rest} could change the result, so it did not wait"
    if open_items and trace.unanswered == "quorum":
        return f"{head} (quorum {trace.quorum}); the other {open_items} count as no"
    if open_items:
        return f"{head}; the other {open_items} count as no"
    return head


def explain_checklist(step: Step) -> str:
    """One sentence on what chose a checklist step's verdict: the parts of the condition
    that held, and for each condition checked before it the part that failed, with the
    values compared, e.g. "Almost working, the default, as each condition before it
    failed: ...; structural + patching <= refine_max_structural (structural + patching =
    2, refine_max_structural = 0) failed". When a condition cannot be taken apart from the
    trace, the groups' tallies instead: never a claim that the larger group won, since the
    conditions, not the sizes, choose."""
    trace = step.checklist
    assert trace is not None, "a checklist step has its checklist trace"
    values = _checklist_values(step, trace)
    failed = [_failed(condition, values) for condition in step.rejected]
    chosen = None if step.chosen_by == "default" else condition_parts(step.chosen_by, values)
    if None in failed or (chosen is None and step.chosen_by != "default"):
        return f"{step.label}; the signs: {_tally_all(trace)}"
    ruled_out = "; ".join(f for f in failed if f is not None)
    if chosen is None:
        return (f"{step.label}, the default, as each condition before it failed: {ruled_out}"
                if ruled_out else f"{step.label}, the only branch")
    named = f"{step.label}, as its condition held" if step.label != step.chosen_by \
        else "its condition held"  # a branch without a label shows its condition as one
    held = f"{named}: {_join([_with_values(p) for p in chosen])}"
    return f"{held}; before it, {ruled_out}" if ruled_out else held


def _checklist_values(step: Step, trace: ChecklistTrace) -> dict[str, Scalar]:
    """The names a checklist's conditions read, as the trace recorded them."""
    values: dict[str, Scalar] = {e.name: e.value for e in step.evidence}
    for group in trace.groups:
        values[group.group] = group.score
        values[f"{group.group}_items"] = group.items
    values[ANSWERED] = trace.answered
    return values


def _failed(condition: str, values: dict[str, Scalar]) -> str | None:
    """The parts of a condition that did not hold, with their values; None if unknown."""
    parts = condition_parts(condition, values)
    if parts is None:
        return None
    return " and ".join(f"{_with_values(p)} failed" if p.operands else f"{p.text} failed"
                        for p in parts if not p.held)


def _with_values(part: ConditionPart) -> str:
    shown = ", ".join(f"{text} = {show_value(value)}" for text, value in part.operands
                      if text != show_value(value))
    return f"{part.text} ({shown})" if shown else part.text


def _tally_all(trace: ChecklistTrace) -> str:
    """Each group's yes answers, in group order, comparing none."""
    def part(group: GroupScore) -> str:
        said = [i.label for i in _items(trace, group) if i.answer]
        if group.score != group.yes:
            said.append(f"score {show_value(group.score)} of {show_value(group.weight)}")
        return f"{group.yes} of {group.items} {group.label}" + (f" ({', '.join(said)})"
                                                                if said else "")

    return _join([part(g) for g in trace.groups])


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def because(step: Step) -> str:
    """Why a branch was taken, in words: the match, the condition, or what did not hold."""
    if step.chosen_by != "default":
        held = step.chosen_by
        if step.settled_by is not None:
            held += f" (settled by `{step.settled_by}` while other facts are unknown)"
        return f"{held} (and not: {'; '.join(step.rejected)})" if step.rejected else held
    if step.rejected:
        return f"none of these held: {'; '.join(step.rejected)}"
    sub = step.subdecision
    if sub is not None and sub.outcome is not None:
        return f"{sub.tree.id} reached '{sub.outcome.id}', which no branch names, so the default"
    return "no branch matched, so the default"


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
        yield f"# Incomplete: `{missing.fact}` is needed"
        yield ""
        via = f" (in the tree that `{' > '.join(missing.via)}` calls)" if missing.via else ""
        yield f"At `{missing.node}`{via}: {md_text(missing.question)}"
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
            yield f"{pad}- {md_text(group.title)} (`{group.group}`): {_tally(group)}"
            for answer in _items(trace, group):
                label = md_text(answer.label)
                yield f"{pad}  - {_MARKS[answer.answer]} {label} ({_answered(answer)})"
        yield f"{pad}- {_counting(trace)}"
        yield f"{pad}- In short: {md_text(explain_checklist(step))}."
    for item in _plain_evidence(step):
        yield f"{pad}- {code(describe_evidence(item))}"
    if step.subdecision is not None:
        sub = step.subdecision
        yield f"{pad}- {md_text(_called(sub))}"
        for sub_number, sub_step in enumerate(sub.steps, 1):
            yield from _step_markdown(sub_number, sub_step, pad + "  ")
    yield f"{pad}- → **{md_text(step.label)}**, because {md_text(because(step))}"
    for action in step.actions:
        yield f"{pad}- action: {md_text(action)}"
