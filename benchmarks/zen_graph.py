"""GoRules zen-engine on our JDM graph of retrain-or-tune (benchmarks/jdm/).

The graph is ours: switch nodes for the gates (first hit: a missing fact, then the exits
in order), one expression node for the derived facts (a fact given directly wins over its
derivation, a missing input leaves it null) and one expression node per outcome; a null
fact at a gate ends in an expression node saying `status: incomplete`. Its decisions equal
the tree's on random facts (tests/test_benchmark_baselines.py).

zen-engine comes with the `bench` extra; without it `available()` is false and the
benchmark prints its rows as n/a.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .handwritten import Result

__all__ = ["JDM", "ZenGraph", "available"]

JDM = Path(__file__).resolve().parent / "jdm"


def available() -> bool:
    """Whether zen-engine is installed."""
    return find_spec("zen") is not None


class ZenGraph:
    """One JDM graph behind `ZenEngine.evaluate`, its content parsed once.

    The loader hands the engine a parsed `ZenDecisionContent`, the fastest of zen's ways
    in (a loader that returns JSON text would be parsed on every evaluation).
    """

    def __init__(self, name: str) -> None:
        import zen

        content = zen.ZenDecisionContent((JDM / f"{name}.json").read_text(encoding="utf-8"))
        self.key = name
        self.engine = zen.ZenEngine({"loader": lambda _key: content})

    def evaluate(self, facts: Mapping[str, Any], *, trace: bool) -> dict[str, Any]:
        """zen's whole response: result, performance and (with `trace`) its trace."""
        return dict(self.engine.evaluate(self.key, dict(facts), {"trace": trace}))

    def decide(self, facts: Mapping[str, Any]) -> Result:
        """The outcome and status the graph reaches, as the hand-written functions say it."""
        result = self.evaluate(facts, trace=False)["result"]
        return result.get("outcome"), result["status"]
