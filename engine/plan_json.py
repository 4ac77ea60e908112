"""A compiled tree as JSON data, for a walker outside Python (the browser guide).

The plan's nodes, exits, checklists, calls, params and facts, with every expression as a
JSON syntax tree of the whitelisted subset (see `expr.py`) and every value typed
(`{"t": "int", "v": "7"}`), so a reader in a language without Python's int/float split
still tells `7 // 2` from `7.0 // 2`. Texts are written as the tree has them, `{param}`
placeholders included, so a walker fills them with the params it decides with. The JSON
holds data only: nothing in it is code to run.
"""

from __future__ import annotations

import ast
import math
from typing import Any

from .model import Branch, Call, Checklist, Fact, Gate, Outcome, Param, Scalar
from .plan import Plan
from .tree import DecisionTree

__all__ = ["PLAN_FORMAT", "expression_json", "plan_json", "typed_value"]

PLAN_FORMAT = "gatetree-plan/1"

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%"}
_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
            ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in"}
_UNARY = {ast.Not: "not", ast.USub: "neg", ast.UAdd: "pos"}


def typed_value(value: Scalar | None) -> dict[str, Any] | None:
    """A scalar with its Python type: ints as decimal text (they may outgrow a double)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": str(value)}
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return {"t": "float", "v": value}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    raise ValueError(f"not a tree value: {value!r}")


def expression_json(text: str) -> dict[str, Any]:
    """A checked expression's text as a JSON syntax tree; raises ValueError on anything
    outside the whitelist (a checked tree has nothing else). An `and`/`or` keeps each
    operand's text (`src`), which the page names when that operand settles it."""
    source = text.strip()
    return _node(ast.parse(source, mode="eval").body, source)


def _node(node: ast.expr, text: str) -> dict[str, Any]:
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float, str)):
        return {"k": "const", **(typed_value(node.value) or {})}
    if isinstance(node, ast.Name):
        return {"k": "name", "id": node.id}
    if isinstance(node, ast.BoolOp):
        return {"k": "and" if isinstance(node.op, ast.And) else "or",
                "values": [_node(v, text) for v in node.values],
                "src": [ast.get_source_segment(text, v) or ast.unparse(v) for v in node.values]}
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return {"k": _UNARY[type(node.op)], "x": _node(node.operand, text)}
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return {"k": "bin", "op": _BINARY[type(node.op)], "l": _node(node.left, text),
                "r": _node(node.right, text)}
    if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        return {"k": "cmp", "l": _node(node.left, text),
                "ops": [_COMPARE[type(op)] for op in node.ops],
                "rs": [_node(r, text) for r in node.comparators]}
    if isinstance(node, ast.IfExp):
        return {"k": "if", "test": _node(node.test, text), "body": _node(node.body, text),
                "else": _node(node.orelse, text)}
    if isinstance(node, (ast.List, ast.Tuple)):
        return {"k": "list", "items": [_node(e, text) for e in node.elts]}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        return {"k": "call", "f": node.func.id, "args": [_node(a, text) for a in node.args]}
    raise ValueError(f"not in the expression subset: {ast.dump(node)}")


def plan_json(tree: DecisionTree) -> dict[str, Any]:
    """A compiled tree's plan as JSON-ready data; a call node's tree is under `callees` by
    node id, so the data holds every tree a decision may walk."""
    return _plan(tree._plan)  # the engine's own plan: what `decide` walks


def _plan(plan: Plan) -> dict[str, Any]:
    spec = plan.spec
    return {
        "format": PLAN_FORMAT,
        "tree": {"id": spec.id, "version": spec.version, "title": spec.title,
                 "sha256": spec.sha256, "description": spec.description},
        "start": plan.start,
        "params": {name: _param(p) for name, p in spec.params.items()},
        "facts": {name: {**_fact(f), "derive_names": list(plan.facts[name].derive_names)}
                  for name, f in spec.facts.items()},
        "own_names": sorted(plan.own_names),
        "node_order": list(spec.nodes),
        "nodes": {node_id: _plan_node(n.node) for node_id, n in plan.nodes.items()},
        "callees": {call_id: _plan(callee) for call_id, callee in plan.callees.items()},
    }


def _param(param: Param) -> dict[str, Any]:
    return {"type": param.type, "default": typed_value(param.default), "help": param.help,
            "title": param.title}


def _fact(fact: Fact) -> dict[str, Any]:
    return {"type": fact.type, "question": fact.question, "help": fact.help,
            "values": list(fact.values), "unit": fact.unit, "default": typed_value(fact.default),
            "derive_text": fact.derive,
            "derive": expression_json(fact.derive) if fact.derive is not None else None}


def _branch(branch: Branch) -> dict[str, Any]:
    return {"kind": branch.kind, "next": branch.next, "value": typed_value(branch.value),
            "condition_text": branch.condition,
            "condition": expression_json(branch.condition) if branch.kind == "if"
            and branch.condition is not None else None,
            "label": branch.display_label, "looks_like": branch.looks_like,
            "note": branch.note, "actions": list(branch.actions), "cites": list(branch.cites)}


def _plan_node(node: Any) -> dict[str, Any]:
    texts = {"id": node.id, "title": getattr(node, "title", ""),
             "notes": getattr(node, "notes", ""), "cites": list(getattr(node, "cites", ()))}
    if isinstance(node, Outcome):
        return {**texts, "kind": "outcome", "action": node.action, "why": node.why,
                "next_steps": list(node.next_steps),
                "references": [{"title": r.title, "url": r.url, "note": r.note}
                               for r in node.references]}
    if not isinstance(node, (Gate, Checklist, Call)):
        return {**texts, "kind": "unknown"}
    walked = {**texts, "kind": node.kind, "question": node.question, "help": node.help,
              "exits": [_branch(b) for b in node.exits]}
    if isinstance(node, Gate):
        return {**walked, "fact": node.fact}
    if isinstance(node, Call):
        return {**walked, "tree": node.tree}
    return {**walked, **_checklist(node)}


def _checklist(node: Checklist) -> dict[str, Any]:
    groups = [g.name for g in node.groups]
    order = node.ask_order
    quorum: Any = node.quorum if isinstance(node.quorum, str) else typed_value(node.quorum)
    return {
        "unanswered": node.unanswered,
        "quorum": {"param": quorum} if isinstance(quorum, str) else quorum,
        "groups": [{"name": g.name, "title": g.title, "help": g.help,
                    "label": g.display_label} for g in node.groups],
        "items": [{"fact": i.fact, "group": groups.index(i.group),
                   "weight": typed_value(i.weight), "label": i.display_label} for i in order],
        "all_items": len(node.items),
    }

