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
from collections.abc import Iterator

from gatetree.model import Branch, Call, Checklist, ChecklistItem, Fact, Gate, Outcome, Reference
from gatetree.text import show_value
from gatetree.tree import DecisionTree

from ._text import clean, repeats
from .build import build_diagram
from .mermaid import to_mermaid

__all__ = ["code", "md_text", "slugger", "tree_doc"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~]|&(?=#?\w+;))")  # & only where it starts `&lt;`
_UNANSWERED = {
    "no": "An item without an answer counts as \"no\".",
    "all": "The checklist waits for every item, unless no answer to the rest could change "
           "the branch.",
    "quorum": "The checklist waits for a quorum of answers (or until no answer could change "
              "the branch); the rest count as \"no\".",
}
_LINE_START = re.compile(r"^(\d*)([+\-=.)])(?=\s|$)")


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
        self.gates = [self.spec.nodes[n] for n in self.order
                      if not isinstance(self.spec.nodes[n], Outcome)]
        self.outcomes = [n for n in (self.spec.nodes[i] for i in self.order)
                         if isinstance(n, Outcome)]
        slug = slugger()
        headings = [self.title, "Flowchart", "Facts"]
        headings += ["Params"] if self.spec.params else []
        self.anchors = {}
        for heading in headings:
            slug(heading)
        for node in self.gates:
            self.anchors[node.id] = slug(self._heading(node))
        for node in self.outcomes:
            self.anchors[node.id] = slug(self._heading(node))

    @property
    def title(self) -> str:
        return clean(self.spec.title)

    def render(self) -> str:
        blocks = [*self._head(), *self._facts(), *self._params()]
        for node in self.gates:
            if isinstance(node, Gate):
                blocks.extend(self._gate(node))
            elif isinstance(node, Checklist):
                blocks.extend(self._checklist(node))
            elif isinstance(node, Call):
                blocks.extend(self._call(node))
            else:
                blocks.extend(self._other(node))
        for outcome in self.outcomes:
            blocks.extend(self._outcome(outcome))
        if self.spec.notes.strip():
            blocks.append("## Notes from the policy owner")
            blocks.extend(paragraphs(self.spec.notes))
        return "\n\n".join(blocks) + "\n"

    def _heading(self, node: object) -> str:
        title = clean(str(getattr(node, "title", "") or getattr(node, "id", "")))
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
        rows.extend(f"| {code(f.name)} | {md_text(_fact_type(f))} | "
                    f"{md_text(f.question)} | {self._known(f)} |"
                    for f in self.spec.facts.values())
        yield "\n".join(rows)

    def _known(self, fact: Fact) -> str:
        parts = []
        if fact.derive:
            names = [n for n in re.findall(r"[A-Za-z_]\w*", fact.derive)
                     if n in self.spec.facts or n in self.spec.params]
            parts.append("asked, or derived from "
                         + ", ".join(code(n) for n in dict.fromkeys(names)))
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

    def _gate(self, gate: Gate) -> Iterator[str]:
        yield f"## {md_text(self._heading(gate))}"
        fact = self.spec.facts.get(gate.fact) if gate.fact else None
        question = gate.question or (fact.question if fact else "")
        if question and not repeats(gate.title, question):
            yield f"**Question:** {md_text(question)}"
        yield from paragraphs(gate.help)
        if fact is not None:
            how = f"Answered by the fact {code(fact.name)} ({md_text(_fact_type(fact))})"
            if fact.derive:
                how += f", derived when not given: {code(clean(fact.derive))}"
            yield how + "."
        else:
            yield "The branches are tried in order; the first whose condition holds is taken."
        if gate.notes.strip():
            yield from paragraphs(gate.notes, first="**Notes:** ")
        for branch in gate.exits:
            yield from self._branch(gate, branch)

    def _checklist(self, node: Checklist) -> Iterator[str]:
        yield f"## {md_text(self._heading(node))}"
        if node.question:
            yield f"**Question:** {md_text(node.question)}"
        yield from paragraphs(node.help)
        for group in node.groups:
            yield (f"**{md_text(group.title)}** (a \"yes\" adds to the score "
                   f"{code(group.name)}):")
            yield from paragraphs(group.help)
            yield "\n".join(self._item(item) for item in node.items if item.group == group.name)
        yield _UNANSWERED.get(node.unanswered, "") + (
            f" Quorum: {code(str(node.quorum))}." if node.quorum is not None else "")
        yield "The branches are tried in order; the first whose condition holds is taken."
        if node.notes.strip():
            yield from paragraphs(node.notes, first="**Notes:** ")
        for branch in node.exits:
            yield from self._branch(node, branch)

    def _item(self, item: ChecklistItem) -> str:
        fact = self.spec.facts.get(item.fact)
        question = md_text(fact.question) if fact else code(item.fact)
        weight = "" if item.weight == 1 else f", weight {show_value(item.weight)}"
        return f"- {question} ({code(item.fact)}{weight})"

    def _call(self, node: Call) -> Iterator[str]:
        yield f"## {md_text(self._heading(node))}"
        if node.question:
            yield f"**Question:** {md_text(node.question)}"
        yield from paragraphs(node.help)
        callee = self.tree.callees.get(node.id)
        if callee is not None:
            named = f"[{md_text(callee.spec.title)}](<{callee.id}.md>) ({code(callee.id)} " \
                    f"{md_text(callee.version)})"
        else:
            named = code(node.tree)
        yield (f"Hands the decision over to the tree {named}, which shares facts and params "
               "by name; the branch follows the outcome it reaches.")
        if node.notes.strip():
            yield from paragraphs(node.notes, first="**Notes:** ")
        for branch in node.exits:
            yield from self._branch(node, branch)

    def _branch(self, gate: Gate | Checklist | Call, branch: Branch) -> Iterator[str]:
        label = clean(branch.display_label)
        callee = self.tree.callees.get(gate.id) if isinstance(gate, Call) else None
        if callee is not None and not branch.label and branch.kind == "when":
            reached = callee.texts(params=self.params).nodes.get(str(branch.value))
            label = clean(reached.title) if reached is not None else label
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
            texts = callee.texts(params=self.params) if callee else None
            reached = texts.nodes.get(str(branch.value)) if texts else None
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

    def _other(self, node: object) -> Iterator[str]:
        """A node kind this module has no section for: title, question and exits."""
        yield f"## {md_text(self._heading(node))}"
        question = getattr(node, "question", "")
        if isinstance(question, str) and question:
            yield f"**Question:** {md_text(question)}"
        exits = getattr(node, "exits", None) or getattr(node, "branches", ()) or ()
        items = [f"- {md_text(str(getattr(b, 'display_label', '') or ''))} → "
                 f"{self._link(str(getattr(b, 'next', '')))}" for b in exits]
        if items:
            yield "\n".join(items)

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


def md_text(text: str) -> str:
    """Plain text as Markdown that shows exactly that text, on one line."""
    escaped = _SPECIAL.sub(r"\\\1", clean(text))
    return _LINE_START.sub(r"\1\\\2", escaped)


def code(text: str) -> str:
    """An inline code span that holds any text, backticks included."""
    text = clean(text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


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


def slugger() -> _Slugger:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as '-', repeats -1."""
    return _Slugger()


class _Slugger:
    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, heading: str) -> str:
        text = "".join(c for c in clean(heading).lower()
                       if c in " -_" or unicodedata.category(c)[0] in "LNM")
        base = text.replace(" ", "-")
        count = self.seen.get(base, 0)
        self.seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"


def _fact_type(fact: Fact) -> str:
    if fact.type == "enum":
        return "one of " + ", ".join(fact.values)
    return f"{fact.type} ({fact.unit})" if fact.unit else fact.type


def _reference(ref: Reference) -> str:
    title = md_text(ref.title)
    text = f"[{title}](<{ref.url}>)" if ref.url and _safe_url(ref.url) else title
    return f"{text} — {md_text(ref.note)}" if ref.note else text


def _safe_url(url: str) -> bool:
    return re.fullmatch(r"https?://[^\s<>]+", url) is not None


def _cell(text: str) -> str:
    """A code span inside a table cell: GitHub ends cells at '|' even there."""
    return text.replace("|", "\\|")
