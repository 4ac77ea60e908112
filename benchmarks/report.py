"""Tables as text: a title, aligned columns and notes under them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NA", "Table", "duration", "ratio", "render"]

NA = "n/a"


@dataclass(frozen=True, slots=True)
class Table:
    """One section's results; the first column is left-aligned, the others right."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


def duration(seconds: float) -> str:
    """A time with a unit that keeps three significant digits readable."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def ratio(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def render(table: Table) -> str:
    widths = [max(len(row[i]) for row in (table.header, *table.rows))
              for i in range(len(table.header))]

    def line(cells: tuple[str, ...]) -> str:
        first, *rest = cells
        parts = [first.ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    rule = "-" * len(line(table.header))
    out = [f"## {table.title}", "", line(table.header), rule]
    out += [line(row) for row in table.rows]
    out += [f"* {note}" for note in table.notes]
    return "\n".join(out) + "\n"
