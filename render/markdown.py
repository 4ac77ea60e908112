"""A tree as a Markdown flowchart document that reads like its source article.

Title, description and version; the Mermaid diagram; the facts and params; then one
section per gate in walk order (question, how to answer, what each answer looks like,
where it leads and the actions that stand) and one per outcome (action, why, next steps,
references). Tree texts are plain text: Markdown's special characters are escaped, so a
text can neither break a table nor inject markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from gatetree.model import (
    Branch,
    Call,
    Checklist,
    ChecklistItem,
    Fact,
    Gate,
    Node,
    Outcome,
    Reference,
)
from gatetree.tree import DecisionTree
from gatetree.values import show_value

from ._text import clean, repeats
from .build import build_diagram
from .diagram import edge_id
from .inline import code, md_text
from .kinds import callee_outcomes, derived_from
from .mermaid import to_mermaid
from .wording import fact_type

__all__ = ["slugger", "tree_doc"]

_UNANSWERED = {
    "no": "An item without an answer counts as \"no\".",
    "all": "The checklist waits for every item, unless no answer to the rest could change "
           "the branch.",
    "quorum": "The checklist waits for a quorum of answers (or until no answer could change "
              "the branch); the rest count as \"no\".",
}


def tree_doc(tree: DecisionTree) -> str:
    """The Markdown flowchart doc of a tree, with `{param}` texts filled with defaults."""
    return _Doc(tree).render()


class _Doc:
    """One pass over a tree; anchors are computed first so links can point forward."""

    def __init__(self, tree: DecisionTree) -> None:
        self.tree = tree
        self.params = tree.effective_params({})
        self.spec = tree.texts(params=self.params)  # every {param} text filled with the defaults
        self.diagram = build_diagram(tree)
        self.order = [n.id for n in self.diagram.nodes]
        self.labels = {e.id: e.label for e in self.diagram.edges}  # a call's: its outcomes'
        nodes = [self.spec.nodes[n] for n in self.order]
        self.gates = [n for n in nodes if not isinstance(n, Outcome)]
        self.outcomes = [n for n in nodes if isinstance(n, Outcome)]
        slug = slugger()
        headings = [self.title, "Flowchart", "Facts"]
        headings += ["Params"] if self.spec.params else []
        self.anchors = {}
        for heading in headings:
            slug(heading)
        for node in (*self.gates, *self.outcomes):
            self.anchors[node.id] = slug(self._heading(node))

    @property
    def title(self) -> str:
        return clean(self.spec.title)

    def render(self) -> str:
        blocks = [*self._head(), *self._facts(), *self._params()]
        for node in self.gates:
            blocks.extend(self._section(node))
        for outcome in self.outcomes:
            blocks.extend(self._outcome(outcome))
        if self.spec.notes.strip():
            blocks.append("## Notes from the policy owner")
            blocks.extend(paragraphs(self.spec.notes))
        return "\n\n".join(blocks) + "\n"

    def _heading(self, node: Node) -> str:
        title = clean(node.title or node.id)
        return f"Outcome: {title}" if isinstance(node, Outcome) else title

    def _link(self, node_id: str) -> str:
        node = self.spec.nodes.get(node_id)
        if node is None:
            return code(node_id)
        return f"[{md_text(self._heading(node))}](#{self.anchors[node_id]})"

    def _head(self) -> Iterator[str]:
        yield f"# {md_text(self.title)}"
        meta = f"{code(self.spec.id)} · version {md_text(self.spec.version)}"
        if self.spec.source is not None:
            meta += f" · source: {_reference(self.spec.source)}"
        yield meta
        yield from paragraphs(self.spec.description)
        start = self.spec.nodes.get(self.spec.start)
        if start is not None:
            yield f"Start at {self._link(self.spec.start)}."
        yield "## Flowchart"
        yield "```mermaid\n" + to_mermaid(self.diagram).rstrip("\n") + "\n```"

    def _facts(self) -> Iterator[str]:
        yield "## Facts"
        rows = ["| Fact | Type | Question | How it is known |", "|---|---|---|---|"]
        rows.extend(f"| {code(f.name)} | {md_text(fact_type(f))} | "
                    f"{md_text(f.question)} | {self._known(f)} |"
                    for f in self.spec.facts.values())
        yield "\n".join(rows)

    def _known(self, fact: Fact) -> str:
        parts = []
        reads = derived_from(self.tree, fact.name)
        if reads:
            parts.append("asked, or derived from " + ", ".join(code(n) for n in reads))
        else:
            parts.append("asked")
        if fact.default is not None:
            parts.append(f"default {_cell(code(show_value(fact.default)))}")
        return "; ".join(parts)

    def _params(self) -> Iterator[str]:
        if not self.spec.params:
            return
        yield "## Params"
        rows = ["| Param | Type | Default | Meaning |", "|---|---|---|---|"]
        rows.extend(f"| {code(p.name)} | {p.type} | {_cell(code(show_value(p.default)))} | "
                    f"{md_text(p.help)} |" for p in self.spec.params.values())
        yield "\n".join(rows)

    def _section(self, node: Gate | Checklist | Call) -> Iterator[str]:
        """A gate, checklist or call: its question and help, what it does, its notes, and
        a subsection per branch."""
        yield f"## {md_text(self._heading(node))}"
        fact = self.spec.facts.get(node.fact) if isinstance(node, Gate) and node.fact else None
        question = node.question or (fact.question if fact else "")
        if question and not (isinstance(node, Gate) and repeats(node.title, question)):
            yield f"**Question:** {md_text(question)}"
        yield from paragraphs(node.help)
        if isinstance(node, Gate):
            yield self._answered_by(fact)
        elif isinstance(node, Checklist):
            yield from self._checklist(node)
        else:
            yield self._call(node)
        if node.notes.strip():
            yield from paragraphs(node.notes, first="**Notes:** ")
        for index, branch in enumerate(node.exits):
            yield from self._branch(node, index, branch)

    def _answered_by(self, fact: Fact | None) -> str:
        if fact is not None:
            how = f"Answered by the fact {code(fact.name)} ({md_text(fact_type(fact))})"
            if fact.derive:
                how += f", derived when not given: {code(clean(fact.derive))}"
            return how + "."
        return "The branches are tried in order; the first whose condition holds is taken."

    def _checklist(self, node: Checklist) -> Iterator[str]:
        for group in node.groups:
            yield (f"**{md_text(group.title)}** (a \"yes\" adds to the score "
                   f"{code(group.name)}):")
            yield from paragraphs(group.help)
            yield "\n".join(self._item(item) for item in node.items if item.group == group.name)
        yield _UNANSWERED.get(node.unanswered, "") + (
            f" Quorum: {code(str(node.quorum))}." if node.quorum is not None else "")
        yield self._answered_by(None)

    def _item(self, item: ChecklistItem) -> str:
        fact = self.spec.facts.get(item.fact)
        question = md_text(fact.question) if fact else code(item.fact)
        weight = "" if item.weight == 1 else f", weight {show_value(item.weight)}"
        return f"- {question} ({code(item.fact)}{weight})"

    def _call(self, node: Call) -> str:
        callee = self.tree.callees.get(node.id)
        if callee is not None:
            named = f"[{md_text(callee.spec.title)}](<{callee.id}.md>) ({code(callee.id)} " \
                    f"{md_text(callee.version)})"
        else:
            named = code(node.tree)
        return (f"Hands the decision over to the tree {named}, which shares facts and params "
                "by name; the branch follows the outcome it reaches.")

    def _branch(self, gate: Gate | Checklist | Call, index: int,
                branch: Branch) -> Iterator[str]:
        label = self.labels[edge_id(gate.id, index)]
        yield f"### {md_text(label)}"
        yield f"{self._when(gate, branch)} → {self._link(branch.next)}"
        if branch.looks_like:
            what = f"What {md_text(label)} looks like" if label.isupper() else "What it looks like"
            yield f"**{what}:** {md_text(branch.looks_like)}"
        if branch.note:
            yield f"**Why it goes there:** {md_text(branch.note)}"
        if branch.actions:
            yield "**Actions that stand (the walk goes on):**"
            yield "\n".join(f"- {md_text(a)}" for a in branch.actions)

    def _when(self, gate: Gate | Checklist | Call, branch: Branch) -> str:
        if isinstance(gate, Call):
            if branch.kind == "default":
                other = "any other" if gate.branches else "every"
                return f"Taken for {other} outcome of the called tree"
            callee = self.tree.callees.get(gate.id)
            reached = callee_outcomes(callee, self.params).get(str(branch.value)) \
                if callee else None
            title = f" ({md_text(reached.title)})" if reached else ""
            return (f"Taken when the called tree ends at {code(show_value(branch.value))}"
                    f"{title}")
        if branch.kind == "when" and isinstance(gate, Gate):
            return f"Taken when {code(str(gate.fact))} is {code(show_value(branch.value))}"
        if branch.kind == "if":
            return f"Taken when {code(clean(branch.condition or ''))} holds"
        fact = gate.fact if isinstance(gate, Gate) else None
        if fact and not gate.branches:
            return "Always taken"
        if fact and all(b.kind == "when" for b in gate.branches):
            return f"Taken when {code(fact)} has any other value"
        return "Taken when no condition above holds"

    def _outcome(self, outcome: Outcome) -> Iterator[str]:
        yield f"## {md_text(self._heading(outcome))}"
        yield f"**Action:** {md_text(outcome.action)}"
        if outcome.why:
            yield f"**Why:** {md_text(outcome.why)}"
        if outcome.next_steps:
            yield "**Next steps:**"
            yield "\n".join(f"{i}. {md_text(s)}"
                            for i, s in enumerate(outcome.next_steps, 1))
        if outcome.references:
            yield "**References:**"
            yield "\n".join(f"- {_reference(r)}" for r in outcome.references)
        if outcome.notes.strip():
            yield from paragraphs(outcome.notes, first="**Notes:** ")
        sources = [e for e in self.diagram.edges if e.target == outcome.id]
        if sources:
            yield "Reached from " + "; ".join(
                f"{self._link(e.source)} ({md_text(e.label)})" for e in sources) + "."


def paragraphs(text: str, *, first: str = "") -> Iterator[str]:
    """A multi-line text as Markdown blocks: blank lines part paragraphs, '- ' starts items.

    `first` goes before the first block (a bold lead-in such as '**Notes:** ').
    """
    prefix = first
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lead: list[str] = []
        items: list[str] = []
        for line in (raw.strip() for raw in chunk.splitlines()):
            if line.startswith(("- ", "* ")):
                items.append(line[2:])
            elif items:
                items[-1] += " " + line
            elif line:
                lead.append(line)
        if prefix and not lead and items:
            yield prefix.strip()
            prefix = ""
        if lead:
            yield prefix + md_text(" ".join(lead))
            prefix = ""
        if items:
            yield "\n".join(f"- {md_text(item)}" for item in items)


def slugger() -> Callable[[str], str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as '-', repeats -1."""
    seen: dict[str, int] = {}

    def slug(heading: str) -> str:
        base = "".join(c for c in clean(heading).lower()
                       if c in " -_" or unicodedata.category(c)[0] in "LNM").replace(" ", "-")
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base}-{seen[base] - 1}"

    return slug


def _reference(ref: Reference) -> str:
    title = md_text(ref.title)
    text = f"[{title}](<{ref.url}>)" if ref.url and _safe_url(ref.url) else title
    return f"{text} — {md_text(ref.note)}" if ref.note else text


def _safe_url(url: str) -> bool:
    return re.fullmatch(r"https?://[^\s<>]+", url) is not None


def _cell(text: str) -> str:
    """A code span inside a table cell: GitHub ends cells at '|' even there."""
    return text.replace("|", "\\|")
