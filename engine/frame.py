"""pandas: decide for every row of a DataFrame, the results a DataFrame on the same index.

Each column names a fact; a row's cells are its facts, read as `decide` reads them: numpy
and pandas scalars as the values they hold, a whole float as a whole number, and `NaN`,
`None`, `pd.NA` and `NaT` as unknown. pandas is an optional extra: this module imports
it, and nothing else in gatetree imports this module, so `import gatetree` never does.
The same function is the partition function for Dask, Spark and Ray (see the README).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from .batch import decide_many

if TYPE_CHECKING:
    from .tree import DecisionTree

__all__ = ["FRAME_COLUMNS", "decide_frame"]

FRAME_COLUMNS = ("status", "outcome", "path", "actions", "missing", "error")


def decide_frame(tree: DecisionTree, frame: pd.DataFrame, *, trace: bool = False,
                 params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A row of results for every row of `frame`, on its index.

    Columns: `status` (decided, incomplete or error), `outcome` (the outcome's id or
    None), `path` and `actions` (tuples of node ids and of action texts), `missing` (the
    name of the fact needed next, or None) and `error` (what `decide` says about a row
    whose facts do not fit the tree, or None); with `trace`, `trace` too (the Decision).
    A column that names no fact makes every row where it holds a value an error row,
    so select the fact columns first. Bad `params` raise InputError at once.
    """
    names = list(frame.columns)
    records = ({name: value for name, value in zip(names, values, strict=True)
                if not _missing(value)}
               for values in frame.itertuples(index=False, name=None))
    rows = list(decide_many(tree, records, trace=trace, params=params))
    data: dict[str, list[Any]] = {
        "status": [r.status for r in rows],
        "outcome": [r.outcome for r in rows],
        "path": [r.path for r in rows],
        "actions": [r.actions for r in rows],
        "missing": [None if r.missing is None else r.missing.fact for r in rows],
        "error": [r.error for r in rows],
    }
    if trace:
        data["trace"] = [r.trace for r in rows]
    return pd.DataFrame(data, index=frame.index, columns=list(data), dtype=object)


def _missing(value: object) -> bool:
    """A cell with no value: NaN, None, pd.NA, NaT. Only scalars are; a list is a value."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # an array-like cell: isna gives an array
        return False
