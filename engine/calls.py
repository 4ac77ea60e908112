"""Trees that call trees: find each called tree, check the hand-over, share declarations.

Loading the called trees themselves is the loader's job (it compiles each file once and
knows the chain of calls, for cycles); this module says where a call points, whether its
branches handle every outcome of the called tree, and which facts and params the two
trees share by name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from .errors import Diagnostic, TreeNotFound, did_you_mean
from .files import confined
from .model import Call, Fact, Param, TreeSpec
from .registry import find_tree, looks_like_path
from .tree import DecisionTree
from .values import quote_value

__all__ = ["MAX_CALL_DEPTH", "check_call", "cycle_error", "depth_error", "locate_callee",
           "share_declarations"]

MAX_CALL_DEPTH = 32  # trees in one chain of calls, the first included


def locate_callee(node: Call, base: Path) -> Path | Diagnostic:
    """The file a call names: a path relative to the calling file, inside its folder (or
    below), or a built-in tree. A path leading anywhere else is refused unread."""
    if looks_like_path(node.tree):
        path = confined(node.tree, (base,))
        if path is None:
            return Diagnostic(node.tree_loc, f"call '{node.id}' names file "
                                             f"{quote_value(node.tree)}, which is not inside "
                                             "the calling tree's folder",
                              "a call names a built-in tree, or a file in the calling tree's "
                              "folder or below it", code="call-outside-folder")
        if path.is_file():
            return path
        return Diagnostic(node.tree_loc, f"call '{node.id}' names file '{node.tree}', which "
                                         "does not exist", f"looked for {path}",
                          code="call-file-missing")
    try:
        return find_tree(node.tree)
    except TreeNotFound as exc:
        return Diagnostic(node.tree_loc, f"call '{node.id}' names tree '{node.tree}', which is "
                                         "not a built-in tree",
                          did_you_mean(node.tree, exc.known)
                          or f"built-in trees: {', '.join(exc.known) or 'none'}; "
                             "a file needs a .yaml suffix", code="call-unknown-tree")


def cycle_error(node: Call, chain: tuple[str, ...]) -> Diagnostic:
    """A call that leads back to a tree already being loaded."""
    return Diagnostic(node.tree_loc, f"trees call each other in a cycle: {' -> '.join(chain)}",
                      "a called tree must not call, directly or not, the tree calling it",
                      code="call-cycle")


def depth_error(node: Call, chain: tuple[str, ...]) -> Diagnostic:
    """A call that would nest trees deeper than MAX_CALL_DEPTH (loading, deciding and
    drawing each follow the chain, so it is bounded)."""
    shown = " -> ".join((*chain[:2], "...", *chain[-2:]) if len(chain) > 5 else chain)
    return Diagnostic(node.tree_loc, f"call '{node.id}' nests trees more than {MAX_CALL_DEPTH} "
                                     f"deep: {shown} -> {node.tree}",
                      f"a chain of calls holds at most {MAX_CALL_DEPTH} trees",
                      code="call-too-deep")


def check_call(node: Call, callee: DecisionTree) -> Iterator[Diagnostic]:
    """Every branch names an outcome of the called tree, once; every outcome is handled."""
    outcomes = [o.id for o in callee.outcomes]
    seen: set[str] = set()
    for branch in node.branches:
        value = str(branch.value)
        if value not in outcomes:
            yield Diagnostic(branch.loc, f"'when: {value}' is not an outcome of tree "
                                         f"'{callee.id}'",
                             did_you_mean(value, outcomes) or f"outcomes: {', '.join(outcomes)}",
                             code="call-unknown-outcome")
        elif value in seen:
            yield Diagnostic(branch.loc, f"call '{node.id}' has two branches for '{value}'; "
                                         "the second is never taken", code="duplicate-branch")
        seen.add(value)
    unhandled = [o for o in outcomes if o not in seen]
    if unhandled and node.default is None:
        many = len(unhandled) != 1
        yield Diagnostic(node.loc, f"call '{node.id}' does not handle "
                                   f"{'outcomes' if many else 'outcome'} {', '.join(unhandled)} "
                                   f"of tree '{callee.id}'", "add a branch for each, or a default:",
                         code="call-outcome-unhandled")


def share_declarations(spec: TreeSpec, callees: Mapping[str, DecisionTree],
                       ) -> tuple[TreeSpec, list[Diagnostic]]:
    """The spec with the called trees' facts and params added, shared by name.

    A name declared by more than one of the trees must mean the same in each: the same
    kind (fact or param), type and, for an enum, values.
    """
    owners = {name: (decl, spec.id) for name, decl in _declared(spec)}
    problems: list[Diagnostic] = []
    for call_id, callee in callees.items():
        node = spec.nodes[call_id]
        assert isinstance(node, Call)
        for name, decl in _declared(callee.spec):
            known = owners.setdefault(name, (decl, callee.id))
            if _meaning(known[0]) != _meaning(decl):
                own = spec.facts.get(name) or spec.params.get(name)
                where = own.loc if own is not None else node.tree_loc
                problems.append(Diagnostic(
                    where, f"'{name}' is {_meaning(known[0])} in tree '{known[1]}' but "
                           f"{_meaning(decl)} in tree '{callee.id}'",
                    "trees share facts and params by name: give it one meaning, or rename it",
                    code="shared-declaration-conflict"))
    shared = replace(
        spec,
        facts=MappingProxyType({n: d for n, (d, _) in owners.items() if isinstance(d, Fact)}),
        params=MappingProxyType({n: d for n, (d, _) in owners.items() if isinstance(d, Param)}),
    )
    return shared, problems


def _declared(spec: TreeSpec) -> list[tuple[str, Fact | Param]]:
    return [*spec.facts.items(), *spec.params.items()]


def _meaning(decl: Fact | Param) -> str:
    kind = "fact" if isinstance(decl, Fact) else "param"
    article = "an" if decl.type[0] in "aeiou" else "a"
    if isinstance(decl, Fact) and decl.type == "enum":
        return f"an enum fact ({', '.join(decl.values)})"
    return f"{article} {decl.type} {kind}"
