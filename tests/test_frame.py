"""`gatetree.frame.decide_frame`: a DataFrame in, a DataFrame of results on its index out;
numpy and pandas scalars read as the facts they hold, and missing cells as unknown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gatetree import InputError, load_tree
from gatetree.frame import FRAME_COLUMNS, decide_frame

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "valid" / "mini.yaml"


def test_each_row_is_decided_on_the_frames_index() -> None:
    tree = load_tree(MINI)
    frame = pd.DataFrame({
        "decline": pd.Series(["sudden", "gradual", "sudden", None, "sudden", "gradul"],
                             dtype=object),
        "count": pd.Series([12, pd.NA, 3, 5, pd.NA, 1], dtype="Int64"),  # nullable ints
    })
    frame.index = pd.Index(["a", "b", "c", "d", "e", "f"], name="model")
    result = decide_frame(tree, frame)
    assert list(result.columns) == list(FRAME_COLUMNS)
    assert result.index.equals(frame.index)
    assert result.to_dict("index") == {
        "a": {"status": "decided", "outcome": "many", "path": ("gate-a", "gate-b", "many"),
              "actions": (), "missing": None, "error": None},
        "b": {"status": "decided", "outcome": "done", "path": ("gate-a", "done"),
              "actions": (), "missing": None, "error": None},
        "c": {"status": "decided", "outcome": "done", "path": ("gate-a", "gate-b", "done"),
              "actions": (), "missing": None, "error": None},
        "d": {"status": "incomplete", "outcome": None, "path": ("gate-a",), "actions": (),
              "missing": "decline", "error": None},
        "e": {"status": "incomplete", "outcome": None, "path": ("gate-a", "gate-b"),
              "actions": (), "missing": "count", "error": None},
        "f": {"status": "error", "outcome": None, "path": (), "actions": (), "missing": None,
              "error": "fact 'decline' must be one of: sudden, gradual; got 'gradul' (did "
                       "you mean 'gradual'?)"},
    }


@pytest.mark.parametrize(("column", "expected"), [
    (pd.Series([12.0, np.nan], dtype="float64"), [("decided", "many"), ("incomplete", None)]),
    (pd.Series([np.int64(12), np.int32(3)], dtype=object), [("decided", "many"),
                                                             ("decided", "done")]),
    (pd.Series([np.float32(11.0), None], dtype=object), [("decided", "many"),
                                                         ("incomplete", None)]),
    (pd.Series([12, 3], dtype="int8"), [("decided", "many"), ("decided", "done")]),
    (pd.Series([12.5, 2.0], dtype="float64"), [("error", None), ("decided", "done")]),
])
def test_numpy_scalars_and_missing_values_read_as_the_facts_they_mean(
        column: pd.Series, expected: list[tuple[str, str | None]]) -> None:
    tree = load_tree(MINI)
    frame = pd.DataFrame({"decline": pd.Series(["sudden", "sudden"], dtype="string"),
                          "count": column})
    result = decide_frame(tree, frame)
    assert list(zip(result["status"], result["outcome"], strict=True)) == expected


def test_a_pandas_string_column_with_na_and_a_category_read_as_text() -> None:
    tree = load_tree(MINI)
    frame = pd.DataFrame({"decline": pd.Categorical(["gradual", None]),
                          "count": np.array([1, 2], dtype=np.int64)})
    result = decide_frame(tree, frame)
    assert list(result["status"]) == ["decided", "incomplete"]
    assert list(result["missing"]) == [None, "decline"]


def test_a_column_that_names_no_fact_makes_its_rows_error_rows_and_params_apply() -> None:
    tree = load_tree(MINI)
    frame = pd.DataFrame({"decline": ["sudden", "sudden"], "count": [12, 12],
                          "colour": ["red", None]})
    result = decide_frame(tree, frame, params={"threshold": 20})
    assert list(result["error"]) == ["unknown fact 'colour' (known facts: count, decline)",
                                     None]
    assert list(result["outcome"]) == [None, "done"]  # 12 < 20
    with pytest.raises(InputError, match="unknown param 'limit'"):
        decide_frame(tree, frame, params={"limit": 1})


def test_trace_adds_each_decision_and_an_empty_frame_gives_an_empty_result() -> None:
    tree = load_tree(MINI)
    frame = pd.DataFrame({"decline": ["gradual"]})
    result = decide_frame(tree, frame, trace=True)
    assert result["trace"].iloc[0] == tree.decide({"decline": "gradual"})
    empty = decide_frame(tree, frame.iloc[:0])
    assert (len(empty), list(empty.columns)) == (0, list(FRAME_COLUMNS))
    assert set(empty.dtypes) == {np.dtype(object)}


def test_the_engine_does_not_import_pandas() -> None:
    script = ("import sys, gatetree\nfrom gatetree import load_tree\n"
              f"load_tree({str(MINI)!r}).decide_many([{{}}])\n"
              "print('pandas' in sys.modules, 'numpy' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    assert run.stdout == "False False\n"
