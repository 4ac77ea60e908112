"""What the numbers were measured on: ratios travel between machines, times do not."""

from __future__ import annotations

import os
import platform
import sys
from importlib.metadata import PackageNotFoundError, version

__all__ = ["PACKAGES", "describe"]

PACKAGES = ("gatetree", "zen-engine", "pyyaml", "jsonschema", "networkx", "click")


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _libyaml() -> str:
    import yaml

    return "yes" if hasattr(yaml, "CSafeLoader") else "no"


def describe() -> list[str]:
    """Lines naming the machine, the interpreter and the package versions."""
    packages = ", ".join(f"{p} {_version(p)}" for p in PACKAGES)
    return [
        f"machine: {platform.platform()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs",
        f"python: {platform.python_implementation()} {platform.python_version()} "
        f"({sys.executable.rsplit(os.sep, 1)[-1]})",
        f"packages: {packages}; libyaml: {_libyaml()}",
    ]
