"""Facts as apps have them: numpy and pandas scalars, whole floats, and data frame rows whose
empty cells are NaN or `pandas.NA`. A decision holds only plain Python values."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy
import pandas
import pytest

from gatetree import Decision, InputError, load_tree

ROOT = Path(__file__).resolve().parent.parent
PLAIN = (bool, int, float, str)


@pytest.fixture(scope="module")
def tree():  # type: ignore[no-untyped-def]
    return load_tree(ROOT / "tests/fixtures/valid/inputs.yaml")


def errors(call: Any) -> list[str]:
    with pytest.raises(InputError) as raised:
        call()
    return [str(d) for d in raised.value.diagnostics]


def assert_plain(decision: Decision) -> None:
    """Every value the decision holds is a plain bool, int, float or str, and it is JSON."""
    values: list[Any] = [*decision.facts.values(), *decision.params.values()]
    values += [e.value for step in decision.steps for e in step.evidence]
    assert [type(v) for v in values if type(v) not in PLAIN] == []
    json.dumps(decision.to_dict())


def outcome_or_missing(decision: Decision) -> str:
    if decision.outcome is not None:
        return decision.outcome.id
    assert decision.missing is not None
    return f"needs {decision.missing.fact}"


# --- numpy scalars -----------------------------------------------------------------------------


def test_numpy_scalars_decide_and_stay_plain(tree) -> None:  # type: ignore[no-untyped-def]
    facts = {"decline": numpy.str_("sudden"), "urgent": numpy.bool_(True),
             "count": numpy.int64(12)}
    decision = tree.decide(facts, params={"threshold": numpy.int32(10)})
    assert decision.outcome.id == "act"
    assert dict(decision.facts) == {"decline": "sudden", "urgent": True, "count": 12}
    assert_plain(decision)


@pytest.mark.parametrize("urgent", [numpy.bool_(True), numpy.True_])
def test_a_numpy_true_is_true(tree, urgent: Any) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "sudden", "urgent": urgent, "count": 12})
    assert decision.outcome.id == "act"
    assert decision.facts["urgent"] is True


def test_a_numpy_false_is_false(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "sudden", "urgent": numpy.bool_(False), "count": 12,
                            "score": numpy.float64(0.1), "owner": "dev"})
    assert decision.outcome.id == "wait"
    assert decision.facts["urgent"] is False
    assert_plain(decision)


@pytest.mark.parametrize(("value", "plain"), [
    (numpy.int64(12), 12),
    (numpy.uint8(12), 12),
    (12.0, 12),
    (numpy.float64(12.0), 12),
    (numpy.float32(12.0), 12),
    (Fraction(24, 2), 12),
])
def test_whole_numbers_for_an_integer_fact(tree, value: Any, plain: int) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "sudden", "urgent": True, "count": value})
    assert decision.outcome.id == "act"
    assert type(decision.facts["count"]) is int and decision.facts["count"] == plain


@pytest.mark.parametrize(("value", "plain"), [
    (numpy.int64(1), 1),
    (numpy.float64(0.25), 0.25),
    (numpy.float32(0.25), 0.25),
    (Fraction(1, 4), 0.25),
])
def test_numbers_for_a_number_fact(tree, value: Any, plain: float) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "gradual", "score": value})
    assert decision.facts["score"] == plain and type(decision.facts["score"]) is type(plain)
    assert_plain(decision)


def test_a_whole_float_param_is_a_whole_number(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({}, params={"threshold": 20.0, "share": numpy.float64(0.7)})
    assert dict(decision.overrides) == {"threshold": 20, "share": 0.7}
    assert type(decision.overrides["threshold"]) is int


# Refused values are shown as plain values, never as "True" or "np.float64(12.5)".
@pytest.mark.parametrize(("facts", "expected"), [
    ({"count": 12.5}, "fact 'count' must be a whole number; got 12.5"),
    ({"count": numpy.float64(12.5)}, "fact 'count' must be a whole number; got 12.5"),
    ({"count": math.inf}, "fact 'count' must be a whole number; got inf"),
    ({"count": numpy.bool_(True)}, "fact 'count' must be a whole number; got true"),
    ({"score": numpy.bool_(False)}, "fact 'score' must be a number; got false"),
    ({"urgent": numpy.int64(1)}, "fact 'urgent' must be true or false; got 1"),
    ({"urgent": numpy.str_("yes")},
     "fact 'urgent' must be true or false; got 'yes' (write true or false)"),
    ({"owner": numpy.int64(7)}, "fact 'owner' must be text; got 7"),
    ({"decline": numpy.str_("fast")}, "fact 'decline' must be one of: sudden, gradual; "
                                      "got 'fast'"),
])
def test_values_that_do_not_fit_are_refused(tree, facts: Mapping[str, Any], expected: str) -> None:  # type: ignore[no-untyped-def]
    assert errors(lambda: tree.decide(facts)) == [f"facts: error: {expected}"]


# --- no value: None, NaN, pandas.NA ------------------------------------------------------------


@pytest.mark.parametrize("empty", [None, math.nan, numpy.nan, numpy.float64("nan"),
                                   numpy.float32("nan"), pandas.NA, pandas.NaT],
                         ids=repr)
def test_an_empty_value_means_unknown(tree, empty: Any) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({"decline": "gradual", "score": empty})
    assert outcome_or_missing(decision) == "needs score"
    assert "score" not in decision.facts


def test_an_empty_param_keeps_its_default(tree) -> None:  # type: ignore[no-untyped-def]
    decision = tree.decide({}, params={"threshold": math.nan, "strict": pandas.NA})
    assert dict(decision.overrides) == {}
    assert decision.params["threshold"] == 10


# --- data frame rows ---------------------------------------------------------------------------

# An empty cell turns an integer column into floats (12.0) and is NaN there, None or NaN in
# a text or object column, and pandas.NA in a nullable column.
FRAME = {
    "decline": ["sudden", "sudden", "gradual", "gradual", "sudden"],
    "urgent": [True, True, None, None, False],
    "count": [12, None, None, None, 30],
    "score": [None, None, 1.0, None, 0.9],
}
EXPECTED_ROWS = ["act", "needs count", "act", "needs score", "act"]


def test_decide_from_data_frame_records() -> None:
    tree = load_tree(ROOT / "tests/fixtures/valid/inputs.yaml")
    rows = pandas.DataFrame(FRAME).to_dict("records")
    decisions = [tree.decide(row) for row in rows]
    assert [outcome_or_missing(d) for d in decisions] == EXPECTED_ROWS
    for decision in decisions:
        assert_plain(decision)
    assert decisions[0].facts["count"] == 12 and type(decisions[0].facts["count"]) is int


def test_decide_from_nullable_columns_row_by_row() -> None:
    """Nullable dtypes give numpy scalars and pandas.NA cell by cell."""
    tree = load_tree(ROOT / "tests/fixtures/valid/inputs.yaml")
    frame = pandas.DataFrame(FRAME).astype(
        {"urgent": "boolean", "count": "Int64", "score": "Float64"})
    rows = [row._asdict() for row in frame.itertuples(index=False)]
    assert any(type(v).__module__ == "numpy" for v in rows[0].values())
    assert rows[1]["count"] is pandas.NA
    decisions = [tree.decide(row) for row in rows]
    assert [outcome_or_missing(d) for d in decisions] == EXPECTED_ROWS
    for decision in decisions:
        assert_plain(decision)
