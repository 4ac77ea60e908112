"""What a benchmark section hands back: its tables, and the issue's targets it measured."""

from __future__ import annotations

from dataclasses import dataclass

from .report import NA, Table, ratio

__all__ = ["Outcome", "Target", "targets_table"]


@dataclass(frozen=True, slots=True)
class Target:
    """A ratio the project aims for: `measured` must stay at or below `limit`, or at or
    above it when `at_least`. None when it could not be measured here."""

    description: str
    measured: float | None
    limit: float
    at_least: bool = False

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        return self.measured >= self.limit if self.at_least else self.measured <= self.limit


@dataclass(frozen=True, slots=True)
class Outcome:
    """A section's tables and target checks."""

    tables: tuple[Table, ...]
    targets: tuple[Target, ...] = ()


def targets_table(targets: list[Target]) -> Table:
    rows = []
    for target in targets:
        measured = NA if target.measured is None else ratio(target.measured)
        limit = ("at least " if target.at_least else "at most ") + ratio(target.limit)
        met = {True: "met", False: "MISSED", None: NA}[target.met]
        rows.append((target.description, measured, limit, met))
    return Table("Targets (from the issues)", ("target", "measured", "limit", ""), tuple(rows))
