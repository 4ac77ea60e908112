"""What-ifs that say by how much: the value of a numeric fact at which a step flips.

For a step whose branch rested on numbers, each numeric fact it read (directly or
through derived facts) is moved alone, everything else unchanged, and the same walk says
which exit the step takes. The boundary is bracketed by doubling steps away from the fact's
value and narrowed by bisection, so it holds for any expression the tree can write; a
number is then the shortest decimal at the boundary (for a linear expression that is the
exact solution, e.g. 79 + 0.9 x 12 = 89.8, not 89.79999999999998), an integer the first
integer that flips.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .decision import Evidence
from .errors import GatetreeError
from .plan import Plan
from .solve import roots, solve
from .values import SHOWN_DIGITS
from .walk import Run

__all__ = ["Boundary", "BoundaryDirection", "boundaries", "evidence_tree", "numeric_inputs",
           "shortest_between"]

BoundaryDirection = Literal["up", "down"]
_FIRST_STEP = 1 / 64  # of the value's size: the first probe, so a narrow band is not jumped
_DOUBLINGS = 80  # probes outward before giving up (past 1e20 times the value)
_BISECTIONS = 200


@dataclass(frozen=True, slots=True)
class Boundary:
    """A step takes another exit once `fact` moves from `was` past `value`, all else equal.

    `direction` "up": for `value` or more (`inclusive`) or more than `value`; "down": for
    `value` or less (`inclusive`) or below `value`. `reached` is a value at which the
    search saw the step flip (`value` itself when inclusive).
    """

    fact: str
    was: int | float
    value: int | float
    direction: BoundaryDirection
    inclusive: bool
    reached: int | float = field(default=0, compare=False)
    formula: str | None = None  # the arithmetic of an exact, linear boundary

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "was": self.was, "value": self.value,
                "direction": self.direction, "inclusive": self.inclusive,
                "formula": self.formula}


def evidence_tree(evidence: tuple[Evidence, ...]) -> Iterator[Evidence]:
    """A step's evidence and everything it was derived from, outermost first."""
    stack = list(reversed(evidence))
    while stack:
        item = stack.pop()
        yield item
        stack.extend(reversed(item.inputs))


def numeric_inputs(evidence: tuple[Evidence, ...], facts: Mapping[str, Any]) -> Iterator[str]:
    """The numeric facts a step's evidence rests on, given or defaulted, in reading order."""
    return iter(dict.fromkeys(e.name for e in evidence_tree(evidence)
                              if e.name in facts and e.source in ("given", "default")
                              and _number(e.value)))


def boundaries(plan: Plan, facts: Mapping[str, Any], overrides: Mapping[str, Any],
               node: str, target: int, evidence: tuple[Evidence, ...]) -> tuple[Boundary, ...]:
    """For each numeric fact the step at `node` read, the nearest value in each direction at
    which the step would take exit `target` instead."""
    declared = plan.spec.facts
    found: list[Boundary] = []
    texts = [e.expression for e in evidence_tree(evidence) if e.expression is not None]
    texts += [e.condition.text for e in plan.nodes[node].exits if e.condition is not None]
    for name in numeric_inputs(evidence, declared):
        search = _Search(plan, dict(facts), overrides, node, target, name,
                         declared[name].type == "integer")
        search.texts, search.values = texts, _independent(evidence, name, search.params)
        for direction in ("up", "down"):
            boundary = search.boundary(direction)
            if boundary is not None:
                found.append(boundary)
    return tuple(found)


class _Search:
    def __init__(self, plan: Plan, facts: dict[str, Any], overrides: Mapping[str, Any],
                 node: str, target: int, name: str, integer: bool) -> None:
        self.plan, self.facts, self.overrides = plan, facts, overrides
        self.params = {**plan.defaults, **overrides}
        self.node, self.target, self.name, self.integer = node, target, name, integer
        self.was = facts[name]
        self.texts: list[str] = []
        self.values: dict[str, Any] = {}

    def flips(self, value: int | float) -> bool:
        """Whether the step takes the target exit with the fact at `value`."""
        facts = {**self.facts, self.name: value}
        try:
            run = Run(self.plan, facts, self.overrides, self.params).walk()
        except GatetreeError:
            return False
        return any(node.id == self.node and index == self.target
                   for node, index, _, _ in run.steps)

    def boundary(self, direction: BoundaryDirection) -> Boundary | None:
        sign = 1 if direction == "up" else -1
        size = max(abs(self.was), 1)
        near: int | float = self.was  # the step does not flip here ...
        far: int | float | None = None  # ... and does here
        for doubling in range(_DOUBLINGS):
            probe = self.was + sign * size * _FIRST_STEP * 2 ** doubling
            if self.integer:
                probe = int(math.ceil(probe) if sign > 0 else math.floor(probe))
            if self.flips(probe):
                far = probe
                break
            near = probe
        if far is None:
            return None
        near, far = self._nearer(near, far, sign)
        for _ in range(_BISECTIONS):
            if self.integer and abs(far - near) <= 1:
                break
            middle = (near + far) / 2 if not self.integer else (near + far) // 2
            if middle in (near, far):
                break
            if self.flips(middle):
                far = middle
            else:
                near = middle
        if self.integer:
            return Boundary(self.name, self.was, far, direction, True, far)
        value = _shown(shortest_between(near, far))
        solved = solve(self.texts, self.name, self.values, near, far)
        exact = None if solved is None else float(solved.value)
        if exact is not None and abs(exact - far) <= 1e-9 * max(1.0, abs(far)):
            value = _shown(exact)
        else:
            solved = None  # not the comparison that flips here
        inclusive = self.flips(value)
        return Boundary(self.name, self.was, value, direction, inclusive,
                        value if inclusive else far, None if solved is None else solved.formula)


    def _nearer(self, near: int | float, far: int | float,
                sign: int) -> tuple[int | float, int | float]:
        """A flip nearer than `far`: the probes double, so they may step over a narrow band;
        the roots of the linear comparisons read are where such a band can begin."""
        between = sorted((float(r) for r in roots(self.texts, self.name, self.values)
                          if (r - self.was) * sign > 0 and (far - r) * sign > 0),
                         key=lambda r: abs(r - self.was))
        for root in between:
            for probe in (root, math.nextafter(root, sign * math.inf)):
                probe = (math.ceil(probe) if sign > 0 else math.floor(probe)) \
                    if self.integer else probe
                if self.flips(probe):
                    return (near if (near - probe) * sign < 0 else self.was), probe
                near = probe if (probe - near) * sign > 0 else near
        return near, far


def _independent(evidence: tuple[Evidence, ...], name: str,
                 params: Mapping[str, Any]) -> dict[str, Any]:
    """The values the step read that do not move with `name` (a solve holds them fixed)."""
    values = dict(params)
    for item in evidence_tree(evidence):
        if item.name != name and name not in {e.name for e in evidence_tree(item.inputs)}:
            values[item.name] = item.value
    return values


def shortest_between(a: float, b: float) -> float:
    """The number with the fewest decimals in [a, b] (either order)."""
    low, high = min(a, b), max(a, b)
    for digits in range(-15, 18):
        scale = 10.0 ** digits
        candidate = math.ceil(low * scale) / scale
        if candidate <= high:
            return candidate
    return high


def _shown(value: float) -> int | float:
    """The value to display precision (what `show_value` writes), an integer as one."""
    shown = float(f"{value:.{SHOWN_DIGITS}g}")
    return int(shown) if shown.is_integer() and abs(shown) < 1e15 else shown


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
