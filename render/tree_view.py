"""A tree for the terminal (`gatetree show`): its facts, params, examples and nodes.

The texts are the tree's as people read them with the params in effect
(`DecisionTree.texts`), so a `{param}` placeholder shows its value, never its name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from gatetree.model import Call, Checklist, Outcome, Scalar
from gatetree.tree import DecisionTree
from gatetree.values import show_literal, show_value

from ._text import DEFAULT_WIDTH, wrap_lines
from .wording import fact_type

__all__ = ["tree_text"]


def tree_text(tree: DecisionTree, *, params: Mapping[str, Scalar] | None = None,
              examples: Sequence[str] = (), width: int = DEFAULT_WIDTH) -> str:
    """The tree with its texts filled by `params` (defaults for the others), in lines of
    at most `width` columns broken between words; `examples` names its example facts."""
    return "\n".join(_lines(tree, params or {}, examples, width)) + "\n"


def _lines(tree: DecisionTree, params: Mapping[str, Scalar], examples: Sequence[str],
           width: int) -> Iterator[str]:
    spec = tree.texts(params=params)
    in_effect = tree.effective_params(params)

    def wrap(text: str, indent: str, first: str | None = None) -> list[str]:
        return wrap_lines(text, width, indent=indent, first=first)

    yield from wrap(f"{spec.title} ({spec.id} {spec.version})", "  ", "")
    if spec.description:
        yield from wrap(spec.description.strip(), "  ")
    yield ""
    yield "Facts:"
    for fact in spec.facts.values():
        derive = f"  [derived: {fact.derive}]" if fact.derive else ""
        yield from wrap(f"{fact.name} ({fact_type(fact)}){derive}", "      ", "  ")
        yield from wrap(fact.question, "      ")
    if spec.params:
        yield ""
        yield "Params (override with --param NAME=VALUE):"
        for param in spec.params.values():
            value = in_effect[param.name]
            default = "" if value == param.default else \
                f", default {show_literal(param.default)}"
            yield from wrap(f"{param.name} = {show_literal(value)} ({param.type}{default})",
                            "      ", "  ")
            yield from wrap(param.help.strip(), "      ")
    if examples:
        yield ""
        yield from wrap(f"Examples (use with --example NAME): {', '.join(examples)}", "  ", "")
    yield ""
    yield f"Nodes (start: {spec.start}):"
    for node in spec.nodes.values():
        called = f" -> tree {node.tree}" if isinstance(node, Call) else ""
        yield from wrap(f"{node.id}  [{node.kind}] {node.title}{called}", "      ", "  ")
        if isinstance(node, Outcome):
            continue
        if isinstance(node, Checklist):
            for group in node.groups:
                items = [i.fact for i in node.items if i.group == group.name]
                yield from wrap(f"{group.name}: {', '.join(items)}", "        ", "      ")
            yield f"      unanswered items: {node.unanswered}"
        for branch in node.exits:
            how = (f"when {show_value(branch.value)}" if branch.kind == "when"
                   else f"if {branch.condition}" if branch.kind == "if" else "otherwise")
            label = f"  ({branch.label})" if branch.label else ""
            yield from wrap(f"{how} -> {branch.next}{label}", "          ", "      ")

