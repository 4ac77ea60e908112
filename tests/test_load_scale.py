"""Loading grows linearly with the tree: counted in function calls, not timed (timing is in
benchmarks/bench_load.py), so the test holds on a busy machine."""

from __future__ import annotations

import sys
from types import FrameType, ModuleType
from typing import Any

import pytest

from gatetree import load_text


def _calls(text: str) -> int:
    """Python and C function calls made while loading a tree from its text."""
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    load_text(text)  # the schema's compiled check and the imports, made once per process
    sys.setprofile(profile)
    try:
        load_text(text)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("shape", ["chain_tree", "balanced_tree"])
def test_four_times_the_nodes_make_about_four_times_the_calls(generated: ModuleType,
                                                              shape: str) -> None:
    make = getattr(generated, shape)
    small, big = _calls(make(201)), _calls(make(801))
    assert big / small < 4.4  # linear: 4 (801/201 nodes); quadratic would be about 16


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_pauses_garbage_collection_and_restores_it(
        monkeypatch: pytest.MonkeyPatch, generated: ModuleType, enabled: bool) -> None:
    import gc

    import gatetree.loader

    seen: list[bool] = []
    real = gatetree.loader.build_spec

    def watched(document):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(document)

    monkeypatch.setattr(gatetree.loader, "build_spec", watched)
    (gc.enable if enabled else gc.disable)()
    try:
        load_text(generated.chain_tree(11))
        assert seen == [False]
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
