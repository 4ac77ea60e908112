"""The words every view says about a decision: where a value came from, evidence, why a
branch was taken, a checklist's verdict and a what-if, each written once here.

Scalars and types as people read them are the engine's (`gatetree.values`); the text and
Markdown traces, the diagrams, the what-ifs, the docs and `show` take their sentences from
this module, so the same evidence reads the same in every view.
"""

from __future__ import annotations

from gatetree.checklist import ANSWERED
from gatetree.conditions import ConditionPart, condition_parts
from gatetree.counterfactual import Alternative, Boundary, Change
from gatetree.decision import ChecklistTrace, Decision, Evidence, GroupScore, ItemAnswer, Step
from gatetree.model import Fact, Scalar
from gatetree.values import show_value

__all__ = ["MARKS", "SOURCES", "answered", "because", "boundary_words", "by_how_much",
           "called", "counting", "evidence",
           "evidence_value", "explain_checklist", "fact_type", "group_items", "tally",
           "whatif_sentence"]

SOURCES = {
    "given": "given",
    "derived": "derived",
    "default": "fact default",
    "param": "param, overridden",
    "param-default": "param default",
}
"""A value's source (`Evidence.source`) in words."""

MARKS = {True: "[x]", False: "[ ]", None: "[?]"}
"""A checklist item's answer as a tick box: yes, no, not answered."""


def evidence_value(item: Evidence) -> str:
    """`name = value (where it came from)`: a derived value says only "derived"."""
    return f"{item.name} = {show_value(item.value)} ({SOURCES[item.source]})"


def evidence(item: Evidence) -> str:
    """`name = value (where it came from)`, with a derivation's inputs inline."""
    if item.source != "derived":
        return evidence_value(item)
    inputs = "; ".join(evidence(i) for i in item.inputs)
    settled = f", settled by `{item.settled_by}` while other inputs are unknown" \
        if item.settled_by is not None else ""
    return (f"{item.name} = {show_value(item.value)} (derived from `{item.expression}` "
            f"with {inputs}{settled})")


def fact_type(fact: Fact) -> str:
    """A fact's type for people: "one of a, b, c", or the type with its unit."""
    if fact.type == "enum":
        return "one of " + ", ".join(fact.values)
    return f"{fact.type} ({fact.unit})" if fact.unit else fact.type


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


def called(sub: Decision) -> str:
    """The line that opens a called tree's steps: which tree, and where it ended."""
    verdict = sub.outcome.title if sub.outcome is not None else "incomplete"
    return f"Called {sub.tree.id} {sub.tree.version} ({sub.tree.title}) → {verdict}"


def group_items(trace: ChecklistTrace, group: GroupScore) -> list[ItemAnswer]:
    """A checklist group's item answers, in the checklist's order."""
    return [i for i in trace.items if i.group == group.group]


def tally(group: GroupScore) -> str:
    """A group's yes answers, and its score when weights make it differ."""
    score = f", score {show_value(group.score)} of {show_value(group.weight)}" \
        if (group.score, group.weight) != (group.yes, group.items) else ""
    return f"{group.yes} of {group.items} yes{score}"


def answered(item: ItemAnswer) -> str:
    """An item's answer and where it came from."""
    if item.answer is None or item.source is None:
        return "not answered"
    return f"{'yes' if item.answer else 'no'}, {SOURCES[item.source]}"


def counting(trace: ChecklistTrace) -> str:
    """How many items were answered, and what the open ones counted as."""
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


def whatif_sentence(alternative: Alternative) -> str:
    """A what-if in one sentence: at which step, which answer, and where it would lead."""
    a = alternative
    head = f'At {a.node} ({a.node_title}), answer "{a.label}": had {_cause(a.change)}'
    if a.status == "decided":
        same = " (the same as decided)" if a.same_outcome else ""
        return f"{head}, the outcome would have been: {a.outcome_title}{same}."
    if a.status == "incomplete":
        tail = f"; still possible: {', '.join(a.possible_outcomes)}" \
            if a.possible_outcomes else ""
        return (f"{head}, the walk would have needed {a.missing} "
                f"({a.missing_question}){tail}.")
    return f"{head}, the walk would have failed: {a.error}"


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


def _cause(change: Change) -> str:
    if change.kind == "set-fact":
        text = (f"{change.fact} been {show_value(change.value)} instead of "
                f"{show_value(change.was)}")
        if change.was_source == "derived" and change.inputs:
            used = ", ".join(evidence_value(i) for i in change.inputs)
            text += f" (it was derived from {used}; one of these would have to change)"
        return text
    if change.condition is not None:
        return f"{change.condition} held"
    return "none of the conditions held"


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
        said = [i.label for i in group_items(trace, group) if i.answer]
        if group.score != group.yes:
            said.append(f"score {show_value(group.score)} of {show_value(group.weight)}")
        return f"{group.yes} of {group.items} {group.label}" + (f" ({', '.join(said)})"
                                                                if said else "")

    return _join([part(g) for g in trace.groups])


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
