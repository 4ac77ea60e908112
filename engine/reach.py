"""Which branches of a gate or checklist can never be taken, told exactly or not at all.

A branch is never taken when no answer makes its condition hold while every condition
before it fails. That is decided by trying answers, not guessed: a boolean fact takes
true and false, an enum fact each of its values, and a number, integer or string fact one
value in each region its constants cut the line into (a value at each constant and one
between and beyond them), which is exact when the fact is only ever compared with
constants. A fact used any other way (in arithmetic, against another fact or a param)
leaves its conditions unjudged: a param may be set at decide time, so a condition that
reads one is never called impossible. A checklist's conditions are tried on every final
tally its items can reach (`checklist.final_tallies`).

Nothing here is reported when it cannot be told exactly: lint warns only about branches
that are dead for certain.
"""

from __future__ import annotations

import ast
import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .checklist import final_tallies, scope_names, scope_values
from .expr import CompiledExpr
from .model import Branch, Checklist, Fact, Gate, Scalar
from .tree import DecisionTree

__all__ = ["Dead", "dead_branches"]

_MAX_ANSWERS = 20_000  # answer combinations tried per gate; beyond, the gate is not judged
_OTHER = "\x00another string"  # a string no constant equals
_COMPARE = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)

Predicate = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True, slots=True)
class Dead:
    """A branch no answer can take: `alone` when its own condition can never hold."""

    node: str
    index: int
    branch: Branch
    alone: bool
    reads: tuple[str, ...]  # the facts (or checklist names) its condition reads


def dead_branches(tree: DecisionTree) -> Iterator[Dead]:
    """Every branch of the tree's gates and checklists that can never be taken."""
    for node in tree.spec.nodes.values():
        if isinstance(node, Gate):
            yield from _judge(node.id, node.exits, *_gate_tests(tree, node))
        elif isinstance(node, Checklist):
            yield from _judge(node.id, node.exits, *_checklist_tests(tree, node))


_Tests = tuple[list[tuple[Predicate, tuple[str, ...]] | None], list[dict[str, Any]]]


def _judge(node_id: str, exits: tuple[Branch, ...], tests: list[tuple[Predicate,
           tuple[str, ...]] | None], answers: list[dict[str, Any]]) -> Iterator[Dead]:
    """`tests[i]` is exit i's condition and the names it reads (None: not judged); the
    default always holds. `answers` are the cases to try."""
    if not answers:
        return
    for index, branch in enumerate(exits):
        test = tests[index] if branch.kind != "default" else (_always, ())
        if test is None:
            continue
        holds, reads = test
        earlier = [t[0] for t in tests[:index] if t is not None]
        if any(_may(holds, a) and not any(_must(e, a) for e in earlier) for a in answers):
            continue
        alone = not any(_may(holds, a) for a in answers)
        yield Dead(node_id, index, branch, alone, reads)


def _always(answers: Mapping[str, Any]) -> bool:
    return True


def _may(test: Predicate, answers: Mapping[str, Any]) -> bool:
    """Whether the condition may hold here (a condition that fails to evaluate may)."""
    try:
        return bool(test(answers))
    except (ArithmeticError, TypeError, ValueError, KeyError):
        return True


def _must(test: Predicate, answers: Mapping[str, Any]) -> bool:
    """Whether the condition surely holds here (one that fails to evaluate does not)."""
    try:
        return bool(test(answers))
    except (ArithmeticError, TypeError, ValueError, KeyError):
        return False


def _gate_tests(tree: DecisionTree, node: Gate) -> _Tests:
    facts = tree.spec.facts
    expressions: dict[int, CompiledExpr] = {}
    for index, branch in enumerate(node.branches):
        expression = tree.conditions.get((node.id, index))
        if branch.kind == "if" and expression is not None and expression.names <= set(facts):
            expressions[index] = expression  # a condition that reads a param is not judged
    constants: dict[str, set[Scalar]] = {}
    unclear: set[str] = set()
    for expression in expressions.values():
        _constants(ast.parse(expression.text.strip(), mode="eval"), facts, constants, unclear)
    if node.fact is not None:
        constants.setdefault(node.fact, set()).update(
            b.value for b in node.branches if b.kind == "when" and b.value is not None)
    tests: list[tuple[Predicate, tuple[str, ...]] | None] = []
    names: set[str] = set()
    for index, branch in enumerate(node.branches):
        if branch.kind == "when" and node.fact is not None:
            tests.append((_equals(node.fact, branch.value), (node.fact,)))
            names.add(node.fact)
            continue
        expression = expressions.get(index)
        if expression is None or expression.names & unclear:
            tests.append(None)
            continue
        tests.append((_evaluator(expression), expression.reads))
        names |= expression.names
    domains = [[(name, value) for value in _domain(facts[name], constants.get(name, set()))]
               for name in sorted(names)]
    if math.prod(len(d) for d in domains) > _MAX_ANSWERS:
        return tests, []
    return tests, [dict(combination) for combination in itertools.product(*domains)]


def _checklist_tests(tree: DecisionTree, node: Checklist) -> _Tests:
    own = set(scope_names(node))
    tests: list[tuple[Predicate, tuple[str, ...]] | None] = []
    for index, branch in enumerate(node.branches):
        expression = tree.conditions.get((node.id, index))
        if branch.kind != "if" or expression is None or not expression.names <= own:
            tests.append(None)  # a condition that reads a param is not judged
            continue
        tests.append((_evaluator(expression), expression.reads))
    if isinstance(node.quorum, str):
        return tests, []  # the quorum is a param: which tallies settle may change
    tallies = final_tallies(node, dict.fromkeys((i.fact for i in node.items), None),
                            node.quorum)
    if tallies is None:
        return tests, []
    return tests, [scope_values(node, tally) for tally in sorted(tallies)]


def _evaluator(expression: CompiledExpr) -> Predicate:
    return lambda answers: bool(expression.evaluate(dict(answers)))


def _equals(name: str, value: Scalar | None) -> Predicate:
    return lambda answers: bool(answers[name] == value and
                                isinstance(answers[name], bool) == isinstance(value, bool))


def _constants(tree_ast: ast.AST, facts: Mapping[str, Fact], found: dict[str, set[Scalar]],
               unclear: set[str]) -> None:
    """The constants each open-domain fact is compared with; facts used otherwise go to
    `unclear`."""
    compared: set[int] = set()  # ids of Name nodes read in a comparison with constants
    for node in ast.walk(tree_ast):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for position, operand in enumerate(operands):
            if not (isinstance(operand, ast.Name) and operand.id in facts):
                continue
            fact = facts[operand.id]
            if fact.type in ("boolean", "enum"):
                compared.add(id(operand))
                continue
            values = _neighbour_constants(node, operands, position, fact)
            if values is None:
                continue
            compared.add(id(operand))
            found.setdefault(operand.id, set()).update(values)
    for node in ast.walk(tree_ast):
        if (isinstance(node, ast.Name) and node.id in facts and id(node) not in compared
                and facts[node.id].type not in ("boolean", "enum")):
            unclear.add(node.id)


def _neighbour_constants(compare: ast.Compare, operands: list[ast.expr], position: int,
                         fact: Fact) -> list[Scalar] | None:
    """The constants a fact is compared with on either side, or None when a neighbour is
    not a constant or the comparison is one its regions cannot follow."""
    values: list[Scalar] = []
    for side in (position - 1, position + 1):
        if not 0 <= side < len(operands):
            continue
        op = compare.ops[min(side, position)]
        if not isinstance(op, _COMPARE):
            return None
        if fact.type == "string" and not isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
            return None
        constants = _literal(operands[side])
        if constants is None:
            return None
        values.extend(constants)
    return values


def _literal(node: ast.expr) -> list[Scalar] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float, str)):
        return [node.value]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _literal(node.operand)
        if inner and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in inner):
            return [-v for v in inner]  # type: ignore[operator]
        return None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        values: list[Scalar] = []
        for element in node.elts:
            inner = _literal(element)
            if inner is None:
                return None
            values.extend(inner)
        return values
    return None


def _domain(fact: Fact, constants: set[Scalar]) -> list[Scalar]:
    """One value for each answer region that the conditions can tell apart."""
    if fact.type == "boolean":
        return [True, False]
    if fact.type == "enum":
        return list(fact.values)
    if fact.type == "string":
        words: list[Scalar] = sorted({c for c in constants if isinstance(c, str)})
        return [*words, _OTHER]
    numbers = sorted({float(c) for c in constants
                      if isinstance(c, (int, float)) and not isinstance(c, bool)})
    if fact.type == "integer":
        points = {0} | {p for c in numbers for p in (math.floor(c) - 1, math.floor(c),
                                                       math.ceil(c), math.ceil(c) + 1)}
        return sorted(points)
    if not numbers:
        return [0.0]
    middles = [(a + b) / 2 for a, b in itertools.pairwise(numbers)]
    return sorted({numbers[0] - 1, *numbers, *middles, numbers[-1] + 1})
