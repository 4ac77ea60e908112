"""Expressions: the whitelist, static types, where errors point, and evaluation."""

from __future__ import annotations

import dataclasses
import os
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatetree import EvaluationError, load_tree
from gatetree.errors import Location
from gatetree.expr import EVAL_GLOBALS, compile_expression
from gatetree.model import Fact, Param

ROOT = Path(__file__).resolve().parent.parent
WHERE = Location("expr", 3, 5)  # as if the expression started on line 3, column 5

FACTS = {
    "decline": Fact("decline", "enum", "Sudden or gradual?", values=("sudden", "gradual")),
    "count": Fact("count", "integer", "How many?"),
    "score": Fact("score", "number", "What score?"),
    "urgent": Fact("urgent", "boolean", "Urgent?"),
    "owner": Fact("owner", "string", "Who owns it?"),
}
PARAMS = {
    "threshold": Param("threshold", "integer", 10, "Smallest count."),
    "share": Param("share", "number", 0.5, "Smallest share."),
}
SCOPE: dict[str, Any] = {"decline": "sudden", "count": 12, "score": 0.75, "urgent": True,
                         "owner": "ops", "threshold": 10, "share": 0.5}


def compiled(text: str):  # type: ignore[no-untyped-def]
    result, problems = compile_expression(text, location=WHERE, facts=FACTS, params=PARAMS)
    assert problems == [], [str(p) for p in problems]
    assert result is not None
    return result


def rejected(text: str) -> list[str]:
    result, problems = compile_expression(text, location=WHERE, facts=FACTS, params=PARAMS)
    assert result is None
    return [str(p) for p in problems]


# --- what is accepted, its type and its value ------------------------------------------------

ACCEPTED = [
    ("urgent and count > 3", "boolean", True),
    ("urgent or count > 3", "boolean", True),
    ("not urgent", "boolean", False),
    ("not (urgent and score < share)", "boolean", True),
    ("count + 1", "integer", 13),
    ("count - threshold * 2", "integer", -8),
    ("count // 5", "integer", 2),
    ("count % 5", "integer", 2),
    ("count / 8", "number", 1.5),
    ("score * 2", "number", 1.5),
    ("-count", "integer", -12),
    ("+score", "number", 0.75),
    ("1 < count <= threshold + 2", "boolean", True),
    ("count == 12.0", "boolean", True),
    ("count != threshold", "boolean", True),
    ("decline in ['sudden', 'gradual']", "boolean", True),
    ("decline not in ('gradual',)", "boolean", True),
    ("count in [1, 12, 2.5]", "boolean", True),
    ("decline == 'sudden'", "boolean", True),
    ("'gradual' != decline", "boolean", True),
    ("owner == 'ops'", "boolean", True),
    ("owner in 'devops'", "boolean", True),
    ("owner + '-team'", "string", "ops-team"),
    ("'high' if score > share else 'low'", "string", "high"),
    ("count if urgent else threshold", "integer", 12),
    ("count if urgent else score", "number", 12),
    ("min(count, threshold)", "integer", 10),
    ("max(score, share, 1)", "number", 1),
    ("abs(threshold - count)", "integer", 2),
    ("len(owner)", "integer", 3),
    ("round(score)", "integer", 1),
    ("round(score, 1)", "number", 0.8),
    ("True", "boolean", True),
    ("  count > 1  ", "boolean", True),
]


@pytest.mark.parametrize(("text", "type_name", "value"), ACCEPTED)
def test_accepted_forms_have_a_type_and_a_value(text: str, type_name: str, value: Any) -> None:
    expression = compiled(text)
    assert expression.type.name == type_name
    assert expression.evaluate(SCOPE) == value
    assert expression.text == text.strip()


def test_names_are_the_facts_and_params_read_without_functions() -> None:
    expression = compiled("min(count, threshold) > 1 and not urgent")
    assert expression.names == frozenset({"count", "threshold", "urgent"})


def test_a_ternary_of_literals_knows_its_possible_values() -> None:
    expression = compiled("'sudden' if urgent else 'gradual'")
    assert expression.type.values == frozenset({"sudden", "gradual"})


@pytest.mark.parametrize("name", ["__import__", "open", "getattr", "eval"])
def test_evaluation_has_no_builtins(name: str) -> None:
    """Code that got past the checks still finds no builtin: evaluated with a call the
    checker would refuse, swapped into a compiled expression."""
    code = compile(f"{name}('os')", "<expr>", "eval")
    expression = dataclasses.replace(compiled("count > 1"), code=code)
    with pytest.raises(NameError, match=f"name '{name}' is not defined"):
        expression.evaluate({})
    assert EVAL_GLOBALS["__builtins__"] == {}


# --- what is rejected, and where it points -----------------------------------------------------

REJECTED = [
    # not in the whitelist
    ("owner.upper()", "expr:3:5: error: attribute access ('.') is not allowed"),
    ("().__class__", "expr:3:5: error: attribute access ('.') is not allowed"),
    ("decline[0] == 's'", "expr:3:5: error: indexing ('[...]') is not allowed"),
    ("urgent and (x := 1)", "expr:3:17: error: ':=' is not allowed"),
    ("urgent and (lambda: 1)", "expr:3:17: error: lambda is not allowed"),
    ("__import__('os')", "expr:3:5: error: calling '__import__' is not allowed "
                         "(the functions are: min, max, abs, len, round)"),
    ("print(count)", "expr:3:5: error: calling 'print' is not allowed "
                     "(the functions are: min, max, abs, len, round)"),
    ("count > 1 and __debug__", "expr:3:19: error: name '__debug__' is not allowed"),
    ("min(count, key=abs) > 1", "expr:3:5: error: min() takes plain positional arguments only"),
    ("max(*count) > 1", "expr:3:5: error: max() takes plain positional arguments only"),
    # names
    ("cuont > 1", "expr:3:5: error: unknown name 'cuont': not a declared fact or param "
                  "(did you mean 'count'?)"),
    ("zzz > 1", "expr:3:5: error: unknown name 'zzz': not a declared fact or param "
                "(declare it under facts: or params:)"),
    ("count > threshhold", "expr:3:13: error: unknown name 'threshhold': not a declared fact "
                           "or param (did you mean 'threshold'?)"),
    ("min > 1", "expr:3:5: error: 'min' is a function; call it as min(...)"),
    # types
    ("decline == 'suden'", "expr:3:16: error: 'suden' is not a value of fact 'decline' "
                           "(did you mean 'sudden'?)"),
    ("'fast' == decline", "expr:3:5: error: 'fast' is not a value of fact 'decline' "
                          "(values: sudden, gradual)"),
    ("decline in ['sudden', 'sluggish']", "expr:3:27: error: 'sluggish' is not a value of "
                                          "fact 'decline' (values: sudden, gradual)"),
    ("'a' < 1", "expr:3:5: error: '<', '<=', '>', '>=' compare numbers, got string and integer"),
    ("owner > 'a'", "expr:3:5: error: '<', '<=', '>', '>=' compare numbers, "
                    "got string and string"),
    ("urgent == 1", "expr:3:5: error: cannot compare boolean with integer"),
    ("count and urgent", "expr:3:5: error: 'and'/'or' operand must be boolean, got integer"),
    ("not owner", "expr:3:9: error: 'not' operand must be boolean, got string"),
    ("-owner", "expr:3:5: error: unary minus/plus needs a number, got string"),
    ("owner * 2", "expr:3:5: error: arithmetic needs numbers, got string and integer"),
    ("count in [1, count]", "expr:3:18: error: a list after 'in' holds literals only"),
    ("count in ['a']", "expr:3:15: error: string literal in a list tested against integer"),
    ("count in owner", "expr:3:14: error: 'in' needs a list of literals, "
                       "or a string on both sides"),
    ("[1, 2]", "expr:3:5: error: a list may only stand after 'in'"),
    ("1 if urgent else 'a'", "expr:3:5: error: both sides of 'x if c else y' must have one "
                             "type, got integer and string"),
    ("1 if count else 2", "expr:3:10: error: condition of 'x if c else y' must be boolean, "
                          "got integer"),
    ("len(count)", "expr:3:5: error: len() takes one string"),
    ("round(owner)", "expr:3:5: error: round() takes a number and optional digits"),
    ("abs(1, 2)", "expr:3:5: error: abs() takes numbers"),
    ("min()", "expr:3:5: error: min() takes numbers"),
    ("1j > 0", "expr:3:5: error: the literal 1j is not allowed"),
    ("b'x' == owner", "expr:3:5: error: the literal b'x' is not allowed"),
    ("count >=", "expr:3:5: error: invalid expression: invalid syntax (in 'count >=')"),
    ("count > 1 1", "expr:3:15: error: invalid expression: invalid syntax (in 'count > 1 1')"),
    # '**' is reported at the operation 'count ** 2', not at the start of the expression
    ("urgent and count ** 2 > 4", "expr:3:16: error: '**' is not allowed; use '*'"),
    # A call of something that is not a name is refused for what it calls, not "calling 'this'"
    ("owner.upper() == 'OPS'", "expr:3:5: error: attribute access ('.') is not allowed"),
    ("(lambda: count)() > 1", "expr:3:6: error: lambda is not allowed"),
]


@pytest.mark.parametrize(("text", "expected"), REJECTED)
def test_rejected_forms_say_why_and_where(text: str, expected: str) -> None:
    assert rejected(text) == [expected]


@pytest.mark.parametrize("text", ["count is 1", "f'{owner}' == 'x'", "{1, 2}", "{'a': 1}",
                                  "[c for c in owner]", "count if urgent", "yield count",
                                  "await count", "...", "None == count"])
def test_other_python_is_rejected_with_one_located_error(text: str) -> None:
    found = rejected(text)
    assert len(found) == 1
    assert found[0].startswith("expr:3:")
    assert ": error: " in found[0]


# min() and max() of a single number compile today and fail on every evaluation
# ("'int' object is not iterable"): that is a type error the checker can see.
@pytest.mark.parametrize("text", ["min(count) > 1", "max(score) > 1"])
def test_min_and_max_of_one_number_are_refused_at_load(text: str) -> None:
    found = rejected(text)
    assert len(found) == 1
    assert found[0].startswith(f"expr:3:5: error: {text[:3]}()")


def test_a_sandbox_escape_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    attempts = [
        f"__import__('os').system('touch {ran}')",
        f"[c for c in ().__class__.__bases__[0].__subclasses__()] and touch('{ran}')",
        f"(lambda: __import__('os').system('touch {ran}'))()",
    ]
    for text in attempts:
        result, problems = compile_expression(text, location=WHERE, facts=FACTS, params=PARAMS)
        assert result is None
        assert len(problems) == 1
    assert not ran.exists()
    # The control: the first text is valid Python, so refusing it is the checker's doing.
    assert compile(attempts[0], "<control>", "eval")


# --- expressions too deep for the checker: an error, not a RecursionError ----------------------


@pytest.mark.parametrize("text", [
    " + ".join(["count"] * 1000) + " > 1",
    "-" * 1000 + "count > 1",
    "1 if urgent else " * 600 + "2",
    "not " * 2000 + "urgent",
], ids=["1000-additions", "1000-minus-signs", "600-ternaries", "2000-nots"])
def test_very_deep_expressions_are_errors_not_crashes(text: str) -> None:
    try:
        found = rejected(text)
    except RecursionError:  # fail short: a thousand-frame traceback takes seconds to print
        pytest.fail("RecursionError instead of a diagnostic", pytrace=False)
    assert len(found) == 1
    assert found[0].startswith("expr:3:")
    assert ": error: " in found[0]


# --- whatever the text, a compiled expression or diagnostics, never an exception ---------------


def _outcome(text: str) -> None:
    result, problems = compile_expression(text, location=WHERE, facts=FACTS, params=PARAMS)
    if result is None:
        assert problems
        # One problem, except that every unknown name is reported (each once).
        if len(problems) > 1:
            assert all(p.message.startswith("unknown name '") for p in problems)
            assert len({p.message for p in problems}) == len(problems)
        for problem in problems:
            assert problem.severity == "error"
            assert problem.location.path == "expr"
            assert problem.location.line == 3
    else:
        assert problems == []
        assert result.names <= set(FACTS) | set(PARAMS)


@settings(max_examples=400, deadline=None, database=None)
@given(st.text(alphabet=string.printable, max_size=60))
def test_random_printable_text_never_raises(text: str) -> None:
    _outcome(text)


_TOKENS = st.sampled_from([
    "count", "score", "urgent", "owner", "decline", "threshold", "share", "cuont", "min", "max",
    "abs", "len", "round", "__import__", "__class__", "and", "or", "not", "in", "if", "else",
    "is", "lambda", "for", "+", "-", "*", "/", "//", "%", "**", "<", "<=", "==", "!=", ">=",
    ">", "(", ")", "[", "]", ",", ".", ":", ":=", "0", "1", "2.5", "1e309", "-1", "True",
    "False", "None", "'sudden'", "'gradual'", "'x'", "''", "b''", "1j", "...",
])


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(_TOKENS, max_size=12))
def test_random_token_soup_never_raises(tokens: list[str]) -> None:
    _outcome(" ".join(tokens))


# --- evaluation in a tree: short-circuit and located errors -----------------------------------


@pytest.fixture(scope="module")
def evaluation():  # type: ignore[no-untyped-def]
    return load_tree(ROOT / "tests/fixtures/valid/evaluation.yaml")


def test_and_does_not_need_its_right_side_when_the_left_is_false(evaluation) -> None:  # type: ignore[no-untyped-def]
    decision = evaluation.decide({"check": "both", "urgent": False})  # no count given
    assert decision.status == "decided"
    assert decision.outcome.id == "done"
    assert [e.name for e in decision.steps[-1].evidence] == ["urgent"]


def test_and_needs_its_right_side_when_the_left_is_true(evaluation) -> None:  # type: ignore[no-untyped-def]
    decision = evaluation.decide({"check": "both", "urgent": True})
    assert decision.status == "incomplete"
    assert decision.missing.fact == "count"


def test_or_does_not_need_its_right_side_when_the_left_is_true(evaluation) -> None:  # type: ignore[no-untyped-def]
    decision = evaluation.decide({"check": "either", "urgent": True})
    assert decision.status == "decided"
    assert decision.outcome.id == "many"


def test_division_by_zero_is_an_evaluation_error_at_the_condition(evaluation) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EvaluationError) as raised:
        evaluation.decide({"check": "ratio", "total": 5, "count": 0})
    error = raised.value
    assert (error.location.line, error.location.col) == (61, 13)
    shown = str(error).removeprefix(f"{ROOT}{os.sep}")
    assert shown == ("tests/fixtures/valid/evaluation.yaml:61:13: error: cannot evaluate "
                     "'total / count > threshold': division by zero")


def test_division_evaluates_when_it_can(evaluation) -> None:  # type: ignore[no-untyped-def]
    decision = evaluation.decide({"check": "ratio", "total": 50, "count": 2})
    assert decision.outcome.id == "many"
