"""Which YAML files under a folder are trees or cases files, told by their marker line.

`lint` and `fmt` take folders; they act on the files that say what they are on a top-level
line (`gatetree: 1`, `gatetree-cases: 1`) and leave any other YAML file (a facts file, a
settings file) alone. The marker is looked for as text, so a file that does not even parse
is still picked up, and its error reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .validate import yaml_files

__all__ = ["CASES_MARKER", "TREE_MARKER", "first_content_line", "marked_files"]

TREE_MARKER = "gatetree"
CASES_MARKER = "gatetree-cases"


def marked_files(folder: Path, markers: Iterable[str]) -> list[Path]:
    """Every YAML file under `folder` (sorted, hidden folders left out) with one of the
    top-level `markers` keys."""
    prefixes = tuple(f"{marker}:" for marker in markers)
    return [path for path in yaml_files(folder) if _marked(path, prefixes)]


def _marked(path: Path, prefixes: tuple[str, ...]) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # reading it again reports why it cannot be read
    return any(line.startswith(prefixes) for line in text.splitlines())


def first_content_line(path: Path) -> str:
    """The first line that is neither blank nor a comment ("" if none in the first 4 KiB)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return ""
    for line in head.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    return ""
