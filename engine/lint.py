"""`gatetree lint`: what a tree that loads still does badly, as coded, located warnings.

Loading rejects what cannot run; lint points at what runs but serves its readers badly:
an outcome that says what to do but not why or what next, a question without help or too
long to read at a prompt, a branch no answer can take, two outcomes that prescribe the
same thing. Each rule has a code (GT101...) that a tree may switch off with
`lint: {disable: [GT101]}`, best with a comment saying why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, DiagnosticsError, Location, did_you_mean
from .loader import compile_document
from .model import Call, Checklist, Fact, Gate, Outcome
from .reach import Dead, dead_branches
from .source import Document, escape_pointer, read_document
from .text import find_placeholders
from .tree import DecisionTree

__all__ = ["LONG_QUESTION", "RULES", "Finding", "Linted", "Rule", "lint_document", "lint_file"]

LONG_QUESTION = 200
"""Characters above which a question is too long to read at a prompt (move detail to help)."""


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    summary: str


RULES: tuple[Rule, ...] = (
    Rule("GT100", "unknown-rule", "lint.disable names a rule code that does not exist"),
    Rule("GT101", "outcome-without-next-steps", "an outcome has no next_steps"),
    Rule("GT102", "outcome-without-why", "an outcome has no why"),
    Rule("GT103", "node-without-help", "a gate, checklist or call (and its fact) has no help"),
    Rule("GT104", "fact-never-asked", "no branch that can be taken reads a fact"),
    Rule("GT105", "param-never-used", "no condition, derive, quorum or text reads a param"),
    Rule("GT106", "long-question", f"a question is over {LONG_QUESTION} characters"),
    Rule("GT107", "branch-without-looks-like", "a branch of a yes/no gate has no looks_like"),
    Rule("GT108", "branch-never-taken", "no answer can take a branch"),
    Rule("GT109", "same-action", "two outcomes have the same action text"),
)
_NAMES = {rule.code: rule.name for rule in RULES}


@dataclass(frozen=True, slots=True)
class Finding:
    """One lint warning: a rule's code, where, what and how to fix it."""

    code: str
    location: Location
    message: str
    hint: str = ""

    @property
    def rule(self) -> str:
        return _NAMES[self.code]

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location}: warning: {self.code} {self.message}{hint}"

    @property
    def diagnostic(self) -> Diagnostic:
        """As a diagnostic, for the excerpt printer: the code leads the message."""
        return Diagnostic(self.location, f"{self.code} {self.message}", self.hint or None,
                          severity="warning", code=self.rule)


@dataclass(frozen=True, slots=True)
class Linted:
    """One file linted: its warnings, or the load errors that kept it from being linted."""

    path: str
    findings: tuple[Finding, ...] = ()
    errors: tuple[Diagnostic, ...] = ()


def lint_file(path: str | Path) -> Linted:
    """Lint a tree file; a tree that does not load comes back with its errors instead."""
    try:
        document = read_document(path)
    except DiagnosticsError as exc:
        return Linted(str(path), errors=exc.diagnostics)
    return lint_document(document)


def lint_document(document: Document) -> Linted:
    tree, problems = compile_document(document)
    errors = tuple(sorted((p for p in problems if p.severity == "error"),
                          key=lambda d: d.sort_key))
    if tree is None or errors:
        return Linted(document.path, errors=errors)
    disabled, unknown = _disabled(document)
    found = [f for f in _findings(tree, document) if f.code not in disabled]
    findings = sorted([*found, *unknown], key=lambda f: (f.location.line or 0,
                                                         f.location.col or 0, f.code))
    return Linted(document.path, tuple(findings))


def _disabled(document: Document) -> tuple[set[str], list[Finding]]:
    settings = document.data.get("lint") or {}
    codes = list(settings.get("disable") or ())
    unknown = [
        Finding("GT100", document.locate(f"/lint/disable/{i}"),
                f"lint.disable names '{code}', which is not a rule",
                did_you_mean(code, _NAMES) or f"rules: {', '.join(_NAMES)}")
        for i, code in enumerate(codes) if code not in _NAMES
    ]
    return set(codes), unknown


def _findings(tree: DecisionTree, document: Document) -> Iterator[Finding]:
    dead = list(dead_branches(tree))
    yield from _outcomes(tree, document)
    yield from _help(tree)
    yield from _unread(tree, document, dead)
    yield from _long_questions(tree, document)
    yield from _looks_like(tree)
    yield from _never_taken(tree, dead)


def _node_pointer(node_id: str) -> str:
    return f"/nodes/{escape_pointer(node_id)}"


def _outcomes(tree: DecisionTree, document: Document) -> Iterator[Finding]:
    first: dict[str, Outcome] = {}
    for node in tree.spec.nodes.values():
        if not isinstance(node, Outcome):
            continue
        if not node.next_steps:
            yield Finding("GT101", node.loc, f"outcome '{node.id}' has no next_steps",
                          "say what to do first, as a list under next_steps:")
        if not node.why.strip():
            yield Finding("GT102", node.loc, f"outcome '{node.id}' has no why",
                          "say why this is the decision, under why:")
        action = " ".join(node.action.split()).casefold()
        earlier = first.setdefault(action, node)
        if earlier is not node:
            yield Finding("GT109", document.locate(f"{_node_pointer(node.id)}/action", key=True),
                          f"outcome '{node.id}' has the same action as '{earlier.id}' "
                          f"({earlier.loc})",
                          "say what differs, or send both branches to one outcome")


def _help(tree: DecisionTree) -> Iterator[Finding]:
    facts = tree.spec.facts
    for node in tree.spec.nodes.values():
        if not isinstance(node, (Gate, Checklist, Call)) or node.help.strip():
            continue
        fact = facts.get(node.fact) if isinstance(node, Gate) and node.fact else None
        if fact is not None and fact.help.strip():
            continue  # the gate asks its fact's question, with the fact's help
        where = f" nor its fact '{fact.name}'" if fact is not None else ""
        yield Finding("GT103", node.loc, f"{node.kind} '{node.id}'{where} has no help",
                      "add help: saying how to answer, and what the answers mean")


def _unread(tree: DecisionTree, document: Document, dead: list[Dead]) -> Iterator[Finding]:
    """Facts no takeable branch reads and params nothing reads, directly or by a derive."""
    spec = tree.spec
    never = {(d.node, d.index) for d in dead}
    used: set[str] = {p.name for p in find_placeholders(document)}
    for node in spec.nodes.values():
        if isinstance(node, Gate) and node.fact:
            if any((node.id, i) not in never for i, b in enumerate(node.exits)):
                used.add(node.fact)
        elif isinstance(node, Checklist):
            used |= {i.fact for i in node.items}
            if isinstance(node.quorum, str):
                used.add(node.quorum)
    for (node_id, index), condition in tree.conditions.items():
        if (node_id, index) not in never:
            used |= condition.names
    for callee in tree.callees.values():  # shared by name: the called tree reads them
        used |= {*callee.spec.facts, *callee.spec.params}
    frontier = list(used)
    while frontier:
        derivation = tree.derivations.get(frontier.pop())
        if derivation is not None:
            fresh = derivation.names - used
            used |= fresh
            frontier.extend(fresh)
    for name, fact in spec.facts.items():
        if name in tree.own_names and name not in used:
            yield Finding("GT104", fact.loc, f"fact '{name}' is never asked on any path",
                          "branch on it, read it in a condition or derive, or remove it")
    for name, param in spec.params.items():
        if name in tree.own_names and name not in used:
            yield Finding("GT105", param.loc, f"param '{name}' is never used",
                          "read it in a condition, derive, quorum or {text}, or remove it")


def _long_questions(tree: DecisionTree, document: Document) -> Iterator[Finding]:
    asked: list[tuple[str, str, str]] = [
        (f"fact '{f.name}'", f"/facts/{escape_pointer(f.name)}/question", f.question)
        for f in tree.spec.facts.values() if f.name in tree.own_names]
    asked += [(f"{n.kind} '{n.id}'", f"{_node_pointer(n.id)}/question", n.question)
              for n in tree.spec.nodes.values() if not isinstance(n, Outcome)]
    for what, pointer, question in asked:
        length = len(" ".join(question.split()))
        if length > LONG_QUESTION:
            yield Finding("GT106", document.locate_text(pointer),
                          f"the question of {what} is {length} characters long "
                          f"(over {LONG_QUESTION})",
                          "ask the question itself, and move the detail to help:")


def _looks_like(tree: DecisionTree) -> Iterator[Finding]:
    facts = tree.spec.facts
    for node in tree.spec.nodes.values():
        if not (isinstance(node, Gate) and node.fact and _yes_no(facts.get(node.fact))):
            continue
        for branch in node.exits:
            if not branch.looks_like.strip():
                yield Finding("GT107", branch.loc,
                              f"the '{branch.display_label}' branch of yes/no gate "
                              f"'{node.id}' has no looks_like",
                              "describe what this answer looks like in practice, so people "
                              "can tell yes from no")


def _yes_no(fact: Fact | None) -> bool:
    return fact is not None and fact.type == "boolean"


def _never_taken(tree: DecisionTree, dead: Iterable[Dead]) -> Iterator[Finding]:
    for found in dead:
        branch = found.branch
        if branch.kind == "default":
            yield Finding("GT108", branch.loc, f"the default of '{found.node}' is never taken",
                          "the branches before it cover every answer; remove the default")
            continue
        what = (f"'if: {_one_line(branch.condition)}'" if branch.kind == "if"
                else f"'when: {branch.display_label}'")
        where = branch.condition_loc if branch.kind == "if" else branch.loc
        if found.alone:
            answers = ("no tally of its items" if isinstance(tree.spec.nodes[found.node], Checklist)
                       else f"no value of {', '.join(found.reads)}")
            yield Finding("GT108", where, f"{what} of '{found.node}' can never hold",
                          f"{answers} makes it true")
        else:
            yield Finding("GT108", where, f"{what} of '{found.node}' is never taken",
                          "the branches before it take every answer that makes it true")


def _one_line(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()
