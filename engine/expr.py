"""Expressions: a small, checked subset of Python, compiled once at load.

Text is parsed with `ast`, every node is checked against a whitelist and the names and
types are checked against the tree's declarations. Only then is a code object compiled;
it is evaluated with no builtins but the whitelisted functions, against a scope that
resolves facts lazily, so `and`/`or` short-circuit and a fact is only needed when read.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import CodeType, MappingProxyType
from typing import Any

from .errors import Diagnostic, Location, TextSpan, did_you_mean
from .limits import GUARDED, MAX_DIGITS, bounded_round, magnitude_problem
from .model import Fact, Param
from .values import quote_value

__all__ = ["EVAL_GLOBALS", "FUNCTIONS", "MAX_EXPRESSION_CHARS", "MAX_NESTING", "CompiledExpr",
           "ExprType", "bounded_tree", "compile_expression"]

FUNCTIONS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {"min": min, "max": max, "abs": abs, "len": len, "round": bounded_round}
)
# Arithmetic runs through the bounded operators (see limits.py), so no value grows past
# the limits there; "__" names are refused in trees, so they never shadow a fact.
_GLOBALS: dict[str, Any] = {"__builtins__": {}, **FUNCTIONS, **GUARDED}
EVAL_GLOBALS: Mapping[str, Any] = MappingProxyType(_GLOBALS)

MAX_EXPRESSION_CHARS = 10_000  # an expression's text, so parsing it stays cheap
MAX_NESTING = 100  # levels of the parsed expression; real conditions have fewer than ten

_BOOL, _INT, _NUM, _STR = "boolean", "integer", "number", "string"


@dataclass(frozen=True, slots=True)
class ExprType:
    """A static type; strings remember their possible values when they are known."""

    name: str
    values: frozenset[str] | None = None  # for strings: the literal values, or an enum's domain
    fact: str | None = None  # the enum fact this string came from, for messages

    @property
    def numeric(self) -> bool:
        return self.name in (_INT, _NUM)


@dataclass(frozen=True, slots=True)
class CompiledExpr:
    """A checked, compiled expression and the names it may read.

    `reads` holds those names once each in the order the text reads them, left to right,
    so whoever asks for a derivation's inputs asks them in the order a person wrote them;
    `names` is the same set, for membership tests.
    """

    text: str
    code: CodeType
    names: frozenset[str]
    type: ExprType
    location: Location
    reads: tuple[str, ...] = ()

    def evaluate(self, scope: Mapping[str, Any]) -> Any:
        return eval(self.code, _GLOBALS, scope)  # whitelisted AST, no builtins


class _Problem(Exception):
    def __init__(self, node: ast.AST | None, message: str, hint: str | None = None, *,
                 code: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.hint = hint
        self.code = code


_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
    ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Compare,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.IfExp,
    ast.Name, ast.Load, ast.Constant, ast.List, ast.Tuple, ast.Call,
)
# Judged where they stand: operators by their expression, keywords and *args by their call.
_JUDGED_BY_PARENT = (ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.expr_context,
                     ast.keyword, ast.Starred)
_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod)
_COMPARE = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)
_FORBIDDEN_HINTS: dict[type, str] = {
    ast.Attribute: "attribute access ('.') is not allowed",
    ast.Subscript: "indexing ('[...]') is not allowed",
    ast.Pow: "'**' is not allowed; use '*'",
    ast.Is: "'is' is not allowed; use '=='",
    ast.IsNot: "'is not' is not allowed; use '!='",
    ast.Lambda: "lambda is not allowed",
    ast.NamedExpr: "':=' is not allowed",
}


def compile_expression(
    text: str,
    *,
    location: Location,
    facts: Mapping[str, Fact],
    params: Mapping[str, Param],
    extra_names: Mapping[str, ExprType] | None = None,
    extra_kind: str = "",
    span: TextSpan | None = None,
) -> tuple[CompiledExpr | None, list[Diagnostic]]:
    """Check and compile one expression; on any problem, no code object is made.

    `extra_names` are names the context adds (a checklist's group scores), read before
    facts and params; `extra_kind` says what a name may be, for unknown-name messages.
    """
    source = text.strip()
    if len(source) > MAX_EXPRESSION_CHARS:
        return None, [Diagnostic(location, f"expression is longer than {MAX_EXPRESSION_CHARS} "
                                           "characters", "split it into derived facts",
                                 code="expression-too-long")]
    where = _Where(location, span, source, len(text) - len(text.lstrip()))
    try:
        return _compile(source, where, _Checker(facts, params, extra_names or {}, extra_kind))
    except (RecursionError, MemoryError):  # the parser's own stack, not the heap
        return None, [_too_deep(location)]


def _too_many_digits(location: Location) -> Diagnostic:
    return Diagnostic(location, f"the literal is an integer of more than {MAX_DIGITS} digits",
                      code="literal-too-large")


def _too_deep(location: Location) -> Diagnostic:
    return Diagnostic(location, f"expression is nested more than {MAX_NESTING} levels deep",
                      "split it into derived facts", code="expression-too-deep")


def _compile(source: str, where: _Where,
             checker: _Checker) -> tuple[CompiledExpr | None, list[Diagnostic]]:
    location = where.location
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        at = where.at(exc.lineno or 1, (exc.offset or 1) - 1, chars=True)
        if "integer string conversion" in exc.msg:  # past Python's digit limit for int()
            return None, [_too_many_digits(at)]
        return None, [Diagnostic(at, f"invalid expression: {exc.msg}", f"in {quote_value(source)}",
                                 code="expression-syntax")]
    except ValueError:  # the same limit, on Pythons that raise it plainly
        return None, [_too_many_digits(location)]
    if _depth(tree) > MAX_NESTING:
        return None, [_too_deep(location)]
    try:
        nodes = [n for n in ast.walk(tree) if not isinstance(n, _JUDGED_BY_PARENT)]
        for node in nodes:
            checker.allowed(node)
        for node in nodes:
            if isinstance(node, ast.Call):
                checker.check_call(node)
        for node in nodes:
            if isinstance(node, ast.Name):
                _check_name(node, source)
        unknown = checker.unknown_names(nodes)
        if unknown:
            return None, [where.diagnostic(problem) for problem in unknown]
        result = checker.infer(tree.body)
    except _Problem as problem:
        return None, [where.diagnostic(problem)]
    reads = _reading_order(tree)  # before the operators are rewritten below
    code = compile(ast.fix_missing_locations(_Bounded().visit(tree)), f"<{location}>", "eval")
    return CompiledExpr(source, code, frozenset(reads), result, location, reads), []


def _reading_order(tree: ast.Expression) -> tuple[str, ...]:
    """The names an expression reads, once each, left to right as written (`ast.walk` goes
    breadth first, which puts `b` before `a` in `f(a) + b`)."""
    found = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Name)),
                   key=lambda n: (n.lineno, n.col_offset))
    return tuple(dict.fromkeys(n.id for n in found if n.id not in FUNCTIONS))


def bounded_tree(source: str) -> ast.expr:
    """A checked expression's syntax tree with its arithmetic through the bounded operators,
    for code compiled from it elsewhere (the plan); evaluate it with `EVAL_GLOBALS`."""
    tree = ast.fix_missing_locations(_Bounded().visit(ast.parse(source, mode="eval")))
    assert isinstance(tree, ast.Expression)
    return tree.body


def _depth(tree: ast.AST) -> int:
    """How many levels the parsed expression has, counted without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level <= MAX_NESTING:  # no need to count past the limit
            stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _check_name(node: ast.Name, source: str) -> None:
    """Python reads `ｃｏｕｎｔ` as `count` (NFKC): a name must be written as it reads."""
    if node.id.startswith("__"):
        raise _Problem(node, f"name '{node.id}' is not allowed", code="expression-not-allowed")
    if source.isascii():
        return
    written = ast.get_source_segment(source, node) or node.id
    if not written.isascii() or written != node.id:
        raise _Problem(node, f"name {written!r} is not written in ASCII",
                       "names are ASCII letters, digits and '_'", code="expression-not-allowed")


_OPERATOR_NAMES = {ast.Add: "__add", ast.Sub: "__sub", ast.Mult: "__mul",
                   ast.Div: "__truediv", ast.FloorDiv: "__floordiv", ast.Mod: "__mod"}


class _Bounded(ast.NodeTransformer):
    """`a * b` becomes `__mul(a, b)`: each step of arithmetic is checked for size."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        function = ast.Name(_OPERATOR_NAMES[type(node.op)], ast.Load())
        return ast.copy_location(ast.Call(function, [node.left, node.right], []), node)


@dataclass(frozen=True, slots=True)
class _Where:
    """Turns a position in the parsed text into a place in the tree file."""

    location: Location
    span: TextSpan | None
    source: str
    lead: int  # characters stripped before the text was parsed

    def diagnostic(self, problem: _Problem) -> Diagnostic:
        node = problem.node
        at = self.at(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
        return Diagnostic(at, problem.message, problem.hint, code=problem.code)

    def at(self, lineno: int, col: int, *, chars: bool = False) -> Location:
        lines = self.source.split("\n")
        index = min(max(lineno, 1), len(lines)) - 1
        if not chars:  # ast gives UTF-8 byte columns
            col = len(lines[index].encode("utf-8")[:col].decode("utf-8", errors="ignore"))
        offset = self.lead + sum(len(line) + 1 for line in lines[:index]) + max(col, 0)
        if self.span is not None and self.span.lines:
            return self.span.at(offset)
        if self.location.line is None or offset <= 0:
            return self.location
        return Location(self.location.path, self.location.line,
                        (self.location.col or 1) + offset, self.location.pointer)


class _Checker:
    def __init__(
        self,
        facts: Mapping[str, Fact],
        params: Mapping[str, Param],
        extra: Mapping[str, ExprType],
        extra_kind: str = "",
    ) -> None:
        self.facts = facts
        self.params = params
        self.extra = extra
        self.extra_kind = extra_kind

    def allowed(self, node: ast.AST) -> None:
        """Refuse a node outside the whitelist; operators are judged at their expression."""
        if isinstance(node, _ALLOWED_NODES):
            operators: list[ast.AST] = []
            if isinstance(node, ast.BinOp) and not isinstance(node.op, _BINARY):
                operators.append(node.op)
            if isinstance(node, ast.Compare):
                operators.extend(op for op in node.ops if not isinstance(op, _COMPARE))
            if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
                operators.append(node.op)
            for operator in operators:
                hint = _FORBIDDEN_HINTS.get(type(operator))
                raise _Problem(node, hint or f"'{type(operator).__name__}' is not allowed",
                               code="expression-not-allowed")
            return
        specific = _FORBIDDEN_HINTS.get(type(node))
        if specific:
            raise _Problem(node, specific, code="expression-not-allowed")
        raise _Problem(node, f"'{type(node).__name__}' is not allowed in expressions",
                       "expressions may use comparisons, and/or/not, arithmetic, 'in', "
                       "'x if c else y', literals, fact and param names, "
                       f"and {', '.join(FUNCTIONS)}", code="expression-not-allowed")

    def check_call(self, node: ast.Call) -> None:
        """Only the whitelisted functions, called by name with plain arguments."""
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            what = f"calling {node.func.id!r}" if isinstance(node.func, ast.Name) \
                else "calling the result of an expression"
            raise _Problem(node, f"{what} is not allowed",
                           f"the functions are: {', '.join(FUNCTIONS)}",
                           code="expression-not-allowed")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise _Problem(node, f"{node.func.id}() takes plain positional arguments only",
                           code="expression-not-allowed")

    # --- types -----------------------------------------------------------------------
    def infer(self, node: ast.expr) -> ExprType:
        method: Callable[[Any], ExprType] = getattr(self, f"_t_{type(node).__name__}")
        return method(node)

    def _t_Constant(self, node: ast.Constant) -> ExprType:
        value = node.value
        problem = magnitude_problem(value)
        if problem is not None:
            raise _Problem(node, f"the literal is {problem}", code="literal-too-large")
        if isinstance(value, bool):
            return ExprType(_BOOL)
        if isinstance(value, int):
            return ExprType(_INT)
        if isinstance(value, float):
            return ExprType(_NUM)
        if isinstance(value, str):
            return ExprType(_STR, frozenset({value}))
        raise _Problem(node, f"the literal {value!r} is not allowed", code="expression-not-allowed")

    def unknown_names(self, nodes: list[ast.AST]) -> list[_Problem]:
        """Every name the expression reads that names nothing, once each, in reading order."""
        found: dict[str, _Problem] = {}
        names = sorted((n for n in nodes if isinstance(n, ast.Name)),
                       key=lambda n: (n.lineno, n.col_offset))
        for node in names:
            problem = self._unknown(node)
            if problem is not None:
                found.setdefault(node.id, problem)
        return list(found.values())

    def _unknown(self, node: ast.Name) -> _Problem | None:
        name = node.id
        if name in self.extra or name in self.facts or name in self.params or name in FUNCTIONS:
            return None
        known = [*self.facts, *self.params, *self.extra]
        if self.extra_kind:
            return _Problem(node, f"unknown name '{name}': not {self.extra_kind}",
                            did_you_mean(name, known) or f"known: {', '.join(self.extra)}",
                            code="unknown-name")
        return _Problem(node, f"unknown name '{name}': not a declared fact or param",
                        did_you_mean(name, known) or "declare it under facts: or params:",
                        code="unknown-name")

    def _t_Name(self, node: ast.Name) -> ExprType:
        name = node.id
        if name in self.extra:
            return self.extra[name]
        if name in self.facts:
            fact = self.facts[name]
            if fact.type == "enum":
                return ExprType(_STR, frozenset(fact.values), fact=name)
            return ExprType(fact.type)
        if name in self.params:
            return ExprType(self.params[name].type)
        if name in FUNCTIONS:
            raise _Problem(node, f"'{name}' is a function; call it as {name}(...)",
                           code="unknown-name")
        raise self._unknown(node) or _Problem(node, f"unknown name '{name}'", code="unknown-name")

    def _t_BoolOp(self, node: ast.BoolOp) -> ExprType:
        for value in node.values:
            self._expect(value, _BOOL, "'and'/'or' operand")
        return ExprType(_BOOL)

    def _t_UnaryOp(self, node: ast.UnaryOp) -> ExprType:
        if isinstance(node.op, ast.Not):
            self._expect(node.operand, _BOOL, "'not' operand")
            return ExprType(_BOOL)
        operand = self.infer(node.operand)
        if not operand.numeric:
            raise _Problem(node, f"unary minus/plus needs a number, got {operand.name}",
                           code="expression-type")
        return operand

    def _t_BinOp(self, node: ast.BinOp) -> ExprType:
        left, right = self.infer(node.left), self.infer(node.right)
        if isinstance(node.op, ast.Add) and left.name == right.name == _STR:
            return ExprType(_STR)
        if not (left.numeric and right.numeric):
            raise _Problem(node, f"arithmetic needs numbers, got {left.name} and {right.name}",
                           code="expression-type")
        if isinstance(node.op, ast.Div) or _NUM in (left.name, right.name):
            return ExprType(_NUM)
        return ExprType(_INT)

    def _t_Compare(self, node: ast.Compare) -> ExprType:
        left_node: ast.expr = node.left
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)):
                self._membership(left_node, right_node)
            else:
                self._comparison(op, left_node, right_node)
            left_node = right_node
        return ExprType(_BOOL)

    def _comparison(self, op: ast.cmpop, left_node: ast.expr, right_node: ast.expr) -> None:
        left, right = self.infer(left_node), self.infer(right_node)
        ordered = isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE))
        if ordered and not (left.numeric and right.numeric):
            raise _Problem(left_node, f"'<', '<=', '>', '>=' compare numbers, "
                           f"got {left.name} and {right.name}", code="expression-type")
        if left.numeric and right.numeric:
            return
        if left.name != right.name:
            raise _Problem(left_node, f"cannot compare {left.name} with {right.name}",
                           code="expression-type")
        if left.name == _STR:
            self._domain(left, right, right_node)
            self._domain(right, left, left_node)

    def _membership(self, left_node: ast.expr, right_node: ast.expr) -> None:
        left = self.infer(left_node)
        if isinstance(right_node, (ast.List, ast.Tuple)):
            for element in right_node.elts:
                if not isinstance(element, ast.Constant):
                    raise _Problem(element, "a list after 'in' holds literals only",
                                   code="expression-not-allowed")
                item = self.infer(element)
                if not (item.name == left.name or (item.numeric and left.numeric)):
                    raise _Problem(element, f"{item.name} literal in a list tested against "
                                            f"{left.name}", code="expression-type")
                if left.name == _STR:
                    self._domain(left, item, element)
            return
        right = self.infer(right_node)
        if not (left.name == right.name == _STR):
            raise _Problem(right_node, "'in' needs a list of literals, or a string on both sides",
                           code="expression-type")

    def _domain(self, enum: ExprType, literal: ExprType, node: ast.expr) -> None:
        """A literal compared with an enum fact must be one of its values."""
        if enum.fact is None or literal.values is None or literal.fact is not None:
            return
        for value in sorted(literal.values - (enum.values or frozenset())):
            domain = self.facts[enum.fact].values
            raise _Problem(node, f"'{value}' is not a value of fact '{enum.fact}'",
                           did_you_mean(value, domain) or f"values: {', '.join(domain)}",
                           code="enum-value-unknown")

    def _t_IfExp(self, node: ast.IfExp) -> ExprType:
        self._expect(node.test, _BOOL, "condition of 'x if c else y'")
        body, orelse = self.infer(node.body), self.infer(node.orelse)
        if body.numeric and orelse.numeric:
            return ExprType(_NUM if _NUM in (body.name, orelse.name) else _INT)
        if body.name != orelse.name:
            raise _Problem(node, f"both sides of 'x if c else y' must have one type, "
                                 f"got {body.name} and {orelse.name}", code="expression-type")
        if body.name == _STR and body.values is not None and orelse.values is not None:
            return ExprType(_STR, body.values | orelse.values)
        return ExprType(body.name)

    def _t_Call(self, node: ast.Call) -> ExprType:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        args = [self.infer(a) for a in node.args]
        if name == "len":
            if len(args) != 1 or args[0].name != _STR:
                raise _Problem(node, "len() takes one string", code="expression-type")
            return ExprType(_INT)
        if name == "round":
            if not 1 <= len(args) <= 2 or not all(a.numeric for a in args):
                raise _Problem(node, "round() takes a number and optional digits",
                               code="expression-type")
            if len(args) == 2 and args[1].name != _INT:
                raise _Problem(node.args[1], "round() digits must be a whole number",
                               code="expression-type")
            return ExprType(_INT if len(args) == 1 else _NUM)
        if not args or not all(a.numeric for a in args) or (name == "abs" and len(args) != 1):
            raise _Problem(node, f"{name}() takes numbers", code="expression-type")
        if name in ("min", "max") and len(args) < 2:
            raise _Problem(node, f"{name}() takes two or more numbers",
                           f"{name}() of one number is that number", code="expression-type")
        return ExprType(_NUM if any(a.name == _NUM for a in args) else _INT)

    def _t_List(self, node: ast.List) -> ExprType:
        raise _Problem(node, "a list may only stand after 'in'", code="expression-not-allowed")

    _t_Tuple = _t_List

    def _expect(self, node: ast.expr, wanted: str, what: str) -> None:
        got = self.infer(node)
        if got.name != wanted:
            raise _Problem(node, f"{what} must be {wanted}, got {got.name}", code="expression-type")
