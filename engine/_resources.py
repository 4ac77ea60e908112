"""Find the shipped trees and schemas, in a wheel (engine/_data) or in a checkout (repo root)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def data_dir(kind: str) -> Path:
    """The directory of shipped `trees` or `schemas`."""
    for candidate in (_PACKAGE / "_data" / kind, _PACKAGE.parent / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"gatetree is installed without its {kind}/ directory")


@cache
def load_schema(name: str) -> Any:
    """A shipped JSON Schema by file name, parsed once per process."""
    return json.loads((data_dir("schemas") / name).read_text(encoding="utf-8"))
