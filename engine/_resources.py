"""Find the shipped trees and schemas, in a wheel (gatetree/_data) or in a checkout (repo root)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import GatetreeError

_PACKAGE = Path(__file__).resolve().parent

# The JSON Schema of each kind of file gatetree reads or writes, by the name users give it.
SCHEMA_FILES: Mapping[str, str] = MappingProxyType({
    "tree": "tree.v1.schema.json",
    "trace": "trace.v1.schema.json",
    "cases": "cases.v1.schema.json",
    "batch-row": "batch-row.v1.schema.json",
})


def data_dir(kind: str) -> Path:
    """The directory of shipped `trees` or `schemas`."""
    for candidate in (_PACKAGE / "_data" / kind, _PACKAGE.parent / kind):
        if candidate.is_dir():
            return candidate
    raise GatetreeError(f"gatetree is installed without its {kind}/ directory: reinstall it")


def schema_path(kind: str) -> Path:
    """The installed JSON Schema of `tree`, `trace` or `cases` files (see SCHEMA_FILES)."""
    return data_dir("schemas") / SCHEMA_FILES[kind]


@cache
def load_schema(name: str) -> Any:
    """A shipped JSON Schema by file name, parsed once per process."""
    return json.loads((data_dir("schemas") / name).read_text(encoding="utf-8"))
