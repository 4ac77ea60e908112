"""What one prompt of `gatetree run` asks, and what a typed answer means there.

Pure functions of the tree and the decision so far, so the reading of every answer can be
tested without a terminal. A prompt fills one fact, its *target*: the fact the decision
waits for, or, when that fact has a derivation, the first unknown input the derivation
reads, so a person with a measurement gives the number and the tree's thresholds decide.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .decision import Decision
from .errors import InputError
from .inputs import parse_assignment, split_assignment, text_to_value, value_problem
from .model import Checklist, Fact, Gate, Scalar, TreeSpec
from .tree import DecisionTree

__all__ = ["Command", "Give", "Question", "Refuse", "Reply", "choices", "question_for",
           "read_reply"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORDS: Mapping[str, Literal["help", "back", "skip"]] = {
    "?": "help", "help": "help", "back": "back", "<": "back", "skip": "skip", "": "skip"}


@dataclass(frozen=True, slots=True)
class Question:
    """One prompt: the fact the decision needs, and the fact a plain answer fills.

    `inputs` are the unknown inputs of `needed`'s derivation in the order it reads them;
    when there are any, `target` is the first and `needed` may still be answered directly.
    `labels` are the asking gate's branch labels that stand for answers of `needed`
    ("Sudden drop"), lower-cased. `skip` says what skipping does, "" when it cannot be
    skipped; `group_help` is a checklist group's help, shown when the fact has none.
    """

    needed: Fact
    target: Fact
    inputs: tuple[str, ...] = ()
    labels: Mapping[str, Scalar] | None = None
    skip: str = ""
    group_help: str = ""

    @property
    def measured(self) -> bool:
        return self.target is not self.needed


@dataclass(frozen=True, slots=True)
class Give:
    """Set a fact: the answer to the prompt, or a NAME=VALUE typed at it."""

    name: str
    value: Scalar


@dataclass(frozen=True, slots=True)
class Command:
    word: Literal["help", "back", "skip"]


@dataclass(frozen=True, slots=True)
class Refuse:
    message: str


Reply = Give | Command | Refuse


def question_for(tree: DecisionTree, decision: Decision,
                 skipped: frozenset[str]) -> Question:
    """The next prompt for an incomplete decision, given the facts the person skipped.

    A skipped checklist item gives way to the next open item of its checklist; a skipped
    input of a derivation makes the fact itself the target.
    """
    missing = decision.missing
    assert missing is not None
    asker, node = tree.asker(missing)
    texts = asker.texts(params=decision.params)
    name, inputs = missing.fact, missing.derivable_from
    others: list[str] = []
    if isinstance(node, Checklist):
        others = [i.fact for i in node.ask_order if _open(asker.spec, i.fact, decision, skipped)
                  and i.fact != missing.fact]
        if missing.fact in skipped and others:
            name, inputs = others.pop(0), ()
    needed = texts.facts[name]
    if any(i in skipped for i in inputs):
        inputs = ()
    if inputs:
        skip = f"skip: without {inputs[0]}, answer {name} directly"
    elif others:
        skip = "skip: leave it unanswered; the checklist may decide without it"
    else:
        skip = ""
    filled = texts.nodes[node.id]
    labels = _labels(filled, needed) if isinstance(filled, Gate) else None
    group_help = ""
    if isinstance(filled, Checklist):
        item = next(i for i in filled.items if i.fact == name)
        group = filled.group(item.group)
        group_help = group.help.strip() if group is not None else ""
    return Question(needed, texts.facts[inputs[0]] if inputs else needed, inputs, labels,
                    skip, group_help)


def _open(spec: TreeSpec, fact: str, decision: Decision, skipped: frozenset[str]) -> bool:
    """An item still to ask: not given, not skipped, with no default to fall back on."""
    declared = spec.facts[fact]
    return fact not in decision.facts and fact not in skipped and declared.default is None


def _labels(gate: Gate, fact: Fact) -> Mapping[str, Scalar]:
    """Branch labels that name one answer each and are no other answer's word."""
    if gate.fact != fact.name:
        return {}
    words = {label.lower() for label, _ in choices(fact)}
    found: dict[str, list[Scalar]] = {}
    for branch in gate.branches:
        if branch.kind == "when" and branch.label and branch.value is not None:
            found.setdefault(branch.label.lower(), []).append(branch.value)
    return {label: values[0] for label, values in found.items()
            if len(values) == 1 and label not in words}


def choices(fact: Fact) -> list[tuple[str, Scalar]]:
    """The answers a menu offers, as (word, value): yes/no, or an enum's values."""
    if fact.type == "boolean":
        return [("yes", True), ("no", False)]
    if fact.type == "enum":
        return [(value, value) for value in fact.values]
    return []


def read_reply(raw: str, question: Question, spec: TreeSpec) -> Reply:
    """What a typed line means at this prompt.

    In order: a command (`?`, `back`/`<`, `skip`/empty), `NAME=VALUE` for any fact, the
    number of a menu entry, an answer for the target (enum values and labels in any case),
    and last, at a measuring prompt, a direct answer for the fact the decision needs.
    """
    text = raw.strip()
    word = _WORDS.get(text.lower())
    if word is not None:
        return Command(word)
    assignment = split_assignment(text)
    if assignment is not None and _NAME.fullmatch(assignment[0]):
        return _assign(text, spec)
    menu = choices(question.target)
    if menu and text.isdigit() and 1 <= int(text) <= len(menu):
        return Give(question.target.name, menu[int(text) - 1][1])
    candidates = [question.target, question.needed] if question.measured else [question.target]
    for fact in candidates:
        value = _value(fact, text, question.labels if fact is question.needed else None)
        if value is not None:
            return Give(fact.name, value)
    return Refuse(_expected(question))


def _assign(text: str, spec: TreeSpec) -> Reply:
    """NAME=VALUE for any fact (spec.facts holds called trees' too), read like an answer."""
    name, raw = text.split("=", 1)
    fact = spec.facts.get(name.strip())
    if fact is None:
        try:
            parse_assignment(text, spec.facts, kind="fact", option="--set")
        except InputError as exc:  # unknown fact, with a did-you-mean
            return Refuse("; ".join(d.message + (f" ({d.hint})" if d.hint else "")
                                    for d in exc.diagnostics))
        raise AssertionError("an undeclared name is an input error")  # pragma: no cover
    value = _value(fact, raw.strip(), None)
    if value is None:
        words = ", ".join(word for word, _ in choices(fact)) or f"a value of type {fact.type}"
        return Refuse(f"{fact.name} must be {words}")
    return Give(fact.name, value)


def _value(fact: Fact, text: str, labels: Mapping[str, Scalar] | None) -> Scalar | None:
    """The value a typed word or number stands for, or None when it fits no answer."""
    lowered = text.lower()
    for word, value in choices(fact):
        if lowered == word.lower():
            return value
    if labels and lowered in labels:
        return labels[lowered]
    if not text:
        return None
    value = text_to_value(fact.type, text)
    return value if value_problem(fact, value) is None else None


def _expected(question: Question) -> str:
    def answers(fact: Fact) -> str:
        words = ", ".join(word for word, _ in choices(fact))
        return words or f"a value of type {fact.type}"

    if question.measured:
        return (f"Please give {question.target.name} as {answers(question.target)}, or answer "
                f"{question.needed.name} with {answers(question.needed)} (or ? for help).")
    return f"Please answer with {answers(question.target)} (or ? for help)."
