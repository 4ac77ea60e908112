"""Checklist arithmetic: group scores from answers, and every tally the open items allow.

Pure functions over a Checklist and its answers. The walk (gatetree.walk) resolves the
answers and evaluates the conditions, so there is one walker; this module only counts.
"""

from __future__ import annotations

from collections.abc import Mapping

from .decision import GroupScore
from .expr import ExprType
from .model import Checklist

__all__ = [
    "ANSWERED",
    "MAX_TALLIES",
    "Tally",
    "count_names",
    "effective_quorum",
    "final_tallies",
    "group_scores",
    "scope_names",
    "scope_values",
    "settles_now",
    "tally",
]

ANSWERED = "answered"
MAX_TALLIES = 4096  # beyond this many distinct tallies, stop looking ahead and ask

Tally = tuple[tuple[int | float, ...], int]
"""Each group's score (in group order) and the number of items answered."""


def count_names(node: Checklist) -> dict[str, str]:
    """The counts a checklist adds to its conditions besides group scores, with meanings."""
    names = {ANSWERED: "the number of items answered"}
    for group in node.groups:
        names[f"{group.name}_items"] = f"the number of items in group '{group.name}'"
    return names


def scope_names(node: Checklist) -> dict[str, ExprType]:
    """Types of the names a checklist's conditions read besides params."""
    types = {ANSWERED: ExprType("integer")}
    for group in node.groups:
        weights = [i.weight for i in node.items if i.group == group.name]
        whole = all(isinstance(w, int) for w in weights)
        types[group.name] = ExprType("integer" if whole else "number")
        types[f"{group.name}_items"] = ExprType("integer")
    return types


def tally(node: Checklist, answers: Mapping[str, bool | None]) -> Tally:
    """Scores and answered count, an unanswered item counting for nothing."""
    scores: dict[str, int | float] = {g.name: 0 for g in node.groups}
    answered = 0
    for item in node.items:
        answer = answers.get(item.fact)
        if answer is None:
            continue
        answered += 1
        if answer:
            scores[item.group] = scores[item.group] + item.weight
    return tuple(scores[g.name] for g in node.groups), answered


def scope_values(node: Checklist, state: Tally) -> dict[str, int | float]:
    """The values of the checklist's own names for one tally."""
    scores, answered = state
    values: dict[str, int | float] = {ANSWERED: answered}
    for group, score in zip(node.groups, scores, strict=True):
        values[group.name] = score
        values[f"{group.name}_items"] = sum(1 for i in node.items if i.group == group.name)
    return values


def group_scores(node: Checklist, answers: Mapping[str, bool | None]) -> tuple[GroupScore, ...]:
    """Each group's tally for the trace."""
    result = []
    for group in node.groups:
        items = [i for i in node.items if i.group == group.name]
        given = [answers.get(i.fact) for i in items]
        result.append(GroupScore(
            group=group.name,
            title=group.title,
            label=group.display_label,
            score=sum(i.weight for i, a in zip(items, given, strict=True) if a),
            weight=sum(i.weight for i in items),
            yes=sum(1 for a in given if a),
            answered=sum(1 for a in given if a is not None),
            items=len(items),
        ))
    return tuple(result)


def effective_quorum(node: Checklist, quorum: int | None) -> int:
    """How many answers the checklist waits for under its policy (1 to its item count)."""
    if node.unanswered == "no":
        return 0
    if node.unanswered == "all" or quorum is None:
        return len(node.items)
    return quorum


def settles_now(node: Checklist, answers: Mapping[str, bool | None],
                quorum: int | None) -> bool:
    """Whether the checklist decides on the current tally, by its unanswered policy."""
    return tally(node, answers)[1] >= effective_quorum(node, quorum)


def final_tallies(node: Checklist, answers: Mapping[str, bool | None],
                  quorum: int | None) -> frozenset[Tally] | None:
    """Every tally the checklist could settle on once more items are answered.

    Each open item may become yes or no; under a quorum it may also stay open (counting
    as no) once enough others are answered. Tallies are deduplicated as they grow, so the
    work follows the distinct scores, not 2^n answers. None when there would be more
    than MAX_TALLIES: the caller then asks instead of looking ahead.
    """
    index = {g.name: i for i, g in enumerate(node.groups)}
    states: set[Tally] = {tally(node, answers)}
    may_stay_open = node.unanswered == "quorum"
    for item in node.items:
        if answers.get(item.fact) is not None:
            continue
        grown: set[Tally] = set()
        for scores, answered in states:
            if may_stay_open:
                grown.add((scores, answered))
            grown.add((scores, answered + 1))
            bumped = list(scores)
            bumped[index[item.group]] += item.weight
            grown.add((tuple(bumped), answered + 1))
        if len(grown) > MAX_TALLIES:
            return None
        states = grown
    needed = effective_quorum(node, quorum)
    return frozenset(s for s in states if s[1] >= needed)
