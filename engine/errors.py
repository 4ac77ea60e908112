"""One error family for the library: every user-facing problem carries its place."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file (or other origin), a 1-based line and column, a JSON pointer."""

    path: str
    line: int | None = None
    col: int | None = None
    pointer: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


@dataclass(frozen=True, slots=True)
class TextSpan:
    """Where a string's text stands, line by line, so a problem inside it can be pointed at.

    `lines` pairs the offset in the (folded) text where a source line's content begins with
    the location of that content; one entry for a one-line string.
    """

    start: Location
    lines: tuple[tuple[int, Location], ...] = ()

    def at(self, offset: int) -> Location:
        """The location of a character of the text, by its offset."""
        base, where = 0, self.start
        for line_offset, location in self.lines:
            if line_offset > offset:
                break
            base, where = line_offset, location
        if where.line is None:
            return where
        return Location(where.path, where.line, (where.col or 1) + offset - base, where.pointer)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a tree, a facts file or an option, printable as a compiler line."""

    location: Location
    message: str
    hint: str | None = None
    severity: Severity = "error"
    code: str = ""
    """The rule that found it, a kebab-case id such as `unreachable-node`, stable across
    releases (the message may be reworded), for tests and tools to select problems by."""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location}: {self.severity}: {self.message}{hint}"

    @property
    def line(self) -> str:
        """The compiler line a person reads: `str(self)`, then the rule code in brackets
        (`t.yaml:12:5: error: node 'x' cannot be reached ... [unreachable-node]`)."""
        return f"{self} [{self.code}]" if self.code else str(self)

    def to_dict(self) -> dict[str, object]:
        """The problem as JSON data: place, severity, rule code, message and hint."""
        loc = self.location
        return {"path": loc.path, "line": loc.line, "col": loc.col, "pointer": loc.pointer,
                "severity": self.severity, "code": self.code, "message": self.message,
                "hint": self.hint}

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line or 0, loc.col or 0, self.message)


class GatetreeError(Exception):
    """Root of every error gatetree raises on purpose."""


class DiagnosticsError(GatetreeError):
    """A set of problems, all reported at once, sorted by place."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(
            sorted(diagnostics, key=lambda d: d.sort_key)
        )
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class TreeError(DiagnosticsError):
    """A tree that cannot be loaded: bad YAML, schema violations, graph or expression errors."""


class InputError(DiagnosticsError):
    """Facts or params that do not fit the tree's declarations."""


class UnknownName(GatetreeError):
    """A name given on the command line or to the API that names nothing (a usage error)."""


class TreeNotFound(UnknownName):
    """A tree reference that names neither a file nor a built-in tree."""

    def __init__(self, reference: str, known: Iterable[str], *, on_path: bool = False) -> None:
        self.reference = reference
        self.known = tuple(sorted(known))
        hint = did_you_mean(reference, self.known)
        listing = ", ".join(self.known) or "none"
        where = "a tree on the tree path or built in" if on_path else "a built-in tree"
        super().__init__(
            f"no tree '{reference}': it is not a file and not {where}"
            f"{f' ({hint})' if hint else ''}; {'trees' if on_path else 'built-in trees'}: "
            f"{listing}"
        )


class DecisionMismatch(GatetreeError):
    """A decision (or saved trace) used with a tree other than the one that made it."""


class VersionMismatch(GatetreeError):
    """A tree of another version than the one asked for (`expect_version`): the policy on
    disk moved on, or another file stands under its name."""

    def __init__(self, tree_id: str, found: str, expected: str, path: str) -> None:
        self.tree_id, self.found, self.expected, self.path = tree_id, found, expected, path
        super().__init__(f"tree '{tree_id}' is version {found} ({path}), not {expected} as "
                         f"asked for; name '{tree_id}@{expected}' to run that version, or "
                         f"expect {found}")


class EvaluationError(GatetreeError):
    """An expression that failed while deciding (for example a division by zero)."""

    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        self.diagnostic = Diagnostic(location, message, code="evaluation-failed")
        super().__init__(str(self.diagnostic))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint for a near miss, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
