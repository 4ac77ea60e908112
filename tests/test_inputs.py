"""Facts and params from callers, files and NAME=VALUE options, checked against a tree."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest

from gatetree import InputError, load_tree, read_facts
from gatetree.inputs import check_facts, parse_assignment

ROOT = Path(__file__).resolve().parent.parent
INVALID_FACTS = "tests/fixtures/invalid/facts"


@pytest.fixture(scope="module")
def tree():  # type: ignore[no-untyped-def]
    return load_tree(ROOT / "tests/fixtures/valid/inputs.yaml")


def input_errors(call: Any) -> list[str]:
    """The printed diagnostics of the InputError a call raises, paths relative to the repo."""
    with pytest.raises(InputError) as raised:
        call()
    prefix = f"{ROOT}{os.sep}"
    return [str(d).removeprefix(prefix) for d in raised.value.diagnostics]


# --- facts given by a caller ---------------------------------------------------------------

BAD_FACTS = [
    ({"declin": "sudden"}, "facts: error: unknown fact 'declin' (did you mean 'decline'?)"),
    ({"colour": "red"}, "facts: error: unknown fact 'colour' "
                        "(known facts: count, decline, owner, score, urgent)"),
    ({"decline": "fast"}, "facts: error: fact 'decline' must be one of: sudden, gradual; "
                          "got 'fast'"),
    ({"decline": "gradul"}, "facts: error: fact 'decline' must be one of: sudden, gradual; "
                            "got 'gradul' (did you mean 'gradual'?)"),
    ({"urgent": "yes"}, "facts: error: fact 'urgent' must be true or false; got 'yes' "
                        "(write true or false)"),
    ({"urgent": "True"}, "facts: error: fact 'urgent' must be true or false; got 'True' "
                         "(write true or false)"),
    ({"urgent": "maybe"}, "facts: error: fact 'urgent' must be true or false; got 'maybe'"),
    ({"urgent": 1}, "facts: error: fact 'urgent' must be true or false; got 1"),
    ({"count": 3.5}, "facts: error: fact 'count' must be a whole number; got 3.5"),
    ({"count": "12"}, "facts: error: fact 'count' must be a whole number; got '12'"),
    ({"count": False}, "facts: error: fact 'count' must be a whole number; got false"),
    ({"score": True}, "facts: error: fact 'score' must be a number; got true"),
    ({"owner": 7}, "facts: error: fact 'owner' must be text; got 7"),
]


@pytest.mark.parametrize(("facts", "expected"), BAD_FACTS,
                         ids=[next(iter(f)) + "=" + repr(next(iter(f.values())))
                              for f, _ in BAD_FACTS])
def test_bad_fact_is_reported(tree, facts: dict[str, Any], expected: str) -> None:  # type: ignore[no-untyped-def]
    assert input_errors(lambda: tree.decide(facts)) == [expected]


def test_every_bad_fact_is_reported_at_once(tree) -> None:  # type: ignore[no-untyped-def]
    assert input_errors(lambda: tree.decide({"count": "x", "urgent": 1, "declin": "sudden"})) == [
        "facts: error: fact 'count' must be a whole number; got 'x'",
        "facts: error: fact 'urgent' must be true or false; got 1",
        "facts: error: unknown fact 'declin' (did you mean 'decline'?)",
    ]


def test_good_facts_decide(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "sudden", "urgent": True, "count": 12})
    assert decision.status == "decided"
    assert decision.outcome.id == "act"


def test_null_means_unknown(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "sudden", "urgent": True, "count": None})
    assert decision.status == "incomplete"
    assert decision.missing.fact == "count"


# NaN is how data libraries say "no value" (an empty cell): like None, the fact is unknown.
# It never enters the decision, where it would compare false with everything.
@pytest.mark.parametrize("score", [None, math.nan])
def test_nan_means_unknown(tree, score: float | None) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "gradual", "score": score})
    assert decision.status == "incomplete"
    assert decision.missing.fact == "score"
    assert dict(decision.facts) == {"decline": "gradual"}


def test_an_integer_is_a_number(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "sudden", "urgent": False, "score": 1})
    assert decision.outcome.id == "act"


# A number fact compared by 'when: 1' must match 1.0 as it matches 1: both are the number one.
@pytest.mark.parametrize("score", [1, 1.0])
def test_when_on_a_number_fact_matches_equal_numbers(tree, score: float) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "gradual", "score": score})
    assert decision.outcome.id == "act"


# --- params ------------------------------------------------------------------------------------


def test_unknown_param(tree) -> None:  # type: ignore[no-untyped-def]
    assert input_errors(lambda: tree.decide({}, params={"treshold": 3})) == [
        "params: error: unknown param 'treshold' (did you mean 'threshold'?)",
    ]


@pytest.mark.parametrize(("params", "expected"), [
    ({"threshold": "3"}, "params: error: param 'threshold' must be a whole number; got '3'"),
    ({"threshold": 2.5}, "params: error: param 'threshold' must be a whole number; got 2.5"),
    ({"share": "half"}, "params: error: param 'share' must be a number; got 'half'"),
    ({"strict": "no"}, "params: error: param 'strict' must be true or false; got 'no' "
                       "(write true or false)"),
    ({"team": False}, "params: error: param 'team' must be text; got false"),
])
def test_mistyped_param(tree, params: dict[str, Any], expected: str) -> None:  # type: ignore[no-untyped-def]
    assert input_errors(lambda: tree.decide({}, params=params)) == [expected]


def test_param_override_changes_the_decision(tree) -> None:  # type: ignore[no-untyped-def]
    facts = {"decline": "sudden", "urgent": True, "count": 12}
    assert tree.decide(facts).outcome.id == "act"
    decision = tree.decide({**facts, "score": 0.1, "owner": "dev"}, params={"threshold": 20})
    assert decision.outcome.id == "wait"
    assert decision.params["threshold"] == 20


# --- facts files -------------------------------------------------------------------------------


def test_facts_file_is_read_and_checked(tree) -> None:  # type: ignore[no-untyped-def]
    facts, document = read_facts(ROOT / "tests/fixtures/valid/facts/inputs.yaml")
    assert check_facts(tree.spec, facts, origin=document) == {
        "decline": "sudden", "count": 12, "urgent": True,
    }


@pytest.mark.parametrize(("name", "expected"), [
    # the value 'many' on line 3, column 8
    ("wrong-type", "3:8: error: fact 'count' must be a whole number; got 'many'"),
    # the unknown name is the key, at column 1
    ("unknown-fact", "1:1: error: unknown fact 'declin' (did you mean 'decline'?)"),
    # YAML 1.2: yes is a word, not a boolean; the hint says what to write instead
    ("boolean-word", "2:9: error: fact 'urgent' must be true or false; got 'yes' "
                     "(write true or false)"),
])
def test_facts_file_problem_is_located_in_the_facts_file(tree, name: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    path = f"{INVALID_FACTS}/{name}.yaml"

    def check() -> None:
        facts, document = read_facts(ROOT / path)
        check_facts(tree.spec, facts, origin=document)

    assert input_errors(check) == [f"{path}:{expected}"]


def test_nan_in_a_facts_file_is_refused() -> None:
    # NaN from a data frame means "unknown" (Python facts); a file says that with null.
    path = "tests/fixtures/hostile/nan-facts.yaml"
    assert input_errors(lambda: read_facts(ROOT / path)) == [
        f"{path}:2:8: error: invalid value: .nan is not a finite number",
    ]


def test_facts_from_bytes_are_located_by_the_name_given(tree) -> None:  # type: ignore[no-untyped-def]
    facts, document = read_facts("<stdin>", content=b"decline: sudden\nurgent: no\n")
    assert input_errors(lambda: check_facts(tree.spec, facts, origin=document)) == [
        "<stdin>:2:9: error: fact 'urgent' must be true or false; got 'no' (write true or false)",
    ]


def test_facts_file_that_is_a_list() -> None:
    path = f"{INVALID_FACTS}/list.yaml"
    assert input_errors(lambda: read_facts(ROOT / path)) == [
        f"{path}:1:1: error: a facts file must be a mapping of fact: value",
    ]


def test_facts_file_with_bad_yaml_is_an_input_error(tmp_path: Path) -> None:
    source = tmp_path / "facts.yaml"
    source.write_text("count: 1\ncount: 2\n", encoding="utf-8")
    assert input_errors(lambda: read_facts(source)) == [
        f"{source}:2:1: error: duplicate key 'count' (first defined at line 1)",
    ]


def test_empty_facts_file_gives_no_facts(tmp_path: Path) -> None:
    source = tmp_path / "facts.yaml"
    source.write_text("# nothing known yet\n", encoding="utf-8")
    assert read_facts(source)[0] == {}


# --- NAME=VALUE options ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("urgent=true", ("urgent", True)),
    ("urgent=TRUE", ("urgent", True)),
    ("urgent=yes", ("urgent", True)),
    ("urgent=Y", ("urgent", True)),
    ("urgent=1", ("urgent", True)),
    ("urgent=false", ("urgent", False)),
    ("urgent=No", ("urgent", False)),
    ("urgent=n", ("urgent", False)),
    ("urgent=0", ("urgent", False)),
    ("urgent=maybe", ("urgent", "maybe")),  # left as text: check_facts then rejects it
    ("count=12", ("count", 12)),
    ("count=-3", ("count", -3)),
    (" count = 7 ", ("count", 7)),
    ("count=1.5", ("count", "1.5")),
    ("count=many", ("count", "many")),
    ("score=0.25", ("score", 0.25)),
    ("score=2", ("score", 2)),
    ("score=2.0", ("score", 2.0)),
    ("decline=sudden", ("decline", "sudden")),
    ("owner=a=b", ("owner", "a=b")),
    ("owner=", ("owner", "")),
])
def test_assignment_reads_the_value_by_the_declared_type(tree, text: str, expected: tuple) -> None:  # type: ignore[no-untyped-def]
    name, value = parse_assignment(text, tree.spec.facts, kind="fact", option="--set")
    assert (name, value) == expected
    assert type(value) is type(expected[1])


@pytest.mark.parametrize(("text", "expected"), [
    ("share=0.7", ("share", 0.7)),
    ("threshold=20", ("threshold", 20)),
    ("strict=yes", ("strict", True)),
    ("team=dev", ("team", "dev")),
])
def test_param_assignment(tree, text: str, expected: tuple) -> None:  # type: ignore[no-untyped-def]
    assert parse_assignment(text, tree.spec.params, kind="param", option="--param") == expected


@pytest.mark.parametrize(("text", "option", "expected"), [
    ("urgent", "--set", "--set urgent: error: expected NAME=VALUE, got 'urgent'"),
    ("=3", "--set", "--set =3: error: expected NAME=VALUE, got '=3'"),
    ("", "--set", "--set : error: expected NAME=VALUE, got ''"),
    ("declin=sudden", "--set",
     "--set declin=sudden: error: unknown fact 'declin' (did you mean 'decline'?)"),
    ("treshold=3", "--param",
     "--param treshold=3: error: unknown param 'treshold' (did you mean 'threshold'?)"),
])
def test_bad_assignment(tree, text: str, option: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    kind = "fact" if option == "--set" else "param"
    declarations = tree.spec.facts if kind == "fact" else tree.spec.params
    assert input_errors(lambda: parse_assignment(text, declarations, kind=kind,
                                                 option=option)) == [expected]


def test_assigned_text_that_does_not_fit_is_rejected_by_the_check(tree) -> None:  # type: ignore[no-untyped-def]
    name, value = parse_assignment("count=1.5", tree.spec.facts, kind="fact", option="--set")
    assert input_errors(lambda: tree.decide({name: value})) == [
        "facts: error: fact 'count' must be a whole number; got '1.5'",
    ]


@pytest.mark.parametrize("text", ["score=nan", "score=NaN"])
def test_assignment_of_nan_is_rejected(tree, text: str) -> None:  # type: ignore[no-untyped-def]
    name, value = parse_assignment(text, tree.spec.facts, kind="fact", option="--set")
    with pytest.raises(InputError):
        tree.decide({"decline": "sudden", name: value})
