"""A decision as a report, in text or Markdown: the verdict, the tree, the numbered steps
with the values read and where they came from, the actions, why and the next steps.

One builder, `report_blocks`, says what the report holds and in which order; the text and
Markdown emitters only lay its blocks out, so the two reports never drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from gatetree.decision import Decision, Evidence, Step

from . import wording as say
from ._text import DEFAULT_WIDTH, repeats, wrap_lines
from .inline import code, md_text

__all__ = ["Block", "Span", "report_blocks", "trace_markdown", "trace_text"]


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a block from the tree or the trace: `prose` (escaped in Markdown),
    `strong` (bold there), `code` (an id, name or value as written: a code span) or
    `name` (a fact in a sentence: quoted in text, a code span in Markdown)."""

    text: str
    kind: Literal["prose", "strong", "code", "name"] = "prose"


def _code(text: str) -> Span:
    return Span(text, "code")


def _strong(text: str) -> Span:
    return Span(text, "strong")


Part = str | Span
"""A bare str is the report's own wording, the same in every format."""

Role = Literal["verdict", "para", "aside", "note", "section", "item", "step", "question",
               "group", "answer", "count", "evidence", "called", "branch", "action"]
"""What a block is. 'step' opens a numbered step; the roles after it are its lines."""


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the report: a heading, a paragraph, a list item or a line of a step.

    `depth` counts the calls a step is inside; `number` numbers a step or a list item;
    `label` is a verdict's word ("Decision", "Incomplete").
    """

    role: Role
    parts: tuple[Part, ...]
    depth: int = 0
    number: int | None = None
    label: str = ""


def report_blocks(decision: Decision) -> Iterator[Block]:
    """The report of a decision, block by block, in reading order."""
    tree = decision.tree
    if decision.outcome is not None:
        yield Block("verdict", (Span(decision.outcome.title),), label="Decision")
        yield Block("para", (_strong(decision.outcome.action),))
        for sub in _subdecisions(decision):
            assert sub.outcome is not None
            yield Block("aside", ("↳ ", Span(sub.tree.title), " (", _code(sub.tree.id), "): ",
                                  _strong(f"{sub.outcome.title}."), " ", Span(sub.outcome.action)))
    elif decision.missing is not None:
        missing = decision.missing
        via = (", in the tree that ", _code(" > ".join(missing.via)), " calls") \
            if missing.via else ()
        yield Block("verdict", ("fact ", Span(missing.fact, "name"), " is needed at ",
                                _code(missing.node), *via), label="Incomplete")
        yield Block("para", (Span(missing.question),))
        if missing.derivable_from:
            yield Block("para", ("It can also be derived from: ",
                                 *_codes(missing.derivable_from), "."))
        yield Block("para", ("Still reachable: ", *_codes(decision.reachable_outcomes)))
    yield Block("note", ("Tree: ", _code(tree.id), f" {tree.version} (", Span(tree.title),
                         "), sha256 ", _code(tree.sha256[:12])))
    if decision.steps:
        yield Block("section", ("How it was decided",))
    for number, step in enumerate(decision.steps, 1):
        yield from _step(number, step, 0)
    if decision.actions:
        yield Block("section", ("Actions collected on the way",))
        for action in decision.actions:
            yield Block("item", (Span(action.text), " (", _code(action.node), ")"))
    outcome = decision.outcome
    if outcome is None:
        return
    if outcome.why:
        yield Block("section", ("Why",))
        yield Block("para", (Span(outcome.why),))
    steps = [((), outcome.next_steps)] + [
        (("Next steps from ", _code(s.tree.id), " (", Span(s.outcome.title), ")"),
         s.outcome.next_steps) for s in _subdecisions(decision) if s.outcome is not None]
    for heading, texts in steps:
        if texts:
            yield Block("section", heading or ("Next steps",))
            for number, text in enumerate(texts, 1):
                yield Block("item", (Span(text),), number=number)


def _codes(names: tuple[str, ...]) -> list[Part]:
    """Names as code, comma-separated."""
    out: list[Part] = []
    for name in names:
        out.extend((", ", _code(name)) if out else (_code(name),))
    return out


def _subdecisions(decision: Decision) -> Iterator[Decision]:
    """The decided sub-decisions on the path, outermost first (a call's own calls after it)."""
    for step in decision.steps:
        if step.subdecision is not None and step.subdecision.outcome is not None:
            yield step.subdecision
            yield from _subdecisions(step.subdecision)


def _step(number: int, step: Step, depth: int) -> Iterator[Block]:
    yield Block("step", (_strong(step.title),), depth, number)
    if step.question and not repeats(step.title, step.question):
        yield Block("question", (Span(step.question),), depth)
    trace = step.checklist
    if trace is not None:
        for group in trace.groups:
            yield Block("group", (Span(group.title), " (", _code(group.group), "): ",
                                  say.tally(group)), depth)
            for item in say.group_items(trace, group):
                yield Block("answer", (f"{say.MARKS[item.answer]} ", Span(item.label),
                                       f" ({say.answered(item)})"), depth)
        yield Block("count", (say.counting(trace),), depth)
        yield Block("count", ("In short: ", Span(say.explain_checklist(step)), "."), depth)
    for used in _plain_evidence(step):
        yield Block("evidence", (_code(say.evidence(used)),), depth)
    if step.subdecision is not None:
        sub = step.subdecision
        yield Block("called", (Span(say.called(sub)),), depth)
        for sub_number, sub_step in enumerate(sub.steps, 1):
            yield from _step(sub_number, sub_step, depth + 1)
    yield Block("branch", ("→ ", _strong(step.label), ", because ", Span(say.because(step))),
                depth)
    for action in step.actions:
        yield Block("action", ("action: ", Span(action)), depth)


def _plain_evidence(step: Step) -> tuple[Evidence, ...]:
    """Evidence not shown elsewhere: a checklist's items are listed with their groups."""
    if step.checklist is None:
        return step.evidence
    items = {i.fact for i in step.checklist.items}
    return tuple(e for e in step.evidence if e.name not in items)


# How text lays each block out: (first line's lead, hanging indent). A step's lines go
# under its body, at (marker, hanging indent past the body); Markdown gives them a marker.
_TEXT_BLOCKS: dict[Role, tuple[str, str]] = {
    "para": ("  ", "  "), "aside": ("  ", "    "), "item": ("  - ", "     ")}
_TEXT_LINES: dict[Role, tuple[str, int]] = {
    "question": ("Q: ", 2), "group": ("", 2), "answer": ("  ", 6), "count": ("", 2),
    "evidence": ("· ", 2), "called": ("", 2), "branch": ("", 2), "action": ("+ ", 2)}
_MARKDOWN_LINES: dict[Role, str] = {
    "question": "", "group": "- ", "answer": "  - ", "count": "- ", "evidence": "- ",
    "called": "- ", "branch": "- ", "action": "- "}


def trace_text(decision: Decision, *, width: int = DEFAULT_WIDTH) -> str:
    """A terminal-friendly report: verdict first, then how it was reached, in lines of at
    most `width` columns (the CLI passes the terminal's), broken between words."""
    lines: list[str] = []
    for block in report_blocks(decision):
        text = "".join(p if isinstance(p, str) else f"'{p.text}'" if p.kind == "name"
                       else p.text for p in block.parts)
        body = " " * 7 * block.depth + "     "
        first, indent = _TEXT_BLOCKS.get(block.role, ("", "  "))
        if block.role in ("section", "note"):
            lines.append("")
        if block.role == "verdict":
            text = f"{block.label.upper()}: {text}"
        elif block.role == "section":
            text += ":"
        elif block.role == "item" and block.number is not None:
            first = f"  {block.number}. "
        elif block.role == "step":
            first, indent = f"{body[:-5]}{block.number:>2}. ", body
        elif block.role in _TEXT_LINES:
            marker, hang = _TEXT_LINES[block.role]
            first, indent = body + marker, body + " " * hang
        lines.extend(wrap_lines(text, width, indent=indent, first=first))
    return "\n".join(lines) + "\n"


def trace_markdown(decision: Decision) -> str:
    """The same report as Markdown, for tickets, pull requests and wikis."""
    lines: list[str] = []
    listed = False  # list lines follow each other without a blank line
    for block in report_blocks(decision):
        text = "".join(_markdown_part(p) for p in block.parts)
        in_list = block.role in ("item", "step") or block.role in _MARKDOWN_LINES
        if lines and not (listed and in_list):
            lines.append("")
        listed = in_list
        pad = " " * 5 * block.depth
        if block.role == "verdict":
            lines.append(f"# {block.label}: {text}")
        elif block.role == "section":
            lines.append(f"## {text}")
            listed = False
        elif block.role == "item":
            lines.append(f"{block.number}. {text}" if block.number is not None else f"- {text}")
        elif block.role == "step":
            lines.append(f"{pad}{block.number}. {text}")
        elif block.role in _MARKDOWN_LINES:
            lines.append(f"{pad}   {_MARKDOWN_LINES[block.role]}{text}")
        else:
            lines.append(text)
    return "\n".join(lines) + "\n"


def _markdown_part(part: Part) -> str:
    if isinstance(part, str):
        return part
    if part.kind == "prose":
        return md_text(part.text)
    return f"**{md_text(part.text)}**" if part.kind == "strong" else code(part.text)
