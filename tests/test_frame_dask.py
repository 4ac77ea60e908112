"""The README's Dask recipe on a real `dask.distributed.LocalCluster` of two worker
processes: partitions mapped through `decide_frame`, with the compiled tree shipped to the
workers, give what `decide_frame` gives in this process."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from gatetree import DecisionTree, load_tree
from gatetree.frame import decide_frame

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "valid" / "mini.yaml"


def _worker_pid(tree: DecisionTree) -> int:
    import os

    assert tree.decide({"decline": "gradual"}).decided  # the tree arrived compiled
    return os.getpid()


def test_dask_partitions_decided_on_two_worker_processes_equal_the_in_process_result() -> None:
    tree = load_tree(MINI)
    frame = pd.DataFrame({
        "decline": ["sudden", "gradual", "sudden", None, "gradul", "sudden"] * 50,
        "count": pd.array([12, None, 3, 5, 1, None] * 50, dtype="Int64"),
    })
    expected = decide_frame(tree, frame)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        # The recipe: partitions of the records, each decided where it lives.
        records = dd.from_pandas(frame, npartitions=6)
        meta = decide_frame(tree, records._meta)  # an empty result: columns and types
        result = records.map_partitions(partial(decide_frame, tree), meta=meta).compute()
        pids = client.run(lambda: __import__("os").getpid())
        used = set(client.gather(client.map(_worker_pid, [tree] * 4, pure=False)))
    assert len(pids) == 2 and used <= set(pids.values())
    pd.testing.assert_frame_equal(result, expected)
    assert list(result["status"][:6]) == ["decided", "decided", "decided", "incomplete",
                                          "error", "incomplete"]


def test_a_tree_hashes_alike_for_dask_however_much_it_has_decided() -> None:
    import dask
    from dask.base import tokenize

    fresh, busy = load_tree(MINI), load_tree(MINI)
    for _ in range(5):  # enough decisions for its generated code and caches
        busy.decide({"decline": "gradual"})
    with dask.config.set({"tokenize.ensure-deterministic": True}):
        assert tokenize(busy) == tokenize(fresh) == tokenize(load_tree(MINI))
        assert tokenize(busy) != tokenize(load_tree("retrain-or-tune"))
