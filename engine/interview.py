"""`gatetree run`: ask, one at a time, the facts a decision still needs, then decide.

The loop never walks the tree itself: it decides, asks for what the decision names as
missing (`answers.question_for`), and decides again, so what it asks is exactly what the
path needs. Everything it says goes to its Console (the terminal's standard error), so
standard output carries only the result.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import click

from .answers import Command, Give, Question, Refuse, choices, question_for, read_reply
from .decision import Decision, Evidence
from .errors import EvaluationError
from .model import Checklist, Fact, Scalar
from .text import show_value
from .tree import DecisionTree

__all__ = ["Console", "Interview", "interview", "terminal"]

_LINE_BREAKS = re.compile(r"\s*\n\s*")  # a text's own line breaks; a menu keeps its spacing


@dataclass(frozen=True, slots=True)
class Console:
    """Where an interview talks: `ask` shows a prompt and reads one line (None at end of
    input), `say` writes one line; texts are wrapped at `width` columns."""

    ask: Callable[[str], str | None]
    say: Callable[[str, bool], None]
    width: int = 80

    def text(self, text: str, *, indent: str = "", first: str = "", bold: bool = False) -> None:
        """A text wrapped at word boundaries; `first` leads its first line."""
        lines = textwrap.wrap(_LINE_BREAKS.sub(" ", text.strip()), max(self.width - 1, 20),
                              initial_indent=first or indent, subsequent_indent=indent,
                              break_long_words=False, break_on_hyphens=False)
        for line in lines or [first.rstrip()]:
            self.say(line, bold)


def terminal() -> Console:
    """The terminal: prompts and messages on standard error, answers from standard input.

    Answers are read with `input()`, not `click.prompt`, which click's test runner echoes to
    standard output; read from a pipe, they are echoed after the prompt on standard error,
    so the transcript there reads whole.
    """

    def ask(prompt: str) -> str | None:
        click.echo(prompt, nl=False, err=True)
        try:
            line = input()
        except (EOFError, KeyboardInterrupt):
            click.echo("", err=True)
            return None
        if not sys.stdin.isatty():
            click.echo(line, err=True)
        return line

    def say(line: str, bold: bool) -> None:
        click.secho(line, bold=bold or None, err=True)

    return Console(ask, say, shutil.get_terminal_size().columns)


@dataclass(frozen=True, slots=True)
class Interview:
    """How an interview ended: the last decision and every fact known by then (those
    given up front and those answered), in the order the tree declares them."""

    decision: Decision
    facts: Mapping[str, Scalar]
    stopped: bool


@dataclass(frozen=True, slots=True)
class _Undo:
    name: str
    before: Scalar | None  # the value it had (None: it had none)
    skipped: bool = False


@dataclass(slots=True)
class _State:
    facts: dict[str, Scalar]
    skipped: set[str] = field(default_factory=set)
    history: list[_Undo] = field(default_factory=list)
    shown: tuple[str, ...] = ()

    def give(self, name: str, value: Scalar) -> None:
        self.history.append(_Undo(name, self.facts.get(name)))
        self.facts[name] = value

    def skip(self, name: str) -> None:
        self.history.append(_Undo(name, None, skipped=True))
        self.skipped.add(name)

    def undo(self) -> _Undo | None:
        if not self.history:
            return None
        last = self.history.pop()
        if last.skipped:
            self.skipped.discard(last.name)
        elif last.before is None:
            del self.facts[last.name]
        else:
            self.facts[last.name] = last.before
        return last


def interview(tree: DecisionTree, facts: Mapping[str, Scalar], params: Mapping[str, Scalar],
              console: Console) -> Interview:
    """Ask until the tree decides or the person stops (end of input); facts are checked."""
    state = _State(dict(facts))
    console.text(f"{tree.spec.title} ({tree.id} {tree.version})", bold=True)
    console.text("Answer each question; ? shows help, back undoes the last answer, "
                 "Ctrl-D stops.")
    console.say("", False)
    decision = tree.decide(state.facts, params=params)
    while not decision.decided and decision.missing is not None:
        question = question_for(tree, decision, frozenset(state.skipped))
        _introduce(tree, decision, question, state, console)
        reply = _answer(tree, question, state, console)
        if reply is None:
            console.say("Stopped before a decision.", False)
            console.say("", False)
            return Interview(decision, _ordered(tree, state.facts), stopped=True)
        try:
            decision = tree.decide(state.facts, params=params)
        except EvaluationError as exc:
            console.say(f"  {exc}; that answer is taken back.", False)
            state.undo()
            continue
        if isinstance(reply, Give) and question.measured:
            _show_derived(decision, question.needed.name, console)
        console.say("", False)
    return Interview(decision, _ordered(tree, state.facts), stopped=False)


def _answer(tree: DecisionTree, question: Question, state: _State,
            console: Console) -> Give | Command | None:
    """Read lines until one changes the facts (an answer, a skip, an undo); None at the end."""
    target = question.target
    unit = f" ({target.unit})" if target.unit else ""
    while True:
        raw = console.ask(f"  {target.name}{unit}> ")
        if raw is None:
            return None
        reply = read_reply(raw, question, tree.spec)
        if isinstance(reply, Give):
            state.give(reply.name, reply.value)
            return reply
        if isinstance(reply, Refuse):
            console.text(reply.message, indent="  ")
        elif reply.word == "help":
            _help(question, console)
        elif reply.word == "skip":
            if question.skip:
                state.skip(target.name)
                return reply
            console.text("This one cannot be skipped: the tree needs the answer to go on "
                         "(Ctrl-D stops).", indent="  ")
        else:
            undone = state.undo()
            if undone is None:
                console.text("Nothing to undo: facts given with --facts and --set stay.",
                             indent="  ")
                continue
            what = "skip of" if undone.skipped else "answer to"
            console.say(f"  Undid the {what} {undone.name}.", False)
            state.shown = ()
            return reply


def _introduce(tree: DecisionTree, decision: Decision, question: Question, state: _State,
               console: Console) -> None:
    """Say once where the next question comes from (a called tree, a checklist, its group),
    then the question, its choices and, for a derived fact, what it is derived from."""
    missing = decision.missing
    assert missing is not None
    asker, node = tree.asker(missing)
    node = asker.texts(params=decision.params).nodes[node.id]  # {param} texts filled
    here: tuple[str, ...] = tuple(f"call:{c}" for c in missing.via)
    if here and state.shown[:len(here)] != here:
        console.text(f"== {asker.spec.title} ({asker.id} {asker.version})", bold=True)
        console.say("", False)
    needed = question.needed
    tag = node.id
    if isinstance(node, Checklist):
        item = next(i for i in node.items if i.fact == needed.name)
        group = node.group(item.group)
        assert group is not None
        members = [i.fact for i in node.items if i.group == group.name]
        if state.shown[:len(here) + 1] != (*here, f"checklist:{node.id}"):
            console.text(f"[{node.id}] {node.title}", bold=True)
            for text in (node.question, node.help):
                if text:
                    console.text(text)
            console.say("", False)
        here = (*here, f"checklist:{node.id}", f"group:{group.name}")
        if state.shown[:len(here)] != here:
            console.text(f"{group.title}:", bold=True)
        tag = f"{node.id}: {group.name} {members.index(needed.name) + 1}/{len(members)}"
    here = (*here, f"fact:{needed.name}")
    if state.shown[:len(here)] != here:
        console.text(needed.question, first=f"[{tag}] ", indent="    ", bold=True)
        if question.measured:
            console.text(f"Answer {_menu(needed, numbered=False)}, or give what it is derived "
                         f"from: {_and(question.inputs)} (skip if you have none).",
                         indent="  ")
    target = question.target
    here = (*here, f"target:{target.name}")
    if state.shown != here:
        if question.measured:
            console.text(target.question, first=f"  {target.name}: ", indent="    ")
        if choices(target):
            console.text(_menu(target, numbered=True), indent="  ")
    state.shown = here


def _help(question: Question, console: Console) -> None:
    """Everything about the fact asked: its question, type, choices, help, derivation."""
    facts = [question.needed, question.target] if question.measured else [question.needed]
    for fact in facts:
        console.text(fact.question, first=f"  {fact.name}: ", indent="    ")
        console.text(f"Type: {_type_words(fact)}.", indent="    ")
        if fact is question.needed and question.labels:
            aliases = ", ".join(f"{label} for {show_value(value, yes_no=True)}"
                                for label, value in question.labels.items())
            console.text(f"Also accepted: {aliases}.", indent="    ")
        help_text = fact.help.strip() or (question.group_help if fact is question.needed
                                          else "")
        if help_text:
            console.text(help_text, indent="    ")
        if fact.derive:
            console.text(f"Unless answered, it is derived as `{' '.join(fact.derive.split())}`"
                         + (f"; give {_and(question.inputs)} here to derive it."
                            if question.measured else "."), indent="    ")
    console.text(question.skip.capitalize() + "." if question.skip else
                 "This answer is needed to go on; it cannot be skipped.", indent="  ")
    console.text("NAME=VALUE gives any fact; back (or <) undoes the last answer; "
                 "Ctrl-D stops.", indent="  ")


def _show_derived(decision: Decision, name: str, console: Console) -> None:
    """Once its inputs are known, what a derived fact came to and from what."""
    found = next((e for e in _evidence(decision) if e.name == name and e.source == "derived"),
                 None)
    if found is None:
        return
    inputs = ", ".join(f"{e.name} = {show_value(e.value)}" for e in found.inputs)
    console.text(f"→ {name} = {show_value(found.value)}, derived from {inputs}", indent="    ",
                 first="  ")


def _evidence(decision: Decision) -> Iterator[Evidence]:
    def each(evidence: Evidence) -> Iterator[Evidence]:
        yield evidence
        for given in evidence.inputs:
            yield from each(given)

    for step in decision.steps:
        for evidence in step.evidence:
            yield from each(evidence)
        if step.subdecision is not None:
            yield from _evidence(step.subdecision)


def _menu(fact: Fact, *, numbered: bool) -> str:
    words = [word for word, _ in choices(fact)]
    if numbered:
        return "  ".join(f"{i}) {word}" for i, word in enumerate(words, 1))
    return " | ".join(words) if words else f"a {fact.type}"


def _type_words(fact: Fact) -> str:
    if fact.type == "enum":
        return "one of " + ", ".join(fact.values)
    words = {"boolean": "yes or no", "integer": "a whole number", "number": "a number",
             "string": "text"}[fact.type]
    return words + (f", in {fact.unit}" if fact.unit else "")


def _and(names: tuple[str, ...]) -> str:
    return " and ".join(filter(None, (", ".join(names[:-1]), *names[-1:])))


def _ordered(tree: DecisionTree, facts: Mapping[str, Scalar]) -> dict[str, Scalar]:
    return {name: facts[name] for name in tree.spec.facts if name in facts}
